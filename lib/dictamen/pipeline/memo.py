"""What earlier runs learnt about files, remembered between runs in one small file.

Deciding that nothing needs running means hashing every input (notebooks, parameter files, data
files, the library's source) and reading every report's run record. Both are remembered here,
keyed by the file's status: size, modification time, status-change time (ns), inode and device.
Every write to a file moves its status-change time (ctime), which no tool sets back: an edit that
keeps the size and restores the modification time (``touch -r``, ``os.utime``) is still seen. So a
remembered value serves only the very same version of a file; any other is read and hashed again.
A file changed less than two seconds before it was read is not remembered: a later edit within
the same clock tick could leave all its timestamps as they were (git's "racily clean" files).

The memo is ``.dictamen.memo`` in the output folder (JSON; paths are kept only as digests, so a
shared folder shows none). Missing, damaged or from another version, it is rebuilt; it is written
only by a run that holds the folder's lock, and only when it learnt something.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MEMO_FILE = ".dictamen.memo"
VERSION = 1
SETTLED_NS = 2_000_000_000
"""A file whose timestamps are this close to the time it was read is read again next time."""
MAX_ENTRIES = 4096
"""Above this, entries this run did not use are dropped when the memo is saved."""


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class FileMemo:
    """Values computed from files (a content hash, a record's summary), reused while a file is unchanged."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = folder / MEMO_FILE if folder is not None else None
        self.entries: dict[str, list[Any]] = {}
        self.used: set[str] = set()
        self.changed = False
        self.started_ns = time.time_ns()
        if self.path is not None:
            try:
                data = json.loads(self.path.read_bytes())
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and data.get("version") == VERSION and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]

    def sha256(self, path: str | os.PathLike[str]) -> str:
        """The SHA-256 of a file's bytes (OSError when it cannot be read)."""
        return self.recall("sha256", path, file_sha256)

    def recall(self, kind: str, path: str | os.PathLike[str], compute: Callable[[str], Any]) -> Any:
        """``compute(path)``, or what it gave for this very version of the file in an earlier run.

        ``None`` from ``compute`` is never remembered (for "unreadable": it is tried again next time).
        """
        path = os.fspath(path)
        status = os.stat(path)
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
        key = kind + ":" + hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        self.used.add(key)
        entry = self.entries.get(key)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == stamp:
            return entry[1]
        value = compute(path)
        settled = max(status.st_mtime_ns, status.st_ctime_ns) < self.started_ns - SETTLED_NS
        if value is not None and settled:
            self.entries[key] = [stamp, value]
            self.changed = True
        elif key in self.entries:
            del self.entries[key]
            self.changed = True
        return value

    def save(self) -> None:
        """Write the memo when this run learnt something (call while holding the folder's lock)."""
        if self.path is None or not self.changed:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            entries = {key: value for key, value in entries.items() if key in self.used}
        temporary = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        try:
            temporary.write_text(json.dumps({"version": VERSION, "entries": entries}, separators=(",", ":")),
                                 encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            pass  # only a cache: the next run hashes again
        finally:  # also when a signal stops the run here: no temporary is left behind
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass
        self.changed = False
