"""Words apart from logic: the report's sentences per language, and numbers and dates per locale.

Code writes its sentences in English inside :func:`_` (plural ones with :func:`n_`), gettext's
convention, with named ``{placeholders}`` filled by the caller after translation. Translations live
in one gettext catalogue per room and language, ``lib/dictamen/locales/LANG/LC_MESSAGES/ROOM.po``
(``votes.po``, ``impact.po``, ``sources.po``, ``dossier.po``, ``page.po``, ``notebooks.po``), files a
translator edits with any PO editor; Babel reads them. English needs no catalogue: the message is
its own English text.

A run speaks one language, chosen with :func:`use` (the notebooks' ``language`` parameter). Numbers,
percentages and dates are formatted for that language's locale with Babel (``es_MX`` for Spanish).
"""

from __future__ import annotations

import datetime as _dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

LOCALES = {"en": "en_US", "es": "es_MX"}
"""The languages a report can be written in, and the locale each formats numbers and dates with."""

LOCALE_DIR = Path(__file__).resolve().parent / "locales"

_active = "en"


def use(language: str) -> str:
    """Make ``language`` (``en`` or ``es``) the language of everything said from now on; return it."""
    global _active
    if language not in LOCALES:
        from dictamen.errors import ParameterError

        raise ParameterError(f"Parameter 'language' is {language!r}; expected one of "
                             + ", ".join(repr(code) for code in LOCALES) + ".")
    _active = language
    return language


def language() -> str:
    """The language in use (``en`` unless :func:`use` said otherwise)."""
    return _active


def locale_name(language_code: str | None = None) -> str:
    """The Babel locale of a language (default: the one in use), e.g. ``es_MX``."""
    return LOCALES[language_code or _active]


def _(message: str) -> str:
    """``message`` (English) in the language in use; English when no translation exists."""
    if _active == "en":
        return message
    return _translations(_active).gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the language in use."""
    if _active == "en":
        return singular if count == 1 else plural
    return _translations(_active).ngettext(singular, plural, count)


def say(message: str, /, **values: object) -> str:
    """:func:`_` then ``str.format`` with ``values``, each formatted for the locale (see :func:`show`)."""
    return _(message).format(**{key: show(value) for key, value in values.items()})


def show(value: object) -> str:
    """A value as text for the locale in use: ints with grouping, floats to one decimal, dates long."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return number(value, 1)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return date(value)
    return str(value)


def number(value: float | int, digits: int = 0) -> str:
    """A number with the locale's grouping and decimal signs ("1,234" / "1,234.5")."""
    from babel.numbers import format_decimal

    if isinstance(value, int) or digits == 0:
        return format_decimal(round(value), format="#,##0", locale=locale_name())
    return format_decimal(value, format="#,##0." + "0" * digits, locale=locale_name())


def percent(share: float, digits: int = 1, signed: bool = False) -> str:
    """A share (0.153) as a percentage in the locale ("15.3%"); ``signed`` adds "+" to positive values."""
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    text = format_percent(share, format=pattern, locale=locale_name())
    return ("+" + text) if signed and share > 0 else text


def date(value: _dt.date | _dt.datetime | str, form: str = "long") -> str:
    """A date in the locale: "December 15, 2020" / "15 de diciembre de 2020" (``form``: long, medium, short)."""
    from babel.dates import format_date

    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    return format_date(value, form, locale=locale_name())


def month(value: _dt.date | str) -> str:
    """A month and year in the locale: "Dec 2020" / "dic 2020"."""
    from babel.dates import format_skeleton

    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10] if len(value) >= 10 else value[:7] + "-01")
    return format_skeleton("yMMM", value, locale=locale_name())


def catalogue_files(language_code: str) -> list[Path]:
    """The gettext catalogues of a language, one per room."""
    return sorted((LOCALE_DIR / language_code / "LC_MESSAGES").glob("*.po"))


@lru_cache(maxsize=None)
def _translations(language_code: str) -> gettext.NullTranslations:
    """All catalogues of a language merged into one gettext object (compiled in memory by Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged: gettext.NullTranslations = gettext.NullTranslations()
    for path in catalogue_files(language_code):
        with open(path, "rb") as handle:
            catalogue = read_po(handle, locale=locale_name(language_code))
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        translations = gettext.GNUTranslations(compiled)
        translations.add_fallback(merged)
        merged = translations
    return merged
