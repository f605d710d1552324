"""The ``dictamen`` command: ``run``, ``list`` and ``params``.

Exit codes: 0 all reports ok, 1 at least one report failed, 2 bad configuration or parameters
(nothing was run), 3 another run held the lock too long, 130 interrupted (SIGINT), 143 terminated
(SIGTERM).
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from dictamen.catalog import display_path, location, project_root, resolve_path
from dictamen.pipeline.config import (ConfigError, ReportSpec, check_report_name, declared_parameters, load_config,
                                      select, slug)
from dictamen.errors import ParameterError, plain_numbers
from dictamen.params import (RAW, TEXT, VALUE, papermill_value, parameters_from_file, parameters_from_yaml,
                             read_parameters, validate)

EXIT_FAILED, EXIT_CONFIG, EXIT_LOCKED, EXIT_INTERRUPTED = 1, 2, 3, 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dictamen", description="Run and list dictamen reports.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run reports from reports.toml, or one notebook ad hoc")
    run.add_argument("targets", nargs="*", metavar="NAME|NOTEBOOK",
                     help="report names (default: all), or one notebook path for an ad-hoc run")
    run.add_argument("-p", "--parameter", "--parameters", nargs=2, action="append", default=[],
                     metavar=("KEY", "VALUE"), help="a parameter for an ad-hoc run (repeatable)")
    run.add_argument("-f", "--parameters-file", "--parameters_file", action="append", default=[], metavar="FILE",
                     help="a YAML file of parameters for an ad-hoc run (repeatable, as papermill's -f)")
    run.add_argument("-y", "--parameters-yaml", "--parameters_yaml", action="append", default=[], metavar="YAML",
                     help="parameters written as YAML, e.g. '{rollcall: 442}' (repeatable, as papermill's -y)")
    run.add_argument("-b", "--parameters-base64", "--parameters_base64", action="append", default=[],
                     metavar="BASE64", help="parameters as base64-encoded YAML (repeatable, as papermill's -b)")
    run.add_argument("-r", "--parameters-raw", "--parameters_raw", nargs=2, action="append", default=[],
                     metavar=("NAME", "VALUE"), help="a parameter kept as raw text, never converted (repeatable)")
    run.add_argument("--name", help="report name for an ad-hoc run (default: the notebook's name)")
    run.add_argument("--output-dir", default="reports", help="where reports are written (default: reports/)")
    run.add_argument("--workers", type=int,
                     help="worker processes (default: [settings] workers in reports.toml, else the number of CPUs)")
    run.add_argument("--force", action="store_true", help="re-run even when nothing changed")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786")
    run.add_argument("--timeout", help="seconds a single cell may run, or 'none' for no limit "
                                        "(default: reports.toml or 600)")
    run.add_argument("--keep", type=int, help="executed-notebook runs to keep under runs/, at least 1 (default 20)")
    run.add_argument("--lock-wait", type=float, default=900.0,
                     help="seconds to wait for another run that holds the lock, 0 or more (default 900)")
    run.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")
    run.add_argument("--config", help="the reports file (default: reports.toml at the project root)")
    run.add_argument("--fresh-kernels", action="store_true",
                     help="launch a new kernel for every report instead of forking a warm one")

    listing = commands.add_parser("list", help="configured reports: state, last run and verdict, as a table")
    listing.add_argument("--output-dir", default="reports")
    listing.add_argument("--config")
    listing.add_argument("-v", "--parameters", action="store_true",
                         help="also list each report's parameters, one per line under it")
    listing.add_argument("--debug", action="store_true", help="show the full traceback of an unexpected error")

    params = commands.add_parser("params", help="a notebook's parameters: type, default, allowed values, help")
    params.add_argument("notebook")
    return parser


def _terminated(signum: int, frame: Any) -> None:
    from dictamen.pipeline.runner import RunInterrupted

    raise RunInterrupted(signum)


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)  # like Ctrl-C: unwind, release the lock, one line
    try:
        if arguments.command == "run":
            return _run(arguments)
        if arguments.command == "list":
            return _list(arguments)
        return _params(arguments)
    except (ConfigError, ParameterError) as error:
        print(f"dictamen: {plain_numbers(str(error))}", file=sys.stderr)
        return EXIT_CONFIG
    except OSError as error:
        if getattr(arguments, "debug", False) or os.environ.get("DICTAMEN_DEBUG"):
            raise
        print(f"dictamen: {environment_fault(error)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt as interrupt:
        signum = getattr(interrupt, "signum", signal.SIGINT)
        summary = getattr(interrupt, "summary", "") or "nothing was run; reports already in place were left untouched"
        print(f"dictamen: interrupted by {signal.Signals(signum).name}: {summary}.", file=sys.stderr)
        return 128 + signum


def _output_dir(value: str) -> Path:
    """The output folder, refused (ConfigError) when it is empty, a file, under a file, or a folder
    with an index.html that dictamen did not write."""
    if not value.strip():
        raise ConfigError("--output-dir is empty; expected the path of a folder for the reports, e.g. reports")
    folder = Path(value).expanduser().resolve()
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            where = "is a file" if part == folder else f"is under {part}, which is a file"
            raise ConfigError(f"--output-dir {value} {where}; expected a folder (it is created if missing)")
    if (folder / "index.html").is_file() and not (folder / ".dictamen.lock").exists():
        raise ConfigError(f"--output-dir {value} already holds an index.html that dictamen did not write; "
                          "choose an empty or new folder, e.g. reports")
    return folder


def _timeout(value: str | None, default: int) -> int | None:
    """--timeout: whole seconds above 0, or 'none' for no limit (None)."""
    if value is None:
        return default
    if value.strip().lower() == "none":
        return None
    try:
        seconds = int(value)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise ConfigError(f"--timeout {value}: expected the seconds a single cell may run, a whole number above 0, "
                          "or 'none' for no limit")
    return seconds


def environment_fault(error: OSError) -> str:
    """One paragraph for a fault of the machine rather than of the reports: which path, what to do."""
    path = error.filename or ""
    shown = f" {path}" if path else ""
    advice = {
        errno.ENOSPC: "the disk is full: free some space or choose another --output-dir",
        errno.EDQUOT: "the disk quota is used up: free some space or choose another --output-dir",
        errno.EFBIG: "the file is larger than this process may write (a file-size limit): raise the limit "
                     "or choose another --output-dir",
        errno.EROFS: "the file system is read-only: choose a writable --output-dir",
        errno.EACCES: "permission denied: make the folder writable for this user or choose another --output-dir",
        errno.EPERM: "the operation is not permitted: make the folder writable or choose another --output-dir",
        errno.ENOTDIR: "a part of the path is a file where a folder is expected: move that file away",
        errno.EISDIR: "a folder stands where dictamen writes a file (index.html, NAME.json, the lock): move it away",
        errno.EEXIST: "a file stands where dictamen needs a folder (runs/): move it away",
    }.get(error.errno, f"{error.strerror or error}")
    return (f"cannot write{shown}: {advice}. Nothing more was written; reports already in place were "
            "left untouched (run with --debug to see the traceback).")


def _adhoc_spec(arguments: argparse.Namespace) -> ReportSpec:
    notebook = Path(arguments.targets[0]).expanduser()
    if not notebook.is_absolute():
        notebook = (Path.cwd() / notebook) if (Path.cwd() / notebook).exists() else resolve_path(notebook)
    if not notebook.is_file():
        raise ConfigError(f"notebook {arguments.targets[0]} does not exist")
    declared = read_parameters(notebook, shown=display_path(notebook))
    _warn(declared.warnings)
    supplied, origins = _command_line_parameters(arguments)
    for key, value in supplied.items():
        spec = declared.specs.get(key)
        if spec is not None and spec.type == "DataPath" and isinstance(value, str) and value:
            supplied[key] = _path_from_cwd(value)
    name = arguments.name if arguments.name is not None else slug(notebook.stem)
    check_report_name(name)
    checked = validate(declared, supplied, report=name, origins=origins, preflight=False)  # runner.preflight
    return ReportSpec(name=name, notebook=location(notebook), parameters=checked, group=name)


def _command_line_parameters(arguments: argparse.Namespace) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """Values from -b, -f, -y, -p and -r merged in papermill's order (each later one wins), and where each came from."""
    supplied: dict[str, Any] = {}
    origins: dict[str, tuple[str, str]] = {}

    def add(values: dict[str, Any], mode: str, where: str) -> None:
        for key, value in values.items():
            supplied.pop(key, None)  # the winning value takes the place papermill gives it
            supplied[key], origins[key] = value, (mode, where)

    for encoded in arguments.parameters_base64:
        add(parameters_from_yaml(_decoded(encoded), source="-b"), VALUE, "-b")
    for file in arguments.parameters_file:
        add(parameters_from_file(Path(file).expanduser(), shown=file), VALUE, file)
    for text in arguments.parameters_yaml:
        shown = text if len(text) <= 40 else text[:37] + "..."
        add(parameters_from_yaml(text, source=f"-y {shown!r}"), VALUE, "-y")
    for key, value in arguments.parameter:
        add({key: value}, TEXT, "")
    for key, value in arguments.parameters_raw:
        add({key: value}, RAW, "-r")
    return supplied, origins


