"""Run reports: decide what needs running, execute notebooks with Papermill in worker processes (or on
a Dask cluster), export HTML, and write every file atomically under one lock.

The runner knows nothing of any domain: a report is a notebook plus parameters. Workers return the
executed notebook, the HTML and the run record; only the parent process writes files, so a killed
worker, a timeout, Ctrl-C or a full disk can never leave a half-written report in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dictamen.pipeline import progress as progress_display
from dictamen.catalog import display_path, project_root, resolve_path
from dictamen.errors import plain_numbers
from dictamen.pipeline.config import ReportSpec
from dictamen.pipeline.lock import FolderLock
from dictamen.pipeline.memo import FileMemo

if TYPE_CHECKING:
    from dictamen.pipeline import pool

# The worker pool (multiprocessing), Dask and threading are imported where reports are executed, and
# shutil and subprocess where they are used: a run that finds nothing to do never needs them.

KERNEL_NAME = "dictamen"
LOCK_FILE = ".dictamen.lock"
RUNS_DIR = "runs"
VERSIONED_PACKAGES = (
    "dictamen", "pandas", "numpy", "matplotlib", "statsmodels", "parliamentarch", "papermill",
    "nbconvert", "nbclient", "ipykernel", "dask", "distributed",
)


class OutputFolderError(RuntimeError):
    """The output folder cannot take reports (read-only, or its index, runs/ or lock are of the wrong type)."""


class RunLockedError(RuntimeError):
    """Another ``dictamen run`` holds the output folder's lock for longer than we were willing to wait."""


@dataclass
class RunOptions:
    output_dir: Path
    workers: int = os.cpu_count() or 1
    force: bool = False
    timeout: int | None = 600  # None: no limit
    keep: int = 20  # at least 1: the current run
    scheduler: str | None = None
    lock_wait: float = 900.0
    command: Callable[[ReportSpec], str] = lambda spec: f"dictamen run {spec.name}"
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)
    show_progress: bool | None = None  # None: live line on a terminal, log lines otherwise
    twins: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> {language: name} (pipeline.twins)
    fresh_kernels: bool = False  # True: a newly launched kernel per report (no warm kernel parent)


@dataclass
class Outcome:
    """What happened to one report in this run."""

    name: str
    status: str  # "ok" | "failed" | "cached"
    duration_s: float = 0.0
    error_line: str = ""
    changes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RunSummary:
    run_id: str
    outcomes: list[Outcome]
    index: Path
    elapsed_s: float

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]


# ---------------------------------------------------------------------------------------------
# Cache keys


def library_hash(memo: FileMemo | None = None) -> str:
    """Hash of the dictamen package source (code, templates, catalogues): its files' names and content
    hashes, so a library change re-runs reports."""
    memo = memo or FileMemo()
    package = Path(__file__).resolve().parents[1]
    files = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        relative = Path(folder).relative_to(package)
        files += [(relative / name).as_posix() for name in names if not name.endswith(".pyc")]
    digest = hashlib.sha256()
    for name in sorted(files):
        path = package / name
        if path.is_file():
            digest.update(name.encode())
            digest.update(memo.sha256(path).encode())
    return digest.hexdigest()


def parameters_hash(parameters: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode()).hexdigest()


def cache_key(spec: ReportSpec, library: str, memo: FileMemo | None = None) -> dict[str, str]:
    memo = memo or FileMemo()
    key = {
        "notebook": memo.sha256(spec.notebook_path),
        "parameters": parameters_hash(spec.parameters),
        "library": library,
    }
    if spec.parameters_file:
        key["parameters_file"] = memo.sha256(resolve_path(spec.parameters_file))
    return key


