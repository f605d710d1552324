"""The one-pass cue scan (hyperscan) changes the speed of attribution finding, never its results."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pytest

from dictamen.sources import attributions, literals
from dictamen.sources.literals import LiteralSet
from dictamen.sources.outlets import load_outlets
from dictamen.sources.read import ARTICLE_SUFFIXES, read_article

ROOT = Path(__file__).resolve().parents[1]
REAL_ARTICLES = sorted(path for folder in ("data/articles", "data/eval/sources/articles",
                                           "data/eval/sources-heldout/articles",
                                           "data/eval/sources-heldout-2/articles")
                       for path in (ROOT / folder).iterdir()
                       if path.suffix in ARTICLE_SUFFIXES and not path.name.startswith("synthetic"))


def test_hyperscan_is_used_where_it_has_a_wheel():
    """CI (Linux x86-64) runs the fast path, so the comparison below compares two paths."""
    if sys.platform == "linux" and platform.machine() == "x86_64":
        assert literals.ENABLED


@pytest.mark.skipif(not literals.ENABLED, reason="hyperscan is not installed here")
def test_every_occurrence_is_found_at_its_character_offset():
    words = {"cues": ["según", "according to", "reports"], "nouns": [" blog", " informe"]}
    text = ("“Según” 😀 el blog de Ana, según datos — according to\tX, according to Y; "
            "Reuters reports… señaló el informe 😀 del blog según") * 3
    found = LiteralSet(words).find(text)
    for group, group_words in words.items():
        expected = sorted({at for word in group_words for at in range(len(text)) if text.startswith(word, at)})
        assert found[group] == expected, group
    assert found["cues"] and found["nouns"]


def test_a_word_the_scan_cannot_hold_is_refused():
    for word in ("", "100%?", "según’s"):
        with pytest.raises(ValueError, match="is empty, holds '\\?' or a character beyond Latin-1"):
            LiteralSet({"cues": [word]})


@pytest.mark.skipif(not literals.ENABLED, reason="hyperscan is not installed here")
def test_attributions_are_the_same_with_and_without_the_one_pass_scan(monkeypatch):
    """Every real article of the three evaluation sets and the seed: the same attributions, cues,
    offsets and roles whether the cue words come from hyperscan or re scans the whole text."""
    assert len(REAL_ARTICLES) >= 70
    registry = load_outlets(str(ROOT / "data" / "outlets.csv"))

    def is_outlet(name: str) -> bool:
        return registry.match(name) is not None

    found_with, found_without = {}, {}
    for path in REAL_ARTICLES:
        text = read_article(path).text
        found_with[path.name] = repr(attributions.find_attributions(text, None, is_outlet))
        monkeypatch.setattr(literals, "ENABLED", False)
        found_without[path.name] = repr(attributions.find_attributions(text, None, is_outlet))
        monkeypatch.setattr(literals, "ENABLED", True)
    assert found_with == found_without
    assert sum(text.count("Attribution(") for text in found_with.values()) >= 80
