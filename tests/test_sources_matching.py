"""Registry matching keys and the cross-check's fast paths: the same answers as their plain definitions."""

from __future__ import annotations

import importlib
import random
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from dictamen.sources.outlets import normalise

ROOT = Path(__file__).resolve().parents[1]
_COMBINING = re.compile(r"[\u0300-\u036f]")


def normalise_by_definition(name: str) -> str:
    """normalise() as first written, one regex pass per rule: the specification of the key."""
    text = name if name.isascii() else _COMBINING.sub("", unicodedata.normalize("NFKD", name))
    text = text.casefold().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"'s\b|'(?=\s|$)", "", text)
    text = re.sub(r"[^\w@\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the (?=\w)", "", text)


@pytest.mark.parametrize("written, key", [
    ("The New Yorker", "new yorker"),
    ("Mexico’s Proposed Legislation", "mexico proposed legislation"),
    ("the Barrs' view", "barrs view"),
    ("O'Neil's  book\t(2016)", "o neil book 2016"),
    ("Cámara de Diputados", "camara de diputados"),
    ("¿Por qué? «México»", "por que mexico"),
    ("@SEGOB_mx – Twitter", "@segob_mx twitter"),
    ("The", "the"),
    ("ﬁnanzas Straße", "finanzas strasse"),
])
def test_normalise_gives_the_registry_key(written, key):
    assert normalise(written) == key == normalise_by_definition(written)