def stale_reason(spec: ReportSpec, previous: dict[str, Any] | None, key: dict[str, str], output_dir: Path,
                 memo: FileMemo | None = None) -> str:
    """Why a report must run again ("" when its last successful run is still current).

    ``previous`` is its last successful record (or :func:`cached_success`, the part of it read here)."""
    memo = memo or FileMemo()
    if previous is None:
        return "never run"
    if not (output_dir / f"{spec.name}.html").exists():
        return "HTML missing"
    old_key = previous.get("cache", {})
    for part, label in (("notebook", "notebook"), ("parameters", "parameters"), ("library", "lib/dictamen")):
        if old_key.get(part) != key[part]:
            return f"{label} changed"
    if old_key.get("parameters_file") != key.get("parameters_file"):
        return f"parameters file {spec.parameters_file or '(removed)'} changed"
    root = project_root()
    for location, sha256 in old_key.get("data", {}).items():
        path = root / location  # a location is project-relative or absolute (catalog.location)
        if not path.is_file() or memo.sha256(path) != sha256:
            return f"data file {display_path(path)} changed"
    return ""


# ---------------------------------------------------------------------------------------------
# Files


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path`` then rename: readers see the old file or the new one."""
    write_atomic_together([(path, content)])


def write_atomic_together(files: list[tuple[Path, str | bytes]]) -> None:
    """Write every file to a temporary name first, then rename them all: when any write fails (a full
    disk), none of the files is replaced, so a report's HTML and JSON always belong together."""
    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, content in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}-{os.urandom(3).hex()}")
            temporaries.append((temporary, path))
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                with open(temporary, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as error:  # name the file meant, not its temporary
                raise OSError(error.errno, error.strerror, str(path)) from error
        for temporary, path in temporaries:
            os.replace(temporary, path)
    finally:
        for temporary, _ in temporaries:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass


def read_record(path: Path) -> dict[str, Any] | None:
    """A run record, or None when it is missing or is not a record (see set_aside_corrupt_records)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("name"), str) else None


def _record_summary(path: str) -> dict[str, Any] | None:
    """What the cache decision reads of a run record (None when it is not a readable record)."""
    record_data = read_record(Path(path))
    if record_data is None:
        return None
    return {"name": record_data["name"], "status": record_data.get("status"), "cache": record_data.get("cache", {})}


def set_aside_corrupt_records(output_dir: Path, log: Callable[[str], None], memo: FileMemo | None = None) -> list[str]:
    """Rename every NAME.json / NAME.failed.json that is not a readable record to ``*.corrupt``, so its
    report runs again and the others are unaffected; return the names of the reports concerned."""
    memo = memo or FileMemo()
    names = []
    for path in sorted(output_dir.glob("*.json")):
        if not path.is_file() or memo.recall("record", path, _record_summary) is not None:
            continue
        name = path.name.removesuffix(".json").removesuffix(".failed")
        aside = path.with_name(path.name + ".corrupt")
        os.replace(path, aside)
        log(f"dictamen: {path.name} is not a readable run record (damaged or not written by dictamen); "
            f"set aside as {aside.name}; report {name} is treated as never run, so it runs again.")
        names.append(name)
    return names


def previous_success(output_dir: Path, name: str) -> dict[str, Any] | None:
    record = read_record(output_dir / f"{name}.json")
    return record if record and record.get("status") == "ok" else None


def cached_success(output_dir: Path, name: str, memo: FileMemo) -> dict[str, Any] | None:
    """Name, status and cache key of a report's last successful record (what :func:`stale_reason` reads),
    remembered in ``memo`` so that an unchanged record is not parsed again."""
    try:
        summary = memo.recall("record", output_dir / f"{name}.json", _record_summary)
    except OSError:
        return None
    return summary if summary and summary.get("status") == "ok" else None


def preflight(specs: list[ReportSpec]) -> None:
    """Each report's own check of its parameters (its notebook's ``dictamen.preflight``), before any
    kernel starts: ParameterError when one would report on something else.

    Called only for reports about to run: an up-to-date report passed it with these very inputs (its
    notebook, parameters, data and the library, where the checks live, are all in its cache key).
    """
    from dictamen.params import read_parameters, run_preflight

    declared: dict[str, Any] = {}
    for spec in specs:
        if spec.notebook not in declared:
            declared[spec.notebook] = read_parameters(spec.notebook_path, shown=display_path(spec.notebook_path))
        run_preflight(declared[spec.notebook], spec.parameters, report=spec.name)


def prune_runs(output_dir: Path, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest run folders under runs/ (their names sort by time)."""
    runs = sorted((path for path in (output_dir / RUNS_DIR).glob("*") if path.is_dir()), key=lambda p: p.name)
    removed = runs[:-max(1, keep)]
    if removed:
        import shutil

        for path in removed:
            shutil.rmtree(path, ignore_errors=True)
    return [path.name for path in removed]


