"""The index site: ``reports/index.html`` (English) and ``reports/index.es.html`` (Spanish) list every
report, its verdict, its state and what changed.

Same rules as the reports (:mod:`dictamen.pipeline.export`): one self-contained page, no script, a
Content-Security-Policy that forbids network loads, and no local paths or names. Links are
relative (``NAME.html``), so the folder can be copied, zipped or served from anywhere.

Twins are reports that differ only in the language they are written in: same notebook, same
parameters except ``language`` and the words a reader sees (``title``, ``subtitle``). Each index shows
one card per report in its own language where a twin in that language exists, linking to the others.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dictamen import __version__
from dictamen.messages import _
from dictamen.pipeline.export import (
    LANGUAGE_NAMES,
    finish_page,
    first_sentence_html,
    format_duration,
    format_value,
    page_css,
    parameter_text,
    speaking,
    status_label,
    template_environment,
    timestamp,
)
from dictamen.pipeline.sanitize import Scrubber, content_security_policy
from dictamen.pipeline.twins import WORDING, language_of, twins

INDEX_PAGES = {"en": "index.html", "es": "index.es.html"}
"""The index in each language, by file name."""

def render_indexes(reports: list[dict], *, generated: str) -> dict[str, str]:
    """File name -> page: the index in every language (``index.html``, ``index.es.html``)."""
    return {filename: render_index(reports, generated=generated, language=language)
            for language, filename in INDEX_PAGES.items()}


def render_index(reports: list[dict], *, generated: str, language: str = "en") -> str:
    """One index page, in ``language``: a card per report (its twin in this language where there is one)."""
    with speaking(language):
        return _render_index(reports, generated, language)


def _render_index(reports: list[dict], generated: str, language: str) -> str:
    scrubber = Scrubber()
    records = [scrubber.data(dict(report)) for report in reports]
    linked = twins((str(r.get("name")), str(r.get("notebook") or ""), r.get("parameters") or {}) for r in records)
    by_name = {str(r.get("name")): r for r in records}
    shown = []
    for record in records:
        name = str(record.get("name"))
        group = linked.get(name, {})
        if group and language_of(record.get("parameters")) != language and language in group:
            continue  # its twin in this index's language stands for it
        shown.append(_card(record, language, {code: by_name[other] for code, other in group.items()}))
    failed = sum(1 for card in shown if card["status"] == "failed")
    css = page_css()
    page = template_environment().get_template("index.html.j2").render(
        lang=language,
        csp=content_security_policy(css),
        css=css,
        dictamen_version=__version__,
        generated=timestamp(generated) or {"iso": "", "text": _("unknown"), "html": _("unknown")},
        reports=shown,
        total=len(shown),
        ok=len(shown) - failed,
        failed=failed,
        indexes=[{"language": code, "name": LANGUAGE_NAMES[code], "href": filename, "current": code == language}
                 for code, filename in INDEX_PAGES.items()],
    )
    return finish_page(page, scrubber)


def _card(report: dict[str, Any], language: str, group: dict[str, dict[str, Any]]) -> dict[str, Any]:
    name = str(report.get("name") or "report")
    status = str(report.get("status") or "ok")
    if status == "failed":
        last_success = timestamp(report.get("previous_success"))
    else:
        last_success = timestamp(report.get("finished") or report.get("previous_success"))
    archive = report.get("archive")
    written_in = language_of(report.get("parameters"))
    return {
        "name": name,
        "href": _href(report),
        "lang": written_in if written_in != language else "",
        "title": str(report.get("title") or name),
        "verdict": first_sentence_html(report.get("verdict")) if status != "failed" else None,
        "twins": [{"language": code, "name": LANGUAGE_NAMES[code], "href": _href(other)}
                  for code, other in group.items() if code != written_in and _href(other)],
        "notebook": str(report.get("notebook") or ""),
        "status": status,
        "status_label": status_label(status),
        "error": report.get("error") if status == "failed" else None,
        "description": str(report.get("description") or ""),
        "parameters": [(key, parameter_text(value)) for key, value in _shown_parameters(report).items()],
        "last_success": last_success,
        "duration": format_duration(report.get("duration_s")),
        "changes": [
            {"key": str(change.get("key")), "previous": format_value(change.get("previous")),
             "current": format_value(change.get("current"))}
            for change in report.get("changes") or [] if isinstance(change, dict)
        ],
        "archive": quote(str(archive)) if archive and not str(archive).startswith(("/", "http")) else None,
    }


def _href(report: dict[str, Any]) -> str | None:
    """The report's page, when one exists (a report that failed keeps its last successful page)."""
    if str(report.get("status") or "ok") != "failed" or report.get("previous_success"):
        return quote(f"{report.get('name') or 'report'}.html")
    return None


def _shown_parameters(report: dict[str, Any]) -> dict[str, Any]:
    """The parameters that make this report what it is: those supplied in reports.toml (all of them
    when the record does not say), without the title, which is the card's heading."""
    supplied = report.get("supplied")
    chosen = supplied if isinstance(supplied, dict) else report.get("parameters") or {}
    return {key: value for key, value in chosen.items() if key not in WORDING}
