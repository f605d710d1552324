"""Reader of dipMex (github.com/emagar/dipMex): Mexico's Chamber of Deputies, member by member.

Three files of one legislature (``6N`` = 60 for the LX, 61 for the LXI):

* ``rc6N.csv`` (``votes_path``): a wide matrix, one row per roll call, one column per seat, codes
  0 = not a member on that date, 1 = aye (yes), 2 = nay (no), 3 = abstained (abstain),
  4 = present but did not vote (present), 5 = absent (absent);
* ``votdat6N.csv`` (``rollcalls_path``): one row per roll call in the matrix's order, with the
  totals ``favor, contra, absten, quorum, ausen``, ``title``, ``filename`` (the roll call's id,
  e.g. ``sil61vot27``) and the date in ``yr, mo, dy``;
* ``dipdat6N.csv`` (``members_path``): one row per seat in the matrix's column order, with the name
  ``nom``, the seat ``id``, the party ``part`` and the state number ``edon``.

Seat ids repeat (two people held one list seat), so matrix column *j* is joined to ``dipdat`` row
*j* by **position**, never by id. Titles and names escape quotes R-style (``\\"``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dictamen.catalog import display_path
from dictamen.errors import InputError
from dictamen.votes.load import (
    DEFAULT_CHAMBERS, _row, chamber_seats, integer_column, load_chambers, read_table, refuse_repeats,
)
from dictamen.votes.model import ABSENT, ABSTAIN, NO, NOT_MEMBER, PRESENT, YES, RollCalls, make_rollcalls

CHAMBER = "Diputados"
#: dipMex matrix code -> option of the model.
OPTION_OF_CODE = np.array([NOT_MEMBER, YES, NO, ABSTAIN, PRESENT, ABSENT], dtype=np.int8)
TOTALS = {"favor": YES, "contra": NO, "absten": ABSTAIN, "quorum": PRESENT, "ausen": ABSENT}
_R_STYLE = {"escapechar": "\\"}


def read_dipmex(votes_path: str | Path, members_path: str | Path, rollcalls_path: str | Path, *,
                chambers_path: str | Path = DEFAULT_CHAMBERS) -> RollCalls:
    """The matrix, ``votdat`` and ``dipdat`` files of one legislature as the roll-call model."""
    chambers = load_chambers(chambers_path)
    seats = chamber_seats(chambers, CHAMBER, path=chambers_path, row=None, column="chamber")
    body = str(chambers.at[CHAMBER, "body"])
    matrix_frame, matrix_path = read_table(votes_path, parameter="votes_path", required=[])
    votdat, votdat_path = read_table(rollcalls_path, parameter="rollcalls_path",
                                     required=["filename", "title", "yr", "mo", "dy", *TOTALS], **_R_STYLE)
    dipdat, dipdat_path = read_table(members_path, parameter="members_path",
                                     required=["nom", "id", "part", "edon"], **_R_STYLE)

    if matrix_frame.shape[1] != len(dipdat):
        raise InputError(
            f"The matrix has {matrix_frame.shape[1]:,} seat columns but the members file "
            f"{display_path(dipdat_path)} has {len(dipdat):,} rows", path=matrix_path, row=1,
            expected="one matrix column per row of dipdat, in the same order (they are joined by position)")
    if len(matrix_frame) != len(votdat):
        raise InputError(
            f"The matrix has {len(matrix_frame):,} roll-call rows but the roll-calls file "
            f"{display_path(votdat_path)} has {len(votdat):,}", path=matrix_path,
            expected="one matrix row per row of votdat, in the same order")
    codes = matrix_frame.to_numpy()
    if codes.dtype.kind not in "iu" or codes.min() < 0 or codes.max() >= len(OPTION_OF_CODE):
        values = pd.to_numeric(pd.Series(codes.ravel()), errors="coerce").to_numpy(dtype="float64")
        bad = ~np.isin(values, np.arange(len(OPTION_OF_CODE)))
        position = int(np.flatnonzero(bad)[0])
        row, column = divmod(position, codes.shape[1])
        raise InputError(f"Unknown vote code {codes.ravel()[position]!r}", path=matrix_path, row=_row(row),
                         column=str(matrix_frame.columns[column]),
                         expected="a dipMex code from 0 to 5 (0 not a member, 1 aye, 2 nay, 3 abstained, "
                                  "4 present but did not vote, 5 absent)")

    ids = votdat["filename"].astype("string").str.strip()
    refuse_repeats(ids, path=votdat_path, column="filename", what="Roll call '{value}'", expected="one row per roll call")
    date = pd.to_datetime(pd.DataFrame({
        "year": integer_column(votdat, "yr", votdat_path, minimum=1900),
        "month": integer_column(votdat, "mo", votdat_path, minimum=1),
        "day": integer_column(votdat, "dy", votdat_path, minimum=1)}), errors="coerce")
    if date.isna().any():
        position = int(np.flatnonzero(date.isna().to_numpy())[0])
        raise InputError("The date in yr, mo, dy is not a calendar date", path=votdat_path, row=_row(position),
                         column="dy", expected="a valid year, month and day")
    rollcalls = make_rollcalls(vote_id=ids.astype(str), date=date.dt.strftime("%Y-%m-%d"), title=votdat["title"],
                               chamber=[body] * len(votdat), seats=[seats] * len(votdat))
    for column in TOTALS:
        rollcalls[f"published_{column}"] = integer_column(votdat, column, votdat_path, minimum=0)

    members = _members(dipdat)
    option = OPTION_OF_CODE[codes]
    n_rollcalls, n_members = option.shape
    seated = option != NOT_MEMBER
    rollcall_index, member_index = np.nonzero(seated)
    votes = pd.DataFrame({"rollcall": rollcall_index.astype(np.int32), "member": member_index.astype(np.int32),
                          "option": option[seated]})
    in_chamber = ((option == YES) | (option == NO) | (option == ABSTAIN) | (option == PRESENT)).sum(axis=1)
    too_many = np.flatnonzero(in_chamber > seats)
    if too_many.size:
        row = int(too_many[0])
        raise InputError(f"Roll call {ids.iloc[row]} has {int(in_chamber[row]):,} members voting or present, more "
                         f"than the {seats:,} seats of the {body}", path=matrix_path, row=_row(row),
                         expected=f"at most {seats:,} members in the chamber (seats from the chambers file)")
    return RollCalls(rollcalls=rollcalls, members=members, votes=votes, source="dipmex",
                     paths={"votes": display_path(matrix_path), "members": display_path(dipdat_path),
                            "rollcalls": display_path(votdat_path)},
                     notes={"chamber": body, "legislature": _legislature(votdat)})


def _members(dipdat: pd.DataFrame) -> pd.DataFrame:
    """One member per matrix column: name, party (upper case), state (from the district seat ids), seat."""
    seat = dipdat["id"].astype("string").fillna("").str.strip()
    state_number = pd.to_numeric(dipdat["edon"], errors="coerce")
    district = seat.str.extract(r"^([a-z]+)\d+[ps]$")[0]
    abbreviation = (pd.DataFrame({"n": state_number, "s": district}).dropna()
                    .drop_duplicates("n").set_index("n")["s"].str.upper())
    party = dipdat["part"].astype("string").fillna("").str.strip().str.upper()
    return pd.DataFrame({
        "member_id": [f"{s}#{i + 1}" for i, s in enumerate(seat)],
        "member": dipdat["nom"].astype("string").fillna("").str.strip().astype(str).to_numpy(),
        "party": party.astype(str).to_numpy(),
        "state": state_number.map(abbreviation).fillna("").astype(str).to_numpy(),
        "seat": seat.astype(str).to_numpy(),
        "seat_type": (dipdat["tipo"].astype("string").fillna("").astype(str).to_numpy()
                      if "tipo" in dipdat else ""),
    })


def _legislature(votdat: pd.DataFrame) -> str:
    values = votdat["leg"].dropna().unique() if "leg" in votdat else []
    return str(int(values[0])) if len(values) == 1 else ""
