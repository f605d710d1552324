"""Loaders for vote data, validated on load: Voteview files and reported-tally files.

Every file is opened through :func:`dictamen.catalog.open_data` (hashed and recorded), read with
pandas, and checked before any number is computed from it. A problem raises
:class:`dictamen.errors.InputError` naming the file, the row and the column. Rows are numbered
as lines of the file: the header is row 1, the first data row is row 2.

Formats accepted:

* Voteview ``members`` / ``rollcalls`` / ``votes`` CSV files of any congress and chamber
  (https://voteview.com/data). The President's announced positions appear as a member whose
  chamber is ``President`` in the members file; their vote rows may carry the chamber's name,
  so they are identified through the members file and left out of every tally.
* Reported tallies: one row per (vote, source) with ``law_id, chamber, date, stage, in_favor,
  against, abstain, source`` (``body`` and ``source_url`` optional; ``abstain`` may be empty).
* Small reference tables: chambers (seats), Voteview party codes, source priority, composition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dictamen.catalog import display_path, open_data
from dictamen.errors import InputError

DEFAULT_CHAMBERS = "data/votes/chambers.csv"
DEFAULT_PARTY_CODES = "data/votes/voteview_party_codes.csv"
DEFAULT_PRIORITY = "data/votes/tally_source_priority.csv"

#: Voteview cast codes and what they count as in a tally.
CAST_CODES: dict[int, str] = {
    0: "not a member",
    1: "yea",
    2: "paired yea",
    3: "announced yea",
    4: "announced nay",
    5: "paired nay",
    6: "nay",
    7: "present",
    8: "present",
    9: "not voting",
}

#: Tally options, in display order; integer codes index this tuple.
OPTIONS: tuple[str, ...] = ("yes", "no", "abstain", "not_voting", "announced")
YES, NO, ABSTAIN, NOT_VOTING, ANNOUNCED, NOT_MEMBER = range(6)

#: cast_code -> option index (0 yes ... 4 announced, 5 not a member).
OPTION_OF_CODE = np.array([NOT_MEMBER, YES, ANNOUNCED, ANNOUNCED, ANNOUNCED, ANNOUNCED, NO,
                           ABSTAIN, ABSTAIN, NOT_VOTING], dtype=np.int8)

PRESIDENT = "President"


# --------------------------------------------------------------------------- generic helpers

def _row(position: int) -> int:
    """File row (header = 1) of the data row at 0-based ``position``."""
    return int(position) + 2


def read_table(path: str | Path, *, parameter: str, required: list[str]) -> tuple[pd.DataFrame, Path]:
    """Open a CSV through the catalogue and check it is non-empty and has the required columns."""
    resolved = open_data(path, parameter=parameter)
    try:
        frame = pd.read_csv(resolved, low_memory=False)
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


def load_party_codes(path: str | Path = DEFAULT_PARTY_CODES, *, parameter: str = "party_codes_path") -> dict[int, str]:
    """Voteview party code -> party name."""
    frame, resolved = read_table(path, parameter=parameter, required=["party_code", "party"])
    codes = integer_column(frame, "party_code", resolved, minimum=0)
    names = text_column(frame, "party", resolved)
    return dict(zip(codes.tolist(), names.tolist()))


def party_label(code: int, names: dict[int, str]) -> str:
    """A party's name, or ``Party <code>`` for a code the table does not know."""
    return names.get(int(code), f"Party {int(code)}")


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


# --------------------------------------------------------------------------- Voteview

@dataclass(frozen=True)
class VoteviewData:
    """One congress and chamber of Voteview data, validated, the President's rows set aside.

    ``votes``: rollnumber (int32), icpsr (int32), cast_code (int8), one row per member and roll call.
    ``members``: icpsr, name, state, party_code, party, nominate_dim1 (the chamber's members only).
    ``rollcalls``: rollnumber, date, yea_count, nay_count, bill_number, vote_result, vote_question,
    vote_desc.
    """

    congress: int
    chamber: str
    seats: int
    seats_source: str
    votes: pd.DataFrame
    members: pd.DataFrame
    rollcalls: pd.DataFrame
    president_icpsr: tuple[int, ...] = ()
    president_rows: int = 0
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def member_votes(self) -> int:
        return len(self.votes)


_OPTIONAL_ROLLCALL_TEXT = ("bill_number", "vote_result", "vote_question", "vote_desc")


