"""Kernels that keep their housekeeping noise out of the user's terminal and cron log.

A local kernel talks to its worker over IPC sockets in a private temporary folder instead of TCP
on localhost (so ipykernel has no "running over TCP without encryption" warning to give, and no
port is opened), and its own stderr goes to a log file rather than the terminal. After each
execution :func:`kernel_messages` returns what in that log is worth showing: real kernel errors
stay, the known noise of interrupting and shutting a kernel down (KeyboardInterrupt and ZMQ
"socket closed" tracebacks, "Timeout waiting for execute reply") does not.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from dictamen.pipeline import pool

_MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 107 bytes on Linux, 103 on macOS
_folder: Path | None = None
_logs: list[Any] = []

NOISE = (
    re.compile(r"Kernel is running over TCP without encryption"),
    re.compile(r"^Timeout waiting for (execute|kernel_info) reply"),
    re.compile(r"Parent appears to have exited, shutting down"),
    re.compile(r"KeyboardInterrupt caught in kernel"),
)
_NOISY_TRACEBACK_END = re.compile(r"^(KeyboardInterrupt|zmq\.error\.\w+|asyncio\.exceptions\.CancelledError)\b")


def _private_folder() -> Path:
    global _folder
    if _folder is None or not _folder.is_dir():
        _folder = Path(tempfile.mkdtemp(prefix=f"dictamen-k-{os.getpid()}-"))
        atexit.register(remove_private_folder)
        pool.at_exit(remove_private_folder)  # pool workers end with os._exit, which skips atexit
    return _folder


def remove_folders_of(pid: int) -> None:
    """Remove the folders of a process that could not clean up after itself (killed with SIGKILL)."""
    for folder in Path(tempfile.gettempdir()).glob(f"dictamen-k-{pid}-*"):
        shutil.rmtree(folder, ignore_errors=True)


def remove_private_folder() -> None:
    """Remove this process's socket and log folder (at worker exit)."""
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)


class QuietKernelManager(AsyncKernelManager):
    """A local kernel on IPC sockets with its stderr in a log file that :func:`kernel_messages` reads."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        prefix = _private_folder() / f"k{uuid.uuid4().hex[:8]}"
        self.connection_file = f"{prefix}.json"
        if len(f"{prefix}-ipc-99999") <= _MAX_SOCKET_PATH:
            self.transport = "ipc"
            self.ip = f"{prefix}-ipc"

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        log = open(_private_folder() / f"{uuid.uuid4().hex[:8]}.log", "w+b")  # noqa: SIM115 - read later
        _logs.append(log)
        kw.setdefault("stderr", log)
        kw.setdefault("stdout", log)
        await super()._async_launch_kernel(kernel_cmd, **kw)


def kernel_messages() -> list[str]:
    """The lines the kernels started since the last call wrote to stderr, noise removed."""
    lines: list[str] = []
    while _logs:
        log = _logs.pop(0)
        try:
            log.seek(0)
            text = log.read().decode("utf-8", "replace")
            log.close()
            os.unlink(log.name)
        except (OSError, ValueError):
            continue
        lines += without_noise(text.splitlines())
    return lines


def without_noise(lines: list[str]) -> list[str]:
    """Drop known kernel noise: single warning lines, and tracebacks that end in an interrupt or a
    closed socket (with the log line that introduced them)."""
    kept: list[str] = []
    block: list[str] = []
    for line in lines:
        if line.startswith("Traceback (most recent call last)") or (block and (line.startswith(" ") or not line.strip())):
            block.append(line)
            continue
        if block:
            block.append(line)
            if _NOISY_TRACEBACK_END.match(line):
                if kept and re.search(r"\b(ERROR|WARNING)\b", kept[-1]) and kept[-1].rstrip().endswith(":"):
                    kept.pop()
            else:
                kept += block
            block = []
            continue
        if any(pattern.search(line) for pattern in NOISE):
            continue
        kept.append(line)
    kept += block
    return [line for line in kept if line.strip()]