def _clean_stale_temporaries(output_dir: Path) -> None:
    for path in output_dir.glob(".*.tmp-*"):
        path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# Provenance of the run


def package_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {"python": sys.version.split()[0]}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def git_state() -> tuple[str | None, bool]:
    """The project's git commit and whether the work tree has uncommitted changes."""
    import subprocess

    root = project_root()
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None, False
    return commit, bool(status.strip())


def new_run_id() -> str:
    now = dt.datetime.now(dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z-{os.urandom(2).hex()}"


def ensure_kernel() -> str:
    """Make sure the project's kernelspec exists for this interpreter; install it in sys.prefix if not."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if Path(spec.argv[0]).exists():
            return KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="Python (dictamen)", prefix=sys.prefix)
    return KERNEL_NAME


# ---------------------------------------------------------------------------------------------
# Worker side


def execute_report(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one report (in a worker process or on a Dask worker) and return its files' contents.

    Returns ``{"record": ..., "notebook": executed notebook JSON, "html": str or None}``.
    """
    _skip_unused_imports()
    import nbformat
    import papermill

    from dictamen.pipeline import pool

    from dictamen import record
    from dictamen.pipeline import export, quiet
    from dictamen.pipeline.engine import ExecutionTracker, register_engine

    import logging

    # dictamen has already checked every parameter; Papermill's own guess at the declarations
    # cannot read Literal[...] annotations and would warn about "unknown" parameters. Its client
    # also logs each failure ("Timeout waiting for execute reply") that the failure record holds.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    name = task["name"]
    started = dt.datetime.now(dt.timezone.utc)
    clock = time.perf_counter()
    tracker = ExecutionTracker(on_cell=lambda index, total: pool.tell(("cell", name, index, total)),
                               warm=_can_warm(task), preload_notebooks=task.get("preload_notebooks", ()))
    register_engine(tracker)
    pool.tell(("start", name))
    error: dict[str, Any] | None = None
    executed = None
    try:
        executed = papermill.execute_notebook(
            task["notebook_path"],
            None,
            parameters=task["parameters"],
            engine_name="dictamen",
            kernel_name=KERNEL_NAME,
            cwd=task["cwd"],
            progress_bar=False,
            request_save_on_cell_execute=False,
            execution_timeout=task["timeout"],
            start_timeout=120,
            kernel_manager_class=quiet.QuietKernelManager,
        )
    except BaseException as exception:  # noqa: BLE001 - every failure becomes a recorded, isolated outcome
        executed = tracker.notebook
        error = describe_failure(exception, tracker)
        if not isinstance(exception, Exception):
            raise
    kernel_lines = quiet.kernel_messages()
    finished = dt.datetime.now(dt.timezone.utc)
    record_data = {
        "name": name,
        "notebook": display_path(task["notebook_path"]),
        "kind": Path(task["notebook"]).stem,
        "title": str({**task["defaults"], **task["parameters"]}.get("title") or name),
        "description": task.get("description", ""),
        "parameters": {**task["defaults"], **task["parameters"]},
        "supplied": task["parameters"],
        "results": record.results_from_notebook(executed) if executed is not None else {},
        "verdict": record.verdict_from_notebook(executed) if executed is not None else {},
        "twins": task.get("twins", {}),
        "status": "failed" if error else "ok",
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - clock, 3),
        "data": [{"path": path, "sha256": sha}
                 for path, sha in sorted(record.data_from_notebook(executed).items())] if executed else [],
        "versions": task["versions"],
        "commit": task["commit"],
        "dirty": task["dirty"],
        "command": task["command"],
        "run_id": task["run_id"],
        "cache": {**task["cache"],
                  "data": record.data_locations_from_notebook(executed) if executed is not None else {}},
        "error": error,
        "kernel_messages": kernel_lines,
    }
    html = None
    export_clock = time.perf_counter()
    if error is None:
        try:
            html = export.render_report(executed, record_data)
        except Exception as exception:  # noqa: BLE001
            record_data["status"] = "failed"
            record_data["error"] = {"cell": None, "ename": type(exception).__name__,
                                    "evalue": str(exception), "line": f"HTML export failed: {exception}"}
    record_data["timings"] = {**tracker.timings(), "export_s": round(time.perf_counter() - export_clock, 3)}
    notebook_json = nbformat.writes(executed) if executed is not None else None
    return {"record": record_data, "notebook": notebook_json, "html": html}


