"""One article or a corpus in, the analysis out: sources list, attributions, links, problems.

:func:`analyse` is the single entry point the notebook calls; it works the same for one file
and for a folder or glob (corpus mode). Files that cannot be read become articles with a
problem and no entries, so one bad file never stops a corpus and never disappears silently.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from dictamen.errors import ParameterError
from dictamen import messages
from dictamen.messages import _
from dictamen.sources import crosscheck, fetch
from dictamen.sources.attributions import Attribution, find_attributions, named_again, voice_of_name
from dictamen.sources.bibliography import (Bibliography, Entry, book_line_entries, citation_key_entries,
                                           credit_line_entries, find_bibliography)
from dictamen.sources.dates import find_date, slash_reading_note
from dictamen.sources.language import article_language
from dictamen.sources.links import (find_links, inline_html_as_markdown, same_address, unwrapped,
                                    wire_credits)
from dictamen.sources.outlets import Registry, load_outlets
from dictamen.sources.read import ArticleText, article_files, article_from_text, read_article, unreadable

DATE_WINDOW = 800  # characters at the top of an article searched for its date
_MARKDOWN_TITLE = re.compile(r"^#\s+(.+)$", re.M)
_NOT_A_TITLE = re.compile(r"^(?:synthetic|note)\b", re.I)


@dataclass
class ArticleSources:
    """Everything found in one article."""

    path: str
    title: str = ""
    date: str = ""
    date_note: str = ""
    problem: str = ""
    kind: str = "text"
    section: str = ""
    section_found_by: str = "none"
    entries: list[Entry] = field(default_factory=list)
    explanatory_notes: list[str] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    listed_not_used: list[Entry] = field(default_factory=list)
    used_not_listed: list[Attribution] = field(default_factory=list)
    fetched: dict = field(default_factory=dict)  # web articles: url, final_url, fetched_at, sha256, redirects
    text: str = field(default="", repr=False)

    @property
    def unparsed(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.parsed]

    @property
    def not_understood(self) -> list[str]:
        """Plain sentences saying what in this article could not be understood."""
        notes = []
        if self.problem:
            notes.append(_("{path}: {problem}.").format(path=self.path, problem=self.problem))
        elif self.section_found_by == "none" and not self.entries:
            notes.append(_("{path}: no sources were found (no heading such as Sources, References, "
                           "Notes, Fuentes or Referencias, no footnotes, no closing numbered notes, "
                           "no Source: line and no link).").format(path=self.path))
        if self.explanatory_notes:
            notes.append(_("{path}: {notes} read as explanatory notes (a sentence with no title, "
                           "outlet, date or link), not as cited works.").format(
                path=self.path, notes=", ".join(self.explanatory_notes)))
        for entry in self.unparsed:
            notes.append(_("{path}: entry {number} was not parsed ({problems}): {raw}").format(
                path=self.path, number=entry.number, problems="; ".join(entry.problems),
                raw=entry.raw))
        for entry in self.entries:
            if entry.parsed and entry.problems:
                notes.append(_("{path}: entry {number}: {problems}.").format(
                    path=self.path, number=entry.number, problems="; ".join(entry.problems)))
            if entry.parsed and entry.outlet_name and not entry.outlet_registered:
                notes.append(_("{path}: entry {number}: the outlet '{outlet}' is not in the outlet "
                               "registry, so its type and country are unknown.").format(
                    path=self.path, number=entry.number, outlet=entry.outlet_name))
            if entry.parsed and entry.language == "und":
                notes.append(_("{path}: entry {number}: the language of the work could not be "
                               "determined.").format(path=self.path, number=entry.number))
        return notes


@dataclass
class SourcesReport:
    """The analysis of one article (single mode) or of several (corpus mode)."""

    article_path: str
    articles: list[ArticleSources]
    registry: Registry
    languages: tuple[str, ...]
    gender: bool = False
    article_date: str = ""

    @property
    def corpus(self) -> bool:
        return len(self.articles) > 1

    def works(self) -> pd.DataFrame:
        """One row per parsed cited work, with its article (the unit counted by the indices)."""
        rows = [{"article": article.path, "number": entry.number, "outlet": entry.outlet_name,
                 "type": entry.type, "country": entry.country, "language": entry.language,
                 "date": entry.date, "article_date": article.date}
                for article in self.articles for entry in article.entries if entry.parsed]
        return pd.DataFrame(rows, columns=["article", "number", "outlet", "type", "country",
                                           "language", "date", "article_date"])


def check_parameters(languages, article_date: str) -> tuple[str, ...]:
    """Validate the notebook's parameters; raise ParameterError naming the bad one."""
    if isinstance(languages, str):
        languages = [part.strip() for part in languages.split(",")]
    codes = tuple(str(code).strip().lower() for code in languages or [])
    if not codes or any(not re.fullmatch(r"[a-z]{2,3}", code) for code in codes):
        raise ParameterError(f"parameter 'languages' = {list(languages or [])!r} is not usable; "
                             "expected a list of ISO 639-1 codes such as [\"en\", \"es\"]")
    if article_date:
        try:
            dt.date.fromisoformat(article_date)
        except ValueError:
            raise ParameterError(f"parameter 'article_date' = {article_date!r} is not a date; "
                                 "expected YYYY-MM-DD, or an empty string to read it from the "
                                 "article") from None
    return codes


