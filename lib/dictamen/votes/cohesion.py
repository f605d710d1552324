"""Party cohesion from member-level votes: Rice, agreement index, CQ party unity, defectors.

Definitions (yes, no, abstain = counts of a party's members on one roll call):

* Rice index = |yes - no| / (yes + no). Ignores abstentions.
* Agreement index (Hix, Noury & Roland 2005) = (max(Y, N, A) - (Y + N + A - max(Y, N, A)) / 2) / (Y + N + A).
  Counts abstentions as a third option: 10 yes, 10 no, 100 abstain gives Rice 0, agreement 0.75.
* Party majority: yes if more of the party's members voted yes than no, no if fewer, none on a tie.
* Defector: a member who voted yes (or no) when the party's majority voted the other way.
* Party-unity vote (Congressional Quarterly): a roll call on which a majority of one of the two
  largest parties voted against a majority of the other. A member's CQ party unity score is the
  share of the party-unity votes they cast (yes or no) on which they sided with their party majority.

Paired and announced positions (cast codes 2-5) are not votes and count nowhere here.
Legislature mode computes all of this for every roll call at once with numpy (one ``bincount``
and array indexing), never a Python loop over roll calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dictamen.votes.load import ABSTAIN, NO, OPTION_OF_CODE, OPTIONS, YES, VoteviewData
from dictamen.votes.tally import TALLY_COLUMNS, apply_rule, option_counts, require_rollcall, with_shares

#: +1 yes, -1 no, 0 anything else, by cast code.
DIRECTION_OF_CODE = np.array([0, 1, 0, 0, 0, 0, -1, 0, 0, 0], dtype=np.int8)


def rice_index(yes, no):
    """|yes - no| / (yes + no); NaN where nobody voted yes or no."""
    yes = np.asarray(yes, dtype="float64")
    no = np.asarray(no, dtype="float64")
    total = yes + no
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.abs(yes - no) / total, np.nan)


def agreement_index(yes, no, abstain):
    """Hix-Noury-Roland agreement index; NaN where nobody voted yes, no or abstain."""
    yes = np.asarray(yes, dtype="float64")
    no = np.asarray(no, dtype="float64")
    abstain = np.asarray(abstain, dtype="float64")
    total = yes + no + abstain
    largest = np.maximum(np.maximum(yes, no), abstain)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (largest - (total - largest) / 2) / total, np.nan)


def party_order(members: pd.DataFrame) -> pd.DataFrame:
    """Parties left to right (by mean NOMINATE first dimension, then code), with member counts."""
    grouped = members.groupby(["party_code", "party"], sort=False).agg(
        members=("icpsr", "size"), position=("nominate_dim1", "mean")).reset_index()
    grouped = grouped.sort_values(["position", "party_code"], na_position="last", kind="stable")
    return grouped.reset_index(drop=True)


@dataclass(frozen=True)
class _Coded:
    """Votes as integer arrays: roll-call index, member index, party index, cast code."""

    rollnumbers: np.ndarray
    parties: pd.DataFrame
    rollcall: np.ndarray
    member: np.ndarray
    party: np.ndarray
    cast_code: np.ndarray


def _code(data: VoteviewData, rollnumbers: np.ndarray | None = None) -> _Coded:
    votes = data.votes
    numbers = data.rollcalls["rollnumber"].to_numpy() if rollnumbers is None else np.asarray(rollnumbers)
    vote_rollnumber = votes["rollnumber"].to_numpy()
    vote_icpsr = votes["icpsr"].to_numpy()
    cast = votes["cast_code"].to_numpy()
    lookup = np.full(int(max(numbers.max(), vote_rollnumber.max())) + 1, -1, dtype=np.int64)
    lookup[numbers] = np.arange(len(numbers))
    rollcall = lookup[vote_rollnumber]
    if rollnumbers is not None:
        keep = rollcall >= 0
        rollcall, vote_icpsr, cast = rollcall[keep], vote_icpsr[keep], cast[keep]
    parties = party_order(data.members)
    party_of_code = {code: i for i, code in enumerate(parties["party_code"])}
    member_party = data.members["party_code"].map(party_of_code).to_numpy(dtype=np.int64)
    member_of_icpsr = np.full(int(data.members["icpsr"].max()) + 1, -1, dtype=np.int64)
    member_of_icpsr[data.members["icpsr"].to_numpy()] = np.arange(len(data.members))
    member = member_of_icpsr[vote_icpsr]
    return _Coded(numbers, parties, rollcall, member, member_party[member], cast)


def _party_counts(coded: _Coded) -> np.ndarray:
    """Counts of each option per roll call and party, shape (roll calls, parties, 5)."""
    n_parties = len(coded.parties)
    group = coded.rollcall * n_parties + coded.party
    counts = option_counts(group, coded.cast_code, len(coded.rollnumbers) * n_parties)
    return counts.reshape(len(coded.rollnumbers), n_parties, len(OPTIONS))


def _majority(counts: np.ndarray) -> np.ndarray:
    """+1 where a party's majority voted yes, -1 no, 0 on a tie or when nobody voted."""
    return np.sign(counts[..., YES] - counts[..., NO]).astype(np.int8)


