"""Link the sources list to the registry and to the text: what is listed but never used, and
which voices are used but never listed.

An attribution is linked to the entries that match it best: the same person (spelling
variants tolerated with rapidfuzz, e.g. Kukertz / Kuckertz) as author, or named in the title
("Statement by Attorney General William P. Barr ..."), or the same organisation as outlet or
as organisational author. A platform named in a credit line ("Source: Twitter – Cámara de
Diputados") makes entries on that platform a better match.
"""

from __future__ import annotations

from dictamen.sources.attributions import Attribution
from dictamen.sources.bibliography import Entry
import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from urllib.parse import urlsplit

from dictamen.sources.language import work_language
from dictamen.sources.outlets import Registry, address_key, normalise

PERSON_CUTOFF = 85.0
TITLE_CUTOFF = 95.0
TITLE_MIN_LENGTH = 6
"""Shortest (normalised) name looked for in titles: shorter ones match too many words."""
_ADDRESS_WORD = re.compile(r"[^\W\d_]{2,}")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WEB_WORDS = frozenset("html htm php aspx asp jsp pdf index www com org net gov edu amp "
                       "wp content uploads files file sites default static news noticias "
                       "blog blogs post posts article articles articulo articulos nota notas".split())


_LANGUAGE_CODE = re.compile(r"[a-z]{2}(?:[-_][a-z]{2})?", re.I)  # "en", "es-mx", "en_US"
_LANGUAGE_PARAMETER = re.compile(r"(?:^|[?&])(?:lang|hl|language|locale)=(?P<code>[a-z]{2})(?:[-_][a-z]{2})?(?=&|$)",
                                 re.I)


def address_words(url: str) -> str:
    """The words of a link's path ("/2010/09/top-25-rankings-of-all-time/" -> "top rankings of all
    time"), without its segments that are language codes ("/en/": a code, not Spanish "en")."""
    if not url:
        return ""
    path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    segments = [segment for segment in path.split("#", 1)[0].split("/") if not _LANGUAGE_CODE.fullmatch(segment)]
    words = _ADDRESS_WORD.findall(_CAMEL.sub(" ", "/".join(segments)))
    return " ".join(word for word in words if word.lower() not in _WEB_WORDS)


def address_language(url: str, languages: tuple[str, ...]) -> str:
    """The candidate language a link's address names by its code: its first path segment that is
    one ("/en/", "/es-mx/", "/en_US/") or a ``lang``/``hl`` parameter ("?lang=en"); "" if none."""
    if not url or "://" not in url:
        return ""
    parts = urlsplit(url)
    for segment in parts.path.split("/"):
        if _LANGUAGE_CODE.fullmatch(segment) and segment[:2].lower() in languages:
            return segment[:2].lower()
    found = _LANGUAGE_PARAMETER.search(parts.query)
    return found.group("code").lower() if found and found.group("code").lower() in languages else ""


def enrich_entry(entry: Entry, registry: Registry, languages: tuple[str, ...],
                 article_language: str = "") -> None:
    """Registry facts (outlet, type, country) and the language of the work for one entry.

    ``article_language`` (the citing article's own language, when clear) is the last, weak
    evidence for a link: a link on the article's own site, or one whose words, address and
    outlet say nothing, most likely points to a page in the article's language."""
    if len(entry.authors) == 1 and registry.match(entry.authors[0]) is not None:
        entry.author_organisation, entry.authors = entry.authors[0], []  # "El Universal. ..."
    author_outlet = registry.find_in(entry.author_organisation) if entry.author_organisation else None
    if author_outlet is None and entry.handle:
        author_outlet = registry.match(entry.handle)
    outlet = registry.outlet_of(entry, author_outlet)
    entry.author_outlet_name = author_outlet.name if author_outlet else ""
    entry.outlet_registered = outlet is not None
    if outlet is not None:
        entry.outlet_name, entry.type, entry.country = outlet.name, outlet.type, outlet.country
        if outlet.type == "social media" and author_outlet is not None:
            entry.country = author_outlet.country  # a post's country is its author's
    elif entry.outlet:
        entry.outlet_name = entry.outlet
    web = entry.url.lower().startswith(("http://", "https://"))
    if outlet is None and not entry.outlet and web:
        entry.outlet_name = address_key(entry.url)[0]  # unknown site: its host, listed as such
    linked = entry.style in ("hyperlink", "address only")
    if linked and not web and article_language:  # a link on the article's own site
        entry.language, entry.language_method = article_language, "the article's own site"
    elif entry.title or entry.url:
        entry.language, entry.language_method = work_language(
            entry.title, languages, outlet.languages if outlet else (),
            address_words(entry.url) if entry.url else "", title_is_link_text=linked,
            address_language=address_language(entry.url, languages) if web else "")
        if entry.language == "und" and linked and article_language:
            entry.language, entry.language_method = article_language, "the article's language (weak)"


