"""Worker processes that run reports one at a time, can always be stopped, and never outlive the run.

Each worker is a spawned process with one pipe to the parent: tasks go in, progress events and
results come out. Nothing here waits without a timeout, so closing the pool cannot hang the way
``ProcessPoolExecutor.shutdown(wait=True)`` can:

- the parent waits on the pipes and on the processes' sentinels, never on a join without a limit;
- an idle worker is told to stop; a busy one is interrupted with SIGUSR1 (it interrupts its kernel's
  cell, ends the kernel within a second and exits); whatever is still alive after the grace period is killed with its whole
  process tree (kernels included);
- a worker ignores Ctrl-C (the parent decides), and ends its kernels and exits on SIGTERM;
- a worker whose parent has gone (SIGKILL, a crash) notices within half a second -- through the
  Linux parent-death signal, and a watchdog thread polling ``os.getppid()`` everywhere -- and ends
  its kernels before it exits. Kernels also watch their own parent (ipykernel's parent poller).

Workers are long-lived: one runs many reports in turn, so anything it keeps warm between reports
stays warm. The pool knows nothing of reports: a task is a dict with a ``name``, run by ``run``.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

PARENT_CHECK_S = 0.5
"""How often a worker's watchdog checks that its parent is still there."""

_PR_SET_PDEATHSIG = 1
_worker_connection: Connection | None = None
_exit_hooks: list[Callable[[], None]] = []


@dataclass
class Event:
    """Something a worker reported: ``start``/``cell`` progress, a ``result``, or a task that ended
    without one (``lost``: the worker died, was stopped, or the task raised outside the notebook)."""

    kind: str
    name: str
    data: Any = None


def at_exit(hook: Callable[[], None]) -> None:
    """Call ``hook`` when this worker ends (workers exit with ``os._exit``, which skips atexit)."""
    if hook not in _exit_hooks:
        _exit_hooks.append(hook)


def tell(event: tuple[Any, ...]) -> None:
    """Send a progress event to the parent, from inside a task (a no-op outside a pool worker)."""
    if _worker_connection is not None:
        try:
            _worker_connection.send(("event", event))
        except (OSError, ValueError):  # the parent has gone; the watchdog will end this worker
            pass


# ---------------------------------------------------------------------------------------------
# Process trees


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies (no-op elsewhere).

    Linux sends it when the *thread* that started this process ends, so the pool starts its
    workers from the thread that runs it, for the whole run.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def descendants(pid: int) -> list[Any]:
    """Every live process below ``pid`` (psutil.Process objects), deepest last."""
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def end_processes(processes: Iterable[Any], grace: float) -> None:
    """SIGTERM each process, wait up to ``grace`` seconds, then SIGKILL what is left."""
    import psutil

    processes = list(processes)
    for process in processes:
        try:
            process.terminate() if grace > 0 else process.kill()
        except psutil.Error:
            pass
    if grace > 0:
        _, alive = psutil.wait_procs(processes, timeout=grace)
        for process in alive:
            try:
                process.kill()
            except psutil.Error:
                pass


def _signal_children(signum: int) -> None:
    import psutil

    for process in descendants(os.getpid()):
        try:
            process.send_signal(signum)
        except psutil.Error:
            pass


# ---------------------------------------------------------------------------------------------
# Worker side


def _end_worker(code: int, grace: float = 0.0) -> None:
    """End this worker's kernels and exit at once (no interpreter shutdown that could block)."""
    try:
        end_processes(descendants(os.getpid()), grace)
        for hook in _exit_hooks:
            hook()
    finally:
        os._exit(code)


def _on_interrupt(signum: int, frame: Any) -> None:
    """SIGUSR1 from the parent: interrupt the kernel's running cell, give the kernel a second to stop,
    end it and exit. Done here rather than by raising KeyboardInterrupt, which Python may swallow
    ("Exception ignored in ...") when it lands in a callback, leaving the task running."""
    _signal_children(signal.SIGINT)
    _end_worker(130, grace=1.0)


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent_pid:
            _end_worker(1)


def _worker_main(connection: Connection, parent_pid: int, run: Callable[[dict[str, Any]], Any],
                 initialise: Callable[[], None] | None) -> None:
    """A worker's whole life: run tasks sent by the parent until told to stop or the parent goes."""
    global _worker_connection
    _worker_connection = connection
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _end_worker(143))
    signal.signal(signal.SIGUSR1, _on_interrupt)
    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent_pid:  # the parent died before the death signal was armed
        _end_worker(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="parent-watchdog").start()
    code = 0
    try:
        if initialise is not None:
            initialise()
        while True:
            message = connection.recv()
            if message[0] == "stop":
                break
            try:
                connection.send(("result", run(message[1])))
            except Exception as exception:  # noqa: BLE001 - reported as this task's failure, worker lives on
                connection.send(("lost", f"{type(exception).__name__}: {exception}"))
    except (EOFError, OSError):  # the parent closed the pipe or died
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    _end_worker(code, grace=1.0)


