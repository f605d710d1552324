"""Party cohesion on the roll-call model: Rice, agreement index, party unity, defectors, agreement between parties.

Definitions (yes, no, abstain = counts of a party's members on one roll call):

* Rice index = |yes - no| / (yes + no). Ignores abstentions.
* Agreement index (Hix, Noury & Roland 2005) = (max(Y, N, A) - (Y + N + A - max(Y, N, A)) / 2) / (Y + N + A).
  Counts abstentions as a third option: 10 yes, 10 no, 100 abstain gives Rice 0, agreement 0.75.
* Party majority: yes if more of the party's members voted yes than no, no if fewer, none on a tie.
* Defector: a member who voted yes (or no) when the party's majority voted the other way.
* Party-unity vote (Congressional Quarterly): a roll call on which a majority of one of the two
  largest parties voted against a majority of the other. A member's CQ party unity score is the
  share of the party-unity votes they cast (yes or no) on which they sided with their party majority.
* Party agreement: for two parties, the share of the roll calls on which both had a majority
  (yes or no) that their majorities voted the same way, as vote-tracking sites show.

Present, absent, excused, paired and invalid are not votes and count nowhere here. Legislature
mode computes all of this for every roll call at once with numpy (one ``bincount`` and array
indexing), never a Python loop over roll calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dictamen.messages import _
from dictamen.votes.model import ABSTAIN, NO, NOT_VOTING, OPTIONS, YES, RollCalls, counts_by
from dictamen.votes.tally import apply_rule, published_outcome, with_shares

#: +1 yes, -1 no, 0 anything else, by option code (and "not a member").
DIRECTION = np.zeros(len(OPTIONS) + 1, dtype=np.int8)
DIRECTION[YES], DIRECTION[NO] = 1, -1


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


def party_labels(members: pd.DataFrame) -> pd.Series:
    """Each member's party, "no party recorded" (in the language in use) where the file has none."""
    return members["party"].where(members["party"] != "", _("no party recorded"))


def party_order(data: RollCalls) -> tuple[pd.DataFrame, np.ndarray]:
    """Parties left to right (mean ``position`` when a reader gives one, else largest first) and each member's party."""
    labels = party_labels(data.members)
    codes, names = pd.factorize(labels)
    parties = pd.DataFrame({"party": np.asarray(names, dtype=object),
                            "members": np.bincount(codes, minlength=len(names))})
    if "position" in data.members and data.members["position"].notna().any():
        parties["position"] = pd.Series(data.members["position"].to_numpy()).groupby(codes).mean().to_numpy()
        order = parties.sort_values(["position", "party"], na_position="last", kind="stable").index
    else:
        order = parties.sort_values(["members", "party"], ascending=[False, True], kind="stable").index
    rank = np.empty(len(parties), dtype=np.int64)
    rank[order.to_numpy()] = np.arange(len(parties))
    return parties.loc[order].reset_index(drop=True), rank[codes]


def _party_counts(data: RollCalls, member_party: np.ndarray, n_parties: int) -> np.ndarray:
    """Counts of each option per roll call and party, shape (roll calls, parties, options)."""
    votes = data.votes
    group = votes["rollcall"].to_numpy().astype(np.int64) * n_parties + member_party[votes["member"].to_numpy()]
    counts = counts_by(group, votes["option"].to_numpy(), len(data.rollcalls) * n_parties)
    return counts.reshape(len(data.rollcalls), n_parties, len(OPTIONS))


def _majority(counts: np.ndarray) -> np.ndarray:
    """+1 where a party's majority voted yes, -1 no, 0 on a tie or when nobody voted."""
    return np.sign(counts[..., YES].astype(np.int64) - counts[..., NO]).astype(np.int8)


def _two_largest(parties: pd.DataFrame) -> tuple[int, int] | None:
    if len(parties) < 2:
        return None
    largest = parties.sort_values(["members", "party"], ascending=[False, True], kind="stable").index[:2]
    return int(largest[0]), int(largest[1])


def _words(direction) -> list[str]:
    return ["yes" if d > 0 else "no" if d < 0 else "none" for d in np.asarray(direction).tolist()]


# --------------------------------------------------------------------------- one roll call