def _decoded(encoded: str) -> str:
    import base64
    import binascii

    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ParameterError(f"-b {encoded[:20]!r} is not base64-encoded UTF-8 YAML; nothing was run") from None


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"dictamen: warning: {warning}", file=sys.stderr)


def _path_from_cwd(value: str) -> str:
    """A path typed on the command line is relative to where it was typed; store it project-relative."""
    if value.lower().startswith(("http://", "https://")):
        return value  # a web address is no path
    typed = Path(value).expanduser()
    if typed.is_absolute():
        candidate = typed
    elif (Path.cwd() / typed).exists() or any(char in value for char in "*?["):
        candidate = Path.cwd() / typed
    else:
        return value
    candidate = candidate.resolve() if candidate.exists() else candidate.absolute()
    try:
        return candidate.relative_to(project_root()).as_posix()
    except ValueError:
        return str(candidate)


def _adhoc_command(spec: ReportSpec) -> str:
    import shlex

    parts = ["dictamen", "run", display_path(spec.notebook)]
    for key, value in spec.parameters.items():
        if isinstance(value, str):
            # -p reads text as a number (or True/None) for a parameter of any type; -r keeps it as it is
            parts += ["-p" if _same_from_text(value) else "-r", key, value]
        elif value is None or isinstance(value, (bool, int, float)):
            parts += ["-p", key, str(value)]
        elif isinstance(value, list) and value and all(isinstance(item, str) and "," not in item
                                                     and _same_from_text(item) for item in value):
            parts += ["-p", key, ",".join(value)]
        else:
            parts += ["-y", json.dumps({key: value}, ensure_ascii=False)]
    parts += ["--name", spec.name]
    return " ".join(shlex.quote(part) for part in parts)


