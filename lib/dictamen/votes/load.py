"""Shared CSV helpers of the readers, the reported-tally loader and the small reference tables.

Every file is opened through :func:`dictamen.catalog.open_data` (hashed and recorded), read with
pandas, and checked before any number is computed from it. A problem raises
:class:`dictamen.errors.InputError` naming the file, the row and the column. Rows are numbered
as lines of the file: the header is row 1, the first data row is row 2.

* Reported tallies: one row per (vote, source) with ``law_id, chamber, date, stage, in_favor,
  against, abstain, source`` (``body`` and ``source_url`` optional; ``abstain`` may be empty).
* Small reference tables: chambers (seats), source priority, composition.

Member-level files have their own readers: :mod:`.voteview`, :mod:`.dipmex`, :mod:`.long_format`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dictamen.catalog import display_path, open_data
from dictamen.errors import InputError

DEFAULT_CHAMBERS = "data/votes/chambers.csv"
DEFAULT_PRIORITY = "data/votes/tally_source_priority.csv"



# --------------------------------------------------------------------------- generic helpers

def _row(position: int) -> int:
    """File row (header = 1) of the data row at 0-based ``position``."""
    return int(position) + 2


def read_table(path: str | Path, *, parameter: str, required: list[str], **options) -> tuple[pd.DataFrame, Path]:
    """Open a CSV through the catalogue and check it is non-empty and has the required columns.

    ``options`` go to :func:`pandas.read_csv` (e.g. ``escapechar`` for R-style escaped quotes).
    """
    resolved = open_data(path, parameter=parameter)
    try:
        frame = pd.read_csv(resolved, low_memory=False, **options)
    except pd.errors.EmptyDataError:
        raise InputError("The file is empty", path=resolved,
                         expected=f"a CSV header with the columns {', '.join(required)} and data rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"The file cannot be read as CSV ({error})", path=resolved,
                         expected="a UTF-8 comma-separated file with a header row") from None
    frame.columns = [str(column).strip() for column in frame.columns]
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise InputError(
            f"Column '{missing[0]}' is missing (found: {', '.join(frame.columns)})",
            path=resolved, column=missing[0], expected=f"the columns {', '.join(required)}")
    if frame.empty:
        raise InputError("The file has a header but no data rows", path=resolved,
                         expected="at least one data row")
    return frame, resolved


def integer_column(frame: pd.DataFrame, column: str, path: Path, *, minimum: int | None = None,
                   allow_missing: bool = False, what: str = "a whole number") -> np.ndarray:
    """A column as whole numbers (float64 when missing values are allowed), or an InputError at the first bad row."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64")
    missing = np.isnan(values)
    bad = (missing & raw.notna().to_numpy()) | (~missing & (values != np.floor(values)))
    if not allow_missing:
        bad |= missing
    if minimum is not None:
        bad |= ~missing & (values < minimum)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        expected = what if minimum is None else f"{what} >= {minimum}"
        raise InputError(f"Value {raw.iloc[position]!r} is not valid", path=path, row=_row(position),
                         column=column, expected=expected)
    if allow_missing:
        return values
    return values.astype(np.int64)


