"""reports.toml: named reports (a notebook plus parameters), grids expanded, all validated up front.

    [settings]                      # optional
    timeout = 600                   # seconds a single cell may run
    keep = 20                       # executed-notebook runs kept under reports/runs/ (at least 1)
    workers = 2                     # worker processes (default: the number of CPUs)

    [reports.usmca-senate-2020]
    notebook = "notebooks/vote_breakdown.ipynb"
    parameters = { rollcall = 442 }
    parameters_file = "params/usmca.yaml"     # optional: YAML values, overridden by parameters and grid
    grid = { unit = ["Laredo", "El Paso"] }   # optional: one report per combination
    after = ["other-report"]                  # optional: run after these reports
    description = "..."                       # optional
"""

from __future__ import annotations

import copy
import itertools
from functools import lru_cache
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dictamen.catalog import display_path, project_root, resolve_path
from dictamen.errors import ConfigError, ParameterError, did_you_mean, names_expected, not_text_reason
from dictamen.params import VALUE, parameters_from_file, read_parameters, validate

CONFIG_FILE = "reports.toml"
REPORT_KEYS = {"notebook", "parameters", "parameters_file", "grid", "after", "description"}
SETTINGS_KEYS = {"timeout", "keep", "workers"}
TOP_KEYS = {"settings", "reports"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_NAME_MAX = 100
RESERVED_NAMES = {"index", "runs"}
"""Report names whose files would collide with the folder's own (index.html, runs/)."""
_RESERVED_SUFFIXES = (".failed", ".json", ".html", ".ipynb", ".corrupt", ".lock")


@dataclass(frozen=True)
class ReportSpec:
    """One runnable report: a notebook and the (validated) parameters supplied to it."""

    name: str
    notebook: str  # project-relative
    parameters: dict[str, Any] = field(default_factory=dict)
    after: tuple[str, ...] = ()
    group: str = ""  # the configured name a grid report came from
    description: str = ""
    parameters_file: str = ""  # project-relative YAML file the parameters were read from (part of the cache key)

    @property
    def notebook_path(self) -> Path:
        return resolve_path(self.notebook)


@dataclass
class Settings:
    timeout: int = 600
    keep: int = 20
    workers: int | None = None


@dataclass
class Config:
    reports: dict[str, ReportSpec]
    settings: Settings
    source: str


def declared_parameters(path: Path):
    """A notebook's declared parameters, read once per file version (many reports share a notebook)."""
    stat = path.stat() if path.is_file() else None
    return copy.copy(_read_declared(str(path), stat.st_mtime_ns if stat else None, stat.st_size if stat else None))


@lru_cache(maxsize=64)
def _read_declared(path: str, _mtime_ns: int | None, _size: int | None):
    return read_parameters(path, shown=display_path(path))


def check_report_name(name: str) -> None:
    """Refuse a report name that is not a safe file name of its own (ConfigError, exit 2).

    Names become NAME.html, NAME.json, NAME.failed.json and runs/RUN/NAME.ipynb in the output folder,
    so a name must stay inside it (no '/', '..', leading dot) and must not collide with the folder's
    own files (index.html, runs/) or another report's (x.failed).
    """
    if not _NAME.match(name) or len(name) > _NAME_MAX:
        suggestion = slug(name)[:_NAME_MAX]
        raise ConfigError(
            f"report name {name!r} is not usable: names are up to {_NAME_MAX} lower-case letters, digits, '-', "
            f"'_' and '.', starting with a letter or digit (they become file names in the output folder)"
            + (f"; for example {suggestion!r}" if suggestion != "x" else ""))
    if name in RESERVED_NAMES or name.endswith(_RESERVED_SUFFIXES):
        why = ("index.html and runs/ belong to the output folder" if name in RESERVED_NAMES
               else "its files would collide with another report's")
        alternative = name.replace(".", "-") + "-report"
        raise ConfigError(f"report name {name!r} is reserved: {why}; choose another name, e.g. {alternative!r}")


def slug(value: Any) -> str:
    """A file-name-safe, lower-case rendering of a grid value."""
    text = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return text or "x"


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate reports.toml; raise ConfigError (exit code 2) on any problem."""
    config_path = Path(path) if path else project_root() / CONFIG_FILE
    shown = display_path(config_path.resolve())
    if not config_path.exists():
        raise ConfigError(f"{shown} does not exist; expected a reports.toml with [reports.NAME] tables")
    if not config_path.is_file():
        raise ConfigError(f"{shown} is a folder, not a file; expected a reports.toml with [reports.NAME] tables "
                          "(give the file with --config)")
    try:
        content = config_path.read_bytes()
        raw = tomllib.loads(content.decode("utf-8"))
    except OSError as error:
        raise ConfigError(f"{shown} cannot be read ({error.strerror}); check its permissions") from None
    except UnicodeDecodeError:
        reason = not_text_reason(content) or "the file is not UTF-8"
        raise ConfigError(f"{shown} cannot be read: {reason}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{shown} is not valid TOML: {error}") from None
    unknown = set(raw) - TOP_KEYS
    if unknown:
        raise ConfigError(f"{shown}: unknown top-level key(s) {sorted(unknown)}; expected [settings] and [reports.NAME]")
    settings = _settings(raw.get("settings", {}), shown)
    reports: dict[str, ReportSpec] = {}
    for name, table in raw.get("reports", {}).items():
        for spec in expand_report(name, table, shown):
            if spec.name in reports:
                raise ConfigError(f"{shown}: two reports are named '{spec.name}'; names must be unique")
            reports[spec.name] = spec
    for spec in reports.values():
        missing = [other for other in spec.after if other not in reports and other not in _groups(reports)]
        if missing:
            raise ConfigError(f"{shown}: report '{spec.name}' runs after unknown report(s) {missing}")
    cycle = _after_cycle(reports)
    if cycle:
        raise ConfigError(f"{shown}: reports wait for each other in a cycle ({' -> '.join(cycle)}), so none of "
                          "them could ever start; remove one of these 'after' entries")
    return Config(reports=reports, settings=settings, source=shown)


def _after_cycle(reports: dict[str, ReportSpec]) -> list[str]:
    """One cycle of ``after`` dependencies (names, first repeated at the end), or [] when there is none."""
    members: dict[str, list[str]] = {}
    for spec in reports.values():
        members.setdefault(spec.group, []).append(spec.name)
    edges = {name: [dependency for other in spec.after for dependency in ([other] if other in reports else members.get(other, []))]
             for name, spec in reports.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for dependency in edges.get(name, []):
            if state.get(dependency) == 1:
                return path[path.index(dependency):] + [dependency]
            if dependency not in state and (found := visit(dependency)):
                return found
        state[name] = 2
        path.pop()
        return []

    for name in reports:
        if name not in state and (found := visit(name)):
            return found
    return []


def _groups(reports: dict[str, ReportSpec]) -> set[str]:
    return {spec.group for spec in reports.values()}


def _settings(table: Any, shown: str) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: [settings] must be a table")
    unknown = set(table) - SETTINGS_KEYS
    if unknown:
        raise ConfigError(f"{shown}: unknown key(s) {sorted(unknown)} in [settings]; expected {sorted(SETTINGS_KEYS)}")
    settings = Settings()
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{shown}: [settings] {key} = {value!r}; expected a positive whole number")
        setattr(settings, key, value)
    return settings


def expand_report(name: str, table: Any, shown: str = CONFIG_FILE) -> list[ReportSpec]:
    """Validate one [reports.NAME] table and expand its grid into one ReportSpec per combination."""
    where = f"{shown}: [reports.{name}]"
    try:
        check_report_name(name)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = set(table) - REPORT_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; expected {sorted(REPORT_KEYS)}")
    notebook = table.get("notebook")
    if not isinstance(notebook, str) or not notebook:
        raise ConfigError(f"{where}: 'notebook' is missing; expected a path such as notebooks/X.ipynb")
    if not resolve_path(notebook).is_file():
        raise ConfigError(f"{where}: notebook {notebook} does not exist")
    parameters = table.get("parameters", {})
    grid = table.get("grid", {})
    after = table.get("after", [])
    for key, value, kind in (("parameters", parameters, dict), ("grid", grid, dict), ("after", after, list)):
        if not isinstance(value, kind):
            raise ConfigError(f"{where}: '{key}' must be a {'table' if kind is dict else 'list'}")
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"{where}: grid '{key}' must be a non-empty list of values")
        if key in parameters:
            raise ConfigError(f"{where}: '{key}' is set both in parameters and in grid")
    declared = declared_parameters(resolve_path(notebook))
    declared.notebook = notebook
    parameters_file = table.get("parameters_file", "")
    from_file, origins = _parameters_file(parameters_file, where)
    combinations = _combinations(grid)
    names = _grid_names(name, grid, combinations)
    specs = []
    for report_name, combination in zip(names, combinations):
        # papermill's order, each later one wins: the file, then parameters, then the grid
        supplied = {**from_file, **parameters, **combination}
        try:
            # the notebook's preflight runs later, only if this report is to run (runner.preflight)
            checked = validate(declared, supplied, report=report_name, preflight=False,
                               origins={key: origins[key] for key in from_file if key not in parameters
                                        and key not in combination})
        except ParameterError as error:
            raise ConfigError(f"{shown}: {error}") from None
        specs.append(ReportSpec(
            name=report_name,
            notebook=notebook,
            parameters=checked,
            after=tuple(after),
            group=name,
            description=str(table.get("description", "")),
            parameters_file=parameters_file,
        ))
    return specs


def _parameters_file(path: Any, where: str) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """Values of a report's ``parameters_file`` (YAML, relative to the project root) and their origin."""
    if path == "":
        return {}, {}
    if not isinstance(path, str):
        raise ConfigError(f"{where}: 'parameters_file' must be a path such as params/report.yaml")
    resolved = resolve_path(path)
    if not resolved.is_file():
        raise ConfigError(f"{where}: parameters_file {path} does not exist (paths are relative to the project root)")
    try:
        values = parameters_from_file(resolved, shown=path)
    except ParameterError as error:
        raise ConfigError(f"{where}: {error}") from None
    return values, {key: (VALUE, path) for key in values}


def _combinations(grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    if not grid:
        return [{}]
    keys = list(grid)
    return [dict(zip(keys, values)) for values in itertools.product(*(grid[key] for key in keys))]


def _grid_names(name: str, grid: dict[str, list[Any]], combinations: list[dict[str, Any]]) -> list[str]:
    """Collision-free names: NAME-<value slugs>, numbered when two values slug alike."""
    if not grid:
        return [name]
    names: list[str] = []
    for combination in combinations:
        candidate = "-".join([name, *(slug(value) for value in combination.values())])
        unique, counter = candidate, 2
        while unique in names:
            unique = f"{candidate}-{counter}"
            counter += 1
        names.append(unique)
    return names


def select(config: Config, names: list[str]) -> list[ReportSpec]:
    """The reports named (a configured grid name selects all its expansions)."""
    if not names:
        return list(config.reports.values())
    chosen: dict[str, ReportSpec] = {}
    for wanted in names:
        matches = [spec for spec in config.reports.values() if wanted in (spec.name, spec.group)]
        if not matches:
            known = {*config.reports, *_groups(config.reports)}
            raise ConfigError(f"no report named '{wanted}' in {config.source}{did_you_mean(wanted, known)}; "
                              f"configured: {names_expected(wanted, known, shown=12).removeprefix('one of: ')} "
                              "(dictamen list shows them all)")
        for spec in matches:
            chosen[spec.name] = spec
    return list(chosen.values())
