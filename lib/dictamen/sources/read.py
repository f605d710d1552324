"""Article files in: one file, a folder or a glob; plain text, Markdown or HTML, checked before use.

A file that cannot be read as an article (empty, binary, not UTF-8, too large) does not stop a
corpus: it becomes an :class:`ArticleText` with no text and a ``problem`` saying exactly why,
so the report can list it. HTML is reduced to its main text with BeautifulSoup; its markup
(scripts, styles, event handlers) is dropped and never trusted.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass, field
from pathlib import Path

from dictamen import catalog
from dictamen.errors import InputError, utf8_text

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".rst", ".html", ".htm")
MAX_BYTES = 5_000_000
"""Files larger than this (5 MB, some 450 articles of the seed's size) are not analysed."""

_HTML_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
              "nav", "form", "button", "head")
_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
               "blockquote", "tr", "br", "dt", "dd", "figcaption", "header", "footer", "main")


@dataclass
class ArticleText:
    """The text of one article file, or the reason it has none."""

    path: str  # project-relative (or bare name) for reports
    text: str
    kind: str  # "text", "markdown" or "html"
    problem: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).name


def article_files(article_path: str) -> list[Path]:
    """The article files named by a file, a folder (its article files, not sub-folders) or a
    glob, resolved (absolute, no symbolic link)."""
    if not str(article_path).strip():
        raise InputError("The parameter 'article_path' is empty",
                         expected="a file, a folder or a glob pattern of articles")
    text = str(article_path)
    if any(char in text for char in "*?["):
        pattern = str(catalog.resolve_path(text)) if not Path(text).is_absolute() else text
        found = sorted(Path(p).resolve() for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
        if not found:
            raise InputError(f"The glob given by parameter 'article_path' matches no file: {text}",
                             expected="a pattern such as data/articles/*.md")
        return found
    resolved = catalog.resolve_path(text)
    if resolved.is_dir():
        found = sorted(p.resolve() if p.is_symlink() else p for p in resolved.iterdir()
                       if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
        if not found:
            raise InputError(
                f"The folder given by parameter 'article_path' holds no article file: "
                f"{catalog.display_path(resolved)}",
                expected=f"files ending in {', '.join(ARTICLE_SUFFIXES)}")
        return found
    return [catalog.open_data(text, parameter="article_path")]


def read_article(path: Path, already_resolved: bool = False) -> ArticleText:
    """Read one article file through the catalogue, checking size, binary content and encoding.
    ``already_resolved``: ``path`` comes from :func:`article_files`."""
    opened, size, raw = catalog.read_data(path, parameter="article_path", max_bytes=MAX_BYTES,
                                          already_resolved=already_resolved)
    shown = _shown_path(path, opened)
    kind = _kind(opened)
    if size == 0:
        return ArticleText(shown, "", kind, problem="the file is empty")
    if raw is None:
        return ArticleText(shown, "", kind, problem=(
            f"the file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit for one article; "
            "it was not analysed (split it into articles)"))
    text, reason = utf8_text(raw)
    if reason:
        return ArticleText(shown, "", kind, problem=reason)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind == "html" or (kind == "text" and _looks_like_html(text)):
        kind = "html"
        text = html_main_text(text)
    if not text.strip():
        return ArticleText(shown, "", kind, problem="the file holds no readable text")
    return ArticleText(shown, text, kind)


def unreadable(articles: list[ArticleText]) -> InputError:
    """The error for articles none of which could be read: the analysis would have nothing to say."""
    if len(articles) == 1:
        return InputError(f"The article cannot be analysed: {articles[0].problem}", path=articles[0].path,
                          expected="a UTF-8 text, Markdown or HTML article (parameter 'article_path')")
    listed = "; ".join(f"{article.path}: {article.problem}" for article in articles[:5])
    more = f" and {len(articles) - 5} more" if len(articles) > 5 else ""
    return InputError(f"None of the {len(articles)} article files could be read ({listed}{more})",
                      expected="UTF-8 text, Markdown or HTML articles (parameter 'article_path')")


def _shown_path(path: Path | str, opened: Path) -> str:
    """``catalog.display_path(path)`` without resolving the path a second time.

    ``opened`` is what open_data returned: ``path`` already resolved. For an absolute ``path``
    display_path would resolve it to that same file, so only the project-relative part is left
    to compute; a relative ``path`` is shown as written, as display_path does.
    """
    if not Path(path).expanduser().is_absolute():
        return catalog.display_path(path)
    return catalog.resolved_display_path(opened)


def article_from_text(text: str, name: str = "article.txt") -> ArticleText:
    """An article given as a string (tests, benchmarks): same treatment as a file's text."""
    kind = _kind(Path(name))
    if kind == "html" or _looks_like_html(text):
        return ArticleText(name, html_main_text(text), "html")
    return ArticleText(name, text, kind)


def html_main_text(markup: str) -> str:
    """The main text of an HTML page as Markdown with its links (trafilatura, see
    :mod:`dictamen.sources.webpage`); when trafilatura finds no main text, <article> or <main> if
    present, else <body>, one block a line."""
    from dictamen.sources.webpage import page_text

    page = page_text(markup)
    if page is not None:
        return page.text
    return _html_blocks_text(markup)


def _html_blocks_text(markup: str) -> str:
    """The fallback reader: BeautifulSoup, scripts and page furniture dropped, one block a line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for number, item in enumerate(root.find_all("li"), start=1):
        parent = item.find_parent(["ol", "ul"])
        if parent is not None and parent.name == "ol":
            position = list(parent.find_all("li", recursive=False)).index(item) + 1 \
                if item in parent.find_all("li", recursive=False) else number
            item.insert(0, f"{position}. ")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = root.get_text()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    collapsed = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return collapsed.strip() + "\n"


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head
