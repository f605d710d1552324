"""Twins: the same report in another language (same notebook, same parameters but language and title).

Kept apart from the index (site.py) so the CLI can find twins without importing the HTML machinery:
a run that has nothing to do must stay cheap.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from dictamen.messages import LOCALES

WORDING = frozenset({"language", "title", "subtitle"})


def language_of(parameters: dict[str, Any] | None) -> str:
    """The language a report with these parameters is written in (English unless it says otherwise)."""
    language = str((parameters or {}).get("language") or "en")
    return language if language in LOCALES else "en"


def twins(reports: Iterable[tuple[str, str, dict[str, Any]]]) -> dict[str, dict[str, str]]:
    """Report name -> {language: name} for every report that has a twin in another language.

    ``reports`` are (name, notebook, parameters). Reports are twins when they run the same notebook
    with the same parameters apart from ``language``, ``title`` and ``subtitle``; a group holding two
    reports in one language is ambiguous and left without twins.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for name, notebook, parameters in reports:
        rest = {key: value for key, value in (parameters or {}).items() if key not in WORDING}
        key = json.dumps([str(notebook), rest], sort_keys=True, default=str)
        groups.setdefault(key, []).append((language_of(parameters), name))
    found: dict[str, dict[str, str]] = {}
    for members in groups.values():
        languages = {language for language, _name in members}
        if len(members) < 2 or len(languages) != len(members):
            continue
        for _language, name in members:
            found[name] = dict(sorted(members))
    return found


def configured_twins(specs: Iterable[Any]) -> dict[str, dict[str, str]]:
    """:func:`twins` of configured reports (``ReportSpec``), compared on their effective parameters: the
    notebook's defaults with the supplied values over them, so a default written out in one twin and
    left out in the other does not part them."""
    from dictamen.pipeline.config import declared_parameters

    defaults: dict[str, dict[str, Any]] = {}
    entries = []
    for spec in specs:
        if spec.notebook not in defaults:
            defaults[spec.notebook] = declared_parameters(spec.notebook_path).defaults()
        entries.append((spec.name, spec.notebook, {**defaults[spec.notebook], **spec.parameters}))
    return twins(entries)
