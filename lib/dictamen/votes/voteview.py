"""Reader of Voteview files (https://voteview.com/data): members, rollcalls and votes of one congress and chamber.

The President's announced positions appear as a member whose chamber is ``President`` in the
members file; their vote rows may carry the chamber's name, so they are identified through the
members file and left out. Counting rules, as always in dictamen: cast code 1 = yes, 6 = no,
7 and 8 = abstain (Voteview's "present", the House's way to abstain), 9 = absent (not voting), 2-5 = paired or announced (not votes),
0 = not a member. The roll call's id is its ``rollnumber`` as text (``"442"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dictamen.catalog import display_path
from dictamen.errors import InputError
from dictamen.votes.load import (
    DEFAULT_CHAMBERS, _dates, _row, _single_value, chamber_seats, integer_column, load_chambers, read_table,
    refuse_repeats,
    text_column,
)
from dictamen.votes.model import ABSENT, ABSTAIN, NO, NOT_MEMBER, PAIRED, YES, RollCalls, make_rollcalls

DEFAULT_PARTY_CODES = "data/votes/voteview_party_codes.csv"

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

#: cast_code -> option of the model (paired and announced positions both count as ``paired``).
OPTION_OF_CODE = np.array([NOT_MEMBER, YES, PAIRED, PAIRED, PAIRED, PAIRED, NO, ABSTAIN, ABSTAIN, ABSENT],
                          dtype=np.int8)

PRESIDENT = "President"


def load_party_codes(path: str | Path = DEFAULT_PARTY_CODES, *, parameter: str = "party_codes_path") -> dict[int, str]:
    """Voteview party code -> party name."""
    frame, resolved = read_table(path, parameter=parameter, required=["party_code", "party"])
    codes = integer_column(frame, "party_code", resolved, minimum=0)
    names = text_column(frame, "party", resolved)
    return dict(zip(codes.tolist(), names.tolist()))


def party_label(code: int, names: dict[int, str]) -> str:
    """A party's name, or ``Party <code>`` for a code the table does not know."""
    return names.get(int(code), f"Party {int(code)}")



# --------------------------------------------------------------------------- the three files

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
    refuse_repeats(rollcalls["rollnumber"], path=resolved, column="rollnumber", what="Roll call {value}",
                   expected="one row per roll call")
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
    refuse_repeats(members["icpsr"], path=resolved, column="icpsr", what="Member icpsr {value}",
                   expected="one row per member (icpsr)")
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


def read_voteview(votes_path: str | Path, members_path: str | Path, rollcalls_path: str | Path, *,
                  chambers_path: str | Path = DEFAULT_CHAMBERS,
                  party_codes_path: str | Path = DEFAULT_PARTY_CODES) -> RollCalls:
    """The three Voteview files of one congress and chamber as the roll-call model."""
    data = load_voteview(votes_path, members_path, rollcalls_path, chambers_path=chambers_path,
                         party_codes_path=party_codes_path)
    return to_model(data)


def to_model(data: VoteviewData) -> RollCalls:
    """Validated Voteview data as the roll-call model (roll calls in file order, members in file order)."""
    rc = data.rollcalls
    rollcalls = make_rollcalls(
        vote_id=rc["rollnumber"].astype(str), date=rc["date"],
        title=[desc or question for desc, question in zip(rc["vote_desc"], rc["vote_question"])],
        chamber=[data.chamber] * len(rc), seats=[data.seats] * len(rc), question=rc["vote_question"],
        bill=rc["bill_number"], result=rc["vote_result"])
    rollcalls["published_yes"] = rc["yea_count"].to_numpy()
    rollcalls["published_no"] = rc["nay_count"].to_numpy()
    members = pd.DataFrame({
        "member_id": data.members["icpsr"].astype(str).to_numpy(), "member": data.members["name"].to_numpy(),
        "party": data.members["party"].to_numpy(), "state": data.members["state"].to_numpy(),
        "position": data.members["nominate_dim1"].to_numpy(dtype="float64")})
    lookup = np.full(int(max(rc["rollnumber"].max(), data.votes["rollnumber"].max())) + 1, -1, dtype=np.int64)
    lookup[rc["rollnumber"].to_numpy()] = np.arange(len(rc))
    member_of = np.full(int(data.members["icpsr"].max()) + 1, -1, dtype=np.int64)
    member_of[data.members["icpsr"].to_numpy()] = np.arange(len(data.members))
    votes = pd.DataFrame({
        "rollcall": lookup[data.votes["rollnumber"].to_numpy()].astype(np.int32),
        "member": member_of[data.votes["icpsr"].to_numpy()].astype(np.int32),
        "option": OPTION_OF_CODE[data.votes["cast_code"].to_numpy()],
    })
    return RollCalls(rollcalls=rollcalls, members=members, votes=votes, source="voteview", paths=dict(data.paths),
                     notes={"congress": data.congress, "chamber": data.chamber, "seats_source": data.seats_source,
                            "president_rows": data.president_rows})
