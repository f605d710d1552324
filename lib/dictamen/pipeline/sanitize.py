"""Making notebook output safe to share: no script, no local paths, no secrets.

Two jobs, used by the HTML report (:mod:`dictamen.pipeline.export`) and the index site (:mod:`dictamen.pipeline.site`):

* :func:`clean_html` keeps a small allow-list of tags and attributes from HTML that came out of a
  notebook (Markdown cells, pandas tables, display outputs). Script, style, event handlers,
  ``javascript:`` URLs and images that would load from the network do not survive.
* :class:`Scrubber` rewrites text so that a report never carries the analyst's machine with it:
  the project root becomes a relative path, the home folder ``~``, other absolute paths keep only
  their last parts, the user and host names disappear, and secret-looking environment values and
  environment dumps are removed.
"""

from __future__ import annotations

import getpass
import hashlib
import base64
import os
import re
import socket
from pathlib import Path
from typing import Any

import bleach
from bs4 import BeautifulSoup, Comment, NavigableString

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
})
"""Tags a notebook's HTML may keep. Everything else is dropped (its text stays, escaped)."""

_GLOBAL_ATTRIBUTES = frozenset({"class", "title", "lang", "dir"})
_TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "col": {"span"},
    "colgroup": {"span"},
}
_SAFE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]+$")
_SAFE_LINK = re.compile(r"^(https?://|mailto:|#|[^:]*$)", re.IGNORECASE)
_REMOVED_WITH_CONTENT = ("script", "style", "iframe", "object", "embed", "template", "noscript",
                         "svg", "math", "form", "textarea", "select", "button", "input", "link", "meta",
                         "base", "frame", "frameset", "applet", "audio", "video", "source", "track")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in _GLOBAL_ATTRIBUTES:
        return True
    if name not in _TAG_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "img" and name == "src":
        return bool(_SAFE_IMAGE.match(value))
    if tag == "a" and name == "href":
        return bool(_SAFE_LINK.match(value.strip())) and not value.strip().lower().startswith("data:")
    return True


def clean_html(fragment: str) -> str:
    """HTML from a notebook reduced to the allow-list: no script, no handlers, no network loads.

    Elements that only make sense with script or styling (``<script>``, ``<style>``, ``<svg>``,
    forms, frames) are removed with their content; other unknown tags are dropped but their text
    kept; images keep only embedded ``data:`` sources, or are replaced by their alt text.
    """
    soup = BeautifulSoup(fragment, "html.parser")
    for element in soup.find_all(_REMOVED_WITH_CONTENT):
        element.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    cleaned = bleach.clean(
        str(soup),
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols={"http", "https", "mailto", "data"},
        strip=True,
        strip_comments=True,
    )
    soup = BeautifulSoup(cleaned, "html.parser")
    for image in soup.find_all("img"):
        if not image.get("src"):
            image.replace_with(image.get("alt") or "")
    return str(soup)


def style_hash(css: str) -> str:
    """The CSP source expression that allows exactly this inline ``<style>`` content."""
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(css: str) -> str:
    """A policy that forbids every network load and every script; only our own style applies."""
    return (f"default-src 'none'; img-src data:; style-src {style_hash(css)}; script-src 'none'; "
            "base-uri 'none'; form-action 'none'")


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|PRIVATE|AUTH|CREDENTIAL|COOKIE|SESSION",
                          re.IGNORECASE)
_ENV_LINE = re.compile(r"^\s*['\"]?[A-Z][A-Z0-9_]{1,}['\"]?\s*[=:]\s*\S", re.MULTILINE)
_GENERIC_USERS = frozenset({"root", "user", "admin", "jovyan", "runner", "ubuntu", "debian", "nobody",
                            "app", "ci", "build", "docker", "vscode", "codespace", "node", "python"})
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.~\\])/(?:[\w.@+-]+/)+[\w.@+-]*")
_WINDOWS_PATH = re.compile(r"\b[A-Za-z]:\\(?:[^\\\s:*?\"<>|]+\\)+[^\\\s:*?\"<>|]*")


