"""A Papermill engine that reports which cell is running and keeps the notebook it is executing.

The runner needs both: the cell for the progress display and the failure line, the notebook so a
killed kernel or a timeout still leaves an executed notebook (with outputs so far) for the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from papermill.engines import NBClientEngine, papermill_engines


class ExecutionTracker:
    """Where one notebook execution is: its notebook object and the index of the running cell."""

    def __init__(self, on_cell: Callable[[int, int], None] | None = None) -> None:
        self.on_cell = on_cell
        self.notebook: Any = None
        self.current_cell: int | None = None


_active: ExecutionTracker | None = None


class TrackedEngine(NBClientEngine):
    """Papermill's nbclient engine, with each cell start reported to the active tracker."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        tracker = _active or ExecutionTracker()
        tracker.notebook = nb_man.nb
        start_cell = nb_man.cell_start
        total = len(nb_man.nb.cells)

        def cell_start(cell, cell_index=None, **options):
            tracker.current_cell = cell_index
            if tracker.on_cell is not None:
                tracker.on_cell(cell_index, total)
            return start_cell(cell, cell_index, **options)

        nb_man.cell_start = cell_start
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


def register_engine(tracker: ExecutionTracker) -> None:
    """Make ``tracker`` the one the "dictamen" engine reports to (one execution per process at a time)."""
    global _active
    _active = tracker
    papermill_engines.register("dictamen", TrackedEngine)
