"""Tallies, majority rules, reconciliation of reported tallies, and stage comparison.

A *tally table* has one row per vote and the columns ``yes, no, abstain, not_voting, announced,
vacant, membership`` (``abstain`` may be missing where a source gives none; ``vacant`` is missing
when only reported tallies are known, and ``not_voting`` then counts absent members and vacant
seats together). Everything here works on whole columns: one roll call or a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dictamen.errors import InputError, ParameterError
from dictamen.votes.load import ANNOUNCED, NOT_MEMBER, OPTION_OF_CODE, OPTIONS, ReportedTallies, VoteviewData

TALLY_COLUMNS = list(OPTIONS)


@dataclass(frozen=True)
class Rule:
    """A majority rule: what it counts against and how many yes votes it needs."""

    name: str
    description: str
    base: str  # "voting", "membership" or "present"


RULES: dict[str, Rule] = {
    "simple": Rule("simple", "a simple majority of those voting (more yes than no)", "voting"),
    "absolute": Rule("absolute", "an absolute majority of the full membership", "membership"),
    "two_thirds_present": Rule("two_thirds_present",
                               "two thirds of the members present (Mexican constitutional reform, art. 135)",
                               "present"),
    "three_fifths_membership": Rule("three_fifths_membership",
                                    "three fifths of the full membership (US Senate cloture)", "membership"),
}


def get_rule(rule: str) -> Rule:
    """The rule called ``rule``, or a ParameterError listing the rules there are."""
    try:
        return RULES[rule]
    except KeyError:
        raise ParameterError(f"Parameter 'rule' is {rule!r}; expected one of {', '.join(RULES)}.") from None


# --------------------------------------------------------------------------- counting

def option_counts(group: np.ndarray, cast_code: np.ndarray, n_groups: int) -> np.ndarray:
    """Counts of each option per group, shape (n_groups, 5), from Voteview cast codes (one bincount)."""
    option = OPTION_OF_CODE[cast_code]
    counts = np.bincount(group.astype(np.int64) * (NOT_MEMBER + 1) + option, minlength=n_groups * (NOT_MEMBER + 1))
    return counts.reshape(n_groups, NOT_MEMBER + 1)[:, :ANNOUNCED + 1]


def rollcall_tallies(data: VoteviewData, rollnumbers: list[int] | np.ndarray | None = None) -> pd.DataFrame:
    """Tally of every roll call (or of ``rollnumbers``), indexed by rollnumber, from member votes.

    Yes = cast code 1, no = 6, abstain = present (7, 8), not voting = 9, announced = paired or
    announced positions (2-5), vacant = seats no member held; the President's rows are already out.
    """
    rollcalls = data.rollcalls
    numbers = rollcalls["rollnumber"].to_numpy() if rollnumbers is None else np.asarray(rollnumbers)
    lookup = np.full(int(max(rollcalls["rollnumber"].max(), data.votes["rollnumber"].max())) + 1, -1, dtype=np.int64)
    lookup[numbers] = np.arange(len(numbers))
    group = lookup[data.votes["rollnumber"].to_numpy()]
    mask = group >= 0
    counts = option_counts(group[mask], data.votes["cast_code"].to_numpy()[mask], len(numbers))
    table = pd.DataFrame(counts, columns=TALLY_COLUMNS, index=pd.Index(numbers, name="rollnumber"))
    table["membership"] = data.seats
    table["vacant"] = data.seats - table[TALLY_COLUMNS].sum(axis=1)
    return table


def require_rollcall(data: VoteviewData, rollcall: int) -> pd.Series:
    """The rollcalls-file row of ``rollcall``, or an InputError if the file has no such roll call."""
    found = data.rollcalls.loc[data.rollcalls["rollnumber"] == rollcall]
    if found.empty:
        numbers = data.rollcalls["rollnumber"]
        raise InputError(f"Roll call {rollcall} (parameter 'rollcall') does not exist in {data.chamber} "
                         f"congress {data.congress}", path=data.paths.get("rollcalls"), column="rollnumber",
                         expected=f"a rollnumber from {numbers.min()} to {numbers.max()} listed in the file, "
                                  f"or 0 for legislature mode")
    return found.iloc[0]


# --------------------------------------------------------------------------- shares and rules

def with_shares(tally: pd.DataFrame) -> pd.DataFrame:
    """Add present (yes + no + abstain), voting (yes + no), shares of present and of membership, turnout."""
    out = tally.copy()
    out["voting"] = out["yes"] + out["no"]
    out["present"] = out["voting"] + out["abstain"]
    present = out["present"].where(out["present"] > 0)
    membership = out["membership"].astype("float64")
    for option in ("yes", "no", "abstain"):
        out[f"{option}_of_present"] = out[option] / present
        out[f"{option}_of_membership"] = out[option] / membership
    out["turnout"] = out["present"] / membership
    return out


def votes_needed(rule: str, tally: pd.DataFrame) -> pd.Series:
    """Yes votes each vote needed to pass under ``rule`` (missing where its base is unknown)."""
    chosen = get_rule(rule)
    voting = (tally["yes"] + tally["no"]).astype("float64")
    present = voting + tally["abstain"].astype("float64")
    membership = tally["membership"].astype("float64")
    if chosen.name == "simple":
        needed = np.floor(voting / 2) + 1
    elif chosen.name == "absolute":
        needed = np.floor(membership / 2) + 1
    elif chosen.name == "two_thirds_present":
        needed = np.maximum(np.ceil(2 * present / 3), 1)
    else:
        needed = np.ceil(3 * membership / 5)
    return pd.Series(needed, index=tally.index, name="needed")


def apply_rule(tally: pd.DataFrame, rule: str) -> pd.DataFrame:
    """Add ``needed``, ``margin`` (yes minus needed: >= 0 is votes to spare, < 0 votes short) and ``passed``."""
    out = tally.copy()
    needed = votes_needed(rule, tally)
    out["needed"] = needed.astype("Int64")
    out["margin"] = (out["yes"] - needed).astype("Int64")
    out["passed"] = (out["margin"] >= 0).astype("boolean")
    return out


# --------------------------------------------------------------------------- reported tallies

def _triple(yes, no, abstain) -> str:
    """'71–21–1' (abstentions shown as '?' where not reported)."""
    abstain_text = "?" if pd.isna(abstain) else str(int(abstain))
    return f"{int(yes)}–{int(no)}–{abstain_text}"


def _ranked(rows: pd.DataFrame, priority: pd.DataFrame) -> pd.DataFrame:
    rank = dict(zip(priority["source"], priority["rank"]))
    unlisted = int(priority["rank"].max()) + 1 if len(priority) else 1
    out = rows.copy()
    out["listed"] = out["source"].isin(rank.keys())
    out["rank"] = out["source"].map(rank).fillna(unlisted).astype(int)
    return out.sort_values(["rank", "row"], kind="stable")


VOTE_KEY = ["chamber", "date", "stage"]


def reconcile(tallies: ReportedTallies, priority: pd.DataFrame) -> pd.DataFrame:
    """One row per vote: the headline tally from the best-ranked source, and whether sources disagree.

    The headline is the tally of the source ranked first in ``priority``; sources not listed rank
    after every listed one, in the order of the file. A disagreement is any reported count that
    differs between sources (a count one source leaves out is not a disagreement).
    """
    ranked = _ranked(tallies.rows, priority)
    records = []
    for (chamber, date, stage), group in ranked.groupby(VOTE_KEY, sort=False):
        head = group.iloc[0]
        reported = {column: group[column].dropna().unique() for column in ("yes", "no", "abstain")}
        differing = [column for column, values in reported.items() if len(values) > 1]
        others = group.iloc[1:]
        differ_from_head = [f"{source} {_triple(y, n, a)}" for source, y, n, a in
                            others[["source", "yes", "no", "abstain"]].itertuples(index=False)
                            if _triple(y, n, a) != _triple(head["yes"], head["no"], head["abstain"])]
        records.append({
            "chamber": chamber, "body": head["body"] or chamber, "date": date, "stage": stage,
            "yes": int(head["yes"]), "no": int(head["no"]), "abstain": head["abstain"],
            "membership": int(head["membership"]),
            "source": head["source"], "source_url": head["source_url"],
            "source_rank": int(head["rank"]) if head["listed"] else None,
            "sources": len(group), "agree": not differing,
            "differing": ", ".join(differing),
            "other_figures": "; ".join(differ_from_head),
        })
    return pd.DataFrame.from_records(records)


def side_by_side(tallies: ReportedTallies, priority: pd.DataFrame) -> pd.DataFrame:
    """Each vote (rows) as reported by each source (columns, best-ranked first), as yes–no–abstain."""
    ranked = _ranked(tallies.rows, priority)
    ranked = ranked.assign(figure=[_triple(y, n, a) for y, n, a in ranked[["yes", "no", "abstain"]].itertuples(index=False)])
    order = list(dict.fromkeys(ranked["source"]))
    table = ranked.pivot_table(index=VOTE_KEY, columns="source", values="figure", aggfunc="first", sort=False)
    table = table.reindex(columns=order).fillna("")
    table.columns.name = None
    return table.reset_index()


# --------------------------------------------------------------------------- stages

_STAGE_ORDER = {"committee": 0, "general": 1, "general and particular": 2, "particular": 3}


def stage_kind(stage: str) -> str:
    """'committee:Defensa Nacional' -> 'committee'; known stages as themselves; anything else 'other'."""
    kind = stage.split(":", 1)[0].strip().lower()
    return kind if kind in _STAGE_ORDER else "other"


def stage_table(reconciled: pd.DataFrame, rule: str) -> pd.DataFrame:
    """Every vote of a law in order (committees, general, particular, then the other chamber), with the rule applied.

    Committee votes count against no known membership (committee sizes are not in the data), so
    their shares of membership and membership-based rules stay empty.
    """
    table = reconciled.copy()
    table["kind"] = [stage_kind(stage) for stage in table["stage"]]
    committee = (table["kind"] == "committee").to_numpy()
    table["membership"] = table["membership"].astype("float64").where(~committee)
    table["not_voting"] = (table["membership"] - table["yes"] - table["no"] - table["abstain"]).astype("Float64")
    table["announced"] = np.nan
    table["vacant"] = np.nan
    table["_order"] = table["kind"].map(_STAGE_ORDER).fillna(len(_STAGE_ORDER))
    table = table.sort_values(["date", "_order"], kind="stable").drop(columns="_order")
    table = apply_rule(with_shares(table), rule)
    table["label"] = [f"{body}: {stage} ({date})" for body, stage, date in table[["body", "stage", "date"]].itertuples(index=False)]
    return table.reset_index(drop=True)


def final_vote(stages: pd.DataFrame) -> pd.Series:
    """The law's last floor vote (not a committee): the headline vote of reported-tallies mode."""
    floor = stages.loc[stages["kind"] != "committee"]
    if floor.empty:
        floor = stages
    return floor.iloc[-1]


def tally_mapping(row: pd.Series) -> dict[str, int | None]:
    """The recorded ``tally``: yes, no, abstain, not_voting, announced, vacant (None where unknown)."""
    return {key: (None if pd.isna(row.get(key)) else int(row.get(key)))
            for key in ("yes", "no", "abstain", "not_voting", "announced", "vacant")}