def text_column(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """A column of non-empty text, or an InputError at the first empty cell."""
    values = frame[column].astype("string").str.strip()
    empty = values.isna() | (values == "")
    if empty.any():
        position = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputError("The cell is empty", path=path, row=_row(position), column=column,
                         expected="non-empty text")
    return values.astype(str)


def refuse_repeats(values: pd.Series, *, path: Path, column: str, what: str, expected: str) -> None:
    """An InputError at the first value seen before (``what`` names it, e.g. "Roll call {value}")."""
    repeated = values.duplicated().to_numpy()
    if repeated.any():
        position = int(np.flatnonzero(repeated)[0])
        raise InputError(f"{what.format(value=values.iloc[position])} appears twice", path=path, row=_row(position),
                         column=column, expected=expected)


def _single_value(values: pd.Series, column: str, path: Path, what: str):
    """The one value a column must hold throughout a file (one congress, one chamber)."""
    first = values.iloc[0]
    differs = (values != first).to_numpy()
    if differs.any():
        position = int(np.flatnonzero(differs)[0])
        raise InputError(f"The file mixes {what}s: {first!r} and {values.iloc[position]!r}", path=path,
                         row=_row(position), column=column, expected=f"a single {what} per file")
    return first


# --------------------------------------------------------------------------- reference tables

def load_chambers(path: str | Path = DEFAULT_CHAMBERS, *, parameter: str = "chambers_path") -> pd.DataFrame:
    """Seats per chamber, with the source of each figure; one row per chamber name."""
    frame, resolved = read_table(path, parameter=parameter, required=["chamber", "seats", "source"])
    chambers = pd.DataFrame({
        "chamber": text_column(frame, "chamber", resolved),
        "body": frame["body"].astype("string").fillna(frame["chamber"].astype("string")).astype(str)
        if "body" in frame else text_column(frame, "chamber", resolved),
        "seats": integer_column(frame, "seats", resolved, minimum=1),
        "source": text_column(frame, "source", resolved),
    })
    duplicated = chambers["chamber"].duplicated().to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        raise InputError(f"Chamber {chambers['chamber'].iloc[position]!r} is listed twice", path=resolved,
                         row=_row(position), column="chamber", expected="one row per chamber")
    chambers.attrs["path"] = display_path(resolved)
    return chambers.set_index("chamber", drop=False)


def chamber_seats(chambers: pd.DataFrame, chamber: str, *, path: Path, row: int | None, column: str) -> int:
    """Seats of ``chamber``, or an InputError saying the chambers file does not list it."""
    if chamber not in chambers.index:
        raise InputError(
            f"Chamber {chamber!r} is not in the chambers file {chambers.attrs.get('path', '')}",
            path=path, row=row, column=column,
            expected=f"one of {', '.join(chambers.index)} (or add the chamber and its seats to the chambers file)")
    return int(chambers.at[chamber, "seats"])


def load_priority(path: str | Path = DEFAULT_PRIORITY, *, parameter: str = "priority_path") -> pd.DataFrame:
    """Declared source priority for headline tallies: rank (1 = preferred), source, kind, reason."""
    frame, resolved = read_table(path, parameter=parameter, required=["rank", "source"])
    priority = pd.DataFrame({
        "rank": integer_column(frame, "rank", resolved, minimum=1),
        "source": text_column(frame, "source", resolved),
        "kind": frame["kind"].astype("string").fillna("").astype(str) if "kind" in frame else "",
    })
    duplicated = priority["source"].duplicated().to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        raise InputError(f"Source {priority['source'].iloc[position]!r} is ranked twice", path=resolved,
                         row=_row(position), column="source", expected="one row per source")
    priority.attrs["path"] = display_path(resolved)
    return priority.sort_values("rank", kind="stable").reset_index(drop=True)


def load_composition(path: str | Path, *, parameter: str = "composition_path") -> pd.DataFrame:
    """Seats per group of a chamber on one date (context, e.g. at a legislature's installation)."""
    frame, resolved = read_table(path, parameter=parameter, required=["chamber", "as_of", "group", "seats", "source"])
    composition = pd.DataFrame({
        "chamber": text_column(frame, "chamber", resolved),
        "as_of": _dates(frame, "as_of", resolved),
        "group": text_column(frame, "group", resolved),
        "seats": integer_column(frame, "seats", resolved, minimum=0),
        "source": text_column(frame, "source", resolved),
    })
    composition.attrs["path"] = display_path(resolved)
    return composition


def _dates(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    text = frame[column].astype("string").str.strip()
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise InputError(f"Date {frame[column].iloc[position]!r} is not valid", path=path, row=_row(position),
                         column=column, expected="a date written YYYY-MM-DD")
    return parsed.dt.strftime("%Y-%m-%d").astype(str)


# --------------------------------------------------------------------------- reported tallies

@dataclass(frozen=True)
class ReportedTallies:
    """The reported tallies of one law: one row per (vote, source), counts validated."""

    law_id: str
    rows: pd.DataFrame
    path: str
    chambers: pd.DataFrame


def load_tallies(path: str | Path, law_id: str, *, chambers_path: str | Path = DEFAULT_CHAMBERS) -> ReportedTallies:
    """Reported tallies of ``law_id`` from a tallies file (the whole file is validated)."""
    chambers = load_chambers(chambers_path)
    frame, resolved = read_table(path, parameter="tallies_path",
                                 required=["law_id", "chamber", "date", "stage", "in_favor", "against", "abstain",
                                           "source"])
    rows = pd.DataFrame({
        "law_id": text_column(frame, "law_id", resolved),
        "chamber": text_column(frame, "chamber", resolved),
        "date": _dates(frame, "date", resolved),
        "stage": text_column(frame, "stage", resolved),
        "yes": integer_column(frame, "in_favor", resolved, minimum=0, what="a count of votes"),
        "no": integer_column(frame, "against", resolved, minimum=0, what="a count of votes"),
        "abstain": integer_column(frame, "abstain", resolved, minimum=0, allow_missing=True,
                                  what="a count of votes (or empty when not reported)"),
        "source": text_column(frame, "source", resolved),
        "source_url": frame["source_url"].astype("string").fillna("").astype(str) if "source_url" in frame else "",
        "row": np.arange(len(frame)) + 2,
    })
    rows["body"] = (frame["body"].astype("string").fillna("").astype(str) if "body" in frame else "")
    seats = np.array([chamber_seats(chambers, chamber, path=resolved, row=_row(i), column="chamber")
                      for i, chamber in enumerate(rows["chamber"])])
    rows["membership"] = seats
    recorded = rows["yes"] + rows["no"] + rows["abstain"].fillna(0)
    too_large = (recorded > seats).to_numpy()
    if too_large.any():
        position = int(np.flatnonzero(too_large)[0])
        raise InputError(f"The tally {int(recorded.iloc[position])} (in_favor + against + abstain) is larger than "
                         f"the {seats[position]} seats of {rows['chamber'].iloc[position]}", path=resolved,
                         row=_row(position), column="in_favor",
                         expected="at most the chamber's seats (chambers file)")
    key = rows[["law_id", "chamber", "date", "stage", "source"]]
    duplicated = key.duplicated().to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        raise InputError("The same source reports the same vote twice", path=resolved, row=_row(position),
                         column="source", expected="one row per vote and source")
    chosen = rows.loc[rows["law_id"] == law_id].reset_index(drop=True)
    if chosen.empty:
        known = ", ".join(sorted(rows["law_id"].unique()))
        raise InputError(f"Law {law_id!r} (parameter 'law_id') has no tallies in the file", path=resolved,
                         column="law_id", expected=f"one of: {known}")
    return ReportedTallies(law_id=law_id, rows=chosen, path=display_path(resolved), chambers=chambers)
