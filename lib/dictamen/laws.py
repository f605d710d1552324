"""The law registry (``data/laws.toml``): one entry per law, validated on load.

Each law has a stable id, its name in the original language and in English, its jurisdiction, the
dated legislative stages (each with the source that gives the date) and, per analysis, the data it
uses and the name of the detailed report in reports.toml::

    [laws.mx-lsn-2020]
    name = "..."; name_en = "..."; jurisdiction = "..."

    [[laws.mx-lsn-2020.stages]]
    kind = "floor"            # initiative, committee, floor, publication, in_force
    label = "Senate floor vote"; date = 2020-12-09; source = "..."; url = "..."

    [laws.mx-lsn-2020.votes]      # parameters of dictamen.votes.analyse, plus `report`
    [laws.mx-lsn-2020.impact]     # parameters of dictamen.impact.analyse, plus `report`
    [laws.mx-lsn-2020.sources]    # parameters of dictamen.sources.analyse, plus `report`

A section may be left out, or hold only ``note`` (and ``report = ""``) to say plainly why there is
nothing to analyse. This module only loads and checks; it does no analysis.
"""

from __future__ import annotations

import datetime as dt
import glob
import tomllib
from dataclasses import dataclass, field
from typing import Any

from dictamen.catalog import catalog_entries, display_path, open_data, resolve_path
from dictamen.errors import InputError

LAWS_FILE = "data/laws.toml"
STAGE_KINDS = ("initiative", "committee", "floor", "publication", "in_force")
# Stages must appear in this order of phase; committees and floor votes alternate between chambers.
_PHASE = {"initiative": 0, "committee": 1, "floor": 1, "publication": 2, "in_force": 3}
LAW_KEYS = {"name", "name_en", "jurisdiction", "note", "stages", "votes", "impact", "sources"}
REQUIRED_LAW_KEYS = ("name", "name_en", "jurisdiction")
STAGE_KEYS = {"kind", "label", "date", "chamber", "source", "url", "note"}
REQUIRED_STAGE_KEYS = ("kind", "label", "date", "source")
SECTION_KEYS = {
    "votes": {"report", "note", "data_format", "vote", "law_id", "tallies_path", "votes_path", "members_path",
              "rollcalls_path", "rule", "priority_path", "chambers_path", "composition_path"},
    "impact": {"report", "note", "series_path", "measure", "unit", "control_path", "control_measure",
               "control_unit", "intervention_date", "method", "exclude", "pre_months", "post_months",
               "seasonality", "panel_units"},
    "sources": {"report", "note", "article_path", "outlets_path", "languages", "article_date", "gender"},
}
# What a section needs before it can be analysed (when it is not just a note).
REQUIRED_SECTION_KEYS = {
    "votes": ("report",),
    "impact": ("report", "series_path", "measure", "unit", "intervention_date", "method"),
    "sources": ("report", "article_path"),
}


@dataclass(frozen=True)
class Stage:
    """One dated step of a law's passage, with the source that gives the date."""

    kind: str
    label: str
    date: dt.date
    source: str
    url: str = ""
    chamber: str = ""
    note: str = ""


@dataclass(frozen=True)
class Law:
    """A registered law: names, stages and, per analysis, its parameters and detailed report."""

    law_id: str
    name: str
    name_en: str
    jurisdiction: str
    stages: tuple[Stage, ...]
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    note: str = ""
    path: str = LAWS_FILE

    def section(self, name: str) -> dict[str, Any]:
        """The parameters of one analysis (without ``report`` and ``note``); empty when there is none."""
        return {k: v for k, v in self.sections.get(name, {}).items() if k not in ("report", "note")}

    def report(self, name: str) -> str:
        """The name of the detailed report of one analysis in reports.toml ('' when there is none)."""
        return str(self.sections.get(name, {}).get("report", ""))

    def section_note(self, name: str) -> str:
        return str(self.sections.get(name, {}).get("note", ""))


def load_laws(path: str = LAWS_FILE) -> dict[str, Law]:
    """Read and validate the registry; raise InputError naming the file, law and key on any problem."""
    resolved = open_data(path, parameter="laws_path")
    shown = display_path(resolved)
    try:
        raw = tomllib.loads(resolved.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"The law registry is not valid TOML: {error}", path=shown) from None
    unknown = set(raw) - {"laws"}
    if unknown:
        raise InputError(f"Unknown top-level key(s) {sorted(unknown)}", path=shown,
                         expected="only [laws.ID] tables")
    table = raw.get("laws", {})
    if not isinstance(table, dict) or not table:
        raise InputError("The law registry holds no laws", path=shown, expected="at least one [laws.ID] table")
    return {law_id: _law(law_id, entry, shown) for law_id, entry in table.items()}


def get_law(law_id: str, path: str = LAWS_FILE) -> Law:
    """One law of the registry, by id; InputError listing the known ids when it is not there."""
    laws = load_laws(path)
    if law_id not in laws:
        raise InputError(f"Law '{law_id}' is not in the registry", path=display_path(resolve_path(path)),
                         column="law_id", expected="one of " + ", ".join(sorted(laws)))
    return laws[law_id]


def _fail(problem: str, shown: str, law_id: str, key: str | None = None, expected: str | None = None):
    where = f"Law '{law_id}'" + (f", key '{key}'" if key else "")
    raise InputError(f"{where}: {problem}", path=shown, expected=expected)


