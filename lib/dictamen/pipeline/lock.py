"""The output folder's lock: one ``dictamen run`` writes to a folder at a time.

An advisory ``flock`` on ``.dictamen.lock``, the same lock the ``filelock`` package takes on Unix (so
either may hold it against the other), taken with the standard library because importing
``filelock`` costs a sixth of a no-change run. Where ``fcntl`` or ``flock`` is missing (Windows, some
network file systems) it is ``filelock.FileLock``, which knows those cases.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_NO_FLOCK = {errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOLCK}


class FolderLock:
    """``acquire(timeout)`` -> whether the lock was taken within ``timeout`` seconds; ``release()``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._fallback: Any = None

    def acquire(self, timeout: float) -> bool:
        if self._fallback is None and fcntl is not None:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            deadline = time.monotonic() + timeout
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        self._fd = fd
                        return True
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            return False
                        time.sleep(min(0.05, max(deadline - time.monotonic(), 0.001)))
                    except OSError as error:
                        if error.errno not in _NO_FLOCK:
                            raise
                        break
            finally:
                if self._fd != fd:  # not taken (timed out, interrupted, or no flock here)
                    os.close(fd)
        return self._acquire_fallback(timeout)

    def _acquire_fallback(self, timeout: float) -> bool:
        from filelock import FileLock, Timeout

        self._fallback = self._fallback or FileLock(str(self.path))
        try:
            self._fallback.acquire(timeout=timeout)
        except Timeout:
            return False
        return True

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        elif self._fallback is not None:
            self._fallback.release()
