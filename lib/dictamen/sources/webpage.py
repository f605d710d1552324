"""A web page's main text and metadata, through trafilatura: the article, never the page around it.

trafilatura (made for this) finds the main content of a page and leaves out navigation, cookie
banners, sidebars of related posts, comment sections and forms, and footers; it parses the
markup statically (no script runs). The text comes back as Markdown with the article's links kept
(``[text](https://...)``), so the link reader sees a page exactly as it sees a Markdown post.
Links with another scheme (``javascript:``) keep their text and lose their address; links to
the site's taxonomy pages (tags, categories, authors) are plain text too: they are furniture,
not cited works. Metadata: title, author, date, site name, as the page declares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINK = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<url><[^>\n]*>|[^\s()]*"
                   r"(?:\([^\s()]*\)[^\s()]*)*)\)")
_TAXONOMY = re.compile(r"/(?:tags?|categor(?:y|ies|ia|ias)|etiquetas?|authors?|autor(?:es)?|"
                       r"archives?|page)(?:/|#|$)", re.I)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~])")
_INLINE_TAG = re.compile(r"</?(?:sup|sub|span|small|mark|abbr)\b[^<>]*>", re.I)
_PAGE_TAG = re.compile(r"<(?:html|body)[\s>]", re.I)
FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
"""A site generator's YAML front matter at the top of a content file (Jekyll, Hugo)."""


@dataclass
class PageText:
    """The main text of a page as Markdown, and what the page says about itself."""

    text: str
    title: str = ""
    author: str = ""
    date: str = ""
    sitename: str = ""


def page_text(markup: str, url: str = "") -> PageText | None:
    """Main text and metadata of an HTML page; None when trafilatura finds no main text."""
    import trafilatura

    markup = _as_page(markup)
    text = trafilatura.extract(markup, url=url or None, output_format="markdown",
                               include_links=True, include_tables=True, include_comments=False,
                               include_images=False, deduplicate=False, with_metadata=False)
    if not text or not text.strip():
        return None
    metadata = trafilatura.extract_metadata(markup, default_url=url or None)
    page = PageText(_clean(text))
    if metadata is not None:
        page.title = metadata.title or ""
        page.author = metadata.author or ""
        page.date = metadata.date or ""
        page.sitename = metadata.sitename or ""
    return page


def _as_page(markup: str) -> str:
    """A fragment - a site's content file: an article's body with no <html> or <body>, perhaps
    after YAML front matter - as the page it is all of. On a bare fragment trafilatura takes the
    lists and headings for furniture and drops them (a post's "References" heading and its
    list); inside <article> they are the article's."""
    if _PAGE_TAG.search(markup):
        return markup
    return "<html><body><article>" + FRONT_MATTER.sub("", markup, count=1) + "</article></body></html>"


def _clean(text: str) -> str:
    def keep_or_unlink(found: re.Match[str]) -> str:
        url = found.group("url").strip("<>")
        if not url.lower().startswith(("http://", "https://", "/")) or _TAXONOMY.search(url):
            return found.group("text")
        return found.group(0)

    text = _LINK.sub(keep_or_unlink, text)
    text = _INLINE_TAG.sub("", text)
    return _ESCAPED.sub(r"\1", text).strip() + "\n"