def enrich_attribution(attribution: Attribution, registry: Registry) -> None:
    """Registry facts for the organisation an attribution names (itself or a person's affiliation)."""
    written = attribution.organisation or attribution.affiliation
    outlet = registry.find_in(written) if written else None
    if outlet is None and attribution.handle:
        outlet = registry.match(attribution.handle)
    if outlet is not None:
        attribution.organisation_name = outlet.name
        attribution.type, attribution.country = outlet.type, outlet.country
    elif written:
        attribution.organisation_name = written


def link(attributions: list[Attribution], entries: list[Entry]) -> None:
    """Fill ``linked_entries`` of each attribution with the numbers of its best-matching entries.

    Scores per entry: 4 for the person as an author (spelling tolerated), else 3 for the person
    named in the title, +2 for the organisation as outlet or organisational author, +1 for the
    platform as outlet. Titles are compared only with names of TITLE_MIN_LENGTH or more
    characters, so they are normalised only when an attribution has one; attributions naming the
    same person, organisation and platform (a voice quoted again) are scored once.
    """
    persons = [normalise(attribution.person) if attribution.person else ""
               for attribution in attributions]
    titled = any(len(person) >= TITLE_MIN_LENGTH for person in persons)
    titles, outlets, authors = [], [], []
    by_name: dict[str, set[int]] = {}  # outlet or organisational author -> entry indices
    for index, entry in enumerate(entries):
        titles.append(_title_key(entry.title) if titled and entry.title else "")
        outlet = normalise(entry.outlet_name or "")
        outlets.append(outlet)
        authors.append([normalise(author) for author in entry.authors])
        by_name.setdefault(outlet, set()).add(index)
        by_name.setdefault(normalise(entry.author_outlet_name or entry.author_organisation), set()).add(index)
    as_author, in_title = _person_matches(persons, authors, titles)
    numbers = [entry.number for entry in entries]
    nothing: set[int] = set()
    best_of: dict[tuple[str, str, str], list[int]] = {}
    for attribution, person in zip(attributions, persons):
        organisation = normalise(attribution.organisation_name) if attribution.organisation_name else ""
        platform = normalise(attribution.platform) if attribution.platform else ""
        voice = (person, organisation, platform)
        best = best_of.get(voice)
        if best is None:
            platform_hits = {index for index in by_name.get(platform, ()) if outlets[index] == platform
                             } if platform else nothing
            best = best_of[voice] = _best_entries(
                numbers, as_author.get(person, nothing), in_title.get(person, nothing),
                by_name.get(organisation, nothing) if organisation else nothing, platform_hits)
        if best:
            attribution.linked_entries = list(best)


_title_key = normalise.__wrapped__
"""normalise() past its cache, for titles: each is met in one or two articles of a corpus, so a
cache insertion per title costs more than it saves, and pushes out the names that recur."""


def _best_entries(numbers: list[int], author_hits: set[int], title_hits: set[int],
                  organisation_hits: set[int], platform_hits: set[int]) -> list[int]:
    """The numbers of the highest-scoring entries (see ``link``), [] when none scores."""
    hits = author_hits | title_hits | organisation_hits | platform_hits
    if len(hits) < 2:
        return [numbers[index] for index in hits]
    scores: dict[int, float] = {}
    for index in sorted(hits):
        score = 4.0 if index in author_hits else 3.0 if index in title_hits else 0.0
        if index in organisation_hits:
            score += 2
        if index in platform_hits:
            score += 1
        scores[numbers[index]] = score  # every index is in one of the sets: score >= 1
    best = max(scores.values())
    return sorted(number for number, score in scores.items() if score == best)