def _skip_unused_imports() -> None:
    """Importing nbformat imports jsonschema, which imports rfc3987_syntax when it is installed (it comes
    with JupyterLab's dependencies) and so compiles a Lark grammar: 1 to 10 s per worker here. Nothing a
    worker does checks IRI formats (nbformat's schema has none), so the worker does without it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # a None entry makes `import rfc3987_syntax` fail fast


def _can_warm(task: dict[str, Any]) -> bool:
    """Whether this worker forks the report's kernel from its warm kernel parent (see kernels.py)."""
    if not task.get("warm_kernels"):
        return False
    from dictamen.pipeline import kernels

    return kernels.supported()


def describe_failure(exception: BaseException, tracker: Any) -> dict[str, Any]:
    """One line that names the cell and the exception, plus its parts."""
    cell = getattr(exception, "cell_index", None)
    if cell is None:
        cell = tracker.current_cell
    ename = getattr(exception, "ename", None) or type(exception).__name__
    evalue = getattr(exception, "evalue", None) or str(exception)
    evalue = plain_numbers(" ".join(str(evalue).split()))[:400]
    where = f"cell {cell}" if cell is not None else "before the first cell"
    return {"cell": cell, "ename": ename, "evalue": evalue, "line": f"{where}: {ename}: {evalue}"}


# ---------------------------------------------------------------------------------------------
# Parent side


def _levels(specs: list[ReportSpec]) -> list[list[ReportSpec]]:
    """Group reports so that each runs after the reports (or grid groups) it names in ``after``."""
    remaining = {spec.name: spec for spec in specs}
    done: set[str] = set()
    levels: list[list[ReportSpec]] = []
    while remaining:
        ready = [spec for spec in remaining.values()
                 if all(dep in done or not _selected(dep, remaining) for dep in spec.after)]
        if not ready:
            raise ValueError(f"reports depend on each other in a cycle: {sorted(remaining)}")
        levels.append(ready)
        for spec in ready:
            done.update({spec.name, spec.group})
            del remaining[spec.name]
    return levels


def _selected(dependency: str, remaining: dict[str, ReportSpec]) -> bool:
    return any(dependency in (spec.name, spec.group) for spec in remaining.values())


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def result_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[dict[str, Any]]:
    """Recorded figures that differ from the previous successful run (keys added, removed or changed)."""
    if previous is None:
        return []
    old, new = _flatten(previous.get("results", {})), _flatten(current)
    changes = []
    for key in sorted(set(old) | set(new)):
        if json.dumps(old.get(key), sort_keys=True) != json.dumps(new.get(key), sort_keys=True):
            changes.append({"key": key, "previous": old.get(key), "current": new.get(key)})
    return changes


class SchedulerError(RuntimeError):
    """The Dask scheduler given with --scheduler cannot be reached."""


