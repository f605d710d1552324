"""Tallies and majority rules on the roll-call model; reconciliation and stages of reported tallies.

A *tally table* has one row per vote and a column per option (``yes, no, abstain, present, absent,
excused, paired, invalid``), ``not_voting`` and ``membership`` (seats). Reported tallies only know
``yes, no, abstain`` (``abstain`` may be missing) and ``not_voting`` (membership minus the three:
absent members and vacant seats together). Everything here works on whole columns: one roll call
or a thousand, never a loop over roll calls.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dictamen import messages
from dictamen.messages import say
from dictamen.votes.load import ReportedTallies
from dictamen.votes.model import NOT_VOTING, OPTIONS, RollCalls, counts_by
from dictamen.votes.rules import Rule, base_counts, parse_rule


# --------------------------------------------------------------------------- counting

def tally_table(data: RollCalls, positions: np.ndarray | list[int] | None = None) -> pd.DataFrame:
    """Tally of every roll call (or of those at ``positions``), indexed by ``vote_id``, from member votes.

    One column per option of the vocabulary, ``not_voting`` (present + absent + excused + paired +
    invalid), ``members`` (members recorded), ``membership`` (seats, empty when unknown), ``vacant``
    (seats no recorded member held, never below 0), and the roll call's own ``rule``.
    """
    rollcalls = data.rollcalls
    positions = np.arange(len(rollcalls)) if positions is None else np.asarray(positions, dtype=np.int64)
    lookup = np.full(len(rollcalls), -1, dtype=np.int64)
    lookup[positions] = np.arange(len(positions))
    group = lookup[data.votes["rollcall"].to_numpy()]
    option = data.votes["option"].to_numpy()
    keep = group >= 0
    counts = counts_by(group[keep] if not keep.all() else group, option[keep] if not keep.all() else option,
                       len(positions))
    shown = rollcalls.iloc[positions]
    table = pd.DataFrame(counts, columns=list(OPTIONS), index=pd.Index(shown["vote_id"].to_numpy(), name="vote_id"))
    table["not_voting"] = counts[:, list(NOT_VOTING)].sum(axis=1)
    table["members"] = counts.sum(axis=1)
    table["membership"] = shown["seats"].to_numpy()
    table["vacant"] = (table["membership"] - table["members"]).clip(lower=0)
    table["rule"] = shown["rule"].to_numpy()
    return table


# --------------------------------------------------------------------------- shares and rules

def with_shares(tally: pd.DataFrame) -> pd.DataFrame:
    """Add voting (yes + no), attending (yes + no + abstain + present), shares and turnout (attending / seats)."""
    out = tally.copy()
    present = out["present"] if "present" in out else 0
    out["voting"] = out["yes"] + out["no"]
    out["attending"] = out["voting"] + out["abstain"].fillna(0) + present
    attending = out["attending"].astype("float64").where(out["attending"] > 0)
    membership = out["membership"].astype("Float64").astype("float64")
    for option in ("yes", "no", "abstain"):
        out[f"{option}_of_attending"] = out[option].astype("float64") / attending
        out[f"{option}_of_membership"] = out[option].astype("float64") / membership
    out["turnout"] = out["attending"].astype("float64") / membership
    return out


def rules_per_row(tally: pd.DataFrame, rule: Rule | str) -> tuple[np.ndarray, list[Rule]]:
    """The rule each row is judged by (its own ``rule`` cell when filled, else ``rule``): codes into distinct rules."""
    default = rule if isinstance(rule, Rule) else parse_rule(rule)
    if "rule" not in tally:
        return np.zeros(len(tally), dtype=np.int64), [default]
    codes, texts = pd.factorize(tally["rule"].astype(object).where(tally["rule"].notna(), ""))
    return codes, [parse_rule(text) if isinstance(text, str) and text.strip() else default for text in texts]


def apply_rule(tally: pd.DataFrame, rule: Rule | str) -> pd.DataFrame:
    """Add ``rule_applied``, ``needed``, ``margin`` (yes minus needed: >= 0 to spare, < 0 short) and ``passed``.

    A row's own ``rule`` overrides ``rule``; where a rule's base is unknown the outcome is missing.
    One vectorised pass per distinct rule, never a loop over rows.
    """
    out = tally.copy()
    codes, rules = rules_per_row(tally, rule)
    needed = np.full(len(tally), np.nan)
    bases = {base: base_counts(tally, base) for base in dict.fromkeys(r.base for r in rules)}
    for k, chosen in enumerate(rules):
        rows = codes == k
        needed[rows] = chosen.needed(bases[chosen.base][rows])
    out["rule_applied"] = np.array([r.name for r in rules], dtype=object)[codes] if len(tally) else []
    out["needed"] = pd.Series(needed, index=out.index).astype("Int64")
    out["margin"] = (out["yes"] - out["needed"]).astype("Int64")
    out["passed"] = (out["margin"] >= 0).astype("boolean")
    return out


_FAILED = re.compile(r"\b(rejected|failed|defeated|not agreed|not passed|veto sustained|rechazad[oa]s?|"
                     r"desechad[oa]s?|no aprobad[oa]s?)\b", re.IGNORECASE)
_PASSED = re.compile(r"\b(passed|agreed|adopted|approved|confirmed|overridden|aprobad[oa]s?|adoptad[oa]s?)\b",
                     re.IGNORECASE)


def published_outcome(results: pd.Series) -> pd.Series:
    """A published result read as passed (True), failed (False) or not understood / none (missing).

    "Bill Passed", "Motion Agreed to", "Aprobado" pass; "Amendment Rejected", "Veto Sustained",
    "Rechazado" fail; anything else (empty, "Unánime", "Guilty") is not compared.
    """
    def read(text: str):
        if not isinstance(text, str) or not text.strip():
            return pd.NA
        if _FAILED.search(text):
            return False
        if _PASSED.search(text):
            return True
        return pd.NA
    codes, texts = pd.factorize(results.astype(object), use_na_sentinel=True)  # one regex per distinct text
    read_texts = pd.array([read(text) for text in texts] + [pd.NA], dtype="boolean")
    return pd.Series(read_texts[codes], index=results.index, dtype="boolean")


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
    table["_order"] = table["kind"].map(_STAGE_ORDER).fillna(len(_STAGE_ORDER))
    table = table.sort_values(["date", "_order"], kind="stable").drop(columns="_order")
    table = apply_rule(with_shares(table), rule)
    table["label"] = [say("{body}: {stage} ({date})", body=body, stage=stage, date=messages.date(date))
                      for body, stage, date in table[["body", "stage", "date"]].itertuples(index=False)]
    return table.reset_index(drop=True)


def final_vote(stages: pd.DataFrame) -> pd.Series:
    """The law's last floor vote (not a committee): the headline vote of reported-tallies mode."""
    floor = stages.loc[stages["kind"] != "committee"]
    if floor.empty:
        floor = stages
    return floor.iloc[-1]


def tally_mapping(row: pd.Series, keys: tuple[str, ...] = ("yes", "no", "abstain", "not_voting")) -> dict[str, int | None]:
    """The recorded ``tally`` of one vote: ``keys`` as whole numbers (None where unknown)."""
    return {key: (None if pd.isna(row.get(key)) else int(row.get(key))) for key in keys}