def _law(law_id: str, entry: Any, shown: str) -> Law:
    if not isinstance(entry, dict):
        _fail("must be a table", shown, law_id, expected="[laws.ID] with name, name_en, jurisdiction, stages")
    unknown = set(entry) - LAW_KEYS
    if unknown:
        _fail(f"unknown key(s) {sorted(unknown)}", shown, law_id, expected=f"keys among {sorted(LAW_KEYS)}")
    for key in REQUIRED_LAW_KEYS:
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            _fail("is missing or empty", shown, law_id, key, expected="non-empty text")
    stages = _stages(law_id, entry.get("stages"), shown)
    sections = {}
    for name in SECTION_KEYS:
        if name in entry:
            sections[name] = _section(law_id, name, entry[name], shown)
    return Law(law_id=law_id, name=entry["name"], name_en=entry["name_en"], jurisdiction=entry["jurisdiction"],
               stages=stages, sections=sections, note=str(entry.get("note", "")), path=shown)


def _date(value: Any, shown: str, law_id: str, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if value is None or value == "":
        _fail("has no date", shown, law_id, key, expected="a date written YYYY-MM-DD (a stage without a "
              "sourced date is left out, not guessed)")
    _fail(f"date {value!r} is not a calendar date", shown, law_id, key, expected="a date written YYYY-MM-DD")
    raise AssertionError  # unreachable


def _stages(law_id: str, stages: Any, shown: str) -> tuple[Stage, ...]:
    if not isinstance(stages, list) or not stages:
        _fail("has no stages", shown, law_id, "stages", expected="at least one [[laws.ID.stages]] with a date "
              "and its source")
    result: list[Stage] = []
    for number, stage in enumerate(stages, start=1):
        key = f"stages[{number}]"
        if not isinstance(stage, dict):
            _fail("must be a table", shown, law_id, key)
        unknown = set(stage) - STAGE_KEYS
        if unknown:
            _fail(f"unknown key(s) {sorted(unknown)}", shown, law_id, key, expected=f"keys among {sorted(STAGE_KEYS)}")
        stage_date = _date(stage.get("date"), shown, law_id, f"{key}.date")
        for required in REQUIRED_STAGE_KEYS:
            if required != "date" and (not isinstance(stage.get(required), str) or not stage[required].strip()):
                _fail("is missing or empty", shown, law_id, f"{key}.{required}",
                      expected="non-empty text (every dated stage names its source)")
        if stage["kind"] not in STAGE_KINDS:
            _fail(f"kind '{stage['kind']}' is not known", shown, law_id, f"{key}.kind",
                  expected="one of " + ", ".join(STAGE_KINDS))
        current = Stage(kind=stage["kind"], label=stage["label"], date=stage_date, source=stage["source"],
                        url=str(stage.get("url", "")), chamber=str(stage.get("chamber", "")),
                        note=str(stage.get("note", "")))
        if result:
            previous = result[-1]
            if current.date < previous.date or _PHASE[current.kind] < _PHASE[previous.kind]:
                _fail(f"stage {number} ({current.kind} '{current.label}', {current.date}) is out of order after "
                      f"stage {number - 1} ({previous.kind} '{previous.label}', {previous.date})", shown, law_id,
                      key, expected="stages listed by date, in the order initiative, committee and floor votes, "
                      "publication, entry into force")
        result.append(current)
    return tuple(result)


def _section(law_id: str, name: str, section: Any, shown: str) -> dict[str, Any]:
    if not isinstance(section, dict):
        _fail("must be a table", shown, law_id, name)
    unknown = set(section) - SECTION_KEYS[name]
    if unknown:
        _fail(f"unknown key(s) {sorted(unknown)}", shown, law_id, name,
              expected=f"keys among {sorted(SECTION_KEYS[name])}")
    parameters = {k: v for k, v in section.items() if k not in ("report", "note")}
    if not parameters:
        if not str(section.get("note", "")).strip():
            _fail("has neither data nor a note", shown, law_id, name,
                  expected="the analysis parameters and `report`, or a `note` saying why there is no data")
        return dict(section)
    for required in REQUIRED_SECTION_KEYS[name]:
        if required not in section or section[required] in ("", None):
            _fail("is missing", shown, law_id, f"{name}.{required}")
    if name == "votes" and not (section.get("law_id") or section.get("vote")):
        _fail("names neither a tallies law_id nor a roll call", shown, law_id, "votes",
              expected="law_id (reported tallies) or data_format and vote (a member-level roll call)")
    if name == "impact":
        _date(section["intervention_date"], shown, law_id, "impact.intervention_date")
    for key, value in section.items():
        if key.endswith("_path") and value:
            _check_data_path(law_id, f"{name}.{key}", str(value), shown)
    return dict(section)


def _check_data_path(law_id: str, key: str, value: str, shown: str) -> None:
    """A data pointer must exist; inside the project's data/ folder it must also be catalogued."""
    resolved = resolve_path(value)
    exists = resolved.exists() or (any(ch in value for ch in "*?[") and glob.glob(str(resolved)))
    if not exists:
        _fail(f"data file {value} does not exist", shown, law_id, key,
              expected="a path relative to the project root of a file in data/catalog.toml")
    relative = display_path(resolved)
    if relative.startswith("data/") and resolved.is_file() and relative not in catalog_entries():
        _fail(f"data file {value} is not in data/catalog.toml", shown, law_id, key,
              expected="a catalogued data file (add its provenance to data/catalog.toml)")