def _two_largest(parties: pd.DataFrame) -> tuple[int, int] | None:
    if len(parties) < 2:
        return None
    largest = parties.sort_values(["members", "party_code"], ascending=[False, True], kind="stable").index[:2]
    return int(largest[0]), int(largest[1])


# --------------------------------------------------------------------------- one roll call

def party_breakdown(data: VoteviewData, rollcall: int) -> pd.DataFrame:
    """Per party on one roll call: counts per option, majority, Rice, agreement index, unity, defectors."""
    require_rollcall(data, rollcall)
    coded = _code(data, np.array([rollcall]))
    counts = _party_counts(coded)[0]
    majority = _majority(counts)
    table = coded.parties[["party", "party_code"]].copy()
    for i, option in enumerate(OPTIONS):
        table[option] = counts[:, i]
    voting = counts[:, YES] + counts[:, NO]
    table["majority"] = np.select([majority > 0, majority < 0], ["yes", "no"], "none")
    table["rice"] = rice_index(counts[:, YES], counts[:, NO])
    table["agreement"] = agreement_index(counts[:, YES], counts[:, NO], counts[:, ABSTAIN])
    with_majority = np.where(majority != 0, np.maximum(counts[:, YES], counts[:, NO]), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["unity"] = np.where(voting > 0, with_majority / voting, np.nan)
    table["defectors"] = np.where(majority != 0, np.minimum(counts[:, YES], counts[:, NO]), 0)
    return table[table[TALLY_COLUMNS].sum(axis=1) > 0].reset_index(drop=True)


def is_party_unity_vote(data: VoteviewData, breakdown: pd.DataFrame) -> bool:
    """True when the majorities of the two largest parties voted against each other."""
    largest = _two_largest(party_order(data.members))
    if largest is None:
        return False
    codes = party_order(data.members)["party_code"].iloc[list(largest)].tolist()
    majorities = breakdown.set_index("party_code")["majority"].reindex(codes).tolist()
    return set(majorities) == {"yes", "no"}


def defectors(data: VoteviewData, rollcall: int) -> pd.DataFrame:
    """Members who voted against their party's majority on one roll call, by party, name and state."""
    require_rollcall(data, rollcall)
    coded = _code(data, np.array([rollcall]))
    majority = _majority(_party_counts(coded))[0]
    direction = DIRECTION_OF_CODE[coded.cast_code]
    party_majority = majority[coded.party]
    against = (direction != 0) & (party_majority != 0) & (direction != party_majority)
    members = data.members.iloc[coded.member[against]]
    label = {1: "yes", -1: "no"}
    table = pd.DataFrame({
        "name": members["name"].to_numpy(),
        "state": members["state"].to_numpy(),
        "party": members["party"].to_numpy(),
        "vote": [label[int(d)] for d in direction[against]],
        "party_majority": [label[int(d)] for d in party_majority[against]],
    })
    return table.sort_values(["party", "name"], kind="stable").reset_index(drop=True)


def member_votes(data: VoteviewData, rollcall: int) -> pd.DataFrame:
    """Each member's vote on one roll call (option name), with party, ordered left to right by party."""
    coded = _code(data, np.array([rollcall]))
    option = OPTION_OF_CODE[coded.cast_code]
    table = pd.DataFrame({
        "name": data.members["name"].to_numpy()[coded.member],
        "state": data.members["state"].to_numpy()[coded.member],
        "party": coded.parties["party"].to_numpy()[coded.party],
        "party_rank": coded.party,
        "vote": [OPTIONS[int(o)] if o < len(OPTIONS) else "not_member" for o in option],
    })
    table = table[table["vote"] != "not_member"]
    return table.sort_values(["party_rank", "vote", "name"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- legislature mode

@dataclass(frozen=True)
class Legislature:
    """Every roll call of a congress and chamber, summarised at once."""

    rule: str
    rollcalls: pd.DataFrame  # per roll call: tally, needed, margin, passed, party majorities, party_line, closeness
    members: pd.DataFrame  # per member: unity votes cast, with party, CQ unity score
    parties: pd.DataFrame  # per party: members, mean unity, mean Rice, mean agreement
    major_parties: tuple[str, ...]

    @property
    def party_line_share(self) -> float:
        return float(self.rollcalls["party_line"].mean())

    def most_divisive(self, n: int = 10) -> pd.DataFrame:
        """The n roll calls decided by the narrowest yes-no split (ties: more members voting first)."""
        table = self.rollcalls.loc[self.rollcalls["voting"] > 0]
        return table.sort_values(["closeness", "voting"], ascending=[True, False], kind="stable").head(n)


def legislature(data: VoteviewData, rule: str = "simple") -> Legislature:
    """Margins, party-line votes and party unity over every roll call (vectorised)."""
    coded = _code(data)
    counts = _party_counts(coded)  # (R, P, 5)
    totals = counts.sum(axis=1)
    n_rollcalls, n_parties = counts.shape[:2]
    rollcalls = data.rollcalls.reset_index(drop=True).copy()
    for i, option in enumerate(OPTIONS):
        rollcalls[option] = totals[:, i]
    rollcalls["membership"] = data.seats
    rollcalls["vacant"] = data.seats - totals.sum(axis=1)
    rollcalls = apply_rule(with_shares(rollcalls), rule)
    with np.errstate(invalid="ignore", divide="ignore"):
        rollcalls["closeness"] = np.abs(rollcalls["yes"] - rollcalls["no"]) / rollcalls["voting"].where(rollcalls["voting"] > 0)

    majority = _majority(counts)  # (R, P)
    largest = _two_largest(coded.parties)
    if largest is None:
        party_line = np.zeros(n_rollcalls, dtype=bool)
        major: tuple[str, ...] = tuple(coded.parties["party"])
    else:
        party_line = (majority[:, largest[0]].astype(np.int16) * majority[:, largest[1]]) == -1
        major = tuple(coded.parties["party"].iloc[list(largest)])
    rollcalls["party_line"] = party_line
    for p, name in enumerate(coded.parties["party"]):
        rollcalls[f"{name} yes"] = counts[:, p, YES]
        rollcalls[f"{name} no"] = counts[:, p, NO]

    # member loyalty on party-unity votes: gather each vote's party majority through the flat
    # (roll call, party) index, then count with bincount over member indices only
    direction = DIRECTION_OF_CODE[coded.cast_code]
    voted = direction != 0
    n_members = len(data.members)
    cast = np.bincount(coded.member[voted], minlength=n_members)
    flat_majority = np.where(party_line[:, None], majority, 0).ravel()
    party_majority = flat_majority[coded.rollcall * n_parties + coded.party]
    eligible = voted & (party_majority != 0)
    loyal = eligible & (direction == party_majority)
    unity_votes = np.bincount(coded.member[eligible], minlength=n_members)
    with_party = np.bincount(coded.member[loyal], minlength=n_members)
    members = data.members[["icpsr", "name", "state", "party"]].copy()
    members["votes_cast"] = cast.astype(np.int64)
    members["unity_votes"] = unity_votes.astype(np.int64)
    members["with_party"] = with_party.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        members["unity"] = np.where(unity_votes > 0, with_party / unity_votes, np.nan)

    rice = rice_index(counts[..., YES], counts[..., NO])
    agreement = agreement_index(counts[..., YES], counts[..., NO], counts[..., ABSTAIN])
    parties = coded.parties[["party", "party_code", "members"]].copy()
    with np.errstate(invalid="ignore"):
        parties["mean_rice"] = _nanmean_columns(rice)
        parties["mean_agreement"] = _nanmean_columns(agreement)
    grouped = members.groupby("party", sort=False)["unity"].mean()
    parties["mean_member_unity"] = parties["party"].map(grouped)
    member_party = data.members["party_code"].map(dict(zip(coded.parties["party_code"], range(n_parties))))
    party_with = np.bincount(member_party, weights=with_party, minlength=n_parties)
    party_eligible = np.bincount(member_party, weights=unity_votes, minlength=n_parties)
    with np.errstate(invalid="ignore", divide="ignore"):
        parties["pooled_unity"] = np.where(party_eligible > 0, party_with / party_eligible, np.nan)
    return Legislature(rule=rule, rollcalls=rollcalls, members=members, parties=parties, major_parties=major)


def _nanmean_columns(values: np.ndarray) -> np.ndarray:
    """Column means ignoring NaN (NaN for an all-NaN column), without warnings."""
    present = ~np.isnan(values)
    sums = np.where(present, values, 0.0).sum(axis=0)
    n = present.sum(axis=0)
    return np.where(n > 0, sums / np.maximum(n, 1), np.nan)
