"""One article or a corpus in, the analysis out: sources list, attributions, links, problems.

:func:`analyse` is the single entry point the notebook calls; it works the same for one file
and for a folder or glob (corpus mode). Files that cannot be read become articles with a
problem and no entries, so one bad file never stops a corpus and never disappears silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from dictamen.errors import ParameterError
from dictamen.sources import crosscheck
from dictamen.sources.attributions import Attribution, find_attributions
from dictamen.sources.bibliography import Bibliography, Entry, find_bibliography
from dictamen.sources.dates import find_date, slash_reading_note
from dictamen.sources.outlets import Registry, load_outlets
from dictamen.sources.read import (ArticleText, article_files, article_from_text, is_single_file,
                                   read_article, unreadable)

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
    attributions: list[Attribution] = field(default_factory=list)
    listed_not_used: list[Entry] = field(default_factory=list)
    used_not_listed: list[Attribution] = field(default_factory=list)
    text: str = field(default="", repr=False)

    @property
    def unparsed(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.parsed]

    @property
    def not_understood(self) -> list[str]:
        """Plain sentences saying what in this article could not be understood."""
        notes = []
        if self.problem:
            notes.append(f"{self.path}: {self.problem}.")
        elif self.section_found_by == "none":
            notes.append(f"{self.path}: no sources section was found (no heading such as "
                         "Sources, References, Notes, Fuentes or Referencias, no footnotes and no "
                         "closing numbered notes).")
        for entry in self.unparsed:
            notes.append(f"{self.path}: entry {entry.number} was not parsed "
                         f"({'; '.join(entry.problems)}): {entry.raw}")
        for entry in self.entries:
            if entry.parsed and entry.problems:
                notes.append(f"{self.path}: entry {entry.number}: {'; '.join(entry.problems)}.")
            if entry.parsed and entry.outlet and entry.type == "unknown":
                notes.append(f"{self.path}: entry {entry.number}: the outlet '{entry.outlet}' is "
                             "not in the outlet registry, so its type and country are unknown.")
            if entry.parsed and entry.language == "und":
                notes.append(f"{self.path}: entry {entry.number}: the language of its title "
                             "could not be determined.")
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
            article_date: str = "", gender: bool = False) -> SourcesReport:
    """Analyse one article, or every article of a folder or glob (corpus mode)."""
    codes = check_parameters(languages, article_date)
    registry = load_outlets(outlets_path)
    texts = [read_article(path) for path in article_files(article_path)]
    failed = [text for text in texts if text.problem]
    if failed and (len(failed) == len(texts) or is_single_file(article_path)):
        raise unreadable(failed)  # in a corpus, a bad file is listed as not read; alone, it is a failure
    articles = [analyse_text(text, registry, codes, article_date) for text in texts]
    return SourcesReport(str(article_path), articles, registry, codes, bool(gender), article_date)


def analyse_string(text: str, registry: Registry, name: str = "article.txt",
                   languages=("en", "es"), article_date: str = "") -> ArticleSources:
    """Analyse an article given as text (tests, benchmarks)."""
    return analyse_text(article_from_text(text, name), registry, tuple(languages), article_date)


def analyse_text(article: ArticleText, registry: Registry, languages: tuple[str, ...],
                 article_date: str = "") -> ArticleSources:
    """Sources list, attributions and cross-check for one article already read."""
    result = ArticleSources(path=article.path, problem=article.problem, kind=article.kind,
                            text=article.text)
    if article.problem:
        result.date = article_date
        result.date_note = "given as parameter article_date" if article_date else ""
        return result
    text = article.text
    result.title = article_title(text)
    result.date, result.date_note = _article_date(text, article_date)
    bibliography: Bibliography = find_bibliography(text)
    result.section, result.section_found_by = bibliography.heading, bibliography.how_found
    result.entries = bibliography.entries
    for entry in result.entries:
        crosscheck.enrich_entry(entry, registry, languages)

    def is_outlet(name: str) -> bool:
        return registry.match(name) is not None

    body_end = bibliography.start if bibliography.how_found != "footnote definitions" else len(text)
    result.attributions = find_attributions(text, body_end, is_outlet)
    for attribution in result.attributions:
        crosscheck.enrich_attribution(attribution, registry)
    crosscheck.link(result.attributions, result.entries)
    result.listed_not_used = crosscheck.listed_not_used(result.entries, result.attributions)
    result.used_not_listed = crosscheck.used_not_listed(result.attributions)
    return result


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


def _article_date(text: str, given: str) -> tuple[str, str]:
    if given:
        return given, "given as parameter article_date"
    iso = written = how = ""
    for line in text[:DATE_WINDOW].splitlines():  # line by line: the first dated line wins
        if any(char.isdigit() for char in line):
            iso, written, how = find_date(line, full_only=True)
            if iso:
                break
    if not iso:
        return "", "no full date found at the top of the article; pass article_date"
    if how == "slashes":
        return iso, slash_reading_note(written, iso)
    return iso, f'read from the article text "{written}"'