def load_rollcalls(path: str | Path, *, parameter: str = "rollcalls_path") -> pd.DataFrame:
    """A Voteview rollcalls file: one row per roll call with Voteview's own yea/nay counts."""
    frame, resolved = read_table(path, parameter=parameter,
                                 required=["congress", "chamber", "rollnumber", "date", "yea_count", "nay_count"])
    rollcalls = pd.DataFrame({
        "congress": integer_column(frame, "congress", resolved, minimum=1),
        "chamber": text_column(frame, "chamber", resolved),
        "rollnumber": integer_column(frame, "rollnumber", resolved, minimum=1),
        "date": _dates(frame, "date", resolved),
        "yea_count": integer_column(frame, "yea_count", resolved, minimum=0),
        "nay_count": integer_column(frame, "nay_count", resolved, minimum=0),
    })
    for column in _OPTIONAL_ROLLCALL_TEXT:
        rollcalls[column] = (frame[column].astype("string").fillna("").astype(str)
                             if column in frame else "")
    duplicated = rollcalls["rollnumber"].duplicated().to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        raise InputError(f"Roll call {rollcalls['rollnumber'].iloc[position]} appears twice", path=resolved,
                         row=_row(position), column="rollnumber", expected="one row per roll call")
    rollcalls.attrs["path"] = resolved
    return rollcalls


def load_members(path: str | Path, party_names: dict[int, str], *, parameter: str = "members_path") -> pd.DataFrame:
    """A Voteview members file, including any President row (chamber == 'President')."""
    frame, resolved = read_table(path, parameter=parameter,
                                 required=["congress", "chamber", "icpsr", "state_abbrev", "party_code", "bioname"])
    members = pd.DataFrame({
        "congress": integer_column(frame, "congress", resolved, minimum=1),
        "chamber": text_column(frame, "chamber", resolved),
        "icpsr": integer_column(frame, "icpsr", resolved, minimum=1),
        "name": text_column(frame, "bioname", resolved),
        "state": frame["state_abbrev"].astype("string").fillna("").astype(str),
        "party_code": integer_column(frame, "party_code", resolved, minimum=0),
        "nominate_dim1": (pd.to_numeric(frame["nominate_dim1"], errors="coerce")
                          if "nominate_dim1" in frame else np.nan),
    })
    members["party"] = [party_label(code, party_names) for code in members["party_code"]]
    duplicated = members["icpsr"].duplicated().to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        raise InputError(f"Member icpsr {members['icpsr'].iloc[position]} appears twice", path=resolved,
                         row=_row(position), column="icpsr", expected="one row per member (icpsr)")
    members.attrs["path"] = resolved
    return members


def load_voteview(votes_path: str | Path, members_path: str | Path, rollcalls_path: str | Path, *,
                  chambers_path: str | Path = DEFAULT_CHAMBERS,
                  party_codes_path: str | Path = DEFAULT_PARTY_CODES) -> VoteviewData:
    """Load and cross-check the three Voteview files of one congress and chamber."""
    chambers = load_chambers(chambers_path)
    party_names = load_party_codes(party_codes_path)
    rollcalls = load_rollcalls(rollcalls_path)
    rollcalls_file = rollcalls.attrs["path"]
    congress = int(_single_value(rollcalls["congress"], "congress", rollcalls_file, "congress"))
    chamber = str(_single_value(rollcalls["chamber"], "chamber", rollcalls_file, "chamber"))
    seats = chamber_seats(chambers, chamber, path=rollcalls_file, row=2, column="chamber")

    members = load_members(members_path, party_names)
    members_file = members.attrs["path"]
    _single_value(members["congress"], "congress", members_file, "congress")
    if int(members["congress"].iloc[0]) != congress:
        raise InputError(f"Members are of congress {members['congress'].iloc[0]}, roll calls of congress {congress}",
                         path=members_file, row=2, column="congress",
                         expected="the members file of the same congress as the rollcalls file")
    is_president = (members["chamber"] == PRESIDENT).to_numpy()
    other = ~is_president & (members["chamber"] != chamber).to_numpy()
    if other.any():
        position = int(np.flatnonzero(other)[0])
        raise InputError(f"Member of chamber {members['chamber'].iloc[position]!r} in a {chamber} file",
                         path=members_file, row=_row(position), column="chamber",
                         expected=f"'{chamber}' or '{PRESIDENT}'")
    president_icpsr = tuple(int(i) for i in members.loc[is_president, "icpsr"])
    chamber_members = members.loc[~is_president].reset_index(drop=True)

    votes, president_rows, votes_file = _load_votes(votes_path, congress, chamber, seats, rollcalls,
                                                    chamber_members, president_icpsr)
    return VoteviewData(
        congress=congress, chamber=chamber, seats=seats, seats_source=str(chambers.at[chamber, "source"]),
        votes=votes, members=chamber_members, rollcalls=rollcalls.drop(columns=["congress", "chamber"]),
        president_icpsr=president_icpsr, president_rows=president_rows,
        paths={"votes": display_path(votes_file), "members": display_path(members_file),
               "rollcalls": display_path(rollcalls_file), "chambers": chambers.attrs["path"]},
    )