# ---------------------------------------------------------------------------------------------
# Parent side


@dataclass
class _Worker:
    process: Any
    connection: Connection
    task: str | None = None  # name of the task it is running
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """Up to ``size`` worker processes running ``run(task)`` for queued tasks, one task each at a time."""

    def __init__(self, size: int, run: Callable[[dict[str, Any]], Any],
                 initialise: Callable[[], None] | None = None,
                 after_worker: Callable[[int], None] | None = None) -> None:
        self.size = max(1, size)
        self.run = run
        self.initialise = initialise
        self.after_worker = after_worker  # called with a worker's pid once it is gone (clean up after it)
        self.context = multiprocessing.get_context("spawn")
        self.queue: deque[dict[str, Any]] = deque()
        self.workers: list[_Worker] = []

    # -- scheduling

    def submit(self, task: dict[str, Any]) -> None:
        self.queue.append(task)
        self._dispatch()

    @property
    def pending(self) -> int:
        """Tasks queued or running."""
        return len(self.queue) + sum(worker.task is not None for worker in self.workers)

    @property
    def running(self) -> list[str]:
        return [worker.task for worker in self.workers if worker.task is not None]

    def _dispatch(self) -> None:
        while self.queue:
            idle = next((worker for worker in self.workers if worker.task is None), None)
            if idle is None:
                if len(self.workers) >= self.size:
                    return
                idle = self._start_worker()
            task = self.queue.popleft()
            try:
                idle.connection.send(("run", task))
                idle.task = task["name"]
            except (OSError, ValueError):
                self.queue.appendleft(task)
                self._forget(idle)

    def _start_worker(self) -> _Worker:
        ours, theirs = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_worker_main, name="dictamen-worker", daemon=True,
                                       args=(theirs, os.getpid(), self.run, self.initialise))
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.workers.append(worker)
        return worker

    def _forget(self, worker: _Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
        worker.connection.close()
        if worker.process.is_alive():
            end_processes([*_psutil_process(worker.process.pid), *descendants(worker.process.pid)], 0)
        worker.process.join(timeout=1)
        self._after(worker)

    def _after(self, worker: _Worker) -> None:
        if self.after_worker is not None and not worker.process.is_alive():
            try:
                self.after_worker(worker.process.pid)
            except OSError:
                pass

    # -- events

    def events(self, timeout: float) -> list[Event]:
        """What the workers reported within ``timeout`` seconds (new tasks are dispatched as slots free)."""
        if not self.workers:
            return []
        by_handle: dict[Any, _Worker] = {}
        for worker in self.workers:
            by_handle[worker.connection] = worker
            by_handle[worker.process.sentinel] = worker
        ready = wait(list(by_handle), timeout=timeout)
        events: list[Event] = []
        for worker in {id(by_handle[handle]): by_handle[handle] for handle in ready}.values():
            events.extend(self._read(worker))
        self._dispatch()
        return events

    def _read(self, worker: _Worker) -> list[Event]:
        events: list[Event] = []
        try:
            while worker.connection.poll():
                kind, data = worker.connection.recv()
                if kind == "event":
                    events.append(Event(data[0], data[1], data[2:]))
                    continue
                events.append(Event(kind, worker.task or "", data))
                worker.task = None
        except Exception:  # noqa: BLE001 - a pipe cut mid-message (a worker killed while sending)
            pass
        if not worker.process.is_alive():
            worker.process.join(timeout=1)
            if worker.task is not None:
                events.append(Event("lost", worker.task, _death(worker.process.exitcode)))
                worker.task = None
            self._forget(worker)
        return events

    # -- stopping

    def interrupt(self) -> None:
        """Stop scheduling and interrupt every running task (its worker ends its kernel and exits)."""
        self.queue.clear()
        for worker in self.workers:
            if worker.task is not None and worker.process.is_alive():
                try:
                    os.kill(worker.process.pid, signal.SIGUSR1)
                except OSError:
                    pass

    def kill(self) -> None:
        """Kill every worker and everything below it, at once (safe from a signal handler)."""
        self.queue.clear()
        victims = []
        for worker in self.workers:
            victims += descendants(worker.process.pid)
            victims += _psutil_process(worker.process.pid)
        end_processes(victims, 0)

    def close(self, grace: float = 5.0) -> None:
        """Stop idle workers, wait up to ``grace`` seconds for all to exit, then kill what is left."""
        self.queue.clear()
        for worker in self.workers:
            if worker.task is None:
                try:
                    worker.connection.send(("stop", None))
                except (OSError, ValueError):
                    pass
        deadline = time.monotonic() + grace
        for worker in list(self.workers):
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
        self.kill()
        for worker in list(self.workers):
            worker.process.join(timeout=1)
            worker.connection.close()
            self._after(worker)
        self.workers.clear()


def _psutil_process(pid: int) -> list[Any]:
    import psutil

    try:
        return [psutil.Process(pid)]
    except psutil.Error:
        return []


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"the worker process was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            pass
    return f"the worker process died (exit code {exitcode})"
