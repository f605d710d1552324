"""Errors that explain themselves: what was wrong, where, and what was expected."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from dictamen.paths import display_path


class InputError(ValueError):
    """Bad input data: names the file, the row and column when known, and what was expected.

    The message is one paragraph meant for the analyst who supplied the file, not a traceback.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = str(path) if path is not None else None
        self.row = row
        self.column = column
        self.expected = expected
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.path:
            where.append(f"in {_shown_path(self.path)}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = self.problem.rstrip(".")
        if where:
            text = f"{text} ({', '.join(where)})"
        if self.expected:
            text += f"; expected {self.expected.rstrip('.')}"
        return plain_numbers(text + ".")


class ParameterError(ValueError):
    """A report parameter that cannot be used: names the report, parameter, value and expectation."""


class ConfigError(ValueError):
    """A reports.toml (or other configuration) problem; the CLI exits with status 2."""


def _shown_path(path: str) -> str:
    """A path as it may appear in a shared report: project-relative, never absolute."""
    return display_path(path)


# ---------------------------------------------------------------------------------------------
# Helpful details for messages: numbers as numbers, close names, what a file that is not UTF-8 text is

_NUMPY_SCALAR = re.compile(r"\bnp\.(?:float|int|uint|complex|bool|str)_?\d*\(([^()]*)\)")


def plain_numbers(text: str) -> str:
    """``np.float64(12.0)`` (numpy 2's repr of a value taken from a frame) written as ``12.0``."""
    return _NUMPY_SCALAR.sub(lambda match: match.group(1), text)



def close_names(wanted: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The names among ``choices`` closest to ``wanted`` (a typo, another case), closest first."""
    from rapidfuzz import fuzz, process, utils

    options = sorted({str(choice) for choice in choices})
    found = process.extract(str(wanted), options, scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=75)
    return [name for name, _, _ in found]


def did_you_mean(wanted: str, choices: Iterable[str]) -> str:
    """' (did you mean 'X'?)' for the closest names, or '' when none is close."""
    close = close_names(wanted, choices)
    return f" (did you mean {' or '.join(repr(name) for name in close)}?)" if close else ""


def names_expected(wanted: str, choices: Iterable[str], shown: int = 8) -> str:
    """'one of: A, B, C and 40 more' with the names closest to ``wanted`` first, so a long list
    never hides the right one."""
    options = sorted({str(choice) for choice in choices})
    close = close_names(wanted, options, limit=shown)
    ordered = close + [name for name in options if name not in close]
    text = ", ".join(ordered[:shown])
    if len(ordered) > shown:
        text += f" and {len(ordered) - shown} more"
    return f"one of: {text}"


_NOT_TEXT = (
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx or OpenDocument spreadsheet is one)",
     "open it in the spreadsheet program and save the sheet as CSV UTF-8, or the text as UTF-8 plain text"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (Excel .xls or Word .doc)",
     "open it in the spreadsheet or word processor and save it as CSV UTF-8 or UTF-8 plain text"),
    (b"%PDF", "a PDF document", "copy its text into a UTF-8 plain-text file"),
    (b"\xff\xfe", "UTF-16 text (it starts with a UTF-16 byte-order mark)",
     "save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 FILE > NEW"),
    (b"\xfe\xff", "UTF-16 text (it starts with a UTF-16 byte-order mark)",
     "save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 FILE > NEW"),
)


def not_text_reason(raw: bytes) -> str | None:
    """Why ``raw`` is not UTF-8 text, naming what it is and what to do; None when it is UTF-8 text."""
    return utf8_text(raw)[1]


def utf8_text(raw: bytes) -> tuple[str | None, str | None]:
    """(the text, None) when ``raw`` is UTF-8 text (a byte-order mark dropped), else (None, why
    not, as :func:`not_text_reason` says it): the bytes are decoded once for both."""
    for magic, what, todo in _NOT_TEXT:
        if raw.startswith(magic):
            return None, f"the file is {what}, not UTF-8 text; {todo}"
    if b"\x00" in raw[:8192]:
        return None, "the file looks binary (it contains NUL bytes), not UTF-8 text"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            return None, f"the file is not valid UTF-8 (byte {error.start} cannot be decoded); save it as UTF-8"
        return None, (f"the file is not UTF-8 but looks like Latin-1 (Windows-1252) text (byte {error.start}, "
                      f"0x{raw[error.start]:02x}, is a Latin-1 character); save it as UTF-8, e.g. "
                      "iconv -f WINDOWS-1252 -t UTF-8 FILE > NEW")
