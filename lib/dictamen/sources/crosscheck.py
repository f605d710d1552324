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
from dictamen.sources.language import detect_language
from dictamen.sources.outlets import Registry, normalise

PERSON_CUTOFF = 85.0


def enrich_entry(entry: Entry, registry: Registry, languages: tuple[str, ...]) -> None:
    """Registry facts (outlet, type, country) and title language for one entry."""
    if len(entry.authors) == 1 and registry.match(entry.authors[0]) is not None:
        entry.author_organisation, entry.authors = entry.authors[0], []  # "El Universal. ..."
    outlet = registry.match(entry.outlet) if entry.outlet else None
    author_outlet = registry.find_in(entry.author_organisation) if entry.author_organisation else None
    if author_outlet is None and entry.handle:
        author_outlet = registry.match(entry.handle)
    entry.author_outlet_name = author_outlet.name if author_outlet else ""
    if outlet is not None:
        entry.outlet_name, entry.type, entry.country = outlet.name, outlet.type, outlet.country
        if outlet.type == "social media" and author_outlet is not None:
            entry.country = author_outlet.country  # a post's country is its author's
    elif entry.outlet:
        entry.outlet_name = entry.outlet
    if entry.title:
        entry.language, entry.language_method = detect_language(entry.title, languages)


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
    """Fill ``linked_entries`` of each attribution with the numbers of its best-matching entries."""
    from rapidfuzz import fuzz

    any_person = any(attribution.person for attribution in attributions)
    keys = [([normalise(author) for author in entry.authors],
             normalise(entry.title) if any_person else "",
             normalise(entry.outlet_name or ""),
             normalise(entry.author_outlet_name or entry.author_organisation))
            for entry in entries]
    for attribution in attributions:
        person = normalise(attribution.person) if attribution.person else ""
        organisation = normalise(attribution.organisation_name) if attribution.organisation_name else ""
        platform = normalise(attribution.platform) if attribution.platform else ""
        scores: dict[int, float] = {}
        for entry, (authors, title, outlet, author_outlet) in zip(entries, keys):
            score = 0.0
            if person:
                if any(fuzz.ratio(person, author) >= PERSON_CUTOFF for author in authors):
                    score += 4
                elif len(person) >= 6 and title and fuzz.partial_ratio(person, title) >= 95:
                    score += 3
            if organisation and organisation in (outlet, author_outlet):
                score += 2
            if platform and platform == outlet:
                score += 1
            if score:
                scores[entry.number] = score
        if scores:
            best = max(scores.values())
            attribution.linked_entries = sorted(n for n, s in scores.items() if s == best)


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
