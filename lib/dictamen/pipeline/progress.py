"""Progress of a batch of reports: a live line on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable


class Progress:
    """Reports done/total, the current report and cell, elapsed time."""

    def __init__(self, total: int, log: Callable[[str], None], live: bool | None = None) -> None:
        self.total = total
        self.done = 0
        self.log = log
        self.live = sys.stderr.isatty() if live is None else live
        self.clock = time.perf_counter()
        self.current: dict[str, str] = {}

    def _elapsed(self) -> str:
        seconds = int(time.perf_counter() - self.clock)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    def _redraw(self) -> None:
        if not self.live:
            return
        running = ", ".join(f"{name} {where}".strip() for name, where in self.current.items())
        line = f"[{self.done}/{self.total}] {self._elapsed()} {running}"
        sys.stderr.write("\r\033[K" + line[:160])
        sys.stderr.flush()

    def _print(self, line: str) -> None:
        if self.live:
            sys.stderr.write("\r\033[K")
        self.log(line)
        self._redraw()

    def started(self, name: str) -> None:
        self.current[name] = ""
        if self.live:
            self._redraw()
        else:
            self._print(f"[{self.done}/{self.total}] {self._elapsed()} start {name}")

    def cell(self, name: str, index: int, total: int) -> None:
        if name in self.current:
            self.current[name] = f"cell {index + 1}/{total}"
            self._redraw()

    def finished(self, name: str, status: str, duration: float, error_line: str = "") -> None:
        self.current.pop(name, None)
        self.done += 1
        detail = f" - {error_line}" if error_line else ""
        self._print(f"[{self.done}/{self.total}] {self._elapsed()} {status:6s} {name} ({duration:.1f} s){detail}")

    def note(self, line: str) -> None:
        """A line of its own (e.g. what a kernel said), keeping the live line below it."""
        self._print(line)

    def close(self) -> None:
        if self.live:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
