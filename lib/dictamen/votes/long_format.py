"""Reader (and writer) of the documented long format: any legislature's per-member votes as plain CSV.

* votes file (``votes_path``): ``vote_id, member_id, member, party, option``, one row per member and
  roll call; ``party`` may be empty ("no party recorded"); ``option`` one of ``yes, no, abstain,
  present, absent, excused, paired, invalid, not_member``;
* roll-calls file (``rollcalls_path``): ``vote_id, date, title`` required (date YYYY-MM-DD);
  ``chamber``, ``seats`` (full membership), ``rule`` (see :mod:`.rules`), ``question``, ``bill``,
  ``result`` (the published outcome) optional;
* members file (``members_path``, optional): ``member_id, member, party`` and any other columns
  (``state``, ``district``, ...), complementing the votes file: its name and party are used where
  the votes file leaves them empty, its other columns become member attributes (a numeric
  ``position``, e.g. a NOMINATE score, orders the parties left to right).

A member's party is the members file's, else the last non-empty party of the votes file.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from dictamen.catalog import display_path
from dictamen.errors import InputError
from dictamen.votes.load import _dates, _row, integer_column, read_table, refuse_repeats, text_column
from dictamen.votes.model import (
    ABSTAIN, NO, OPTION_WORDS, PRESENT, ROLLCALL_COLUMNS, YES, RollCalls, empty_text, make_rollcalls,
    option_codes,
)
from dictamen.votes.rules import parse_rule

VOTE_COLUMNS = ["vote_id", "member_id", "member", "party", "option"]
OPTIONAL_ROLLCALL_COLUMNS = ["chamber", "seats", "rule", "question", "bill", "result"]


def read_long(votes_path: str | Path, rollcalls_path: str | Path, members_path: str | Path = "") -> RollCalls:
    """The long-format files as the roll-call model (roll calls in the roll-calls file's order)."""
    rc, rc_path = read_table(rollcalls_path, parameter="rollcalls_path", required=["vote_id", "date", "title"],
                             dtype=str, keep_default_na=False)
    ids = text_column(rc, "vote_id", rc_path)
    refuse_repeats(ids, path=rc_path, column="vote_id", what="Vote '{value}'", expected="one row per roll call")
    seats = None
    if "seats" in rc:
        seats = integer_column(rc.assign(seats=rc["seats"].replace("", np.nan)), "seats", rc_path, minimum=1,
                               allow_missing=True, what="a number of seats (or empty when unknown)")
    rollcalls = make_rollcalls(vote_id=ids, date=_dates(rc, "date", rc_path), title=rc["title"], seats=seats,
                               **{c: rc[c] for c in OPTIONAL_ROLLCALL_COLUMNS if c in rc and c != "seats"})
    for position, text in enumerate(rollcalls["rule"]):
        if text:
            rollcalls.loc[position, "rule"] = parse_rule(text, path=rc_path, row=_row(position)).name

    frame, votes_file = read_table(votes_path, parameter="votes_path", required=VOTE_COLUMNS, dtype=str,
                                   keep_default_na=False)
    vote_ids = text_column(frame, "vote_id", votes_file)
    member_ids = text_column(frame, "member_id", votes_file)
    option = option_codes(frame["option"], path=votes_file, column="option")
    rollcall = pd.Index(ids).get_indexer(vote_ids)
    if (rollcall < 0).any():
        position = int(np.flatnonzero(rollcall < 0)[0])
        close = difflib.get_close_matches(vote_ids.iloc[position], ids.tolist(), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise InputError(f"Vote {vote_ids.iloc[position]!r} is not in the roll-calls file "
                         f"{display_path(rc_path)}{hint}", path=votes_file, row=_row(position), column="vote_id",
                         expected="a vote_id listed in the roll-calls file")

    members, member = _members(frame, member_ids, members_path)
    key = pd.Series(rollcall.astype(np.int64) * (len(members) + 1) + member)
    twice = key.duplicated().to_numpy()
    if twice.any():
        position = int(np.flatnonzero(twice)[0])
        first = int(np.flatnonzero((key == key.iloc[position]).to_numpy())[0])
        raise InputError(f"Member {member_ids.iloc[position]!r} votes twice on {vote_ids.iloc[position]!r} "
                         f"(first at row {_row(first)})", path=votes_file, row=_row(position), column="member_id",
                         expected="one row per member and roll call")
    in_chamber = np.isin(option, [YES, NO, ABSTAIN, PRESENT])
    counted = np.bincount(rollcall[in_chamber], minlength=len(rollcalls))
    seats_known = rollcalls["seats"].to_numpy(dtype="float64", na_value=np.nan)
    too_many = np.flatnonzero(counted > np.where(np.isnan(seats_known), np.inf, seats_known))
    if too_many.size:
        position = int(too_many[0])
        raise InputError(f"Vote {ids.iloc[position]!r} has {int(counted[position]):,} members voting or present "
                         f"but {int(seats_known[position]):,} seats", path=rc_path, row=_row(position),
                         column="seats", expected="seats (full membership) at least the members voting or present")
    votes = pd.DataFrame({"rollcall": rollcall.astype(np.int32), "member": member.astype(np.int32), "option": option})
    paths = {"votes": display_path(votes_file), "rollcalls": display_path(rc_path)}
    if members_path:
        paths["members"] = members.attrs.pop("path")
    return RollCalls(rollcalls=rollcalls, members=members, votes=votes, source="long", paths=paths,
                     notes={"chamber": _one_value(rollcalls["chamber"])})


def _members(frame: pd.DataFrame, member_ids: pd.Series, members_path: str | Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Members table (first appearance order) and each vote row's member position."""
    codes, uniques = pd.factorize(member_ids)
    rows = pd.DataFrame({"code": codes, "member": empty_text(frame["member"], len(frame)),
                         "party": empty_text(frame["party"], len(frame))})
    named = rows[rows["member"] != ""].drop_duplicates("code", keep="last").set_index("code")["member"]
    party = rows[rows["party"] != ""].drop_duplicates("code", keep="last").set_index("code")["party"]
    members = pd.DataFrame({"member_id": np.asarray(uniques, dtype=object)})
    members["member"] = named.reindex(range(len(uniques))).fillna("").to_numpy()
    members["party"] = party.reindex(range(len(uniques))).fillna("").to_numpy()
    if members_path:
        extra, extra_path = read_table(members_path, parameter="members_path",
                                       required=["member_id", "member", "party"], dtype=str, keep_default_na=False)
        extra_ids = text_column(extra, "member_id", extra_path)
        refuse_repeats(extra_ids, path=extra_path, column="member_id", what="Member '{value}'",
                       expected="one row per member")
        extra = extra.assign(member_id=extra_ids).set_index("member_id").reindex(members["member_id"])
        for column in ("member", "party"):
            given = extra[column].fillna("").astype(str).str.strip().to_numpy()
            members[column] = np.where(given != "", given, members[column].to_numpy())
        for column in extra.columns:
            if column == "position":  # a left-right score (e.g. NOMINATE): orders parties in charts
                members[column] = pd.to_numeric(extra[column], errors="coerce").to_numpy(dtype="float64")
            elif column not in ("member", "party"):
                members[column] = extra[column].fillna("").astype(str).to_numpy()
        members.attrs["path"] = display_path(extra_path)
    members["member"] = np.where(members["member"] == "", members["member_id"], members["member"])
    return members, codes


def _one_value(values: pd.Series) -> str:
    distinct = [v for v in dict.fromkeys(values) if v]
    return distinct[0] if len(distinct) == 1 else ""


def write_long(data: RollCalls, directory: str | Path, stem: str) -> dict[str, Path]:
    """Write a model as long-format files ``STEM_votes.csv``, ``STEM_rollcalls.csv``, ``STEM_members.csv``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    votes = data.votes
    members = data.members
    rollcall_ids = data.rollcalls["vote_id"].to_numpy()
    frame = pd.DataFrame({
        "vote_id": rollcall_ids[votes["rollcall"].to_numpy()],
        "member_id": members["member_id"].to_numpy()[votes["member"].to_numpy()],
        "member": members["member"].to_numpy()[votes["member"].to_numpy()],
        "party": members["party"].to_numpy()[votes["member"].to_numpy()],
        "option": np.array(OPTION_WORDS, dtype=object)[votes["option"].to_numpy()],
    })
    paths = {kind: directory / f"{stem}_{kind}.csv" for kind in ("votes", "rollcalls", "members")}
    frame.to_csv(paths["votes"], index=False)
    data.rollcalls[ROLLCALL_COLUMNS].to_csv(paths["rollcalls"], index=False)
    members.to_csv(paths["members"], index=False)
    return paths