def party_breakdown(data: RollCalls, position: int) -> pd.DataFrame:
    """Per party on one roll call: counts per option, majority, Rice, agreement index, unity, defectors."""
    one = data.subset([position])
    parties, member_party = party_order(one)
    counts = _party_counts(one, member_party, len(parties))[0]
    majority = _majority(counts)
    table = parties[["party"]].copy()
    for i, option in enumerate(OPTIONS):
        table[option] = counts[:, i]
    voting = counts[:, YES] + counts[:, NO]
    table["majority"] = _words(majority)
    table["rice"] = rice_index(counts[:, YES], counts[:, NO])
    table["agreement"] = agreement_index(counts[:, YES], counts[:, NO], counts[:, ABSTAIN])
    with_majority = np.where(majority != 0, np.maximum(counts[:, YES], counts[:, NO]), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["unity"] = np.where(voting > 0, with_majority / voting, np.nan)
    table["defectors"] = np.where(majority != 0, np.minimum(counts[:, YES], counts[:, NO]), 0)
    return table[counts.sum(axis=1) > 0].reset_index(drop=True)


def is_party_unity_vote(data: RollCalls, breakdown: pd.DataFrame) -> bool:
    """True when the majorities of the two largest parties (over the whole data) voted against each other."""
    parties, _member_party = party_order(data)
    largest = _two_largest(parties)
    if largest is None:
        return False
    names = parties["party"].iloc[list(largest)].tolist()
    majorities = breakdown.set_index("party")["majority"].reindex(names).tolist()
    return set(majorities) == {"yes", "no"}


def defectors(data: RollCalls, position: int) -> pd.DataFrame:
    """Members who voted against their party's majority on one roll call: name, state (if known), party, votes."""
    one = data.subset([position])
    parties, member_party = party_order(one)
    majority = _majority(_party_counts(one, member_party, len(parties)))[0]
    member = one.votes["member"].to_numpy()
    direction = DIRECTION[one.votes["option"].to_numpy()]
    party_majority = majority[member_party[member]]
    against = (direction != 0) & (party_majority != 0) & (direction != party_majority)
    chosen = one.members.iloc[member[against]]
    table = pd.DataFrame({
        "member": chosen["member"].to_numpy(),
        "state": chosen["state"].to_numpy() if "state" in chosen else "",
        "party": parties["party"].to_numpy()[member_party[member[against]]],
        "vote": _words(direction[against]),
        "party_majority": _words(party_majority[against]),
    })
    return table.sort_values(["party", "member"], kind="stable").reset_index(drop=True)


def member_votes(data: RollCalls, position: int) -> pd.DataFrame:
    """Each member's vote on one roll call (option word), with party, ordered left to right by party."""
    one = data.subset([position])
    parties, member_party = party_order(one)
    member = one.votes["member"].to_numpy()
    option = one.votes["option"].to_numpy()
    seated = option < len(OPTIONS)
    table = pd.DataFrame({
        "member": one.members["member"].to_numpy()[member[seated]],
        "party": parties["party"].to_numpy()[member_party[member[seated]]],
        "party_rank": member_party[member[seated]],
        "vote": np.array(OPTIONS, dtype=object)[option[seated]],
    })
    return table.sort_values(["party_rank", "vote", "member"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- legislature mode

@dataclass(frozen=True)
class Legislature:
    """Every roll call of a legislature, summarised at once."""

    rule: str
    rollcalls: pd.DataFrame  # per roll call: tally, needed, margin, passed, party majorities, party_line, closeness
    members: pd.DataFrame  # per member: votes cast, unity votes, with party, CQ unity score
    parties: pd.DataFrame  # per party: members, mean Rice, mean agreement, mean and pooled unity
    major_parties: tuple[str, ...]
    agreement: pd.DataFrame  # party x party: share of roll calls on which both majorities voted the same way
    cohesion_by_month: pd.DataFrame  # month x party: mean Rice index

    @property
    def party_line_share(self) -> float:
        return float(self.rollcalls["party_line"].mean()) if len(self.rollcalls) else float("nan")

    def most_divisive(self, n: int = 10) -> pd.DataFrame:
        """The n roll calls decided by the narrowest yes-no split (ties: more members voting first)."""
        table = self.rollcalls.loc[self.rollcalls["voting"] > 0]
        return table.sort_values(["closeness", "voting"], ascending=[True, False], kind="stable").head(n)


def legislature(data: RollCalls, rule: str = "simple") -> Legislature:
    """Margins (each roll call under its own rule where it has one), party-line votes, unity, agreement."""
    parties, member_party = party_order(data)
    n_parties = len(parties)
    counts = _party_counts(data, member_party, n_parties)  # (R, P, options)
    totals = counts.sum(axis=1)
    rollcalls = data.rollcalls.reset_index(drop=True).copy()
    for i, option in enumerate(OPTIONS):
        rollcalls[option] = totals[:, i]
    rollcalls["not_voting"] = totals[:, list(NOT_VOTING)].sum(axis=1)
    rollcalls["members"] = totals.sum(axis=1)
    rollcalls["membership"] = rollcalls["seats"]
    rollcalls["vacant"] = (rollcalls["membership"] - rollcalls["members"]).clip(lower=0)
    rollcalls = apply_rule(with_shares(rollcalls), rule)
    rollcalls["published_passed"] = published_outcome(rollcalls["result"])
    with np.errstate(invalid="ignore", divide="ignore"):
        voting = rollcalls["voting"].to_numpy(dtype="float64")
        rollcalls["closeness"] = np.where(voting > 0, np.abs(rollcalls["yes"] - rollcalls["no"]) / voting, np.nan)

    majority = _majority(counts)  # (R, P)
    largest = _two_largest(parties)
    if largest is None:
        party_line = np.zeros(len(rollcalls), dtype=bool)
        major: tuple[str, ...] = tuple(parties["party"])
    else:
        party_line = (majority[:, largest[0]].astype(np.int16) * majority[:, largest[1]]) == -1
        major = tuple(parties["party"].iloc[list(largest)])
    rollcalls["party_line"] = party_line
    for p, name in enumerate(parties["party"]):
        rollcalls[f"{name} yes"] = counts[:, p, YES]
        rollcalls[f"{name} no"] = counts[:, p, NO]

    # member loyalty on party-unity votes: gather each vote's party majority through the flat
    # (roll call, party) index, then count with bincount over member indices only
    vote_member = data.votes["member"].to_numpy()
    direction = DIRECTION[data.votes["option"].to_numpy()]
    vote_party = member_party[vote_member]
    voted = direction != 0
    n_members = len(data.members)
    cast = np.bincount(vote_member[voted], minlength=n_members)
    flat_majority = np.where(party_line[:, None], majority, 0).ravel()
    party_majority = flat_majority[data.votes["rollcall"].to_numpy().astype(np.int64) * n_parties + vote_party]
    eligible = voted & (party_majority != 0)
    loyal = eligible & (direction == party_majority)
    unity_votes = np.bincount(vote_member[eligible], minlength=n_members)
    with_party = np.bincount(vote_member[loyal], minlength=n_members)
    members = data.members[[c for c in ("member_id", "member", "state") if c in data.members]].copy()
    members["party"] = parties["party"].to_numpy()[member_party]
    members["votes_cast"] = cast.astype(np.int64)
    members["unity_votes"] = unity_votes.astype(np.int64)
    members["with_party"] = with_party.astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        members["unity"] = np.where(unity_votes > 0, with_party / unity_votes, np.nan)

    rice = rice_index(counts[..., YES], counts[..., NO])
    agreement = agreement_index(counts[..., YES], counts[..., NO], counts[..., ABSTAIN])
    table = parties[["party", "members"]].copy()
    table["mean_rice"] = _nanmean_columns(rice)
    table["mean_agreement"] = _nanmean_columns(agreement)
    table["mean_member_unity"] = table["party"].map(members.groupby("party", sort=False)["unity"].mean())
    party_with = np.bincount(member_party, weights=with_party, minlength=n_parties)
    party_eligible = np.bincount(member_party, weights=unity_votes, minlength=n_parties)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["pooled_unity"] = np.where(party_eligible > 0, party_with / party_eligible, np.nan)
    return Legislature(rule=rule, rollcalls=rollcalls, members=members, parties=table, major_parties=major,
                       agreement=agreement_matrix(majority, parties["party"]),
                       cohesion_by_month=cohesion_by_month(rice, rollcalls["date"], parties["party"]))


def agreement_matrix(majority: np.ndarray, names: pd.Series) -> pd.DataFrame:
    """Party x party: share of roll calls with a majority in both parties on which the majorities agreed."""
    decided = (majority != 0).astype(np.int64)
    yes = (majority > 0).astype(np.int64)
    no = (majority < 0).astype(np.int64)
    both = decided.T @ decided
    same = yes.T @ yes + no.T @ no
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(both > 0, same / np.maximum(both, 1), np.nan)
    return pd.DataFrame(share, index=pd.Index(names, name="party"), columns=list(names))


def cohesion_by_month(rice: np.ndarray, dates: pd.Series, names: pd.Series) -> pd.DataFrame:
    """Month x party: the mean Rice index of the party's roll calls in that month (NaN where none)."""
    day_codes, days = pd.factorize(pd.Series(dates).astype(object), sort=True)
    codes, months = pd.factorize(pd.Series(days).str.slice(0, 7).to_numpy(dtype=object), sort=True)
    codes = codes[day_codes]
    present = ~np.isnan(rice)
    sums = np.zeros((len(months), rice.shape[1]))
    n = np.zeros_like(sums)
    np.add.at(sums, codes, np.where(present, rice, 0.0))
    np.add.at(n, codes, present)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(n > 0, sums / np.maximum(n, 1), np.nan)
    return pd.DataFrame(means, index=pd.Index(np.asarray(months, dtype=object), name="month"), columns=list(names))


def _nanmean_columns(values: np.ndarray) -> np.ndarray:
    """Column means ignoring NaN (NaN for an all-NaN column), without warnings."""
    present = ~np.isnan(values)
    sums = np.where(present, values, 0.0).sum(axis=0)
    n = present.sum(axis=0)
    return np.where(n > 0, sums / np.maximum(n, 1), np.nan)