def analyse(article_path: str = "data/articles/000_844dcaef5a0c3383.txt",
            outlets_path: str = "data/outlets.csv", languages=("en", "es"),
            article_date: str = "", gender: bool = False, language: str = "en") -> SourcesReport:
    """Analyse one article, or every article of a folder, a glob, a web address or a list of web
    addresses (corpus mode). ``languages`` are the candidate languages of cited works;
    ``language`` is the language the report speaks (``en`` or ``es``)."""
    messages.use(language)
    codes = check_parameters(languages, article_date)
    registry = load_outlets(outlets_path)
    with _collector_paused():
        texts = read_articles(article_path)
        failed = [text for text in texts if text.problem]
        if failed and len(failed) == len(texts):
            raise unreadable(failed)  # in a corpus, a bad article is listed as not read; alone, it is a failure
        articles = [analyse_text(text, registry, codes, article_date) for text in texts]
    return SourcesReport(str(article_path), articles, registry, codes, bool(gender), article_date)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while a corpus is read and analysed, back as it was
    after. What is built (texts, entries, attributions, matches) holds no reference cycles and is
    freed by reference counting as usual, so the collector finds nothing; but each of its full
    passes walks every object kept so far (the growing report, and all a process has imported,
    trafilatura and lxml included), some 20-30% of a corpus run."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_articles(article_path: str) -> list[ArticleText]:
    """The articles named by ``article_path``: a web address, a file listing addresses, or files."""
    if fetch.is_address(article_path):
        return fetch.fetch_articles([str(article_path).strip()], single=True)
    files = article_files(article_path)
    listed = fetch.listed_addresses(files)
    if listed is not None:
        return fetch.fetch_articles(listed, single=False)
    return [read_article(path, already_resolved=True) for path in files]


def analyse_string(text: str, registry: Registry, name: str = "article.txt",
                   languages=("en", "es"), article_date: str = "") -> ArticleSources:
    """Analyse an article given as text (tests, benchmarks)."""
    return analyse_text(article_from_text(text, name), registry, tuple(languages), article_date)


