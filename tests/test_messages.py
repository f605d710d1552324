"""Every sentence the code can say has its Spanish translation; numbers and dates follow the locale."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

from dictamen import messages, prose

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "dictamen"
KEYWORDS = {"_": None, "n_": (1, 2), "say": None}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _messages_in_code() -> dict[str | tuple[str, str], str]:
    """Every message the package passes to _(), n_() or say(), with where it stands."""
    found: dict[str | tuple[str, str], str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        with open(path, "rb") as handle:
            for line, _function, message, _comments in extract_python(handle, KEYWORDS, [], {}):
                if isinstance(message, tuple):
                    message = tuple(part for part in message if part is not None)
                    message = message if len(message) > 1 else message[0]
                if message:
                    found[message] = f"{path.relative_to(PACKAGE)}:{line}"
    return found


def _spanish() -> dict[str | tuple[str, str], object]:
    catalogue: dict[str | tuple[str, str], object] = {}
    for path in messages.catalogue_files("es"):
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if message.id:
                    catalogue[message.id] = message.string
    return catalogue


def test_every_message_in_the_code_has_a_spanish_translation():
    spanish = _spanish()
    missing = [f"{where}: {message!r}" for message, where in _messages_in_code().items()
               if not spanish.get(message) or (isinstance(spanish[message], tuple) and not all(spanish[message]))]
    assert not missing, "messages without a Spanish translation:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders_of_their_message():
    wrong = []
    for message, translated in _spanish().items():
        sources = message if isinstance(message, tuple) else (message,)
        targets = translated if isinstance(translated, tuple) else (translated,)
        expected = set(PLACEHOLDER.findall(sources[-1]))
        for target in targets:
            if target and set(PLACEHOLDER.findall(target)) != expected:
                wrong.append(f"{message!r} -> {target!r}")
    assert not wrong, "\n".join(wrong)


def test_numbers_percentages_and_dates_follow_the_locale():
    try:
        messages.use("en")
        assert prose.number(1234567) == "1,234,567"
        assert prose.percent(-0.001, signed=True) == "-0.1%"
        assert prose.percent(0.153, signed=True) == "+15.3%"
        assert messages.date(dt.date(2020, 12, 15)) == "December 15, 2020"
        messages.use("es")
        assert messages.date("2020-12-15") == "15 de diciembre de 2020"
        assert messages.number(1234.5, 1) == "1,234.5"  # es_MX: point for decimals, comma for thousands
        assert messages.n_("{n} vote", "{n} votes", 2) in {"{n} votes", "{n} votos"}
    finally:
        messages.use("en")


def test_an_unknown_language_is_refused_naming_the_parameter():
    with pytest.raises(ValueError, match="Parameter 'language' is 'fr'"):
        messages.use("fr")