def _same_from_text(text: str) -> bool:
    return text == text.strip() and papermill_value(text) == text


def _run(arguments: argparse.Namespace) -> int:
    from dictamen.pipeline.runner import OutputFolderError, RunLockedError, RunOptions, SchedulerError, run_reports
    from dictamen.pipeline.twins import configured_twins

    adhoc = len(arguments.targets) == 1 and arguments.targets[0].endswith(".ipynb")
    if adhoc:
        specs = [_adhoc_spec(arguments)]
        settings_timeout, settings_keep, settings_workers = 600, 20, None
        command = _adhoc_command
    else:
        if (arguments.parameter or arguments.parameters_file or arguments.parameters_yaml
                or arguments.parameters_base64 or arguments.parameters_raw or arguments.name):
            raise ConfigError("-p, -f, -y, -b, -r and --name are for an ad-hoc run of one notebook: "
                              "dictamen run notebooks/X.ipynb -p KEY VALUE (a configured report takes "
                              "parameters and parameters_file in reports.toml)")
        if any(target.endswith(".ipynb") for target in arguments.targets):
            raise ConfigError("run one notebook at a time ad hoc, or report names from reports.toml, not both")
        config = load_config(arguments.config)
        specs = select(config, arguments.targets)
        for notebook in dict.fromkeys(spec.notebook for spec in specs):
            _warn(declared_parameters(resolve_path(notebook)).warnings)
        settings = config.settings
        settings_timeout, settings_keep, settings_workers = settings.timeout, settings.keep, settings.workers
        command = lambda spec: f"dictamen run {spec.name}"  # noqa: E731
    workers = arguments.workers if arguments.workers is not None else settings_workers or os.cpu_count() or 1
    if workers < 1:
        raise ConfigError(f"--workers {workers}: expected a whole number of worker processes, 1 or more")
    keep = arguments.keep if arguments.keep is not None else settings_keep
    if keep < 1:
        raise ConfigError(f"--keep {keep}: expected 1 or more (the current run's executed notebooks are always "
                          "kept for audit)")
    if not math.isfinite(arguments.lock_wait) or arguments.lock_wait < 0:
        raise ConfigError(f"--lock-wait {arguments.lock_wait:g}: expected a number of seconds, 0 or more "
                          "(0: give up at once when another run holds the lock)")
    options = RunOptions(
        output_dir=_output_dir(arguments.output_dir),
        workers=workers,
        force=arguments.force,
        timeout=_timeout(arguments.timeout, settings_timeout),
        keep=keep,
        scheduler=arguments.scheduler,
        lock_wait=arguments.lock_wait,
        command=command,
        twins={} if adhoc else configured_twins(config.reports.values()),
        fresh_kernels=arguments.fresh_kernels,
    )
    try:
        summary = run_reports(specs, options)
    except RunLockedError as error:
        print(f"dictamen: {error}", file=sys.stderr)
        return EXIT_LOCKED
    except (SchedulerError, OutputFolderError) as error:
        print(f"dictamen: {error}. Nothing was run.", file=sys.stderr)
        return EXIT_CONFIG
    counts = {status: sum(outcome.status == status for outcome in summary.outcomes) for status in ("ok", "cached", "failed")}
    print(f"{len(summary.outcomes)} reports: {counts['ok']} ran, {counts['cached']} unchanged, "
          f"{counts['failed']} failed in {summary.elapsed_s:.2f} s")
    for outcome in summary.outcomes:
        for change in outcome.changes[:10]:
            print(f"  changed {outcome.name}: {change['key']} {change['previous']!r} -> {change['current']!r}")
    for outcome in summary.failed:
        print(f"  FAILED {outcome.name}: {outcome.error_line}")
    print(f"Index: {summary.index}")
    return EXIT_FAILED if summary.failed else 0