def _load_votes(path, congress: int, chamber: str, seats: int, rollcalls: pd.DataFrame,
                members: pd.DataFrame, president_icpsr: tuple[int, ...]) -> tuple[pd.DataFrame, int, Path]:
    frame, resolved = read_table(path, parameter="votes_path",
                                 required=["congress", "chamber", "rollnumber", "icpsr", "cast_code"])
    rollnumber = integer_column(frame, "rollnumber", resolved, minimum=1)
    icpsr = integer_column(frame, "icpsr", resolved, minimum=1)
    cast_code = integer_column(frame, "cast_code", resolved, minimum=0)
    unknown = cast_code > 9
    if unknown.any():
        position = int(np.flatnonzero(unknown)[0])
        raise InputError(f"Unknown vote code {frame['cast_code'].iloc[position]!r}", path=resolved,
                         row=_row(position), column="cast_code",
                         expected="a Voteview cast_code from 0 to 9 (1 yea, 2-3 paired/announced yea, "
                                  "4-5 announced/paired nay, 6 nay, 7-8 present, 9 not voting, 0 not a member)")
    congress_values = integer_column(frame, "congress", resolved, minimum=1)
    wrong_congress = congress_values != congress
    if wrong_congress.any():
        position = int(np.flatnonzero(wrong_congress)[0])
        raise InputError(f"Vote of congress {congress_values[position]} in a file set of congress {congress}",
                         path=resolved, row=_row(position), column="congress",
                         expected=f"congress {congress}, as in the rollcalls file")
    is_president = np.isin(icpsr, np.array(president_icpsr, dtype=np.int64))
    chamber_text = frame["chamber"].astype("string").fillna("").to_numpy(dtype=object)
    wrong_chamber = ~is_president & (chamber_text != chamber)
    if wrong_chamber.any():
        position = int(np.flatnonzero(wrong_chamber)[0])
        raise InputError(f"Vote in chamber {chamber_text[position]!r} in a {chamber} file set", path=resolved,
                         row=_row(position), column="chamber", expected=f"'{chamber}', as in the rollcalls file")

    known_rollcalls = rollcalls["rollnumber"].to_numpy()
    unknown_rollcall = ~np.isin(rollnumber, known_rollcalls)
    if unknown_rollcall.any():
        position = int(np.flatnonzero(unknown_rollcall)[0])
        raise InputError(f"Roll call {rollnumber[position]} is not in the rollcalls file", path=resolved,
                         row=_row(position), column="rollnumber",
                         expected=f"roll calls listed in {display_path(rollcalls.attrs['path'])}")
    unknown_member = ~is_president & ~np.isin(icpsr, members["icpsr"].to_numpy())
    if unknown_member.any():
        position = int(np.flatnonzero(unknown_member)[0])
        raise InputError(f"Member icpsr {icpsr[position]} is not in the members file", path=resolved,
                         row=_row(position), column="icpsr",
                         expected=f"members listed in {display_path(members.attrs['path'])}")
    key = rollnumber * (int(icpsr.max()) + 1) + icpsr
    duplicated = pd.Series(key).duplicated().to_numpy()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated)[0])
        first = int(np.flatnonzero(key == key[position])[0])
        raise InputError(f"Member icpsr {icpsr[position]} votes twice on roll call {rollnumber[position]} "
                         f"(first at row {_row(first)})", path=resolved, row=_row(position), column="icpsr",
                         expected="one vote per member and roll call")

    keep = ~is_president
    votes = pd.DataFrame({
        "rollnumber": rollnumber[keep].astype(np.int32),
        "icpsr": icpsr[keep].astype(np.int32),
        "cast_code": cast_code[keep].astype(np.int8),
    })
    seated = np.bincount(votes["rollnumber"].to_numpy(), weights=(votes["cast_code"].to_numpy() != 0))
    too_many = np.flatnonzero(seated > seats)
    if too_many.size:
        rollcall = int(too_many[0])
        position = int(np.flatnonzero(keep & (rollnumber == rollcall))[-1])
        raise InputError(f"Roll call {rollcall} has {int(seated[rollcall])} members voting or absent, more than the "
                         f"{seats} seats of the {chamber}", path=resolved, row=_row(position), column="rollnumber",
                         expected=f"at most {seats} members per roll call (seats from the chambers file)")
    return votes, int(is_president.sum()), resolved


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