class _DaskBackend:
    """A Dask cluster behind the worker pool's interface (submit, events, interrupt, kill, close)."""

    def __init__(self, address: str) -> None:
        from distributed import Client

        try:
            self.client = Client(address, set_as_default=False, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {address} ({type(error).__name__}: {error}); check the "
                "address and that the scheduler is running, or leave out --scheduler to use local workers"
            ) from None
        self.futures: dict[Any, str] = {}
        self.started: list[str] = []

    @property
    def pending(self) -> int:
        return len(self.futures)

    @property
    def running(self) -> list[str]:
        return list(self.futures.values())

    def submit(self, task: dict[str, Any]) -> None:
        future = self.client.submit(execute_report, task, pure=False,
                                    key=f"dictamen-{task['name']}-{os.urandom(3).hex()}")
        self.futures[future] = task["name"]
        self.started.append(task["name"])

    def events(self, timeout: float) -> list[pool.Event]:
        from dictamen.pipeline import pool

        events = [pool.Event("start", name) for name in self.started]
        self.started.clear()
        deadline = time.monotonic() + timeout
        while not events and time.monotonic() < deadline:
            for future in [future for future in self.futures if future.done()]:
                name = self.futures.pop(future)
                try:
                    events.append(pool.Event("result", name, future.result()))
                except Exception as exception:  # noqa: BLE001 - a lost task is a failed report
                    events.append(pool.Event("lost", name, f"{type(exception).__name__}: {exception}"))
            if not events:
                time.sleep(0.05)
        return events

    def interrupt(self) -> None:
        self.client.cancel(list(self.futures), force=True)
        self.futures.clear()

    def kill(self) -> None:
        self.interrupt()

    def close(self, grace: float = 5.0) -> None:
        self.client.close(timeout=grace)