def _list(arguments: argparse.Namespace) -> int:
    """One line per report that fits the terminal: name, notebook, state, last run, verdict (cut to fit)."""
    from dictamen.pipeline.memo import FileMemo
    from dictamen.pipeline.runner import cache_key, library_hash, previous_success, read_record, stale_reason

    config = load_config(arguments.config)
    output_dir = _output_dir(arguments.output_dir)
    memo = FileMemo(output_dir)  # read only: listing holds no lock, so it never writes the memo
    library = library_hash(memo)
    rows = [("NAME", "NOTEBOOK", "STATE", "LAST RUN", "VERDICT")]
    details: list[list[str]] = [[]]
    for spec in config.reports.values():
        previous = previous_success(output_dir, spec.name)
        failure = read_record(output_dir / f"{spec.name}.failed.json")
        reason = stale_reason(spec, previous, cache_key(spec, library, memo), output_dir, memo)
        if failure:
            state, when = "failed (runs again on the next run)", failure.get("finished", "")
        elif previous is None and (output_dir / f"{spec.name}.json").exists():
            state, when = "record unreadable (set aside and re-run on the next run)", ""
        elif previous is None:
            state, when = "never run", ""
        elif reason:
            state, when = f"stale: {reason}", previous.get("finished", "")
        else:
            state, when = "ok", previous.get("finished", "")
        sentences = ((previous or {}).get("verdict") or {}).get("sentences") or []
        notebook = spec.notebook[len("notebooks/"):] if spec.notebook.startswith("notebooks/") else spec.notebook
        rows.append((spec.name, notebook, state, _short_time(when), _plain(sentences[0]) if sentences else ""))
        details.append([f"{key} = {_parameter_words(value)}" for key, value in spec.parameters.items()]
                       if arguments.parameters else [])
    _print_fitted(rows, details)
    return 0


