"""Sentences for the report, with every value from the data escaped.

Values that come from input files (names, titles, outlets) may contain markup; they are escaped
for HTML and Markdown before they reach a Markdown output, so an article cannot inject script
into a shared report.
"""

from __future__ import annotations

import html
import re
from typing import Any

from dictamen import messages

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")
_CODE_ENTITIES = {char: f"&#{ord(char)};" for char in "\\`*_[]()~$|!#{}"}


def escape(value: Any) -> str:
    """Text safe to place inside Markdown that is rendered to HTML (not inside a code span: see code())."""
    text = html.escape(str(value), quote=False)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def code(value: Any) -> str:
    """A value shown as code (a path, a parameter): an HTML code element with its text escaped.

    Markdown code spans show backslash escapes literally, so escaped input must not go inside backticks.
    """
    text = html.escape(str(value), quote=False)
    return "<code>" + "".join(_CODE_ENTITIES.get(char, char) for char in text) + "</code>"


def link(text: Any, url: str) -> str:
    """A link for Markdown prose: ``text`` escaped, ``url`` reaching the page's ``href`` byte for byte.

    Markdown escaping must never touch an address (``Las\\_y\\_los`` is another page), and a Markdown
    link destination is percent-encoded by renderers; an inline HTML anchor keeps the address as
    given in both JupyterLab and the HTML report. Only http(s) and mailto addresses become links;
    anything else is shown as text.
    """
    address = str(url).strip()
    if not re.match(r"^(https?://|mailto:)", address, re.IGNORECASE):
        return escape(text) if str(text) == address or not address else f"{escape(text)} ({escape(address)})"
    return f'<a href="{html.escape(address, quote=True)}">{escape(text)}</a>'


def number(value: float | int, digits: int = 0) -> str:
    """A number with thousands separators, for prose, in the locale of the run (see dictamen.messages)."""
    return messages.number(value, digits)


def percent(share: float, digits: int = 1, signed: bool = False) -> str:
    """A share (0.153) as a percentage ("15.3%"); ``signed`` adds "+" to positive values."""
    return messages.percent(share, digits, signed)


def as_markdown(text: str):
    """A Markdown display object for prose already built with escape() and code()."""
    from IPython.display import Markdown

    return Markdown(text)


def markdown(template: str, **values: Any):
    """An IPython Markdown object from a template whose ``{placeholders}`` are escaped values.

    Pre-formatted numbers may be passed as strings; they are escaped too, harmlessly.
    """
    return as_markdown(template.format(**{key: escape(value) for key, value in values.items()}))