def check_output_folder(output_dir: Path) -> None:
    """Create the output folder, and refuse one that cannot take reports before anything runs."""
    shown = display_path(output_dir) if output_dir.is_relative_to(project_root()) else str(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFolderError(f"cannot create the output folder {shown}: {error.strerror}; choose another "
                                "--output-dir or fix its parent's permissions") from None
    if not os.access(output_dir, os.W_OK | os.X_OK):
        raise OutputFolderError(f"the output folder {shown} is not writable (read-only file system or "
                                "permissions); make it writable or choose another --output-dir")
    for entry, kind in (("index.html", "file"), (LOCK_FILE, "file"), (RUNS_DIR, "folder")):
        path = output_dir / entry
        if path.exists() and (path.is_dir() if kind == "file" else not path.is_dir()):
            raise OutputFolderError(f"{shown}/{entry} should be a {kind} but is a "
                                    f"{'folder' if kind == 'file' else 'file'}; dictamen keeps its "
                                    f"{'index' if entry == 'index.html' else 'lock' if entry == LOCK_FILE else 'executed notebooks'} "
                                    "there: move it away, or choose another --output-dir")


def run_reports(specs: list[ReportSpec], options: RunOptions) -> RunSummary:
    """Run the given reports into ``options.output_dir``; see the module docstring.

    Raises ParameterError, before anything runs, when a report about to run fails its preflight.
    """
    output_dir = options.output_dir
    checked: set[str] = set()
    if not output_dir.exists():  # every report runs: refuse bad ones before the folder is made
        preflight(specs)
        checked = {spec.name for spec in specs}
    check_output_folder(output_dir)
    lock = FolderLock(output_dir / LOCK_FILE)
    if not lock.acquire(timeout=0.05):
        options.log(f"Another dictamen run is writing to {display_path(output_dir)}; waiting for it to finish "
                    f"(up to {options.lock_wait:.0f} s)...")
        if not lock.acquire(timeout=options.lock_wait):
            raise RunLockedError(
                f"Another dictamen run still holds {display_path(output_dir / LOCK_FILE)} after "
                f"{options.lock_wait:.0f} s; nothing was run. Try again when it has finished.")
    try:
        return _run_locked(specs, options, checked)
    finally:
        lock.release()


def _run_locked(specs: list[ReportSpec], options: RunOptions, preflighted: set[str]) -> RunSummary:
    from dictamen.params import read_parameters

    clock = time.perf_counter()
    output_dir = options.output_dir
    _clean_stale_temporaries(output_dir)
    memo = FileMemo(output_dir)
    set_aside_corrupt_records(output_dir, options.log, memo)
    run_id = new_run_id()
    library = library_hash(memo)
    outcomes: dict[str, Outcome] = {}
    to_run: list[tuple[ReportSpec, dict[str, Any]]] = []
    for spec in specs:
        key = cache_key(spec, library, memo)
        reason = "forced" if options.force else stale_reason(spec, cached_success(output_dir, spec.name, memo),
                                                             key, output_dir, memo)
        if not reason and (output_dir / f"{spec.name}.failed.json").exists():
            reason = "its last run failed"
        if reason:
            to_run.append((spec, key))
        else:
            outcomes[spec.name] = Outcome(spec.name, "cached")
    preflight([spec for spec, _ in to_run if spec.name not in preflighted])
    if to_run:
        check_inputs([spec for spec, _ in to_run])
    memo.save()  # after the checks: a refused run writes nothing at all
    if to_run:
        ensure_kernel()
        commit, dirty = git_state()
        versions = package_versions()
        tasks = {}
        for spec, key in to_run:
            tasks[spec.name] = {
                "name": spec.name,
                "notebook": spec.notebook,
                "notebook_path": str(spec.notebook_path),
                "cwd": str(spec.notebook_path.parent),
                "parameters": spec.parameters,
                "defaults": read_parameters(spec.notebook_path).defaults(),
                "description": spec.description,
                "timeout": options.timeout,
                "versions": versions,
                "commit": commit,
                "dirty": dirty,
                "command": options.command(spec),
                "run_id": run_id,
                "cache": key,
                "twins": options.twins.get(spec.name, {}),
                "warm_kernels": _warm_kernels(options),
                "preload_notebooks": sorted({str(spec.notebook_path) for spec, _ in to_run}),
            }
        run_specs = [spec for spec, _ in to_run]
        try:
            outcomes.update(_execute_all(run_specs, tasks, options, run_id))
        except RunInterrupted:
            write_index(output_dir)  # the reports written before the signal are listed
            raise
    ordered = [outcomes[spec.name] for spec in specs]
    try:
        index = refresh_index(output_dir, ran=bool(to_run))
        prune_runs(output_dir, options.keep)
    except RunInterrupted as interrupt:  # after every report: the CLI's handler knows nothing of them
        raise RunInterrupted(interrupt.signum, _finished_summary(ordered)) from None
    return RunSummary(run_id=run_id, outcomes=ordered, index=index, elapsed_s=time.perf_counter() - clock)


def check_inputs(specs: list[ReportSpec]) -> None:
    """Each notebook's check of its input data (metadata ``dictamen.check_inputs``) for the reports about
    to run, before any kernel starts: bad input refuses the whole run (ParameterError, exit 2), nothing
    is written. Only here, never while reading reports.toml: such a check may read data or the network."""
    from dictamen.errors import ParameterError
    from dictamen.params import check_inputs as check_report_inputs, read_parameters

    refusals = []
    for spec in specs:
        try:
            check_report_inputs(read_parameters(spec.notebook_path, shown=spec.notebook), spec.parameters,
                                report=spec.name)
        except ParameterError as error:
            refusals.append(str(error))
    if refusals:
        raise ParameterError("\ndictamen: ".join(refusals))  # one paragraph per report, as the CLI prints it


def _warm_kernels(options: RunOptions) -> bool:
    """Warm kernels for the local pool unless --fresh-kernels; a Dask worker runs tasks on threads that
    come and go, which a kernel parent tied to its starting thread (PR_SET_PDEATHSIG) cannot follow."""
    return not options.fresh_kernels and not options.scheduler


INTERRUPT_GRACE_S = 5.0
"""After a first Ctrl-C or SIGTERM, how long running reports get to stop before they are killed."""


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped by a signal; ``summary`` says what was written and what was not."""

    def __init__(self, signum: int, summary: str = "") -> None:
        super().__init__(summary)
        self.signum = signum
        self.summary = summary


class _StopSignals:
    """While active, the first SIGINT/SIGTERM is only recorded (the run loop stops at its next look);
    a second one calls ``on_second`` (kill everything) and exits at once with 128 + the signal."""

    def __init__(self, on_second: Callable[[], None], log: Callable[[str], None]) -> None:
        self.on_second = on_second
        self.log = log
        self.signum: int | None = None
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        import threading

        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.signum is not None:
            return  # stopping: a second signal during the last writes still ends the run at once
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: Any) -> None:
        if self.signum is None:
            self.signum = signum
            if sys.stderr.isatty():  # on a terminal, say at once that the key press was seen
                self.log(f"dictamen: {signal.Signals(signum).name} received: stopping the running reports "
                         f"(at most {INTERRUPT_GRACE_S:.0f} s; press Ctrl-C again to stop at once)")
            return
        try:
            self.on_second()
        finally:
            self.log(f"dictamen: stopped at once by a second {signal.Signals(signum).name}; reports "
                     "already in place were left untouched.")
            os._exit(128 + signum)


def _execute_all(specs: list[ReportSpec], tasks: dict[str, dict[str, Any]], options: RunOptions,
                 run_id: str) -> dict[str, Outcome]:
    """Run the tasks level by level (``after``), storing each result as it arrives.

    On a first signal: nothing more is started, running reports are interrupted and get
    INTERRUPT_GRACE_S seconds, whatever is left is killed, and RunInterrupted is raised.
    """
    from dictamen.pipeline import pool

    display = progress_display.Progress(total=len(specs), log=options.log, live=options.show_progress)
    backend: Any = (_DaskBackend(options.scheduler) if options.scheduler
                    else pool.WorkerPool(min(options.workers, len(specs)), execute_report,
                                         after_worker=_remove_kernel_folders))
    outcomes: dict[str, Outcome] = {}
    stop = _StopSignals(on_second=backend.kill, log=options.log)

    def handle(event: pool.Event, storing_failures: bool = True) -> None:
        if event.kind == "start":
            display.started(event.name)
        elif event.kind == "cell":
            display.cell(event.name, *event.data)
        elif event.kind in ("result", "lost"):
            payload = event.data if event.kind == "result" else _lost_payload(event.name, run_id, event.data)
            if payload["record"]["status"] != "ok" and not storing_failures:
                return  # while stopping, a failure is most likely the interrupt itself
            outcome = _store(event.name, payload, options.output_dir, run_id)
            outcomes[event.name] = outcome
            display.finished(event.name, outcome.status, outcome.duration_s, outcome.error_line)
            for line in payload["record"].get("kernel_messages") or []:
                display.note(f"  kernel ({event.name}): {line}")

    try:
        with stop:
            for level in _levels(specs):
                if stop.signum:
                    break
                for spec in level:
                    backend.submit(tasks[spec.name])
                while backend.pending and not stop.signum:
                    for event in backend.events(timeout=0.2):
                        handle(event)
            if stop.signum:
                stopped = list(backend.running)
                backend.interrupt()
                deadline = time.monotonic() + INTERRUPT_GRACE_S
                while backend.pending and time.monotonic() < deadline:
                    for event in backend.events(timeout=0.2):
                        handle(event, storing_failures=False)
                backend.close(grace=max(0.5, deadline - time.monotonic()))
                raise RunInterrupted(stop.signum, _interrupted_summary(specs, outcomes, stopped))
        if stop.signum:  # it came after the last report had finished: all written, still an interrupted run
            raise RunInterrupted(stop.signum, _interrupted_summary(specs, outcomes, []))
    finally:
        backend.close(grace=INTERRUPT_GRACE_S)
        display.close()
    return outcomes


def _remove_kernel_folders(pid: int) -> None:
    from dictamen.pipeline import quiet

    quiet.remove_folders_of(pid)


def _interrupted_summary(specs: list[ReportSpec], outcomes: dict[str, Outcome], stopped: list[str]) -> str:
    """What an interrupted run did: e.g. "1 report stopped while running, 2 not started, 3 written"."""
    written = sum(outcome.status == "ok" for outcome in outcomes.values())
    failed = sum(outcome.status == "failed" for outcome in outcomes.values())
    halted = len([name for name in stopped if name not in outcomes])
    not_started = max(0, len(specs) - len(outcomes) - halted)
    text = (f"{halted} report(s) stopped while running, {not_started} not started, {written} finished and written"
            + (f", {failed} failed" if failed else ""))
    return text + "; every report not written in this run keeps its last good files"


def _finished_summary(outcomes: list[Outcome]) -> str:
    """What a run stopped after its last report did: every report's files are in place, the index
    pages (each written whole) may not list this run yet."""
    written = sum(outcome.status == "ok" for outcome in outcomes)
    failed = sum(outcome.status == "failed" for outcome in outcomes)
    unchanged = sum(outcome.status == "cached" for outcome in outcomes)
    return (f"every report had finished ({written} written, {unchanged} unchanged"
            + (f", {failed} failed" if failed else "") + "); the site index may not list this run "
            "until the next one")


def _lost_payload(name: str, run_id: str, line: str) -> dict[str, Any]:
    """The record of a report whose worker died or whose task raised outside the notebook."""
    return {"record": {"name": name, "status": "failed", "run_id": run_id,
                       "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                       "error": {"cell": None, "ename": "WorkerError", "evalue": line,
                                 "line": f"worker failed: {line}"}},
            "notebook": None, "html": None}


def _store(name: str, payload: dict[str, Any], output_dir: Path, run_id: str) -> Outcome:
    """Write one finished report's files (parent process only, each atomically)."""
    record_data = payload["record"]
    previous = previous_success(output_dir, name)
    record_data["previous_success"] = previous.get("finished") if previous else None
    try:
        if payload["notebook"] is not None:
            write_atomic(output_dir / RUNS_DIR / run_id / f"{name}.ipynb", payload["notebook"])
        if record_data["status"] == "ok":
            record_data["changes"] = result_changes(previous, record_data.get("results", {}))
            write_atomic_together([
                (output_dir / f"{name}.html", payload["html"]),
                (output_dir / f"{name}.json", json.dumps(record_data, indent=2, ensure_ascii=False)),
            ])
            (output_dir / f"{name}.failed.json").unlink(missing_ok=True)
            return Outcome(name, "ok", record_data.get("duration_s", 0.0), changes=record_data["changes"])
    except OSError as error:  # a full disk, a read-only folder: this report failed, the last good one stays
        line = f"could not write its files: {error.strerror or error} ({display_path(error.filename or output_dir)})"
        record_data.update(status="failed", changes=[], error={"cell": None, "ename": type(error).__name__,
                                                               "evalue": line, "line": line})
        try:
            write_atomic(output_dir / f"{name}.failed.json", json.dumps(record_data, indent=2, ensure_ascii=False))
        except OSError:
            pass
        return Outcome(name, "failed", record_data.get("duration_s", 0.0), error_line=line)
    record_data["changes"] = []
    try:
        write_atomic(output_dir / f"{name}.failed.json", json.dumps(record_data, indent=2, ensure_ascii=False))
    except OSError:
        pass  # the failure is still counted and shown; writing the index will say what is wrong with the folder
    return Outcome(name, "failed", record_data.get("duration_s", 0.0), error_line=record_data["error"]["line"])


def report_records(output_dir: Path) -> list[dict[str, Any]]:
    """The latest record of every report in the folder: a failure, when newer than the last success."""
    records: dict[str, dict[str, Any]] = {}
    for path in sorted(output_dir.glob("*.json")):
        if path.name.endswith(".failed.json"):
            continue
        record_data = read_record(path)
        if record_data and "name" in record_data:
            records[record_data["name"]] = record_data
    for path in sorted(output_dir.glob("*.failed.json")):
        failure = read_record(path)
        if not failure or "name" not in failure:
            continue
        success = records.get(failure["name"])
        failure.setdefault("previous_success", success.get("finished") if success else None)
        records[failure["name"]] = failure
    return sorted(records.values(), key=lambda item: item["name"])


def refresh_index(output_dir: Path, ran: bool) -> Path:
    """The site index, rewritten only when it may be out of date: something ran, it is missing, or a
    report's record is newer than it (a no-change run leaves it, and its template engine, alone)."""
    index = output_dir / "index.html"
    if not ran and index.is_file():
        written = index.stat().st_mtime_ns
        if all(path.stat().st_mtime_ns <= written for path in output_dir.glob("*.json")):
            return index
    return write_index(output_dir)


def write_index(output_dir: Path) -> Path:
    from dictamen.pipeline import site

    generated = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for filename, page in site.render_indexes(report_records(output_dir), generated=generated).items():
        write_atomic(output_dir / filename, page)
    return output_dir / "index.html"