def _short_time(value: str) -> str:
    """``2024-05-02T10:00:07+00:00`` -> ``2024-05-02 10:00`` (UTC)."""
    import datetime as dt

    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M")


def _plain(markdown: str) -> str:
    """A verdict sentence (Markdown with escaped values, maybe a link) as plain terminal text."""
    import html
    import re

    text = re.sub(r"<[^>]+>", "", str(markdown))
    text = re.sub(r"(\*\*|__|(?<!\\)\*)", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(html.unescape(text).split())


def _parameter_words(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) if value else "(none)"
    return str(value) if value != "" else "(none)"


def _print_fitted(rows: list[tuple[str, ...]], details: list[list[str]]) -> None:
    """Columns sized to their content; the last one takes what is left of the terminal and is cut with '…'.

    On a narrow terminal the notebook column goes first, then the last-run column, and the last
    column moves to its own indented line under the row.
    """
    import shutil

    width = shutil.get_terminal_size((120, 24)).columns
    keep = list(range(len(rows[0]) - 1))
    sizes = {i: min(max(len(str(row[i])) for row in rows), 36) for i in keep}
    for optional in (1, 3):
        if sum(sizes[i] for i in keep) + 2 * (len(keep) - 1) <= width:
            break
        keep.remove(optional)
    room = max(width - sum(sizes[i] for i in keep) - 2 * len(keep), 0)
    for row, extra in zip(rows, details):
        cells = [_cut(str(row[i]), sizes[i]).ljust(sizes[i]) for i in keep]
        last = str(row[-1])
        if room >= 24:
            print("  ".join([*cells, _cut(last, room)]).rstrip())
        else:
            print("  ".join(cells).rstrip())
            if last:
                print("    " + _cut(last, max(width - 4, 20)))
        for line in extra:
            print("    " + _cut(line, max(width - 4, 20)))


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: max(size - 1, 0)] + "…"


def _params(arguments: argparse.Namespace) -> int:
    path = Path(arguments.notebook)
    if not path.exists():
        path = resolve_path(arguments.notebook)
    if not path.is_file():
        raise ConfigError(f"notebook {arguments.notebook} does not exist")
    declared = read_parameters(path, shown=arguments.notebook)
    _warn(declared.warnings)
    rows = [("PARAMETER", "TYPE", "DEFAULT", "ALLOWED", "HELP")]
    for spec in declared.specs.values():
        allowed = ", ".join(map(str, spec.choices)) if spec.choices else ""
        if spec.minimum is not None or spec.maximum is not None:
            low = "" if spec.minimum is None else f"{spec.minimum:g}"
            high = "" if spec.maximum is None else f"{spec.maximum:g}"
            allowed = f"[{low}..{high}]"
        rows.append((spec.name, spec.type_shown, repr(spec.default), allowed, spec.help))
    _print_table(rows)
    return 0


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [min(max(len(str(row[i])) for row in rows), 48) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [str(cell)[:48].ljust(width) for cell, width in zip(row, widths)]
        print("  ".join([*cells, str(row[-1])]).rstrip())


def console() -> None:
    """The ``dictamen`` command: :func:`main`, then the interpreter's exit without its last moments in
    which a signal would kill the process silently (Python puts the default handlers back while it
    finalises): a SIGINT or SIGTERM after the run ends still exits 128 + the signal with one line."""
    code = main()

    def late_signal(signum: int, frame: Any) -> None:
        os.write(2, f"dictamen: interrupted by {signal.Signals(signum).name}: the run had already ended; "
                    f"its reports are written.\n".encode())
        os._exit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, late_signal)
    try:
        import atexit

        atexit._run_exitfuncs()  # what the interpreter's exit runs (multiprocessing's, the kernels')
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


if __name__ == "__main__":
    console()
