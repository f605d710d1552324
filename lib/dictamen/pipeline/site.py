"""The index site: ``reports/index.html`` lists every report, its state and what changed.

Same rules as the reports (:mod:`dictamen.pipeline.export`): one self-contained page, no script, a
Content-Security-Policy that forbids network loads, and no local paths or names. Links are
relative (``NAME.html``), so the folder can be copied, zipped or served from anywhere.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dictamen import __version__
from dictamen.pipeline.export import (
    STATUS_LABELS,
    template_environment,
    parameter_text,
    timestamp,
    finish_page,
    format_duration,
    format_value,
    humanise,
    page_css,
)
from dictamen.pipeline.sanitize import Scrubber, content_security_policy


def render_index(reports: list[dict], *, generated: str) -> str:
    """The reports/index.html page for all reports (links relative: NAME.html)."""
    scrubber = Scrubber()
    cards = [_card(scrubber.data(dict(report))) for report in reports]
    failed = sum(1 for card in cards if card["status"] == "failed")
    css = page_css()
    page = template_environment().get_template("index.html.j2").render(
        lang="en",
        csp=content_security_policy(css),
        css=css,
        dictamen_version=__version__,
        generated=timestamp(generated) or {"iso": "", "text": "unknown"},
        reports=cards,
        total=len(cards),
        ok=len(cards) - failed,
        failed=failed,
    )
    return finish_page(page, scrubber)


def _card(report: dict[str, Any]) -> dict[str, Any]:
    name = str(report.get("name") or "report")
    status = str(report.get("status") or "ok")
    if status == "failed":
        last_success = timestamp(report.get("previous_success"))
    else:
        last_success = timestamp(report.get("finished") or report.get("previous_success"))
    archive = report.get("archive")
    return {
        "name": name,
        "href": quote(f"{name}.html") if status != "failed" or report.get("previous_success") else None,
        "title": str(report.get("title") or name),
        "kind": humanise(str(report.get("kind") or "")),
        "notebook": str(report.get("notebook") or ""),
        "status": status,
        "status_label": STATUS_LABELS.get(status, status),
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


def _shown_parameters(report: dict[str, Any]) -> dict[str, Any]:
    """The parameters that make this report what it is: those supplied in reports.toml (all of them
    when the record does not say), without the title, which is the card's heading."""
    supplied = report.get("supplied")
    chosen = supplied if isinstance(supplied, dict) else report.get("parameters") or {}
    return {key: value for key, value in chosen.items() if key != "title"}
