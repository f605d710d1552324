"""Dates as written in articles and reference lists (English and Spanish), read to ISO 8601.

Numeric dates with slashes are read month first (MM/DD/YY), the US convention of the seed
article's byline ("01/11/21" is 11 January 2021), unless the first number cannot be a month
(then day first). Two-digit years are 20YY.
"""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}


def _after_first_letter(words: list[str]) -> str:
    """An alternation of ``words`` once their first letter is taken, as a one-level trie: each
    letter's tails behind a check of that letter (case-insensitive, like the patterns' other
    letters). The same matches as ``a|b|c`` in the same order of preference (order is kept
    within a letter, and a character starts words of one letter only)."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "(?i:" + "|".join(f"(?<={re.escape(first)})(?:" + "|".join(re.escape(rest) for rest in tails)
                             + ")" for first, tails in groups.items()) + ")"


# Every character that a month's first letter matches case-insensitively (re.I also lets 's'
# match 'ſ'), written out so that each pattern opens with a plain character class or digit:
# re then skips to candidate characters in C, where a pattern opening with a case-insensitive
# word, \b or a lookbehind is tried at every character of every entry. Same matches as the
# re.I patterns with \b they replace (a word start is checked behind the first character).
_MONTH_FIRST = "[AaDdEeFfJjMmNnOoSs\u017f]"
_MONTH_NAMES = _MONTH_FIRST + _after_first_letter(sorted(MONTHS, key=len, reverse=True))  # longest first
_MONTH = r"(?P<month>" + _MONTH_NAMES + r")\.?"
_WORD_MONTH = r"(?P<month>" + _MONTH_FIRST + r"(?<!\w" + _MONTH_FIRST + r")" \
    + _after_first_letter(sorted(MONTHS, key=len, reverse=True)) + r")\.?"  # \b, then a month
_DAY = r"(?P<day>\d(?<!\w\d)\d?)"  # \b, then one or two digits
_YEAR_AT_WORD = r"(?P<year>\d(?<!\w\d)\d{3})"  # \b, then four digits

PATTERNS = [
    ("iso", re.compile(_YEAR_AT_WORD + r"-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b")),
    ("month day, year", re.compile(_MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\b")),
    ("day month year", re.compile(_DAY + r"(?i:\s+de)?\s+" + _MONTH
                                  + r"(?i:\s+de(?:l)?)?,?\s+(?P<year>\d{4})\b")),
    ("year, month day", re.compile(_YEAR_AT_WORD + r",\s+" + _MONTH + r"\s+(?P<day>\d{1,2})\b")),
    ("year, day month", re.compile(_YEAR_AT_WORD + r",\s+(?P<day>\d{1,2})(?i:\s+de)?\s+" + _MONTH)),
    ("slashes", re.compile(r"(?P<first>\d(?<!\w\d)\d?)/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})\b")),
    ("month year", re.compile(_WORD_MONTH + r"(?i:\s+de(?:l)?)?\s+(?P<year>\d{4})\b")),
    ("year", re.compile(r"(?P<year>[12](?<![\d/.-][12])(?:(?<=1)9|(?<=2)0)\d{2})(?![\d/-])")),
]

_DIGIT = re.compile(r"\d{2}")
_ANY_MONTH = re.compile(_MONTH_FIRST + r"(?<!\w" + _MONTH_FIRST + r")"
                        + _after_first_letter(sorted(MONTHS, key=len, reverse=True)) + r"\b")
_NEEDS_MONTH = {"month day, year", "day month year", "year, month day", "year, day month",
                "month year"}
_ONE_DIGIT = re.compile(r"\d")
_STARTS_WITH_DIGIT = {"iso", "day month year", "year, month day", "year, day month", "slashes", "year"}


def find_date(text: str, full_only: bool = False) -> tuple[str, str, str]:
    """(ISO date or '', the text read, how it was read) for the first date in ``text``.

    Precision follows the text: '2020-12' for a month, '2020' for a year alone;
    ``full_only`` looks for day-month-year dates only.
    """
    best: tuple[int, str, str, str] | None = None
    if not _DIGIT.search(text):
        return "", "", ""
    first_month = _ANY_MONTH.search(text)
    has_month = first_month is not None
    first_digit = _ONE_DIGIT.search(text).start()
    for how, pattern in PATTERNS:
        if full_only and how in ("year", "month year"):
            continue
        if best is not None and how in _STARTS_WITH_DIGIT and first_digit >= best[0]:
            continue  # its matches start at a digit, and no digit comes before the best match
        if best is not None and how == "month year" and has_month and first_month.start() >= best[0]:
            continue  # its matches start at a month word (one _ANY_MONTH finds), none before the best
        if (how in _NEEDS_MONTH and not has_month) or (how == "slashes" and "/" not in text) \
                or (how == "iso" and "-" not in text):
            continue
        for found in pattern.finditer(text):
            if best is not None and found.start() >= best[0]:
                break  # neither this nor a later match of the pattern comes first
            iso = _iso(found, how)
            if iso:
                best = (found.start(), iso, found.group(0), how)
                break
    if best is None:
        return "", "", ""
    _, iso, written, how = best
    return iso, written, how


def _iso(found: re.Match[str], how: str) -> str:
    year = int(found["year"])
    if year < 100:
        year += 2000
    if how == "year":
        return f"{year:04d}"
    if how == "slashes":
        first, second = int(found["first"]), int(found["second"])
        month, day = (first, second) if first <= 12 else (second, first)
        return _valid(year, month, day)
    month = int(found["mnum"]) if how == "iso" else MONTHS[found["month"].casefold()]
    if how == "month year":
        return f"{year:04d}-{month:02d}"
    return _valid(year, month, int(found["day"]))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(year: int, month: int, day: int) -> str:
    """The ISO date, or '' for a day the calendar does not have (those datetime.date refuses)."""
    if not (1 <= year <= 9999 and 1 <= month <= 12 and day >= 1):
        return ""
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return f"{year:04d}-{month:02d}-{day:02d}" if day <= _MONTH_DAYS[month - 1] + leap else ""


def slash_reading_note(written: str, iso: str) -> str:
    """How a slashed date was read, for the report."""
    from dictamen.messages import _

    return _('"{written}" read as month/day/year (US convention) → {iso}; pass article_date to '
             'override').format(written=written, iso=iso)
