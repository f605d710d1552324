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
from urllib.parse import urlsplit

from dictamen.sources.language import work_language
from dictamen.sources.outlets import Registry, address_key, normalise

PERSON_CUTOFF = 85.0
TITLE_CUTOFF = 95.0
_ADDRESS_WORD = re.compile(r"[^\W\d_]{2,}")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WEB_WORDS = frozenset("html htm php aspx asp jsp pdf index www com org net gov edu amp "
                       "wp content uploads files file sites default static news noticias "
                       "blog blogs post posts article articles articulo articulos nota notas".split())


def address_words(url: str) -> str:
    """The words of a link's path ("/2010/09/top-25-rankings-of-all-time/" -> "top rankings of all time")."""
    if not url:
        return ""
    path = urlsplit(url).path if "://" in url else url.split("?", 1)[0]
    words = _ADDRESS_WORD.findall(_CAMEL.sub(" ", path.split("#", 1)[0]))
    return " ".join(word for word in words if word.lower() not in _WEB_WORDS)


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
    elif entry.url.lower().startswith(("http://", "https://")):
        entry.outlet_name = address_key(entry.url)[0]  # unknown site: its host, listed as such
    linked = entry.style in ("hyperlink", "address only")
    own_site = linked and not entry.url.lower().startswith(("http://", "https://"))
    if own_site and article_language:
        entry.language, entry.language_method = article_language, "the article's own site"
    elif entry.title or entry.url:
        entry.language, entry.language_method = work_language(
            entry.title, languages, outlet.languages if outlet else (), address_words(entry.url),
            title_is_link_text=linked)
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
    platform as outlet. The person comparisons of an article are made in two rapidfuzz calls
    (every person against every author, and against every title) rather than pair by pair.
    """
    any_person = any(attribution.person for attribution in attributions)
    keys = [([normalise(author) for author in entry.authors],
             normalise(entry.title) if any_person else "",
             normalise(entry.outlet_name or ""),
             normalise(entry.author_outlet_name or entry.author_organisation))
            for entry in entries]
    persons = [normalise(attribution.person) if attribution.person else ""
               for attribution in attributions]
    as_author, in_title = _person_matches(persons, keys)
    by_name: dict[str, set[int]] = {}  # outlet or organisational author -> entry indices
    for index, (_, _, outlet, author_outlet) in enumerate(keys):
        for name in {outlet, author_outlet}:
            by_name.setdefault(name, set()).add(index)
    for attribution, person in zip(attributions, persons):
        organisation = normalise(attribution.organisation_name) if attribution.organisation_name else ""
        platform = normalise(attribution.platform) if attribution.platform else ""
        author_hits = as_author.get(person, set()) if person else set()
        title_hits = in_title.get(person, set()) if person and len(person) >= 6 else set()
        organisation_hits = by_name.get(organisation, set()) if organisation else set()
        platform_hits = {index for index in by_name.get(platform, set())
                         if keys[index][2] == platform} if platform else set()
        scores: dict[int, float] = {}
        for index in sorted(author_hits | title_hits | organisation_hits | platform_hits):
            score = 0.0
            if index in author_hits:
                score += 4
            elif index in title_hits:
                score += 3
            if index in organisation_hits:
                score += 2
            if index in platform_hits:
                score += 1
            if score:
                scores[entries[index].number] = score
        if scores:
            best = max(scores.values())
            attribution.linked_entries = sorted(n for n, s in scores.items() if s == best)


def _person_matches(persons: list[str], keys: list) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """For each distinct person: entries with an author at least PERSON_CUTOFF alike (fuzz.ratio),
    and entries whose title contains the name at partial_ratio >= TITLE_CUTOFF (names of 6+
    characters). Scores under a cutoff are not needed, so rapidfuzz is given the cutoff and
    skips them early."""
    import numpy as np
    from rapidfuzz import fuzz, process

    distinct = sorted({person for person in persons if person})
    as_author: dict[str, set[int]] = {person: set() for person in distinct}
    in_title: dict[str, set[int]] = {person: set() for person in distinct}
    if not distinct:
        return as_author, in_title
    authors = [(index, author) for index, (names, _, _, _) in enumerate(keys) for author in names]
    if authors:
        ratios = process.cdist(distinct, [author for _, author in authors], scorer=fuzz.ratio,
                               dtype=np.float64, score_cutoff=PERSON_CUTOFF)
        for row, column in zip(*np.nonzero(ratios >= PERSON_CUTOFF)):
            as_author[distinct[row]].add(authors[column][0])
    long_names = [person for person in distinct if len(person) >= 6]
    titles = [(index, title) for index, (_, title, _, _) in enumerate(keys) if title]
    if long_names and titles:
        partial = process.cdist(long_names, [title for _, title in titles],
                                scorer=fuzz.partial_ratio, dtype=np.float64,
                                score_cutoff=TITLE_CUTOFF)
        for row, column in zip(*np.nonzero(partial >= TITLE_CUTOFF)):
            in_title[long_names[row]].add(titles[column][0])
    return as_author, in_title


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
