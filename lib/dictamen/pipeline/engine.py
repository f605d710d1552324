"""A Papermill engine that reports which cell is running, keeps the notebook it is executing, times
the phases of a report, and starts its kernel warm or fresh.

The runner needs the cell for the progress display and the failure line, the notebook so a killed
kernel or a timeout still leaves an executed notebook (with outputs so far) for the audit trail, and
the phases for ``make bench`` (where a report's time goes). With ``warm`` the kernel is forked from
the worker's warm kernel parent (:mod:`dictamen.pipeline.kernels`), otherwise launched as a new
Python process, as the papermill CLI does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from papermill.engines import NBClientEngine, papermill_engines


class ExecutionTracker:
    """Where one notebook execution is: its notebook object, the running cell, and the phase times."""

    def __init__(self, on_cell: Callable[[int, int], None] | None = None, warm: bool = False,
                 preload_notebooks: Iterable[str] = ()) -> None:
        self.on_cell = on_cell
        self.warm = warm
        # Warm: the kernel parent imports what all these notebooks import before the first fork, so every
        # kernel of a run starts from the same state whatever ran before it in its worker.
        self.preload_notebooks = list(preload_notebooks)
        self.notebook: Any = None
        self.current_cell: int | None = None
        self._marks: dict[str, float] = {}
        self.imports_s = 0.0

    def imported(self, seconds: float) -> None:
        """The warm kernel parent spent ``seconds`` importing ahead (starting, the first time) for us."""
        self.imports_s += seconds

    def cell_done(self) -> None:
        self._marks["last_cell"] = time.perf_counter()

    def mark(self, phase: str) -> None:
        self._marks.setdefault(phase, time.perf_counter())

    def timings(self) -> dict[str, Any]:
        """Seconds spent starting the kernel, importing ahead (warm only), in cells and shutting down."""
        marks = self._marks
        start, first, last, end = (marks.get(key) for key in ("start", "first_cell", "last_cell", "end"))
        if start is None:
            return {}
        end = end if end is not None else time.perf_counter()
        first = first if first is not None else end
        last = last if last is not None else end
        return {"kernel": "warm" if self.warm else "fresh",
                "kernel_start_s": round(max(first - start - self.imports_s, 0.0), 3),
                "imports_s": round(self.imports_s, 3),
                "cells_s": round(last - first, 3),
                "shutdown_s": round(end - last, 3)}


_active: ExecutionTracker | None = None


class TrackedEngine(NBClientEngine):
    """Papermill's nbclient engine, with each cell start reported to the active tracker."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        tracker = _active or ExecutionTracker()
        tracker.notebook = nb_man.nb
        tracker.mark("start")
        start_cell, complete_cell = nb_man.cell_start, nb_man.cell_complete
        total = len(nb_man.nb.cells)

        def cell_start(cell, cell_index=None, **options):
            tracker.mark("first_cell")
            tracker.current_cell = cell_index
            if tracker.on_cell is not None:
                tracker.on_cell(cell_index, total)
            return start_cell(cell, cell_index, **options)

        def cell_complete(cell, cell_index=None, **options):
            tracker.cell_done()
            return complete_cell(cell, cell_index, **options)

        nb_man.cell_start, nb_man.cell_complete = cell_start, cell_complete
        if tracker.warm:
            from dictamen.pipeline import kernels

            kernels.prepare_kernel_parent(kernel_name)
            names = kernels.notebook_imports(nb_man.nb.cells)
            for path in tracker.preload_notebooks:
                names += kernels.notebook_file_imports(path)
            kernels.expect_imports(list(dict.fromkeys(names)), on_imported=tracker.imported)
            kwargs["kernel_manager_class"] = kernels.WarmKernelManager
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        finally:
            tracker.mark("end")


def register_engine(tracker: ExecutionTracker) -> None:
    """Make ``tracker`` the one the "dictamen" engine reports to (one execution per process at a time)."""
    global _active
    _active = tracker
    papermill_engines.register("dictamen", TrackedEngine)
