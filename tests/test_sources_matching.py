"""Registry matching keys and the cross-check's fast paths: the same answers as their plain definitions."""

from __future__ import annotations

import random
import re
import unicodedata
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