def _person_matches(persons: list[str], authors: list[list[str]], titles: list[str]
                    ) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """For each distinct person: entries with an author at least PERSON_CUTOFF alike (fuzz.ratio),
    and entries whose (normalised) title contains the name at partial_ratio >= TITLE_CUTOFF
    (names of TITLE_MIN_LENGTH+ characters; see ``_title_candidates``)."""
    from rapidfuzz import fuzz, process

    distinct = sorted({person for person in persons if person})
    as_author: dict[str, set[int]] = {person: set() for person in distinct}
    in_title: dict[str, set[int]] = {person: set() for person in distinct}
    if not distinct:
        return as_author, in_title
    owners = [index for index, names in enumerate(authors) for _ in names]
    written = [author for names in authors for author in names]
    if written:
        for person in distinct:
            for _, _, column in process.extract(person, written, scorer=fuzz.ratio, limit=None,
                                                score_cutoff=PERSON_CUTOFF):
                as_author[person].add(owners[column])
    long_names = [person for person in distinct if len(person) >= TITLE_MIN_LENGTH]
    if long_names and any(titles):
        joined = "\n".join(titles)  # normalised titles hold no line break
        starts = list(accumulate((len(title) + 1 for title in titles), initial=0))
        longest = max(len(person) for person in long_names)
        short = [(index, len(title)) for index, title in enumerate(titles) if title and len(title) <= longest]
        for person in long_names:
            for index in _title_candidates(person, titles, joined, starts, short):
                if fuzz.partial_ratio(person, titles[index], score_cutoff=TITLE_CUTOFF) >= TITLE_CUTOFF:
                    in_title[person].add(index)
    return as_author, in_title


def _title_candidates(person: str, titles: list[str], joined: str, starts: list[int],
                      short: list[tuple[int, int]]) -> set[int]:
    """Indices of the titles that can hold ``person`` at partial_ratio >= TITLE_CUTOFF: those in
    which one of the name's ``_pieces`` is written as is (found in ``joined``, the titles joined by
    line breaks, title i from ``starts[i]``), and those not longer than the name (``short``:
    index and length of the titles up to the longest name's length) one of whose pieces is
    written in the name.

    Why no title that reaches the cutoff is left out: partial_ratio is fuzz.ratio of the shorter
    string (n characters; both ways when the lengths are equal) against some substring w of the
    other of at most n characters, 100 * (1 - d / (n + |w|)) with d the insertions and deletions
    turning the one into w. A score of 95 or more needs d <= 0.05 * (n + |w|) <= n / 10, so
    d <= n // 10 = k. Each insertion or deletion breaks at most one of the k + 1 disjoint pieces
    of the shorter string, so at least one piece is left whole in w, hence in the longer one."""
    size = len(person)
    kept = {index for index, length in short
            if length <= size and any(piece in person for piece in _pieces(titles[index]))}
    for piece in _pieces(person):
        at = joined.find(piece)
        while at != -1:
            kept.add(bisect_right(starts, at) - 1)
            at = joined.find(piece, at + 1)
    return kept


def _pieces(text: str) -> list[str]:
    """``len(text) // 10 + 1`` consecutive pieces of ``text``, of nearly equal lengths."""
    size = len(text)
    count = size // 10 + 1
    return [text[size * part // count:size * (part + 1) // count] for part in range(count)]


def cited_by(entries: list[Entry]) -> Callable[[str, str], bool]:
    """``is_cited(authors, year)`` for :func:`find_attributions`: whether a listed work of that
    year (its date, or the year written in it) names the first of those authors ("Goudeseune",
    "British Ecological Society") where its authors are written."""
    written = [(entry.date[:4], (entry.raw[:160] + " " + " ".join(entry.authors)).casefold())
               for entry in entries if entry.parsed]

    def is_cited(authors: str, year: str) -> bool:
        first = re.split(r"\s+(?:&|and|y)\s+", authors.strip())[0].casefold()
        return any((date == year or year in raw) and first in raw for date, raw in written)

    return is_cited


def listed_not_used(entries: list[Entry], attributions: list[Attribution]) -> list[Entry]:
    """Entries no attribution in the text points to."""
    used = {number for attribution in attributions for number in attribution.linked_entries}
    return [entry for entry in entries if entry.number not in used]


def used_not_listed(attributions: list[Attribution]) -> list[Attribution]:
    """Attributions (one per distinct voice) that match no entry of the sources list."""
    seen: set[str] = set()
    unlisted = []
    for attribution in attributions:
        if attribution.linked_entries:
            continue
        key = normalise(attribution.voice)
        if key in seen:
            continue
        seen.add(key)
        unlisted.append(attribution)
    return unlisted