def analyse_text(article: ArticleText, registry: Registry, languages: tuple[str, ...],
                 article_date: str = "") -> ArticleSources:
    """Sources list, attributions and cross-check for one article already read."""
    result = ArticleSources(path=article.path, problem=article.problem, kind=article.kind,
                            text=article.text)
    metadata: dict[str, str] = {}
    if isinstance(article, fetch.FetchedArticle):
        metadata = article.metadata
        result.fetched = {"url": article.url, "final_url": article.final_url,
                          "fetched_at": article.fetched_at, "sha256": article.sha256,
                          "redirects": article.redirects, "from_cache": article.from_cache}
    if article.problem:
        result.date = article_date
        result.date_note = _("given as parameter article_date") if article_date else ""
        return result
    text = article.text
    if article.kind in ("markdown", "text") and "<" in text:
        text = result.text = inline_html_as_markdown(text)
    result.title = metadata.get("title") or article_title(text)
    if not article_date and _is_iso_date(metadata.get("date", "")):
        result.date, result.date_note = metadata["date"][:10], _("from the page's metadata")
    else:
        result.date, result.date_note = _article_date(text, article_date)
    bibliography: Bibliography = find_bibliography(text)
    result.section, result.section_found_by = bibliography.heading, bibliography.how_found
    result.entries = bibliography.entries
    result.explanatory_notes = bibliography.explanatory_notes
    skip = (bibliography.spans or [(bibliography.start, bibliography.end)]) if bibliography.entries else []
    skip += [(entry.offset, entry.offset + len(entry.raw)) for entry in bibliography.entries]
    listed = {same_address(entry.url) for entry in bibliography.entries if entry.url}
    section = (bibliography.start, bibliography.end) if bibliography.entries else (0, 0)
    listed_outlets = {outlet.name for entry in result.entries
                      if (outlet := registry.match(entry.outlet) if entry.outlet else None)}
    for entry in credit_line_entries(text, section, len(result.entries) + 1):
        named = registry.find_in(entry.title) if entry.style == "credit line" else None
        if named is None or named.name not in listed_outlets:  # else: the listed work again
            entry.number = len(result.entries) + 1
            result.entries.append(entry)
    skip += [(entry.offset, entry.offset + len(entry.raw)) for entry in result.entries]
    result.entries += book_line_entries(text, skip, len(result.entries) + 1)
    result.entries += citation_key_entries(text, skip, len(result.entries) + 1)
    skip += [(entry.offset, entry.offset + len(entry.raw)) for entry in result.entries]
    result.entries += find_links(text, skip, registry, listed, len(result.entries) + 1,
                                 base_url=result.fetched.get("final_url", ""))
    cited_outlets = {outlet.name for entry in result.entries
                     if (outlet := (registry.match(entry.outlet) if entry.outlet else None)
                         or (registry.for_url(entry.url) if entry.url else None))}
    wires = wire_credits(text, registry, skip, cited_outlets, len(result.entries) + 1)
    credited = [entry for entry in result.entries if entry.style == "credit line"
                and registry.find_in(entry.title) is None and not entry.outlet]
    if len(wires) == 1 and len(credited) == 1:
        credited[0].outlet = wires[0].outlet  # "(Prensa Latina)" dateline + "Source: <its title>"
    else:
        result.entries += wires
    own_language = article_language(text, languages) if any(
        entry.style in ("hyperlink", "address only") for entry in result.entries) else ""
    for entry in result.entries:
        crosscheck.enrich_entry(entry, registry, languages, own_language)

    def is_outlet(name: str) -> bool:
        return registry.match(name) is not None

    body_end = bibliography.start if bibliography.how_found != "footnote definitions" else len(text)
    result.attributions = find_attributions(unwrapped(text), body_end, is_outlet,
                                            crosscheck.cited_by(result.entries))
    result.attributions = _with_named_links(result.attributions, result.entries, registry, is_outlet)
    for attribution in result.attributions:
        crosscheck.enrich_attribution(attribution, registry)
    crosscheck.link(result.attributions, result.entries)
    result.listed_not_used = crosscheck.listed_not_used(result.entries, result.attributions)
    result.used_not_listed = crosscheck.used_not_listed(result.attributions)
    return result


_NAME_WORD = re.compile(r"^(?:[A-ZÁÉÍÓÚÑÜ0-9][\w.'’&-]*|of|de|del|la|las|los|y|for|the|and|on|in|e|da|do)$")


def _with_named_links(attributions: list[Attribution], entries: list[Entry], registry: Registry,
                      is_outlet) -> list[Attribution]:
    """Attributions plus the voices a link names by itself: "[Internet Architecture Board](...)",
    "[Duncan Green](...)": link words that are all a name (capitalised words and particles, at most
    eight, starting with a capital), or a registry outlet. A link on a phrase ("numerous comments")
    names no voice."""
    taken = {attribution.offset for attribution in attributions}
    added = []
    for entry in entries:
        if entry.style != "hyperlink":
            continue
        words = entry.title.rstrip(".,;:").split()
        is_name = (0 < len(words) <= 8 and words[0][:1].isupper()
                   and all(_NAME_WORD.match(word) for word in words))
        if not (is_name or registry.match(entry.title)):
            continue
        voice = voice_of_name(entry.title.rstrip(".,;:"), entry.offset + 1, "link", entry.raw, is_outlet)
        if voice is not None and voice.offset not in taken:
            added.append(voice)
    return named_again(sorted(attributions + added, key=lambda item: item.offset))


def article_title(text: str) -> str:
    """A Markdown '# ' heading, else the first line of four or more words that reads like a title."""
    heading = _MARKDOWN_TITLE.search(text) if "#" in text else None  # no '#': no full scan
    if heading:
        return heading.group(1).strip()
    for line in text.splitlines()[:15]:
        stripped = line.strip()
        if (len(stripped.split()) >= 4 and len(stripped) <= 200 and "·" not in stripped
                and "|" not in stripped and not stripped.endswith((".", ":"))
                and not _NOT_A_TITLE.match(stripped)):
            return stripped
    return ""


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def _article_date(text: str, given: str) -> tuple[str, str]:
    if given:
        return given, _("given as parameter article_date")
    iso = written = how = ""
    for line in text[:DATE_WINDOW].splitlines():  # line by line: the first dated line wins
        if any(char.isdigit() for char in line):
            iso, written, how = find_date(line, full_only=True)
            if iso:
                break
    if not iso:
        return "", _("no full date found at the top of the article; pass article_date")
    if how == "slashes":
        return iso, slash_reading_note(written, iso)
    return iso, _('read from the article text "{written}"').format(written=written)