class Scrubber:
    """Rewrites text so that nothing in it identifies the machine or person that ran the report."""

    def __init__(self, project_root: Path | None = None) -> None:
        from dictamen.catalog import project_root as default_root

        root = Path(project_root or default_root())
        home = Path.home()
        self._prefixes: list[tuple[re.Pattern[str], str]] = []
        roots = {str(root), str(root.resolve())}
        for candidate in sorted(roots, key=len, reverse=True):
            if len(candidate) > 1:
                self._prefixes.append((re.compile(re.escape(candidate) + r"/"), ""))
                self._prefixes.append((re.compile(re.escape(candidate) + r"(?![\w.@+-])"), "."))
        homes = {str(home), str(home.resolve())}
        for candidate in sorted(homes, key=len, reverse=True):
            if len(candidate) > 1:
                self._prefixes.append((re.compile(re.escape(candidate) + r"(?![\w.@+-])"), "~"))
        self._words: list[tuple[re.Pattern[str], str]] = []
        user = _safe(getpass.getuser)
        if user and len(user) >= 3 and user.lower() not in _GENERIC_USERS:
            self._words.append((re.compile(r"(?<![\w.-])" + re.escape(user) + r"(?![\w-])"), "[user]"))
        host = _safe(socket.gethostname)
        for name in {host, host.split(".")[0]} if host else ():
            if name and len(name) >= 3 and name.lower() not in {"localhost"}:
                self._words.append((re.compile(r"(?<![\w.-])" + re.escape(name) + r"(?![\w-])"), "[host]"))
        self._secrets = sorted(
            {value for key, value in os.environ.items()
             if _SECRET_NAME.search(key) and len(value) >= 6 and not value.isdigit()},
            key=len, reverse=True,
        )

    def text(self, value: str) -> str:
        """Scrub one piece of text (output, traceback, parameter value, Markdown source)."""
        if not value:
            return value
        value = _ANSI.sub("", value)
        if _looks_like_environment_dump(value):
            return "[environment listing removed from the shared report]"
        for secret in self._secrets:
            value = value.replace(secret, "[redacted]")
        for pattern, replacement in self._prefixes:
            value = pattern.sub(replacement, value)
        value = _ABSOLUTE_PATH.sub(_shorten_path, value)
        value = _WINDOWS_PATH.sub(lambda match: "...\\" + match.group(0).rstrip("\\").split("\\")[-1], value)
        for pattern, replacement in self._words:
            value = pattern.sub(replacement, value)
        return value

    def data(self, value: Any) -> Any:
        """Scrub every string inside a JSON-like structure (a report record)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(key)): self.data(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(item) for item in value]
        return value

    def document(self, page: str) -> str:
        """Scrub the text and the readable attributes of a whole HTML page (not image data)."""
        soup = BeautifulSoup(page, "html.parser")
        for node in list(soup.find_all(string=True)):
            if isinstance(node, NavigableString) and node.parent is not None \
                    and node.parent.name not in ("style", "script"):
                scrubbed = self.text(str(node))
                if scrubbed != str(node):
                    node.replace_with(NavigableString(scrubbed))
        for element in soup.find_all(True):
            for attribute in ("alt", "title", "href", "aria-label", "datetime", "value"):
                if element.has_attr(attribute) and isinstance(element[attribute], str):
                    element[attribute] = self.text(element[attribute])
        return str(soup)


def _safe(getter) -> str:
    try:
        return getter() or ""
    except Exception:  # noqa: BLE001 - no user name or host name is fine
        return ""


def _shorten_path(match: re.Match[str]) -> str:
    parts = [part for part in match.group(0).split("/") if part]
    if len(parts) <= 1:
        return match.group(0)
    return ".../" + "/".join(parts[-2:])


def _looks_like_environment_dump(text: str) -> bool:
    if "environ({" in text or "environ{" in text:
        return True
    lines = _ENV_LINE.findall(text)
    if len(lines) < 5:
        return False
    names = {line.strip().strip("'\"").split("=")[0].split(":")[0].strip("'\" ") for line in lines}
    return len(names & {"PATH", "HOME", "USER", "SHELL", "PWD", "LANG", "HOSTNAME", "TERM"}) >= 2