def test_normalise_equals_its_definition_on_real_text_and_odd_characters():
    real = set()
    for path in sorted((ROOT / "data" / "eval" / "sources" / "articles").iterdir()) + [ROOT / "data" / "outlets.csv"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            real.add(line)
            real.update(re.split(r"[,;.|\"“”]", line))
    odd = list("aSsTtHhE  ''’‘\t\n\x1c\u00a0\u2003@_-.,:!?()“”«»¿¡—/0") + [
        "the ", "The ", "'s", "’s", "'S", "s'", "é", "ñ", "ß", "ﬁ", "İ", "ǰ", "Σ", "ø", "\u0301",
        "＇", "＿", "①", "½", "\U0001d400", "😀", "\u200b", "\u2028", "\x85"]
    rng = random.Random(16)
    generated = {"".join(rng.choice(odd) for _ in range(rng.randint(0, 12))) for _ in range(20000)}
    differing = [text for text in real | generated
                 if normalise.__wrapped__(text) != normalise_by_definition(text)]
    assert len(real) > 5000 and differing == []


@lru_cache(maxsize=1)
def _eval_names_and_titles() -> tuple[list[str], list[str]]:
    """Normalised names (attributed persons, authors) and titles of the eval set and the seed."""
    from dictamen.sources.outlets import load_outlets

    analyse = importlib.import_module("dictamen.sources.analyse")  # the module, not sources.analyse()

    registry = load_outlets(str(ROOT / "data" / "outlets.csv"))
    names, titles = set(), set()
    articles = sorted((ROOT / "data" / "eval" / "sources" / "articles").iterdir()) + [ROOT / "data" / "articles" / "000_844dcaef5a0c3383.txt"]
    for path in articles:
        result = analyse.analyse_text(analyse.read_article(path), registry, ("en", "es"))
        names |= {normalise(attribution.person) for attribution in result.attributions if attribution.person}
        names |= {normalise(author) for entry in result.entries for author in entry.authors}
        titles |= {normalise(entry.title) for entry in result.entries if entry.title}
    return sorted(name for name in names if name), tuple(sorted(titles))


def test_names_in_titles_are_the_pairs_rapidfuzz_scores_95_or_more():
    """The cross-check scores a title only when it can hold the name (``_title_candidates``):
    the titles it finds must be exactly those fuzz.partial_ratio puts at 95 or more, on the
    eval set's names and titles and on titles holding a name with one to three letters
    inserted, deleted or changed (around the cutoff), alone or in a longer title, or much
    shorter than the name."""
    from rapidfuzz import fuzz

    from dictamen.sources.crosscheck import TITLE_CUTOFF, TITLE_MIN_LENGTH, _person_matches

    names, titles = _eval_names_and_titles()
    titles = list(titles)
    rng = random.Random(95)
    letters = "abcdefghijklmnopqrstuvwxyz "
    for name in names:
        for edits in (1, 1, 2, 3):
            varied = list(name)
            for _ in range(edits):
                at = rng.randrange(len(varied) + 1)
                kind = rng.choice("idc")
                if kind == "i" or at == len(varied):
                    varied.insert(at, rng.choice(letters))
                elif kind == "d":
                    del varied[at]
                else:
                    varied[at] = rng.choice(letters)
            titles.append(f"{rng.choice(titles)[:30]} {''.join(varied).strip()} {rng.choice(titles)[-20:]}".strip())
            titles.append("".join(varied).strip())  # about as long as the name: scored both ways
        titles.append(name[2:9])
    assert len(names) > 50 and len(titles) > 300
    found = _person_matches(names, [[] for _ in titles], titles)[1]
    expected = {name: {index for index, title in enumerate(titles)
                       if fuzz.partial_ratio(name, title) >= TITLE_CUTOFF}
                for name in names if len(name) >= TITLE_MIN_LENGTH}
    assert {name: hits for name, hits in found.items() if len(name) >= TITLE_MIN_LENGTH} == expected
    assert sum(len(hits) for hits in expected.values()) > len(names)


def test_persons_as_authors_are_the_pairs_rapidfuzz_scores_85_or_more():
    from rapidfuzz import fuzz

    from dictamen.sources.crosscheck import PERSON_CUTOFF, _person_matches

    names, _ = _eval_names_and_titles()
    rng = random.Random(85)
    authors = [[name, name[::-1]] if rng.random() < 0.3 else
               [name[:at] + name[at + 1:] for at in (rng.randrange(len(name)),)] for name in names]
    found = _person_matches(names, authors, [""] * len(authors))[0]
    expected = {name: {index for index, written in enumerate(authors)
                       if any(fuzz.ratio(name, author) >= PERSON_CUTOFF for author in written)}
                for name in names}
    assert found == expected and sum(map(len, expected.values())) > len(names)


def test_wire_names_found_in_one_pass_are_those_written_in_the_text():
    """wire_credits learns which agency names a text holds, and on which lines, from one regex
    pass of all names: the same names as ``name in text``, and the same lines as looking each
    one up, on the eval set, the seed, and texts where one name begins inside another."""
    from dictamen.sources import links
    from dictamen.sources.outlets import Outlet, Registry, load_outlets

    real = load_outlets(str(ROOT / "data" / "outlets.csv"))
    made_up = [Outlet(name, "wire", "XX", ("es",), "", "test", names=(name,))
               for name in ("AFP", "Prensa Latina", "AP", "APress Wire", "Reuters", "ters News")]
    overlapping = Registry(made_up, {normalise(outlet.name): outlet for outlet in made_up})
    texts = [path.read_text(encoding="utf-8") for path in
             sorted((ROOT / "data" / "eval" / "sources" / "articles").iterdir())
             + [ROOT / "data" / "articles" / "000_844dcaef5a0c3383.txt"]]
    texts += ["Madrid (AFPrensa Latina)\nAFP", "x APress Wire AP\nReuters News\n(Reuters)",
              "AReuters News.\n\nAPrensa Latina", "APress Wir\nAFPrensa Latin"]
    checked = 0
    for registry in (real, overlapping):
        pattern = links._wire_names_pattern(registry)
        for text in texts:
            occurrences = list(pattern.finditer(text))
            if not occurrences:
                continue
            present = links._present_names(registry, text, occurrences)
            assert present == tuple(name for name in links._wire_names(registry) if name in text), text[:80]
            assert links._lines_of(text, occurrences) == links._lines_naming(text, present)
            checked += 1
    assert checked > 10 and links._overlapping_names(overlapping)["AFP"] == {"Prensa Latina"}


def _contained_by_regex(registry):
    """find_in's contained-name rule as first written: one regex of every key, longest first."""
    ordered = sorted(registry.keys, key=len, reverse=True)
    every = re.compile(r"\b(" + "|".join(re.escape(key) for key in ordered if len(key) >= 3) + r")\b")
    return lambda text: found.group(1) if (found := every.search(text)) else None


def test_a_name_contained_in_a_phrase_is_the_one_the_regex_of_all_names_finds():
    """Registry.find_in looks up a phrase's word runs in an index of the registry's names; it
    must find the name the regex of all names finds (leftmost, then longest), on the eval set's
    lines and fragments, on phrases made of registry names and odd joins, and with keys that
    start or end outside a word ("@abc", "abc@")."""
    from dictamen.sources.outlets import Outlet, Registry, load_outlets

    registry = load_outlets(str(ROOT / "data" / "outlets.csv"))
    phrases = set()
    for path in sorted((ROOT / "data" / "eval" / "sources" / "articles").iterdir()):
        for line in path.read_text(encoding="utf-8").splitlines():
            phrases.add(normalise(line))
            phrases.update(normalise(part) for part in re.split(r"[,;.|\"“”()]", line))
    rng = random.Random(7)
    keys = sorted(registry.keys)
    joins = ["", " ", "@", " @", "_", " de ", " the "]
    phrases |= {normalise("".join(rng.choice(keys) + rng.choice(joins) for _ in range(rng.randint(1, 4)))[rng.randint(0, 2):])
                for _ in range(3000)}
    by_regex = _contained_by_regex(registry)
    assert [phrase for phrase in phrases if registry._contained_in(phrase) != by_regex(phrase)] == []
    assert sum(by_regex(phrase) is not None for phrase in phrases) > 2000
    odd_names = ["@abc", "abc@", "ab@cd", "abc", "abcd", "ab cd", "cd@", "@cd ef", "x_y", "uber", "abc abc"]
    outlets = [Outlet(name, "news", "XX", ("en",), "", "test", names=(name,)) for name in odd_names]
    odd = Registry(outlets, dict(zip(odd_names, outlets)))
    pieces = ["abc", "ab", "cd", "@", " ", "ef", "x_y", "über", "d", "_", "-"]
    made = [normalise("".join(rng.choice(pieces) for _ in range(rng.randint(1, 7)))) for _ in range(20000)]
    by_regex = _contained_by_regex(odd)
    assert [phrase for phrase in made if odd._contained_in(phrase) != by_regex(phrase)] == []


def test_wire_credits_read_only_the_lines_outside_the_sources_list_and_find_what_the_whole_text_gives():
    """wire_credits looks for agency names only on lines with a character outside the skipped
    spans; the credits must be those its pattern finds in the whole text, skipped spans aside."""
    from dictamen.sources import links
    from dictamen.sources.bibliography import Entry
    from dictamen.sources.outlets import load_outlets

    registry = load_outlets(str(ROOT / "data" / "outlets.csv"))

    def by_definition(text, skip):
        entries, seen = [], set()
        for found in links._compiled_wire_pattern(links._wire_names(registry)).finditer(text):
            if any(start <= found.start() < end for start, end in skip):
                continue
            name = found.group("paren") or found.group("alone") or found.group("signature")
            outlet = registry.match(name)
            if outlet is not None and outlet.name not in seen:
                seen.add(outlet.name)
                entries.append(Entry(number=1 + len(entries), raw=found.group(0).strip(), offset=found.start(),
                                     style="wire credit", title=name, outlet=name, parsed=True))
        return entries

    rng = random.Random(12)
    credits = ["(EFE)", "EFE", "por AFP", "fin de la nota. Reuters", "(Prensa Latina)", "AP News", "Agencia EFE"]
    texts = [path.read_text(encoding="utf-8") for path in
             sorted((ROOT / "data" / "eval" / "sources" / "articles").iterdir())]
    for _ in range(200):
        lines = ["Texto de la nota sobre la reforma."] * rng.randint(2, 12)
        for _ in range(rng.randint(1, 4)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(credits))
        texts.append("\n".join(lines))
    found_any = 0
    for text in texts:
        for _ in range(3):
            spans = sorted((start, start + rng.randint(0, 200)) for start in
                           (rng.randrange(len(text) + 1) for _ in range(rng.randint(0, 6))))
            expected = by_definition(text, spans)
            assert links.wire_credits(text, registry, spans, set(), 1) == expected
            found_any += bool(expected)
    assert found_any > 100
