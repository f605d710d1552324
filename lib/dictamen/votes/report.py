"""What the vote-breakdown notebook shows: one object per run, one method per section.

:func:`analyse` reads the notebook's parameters, decides the mode and loads the data:

* ``tallies`` when ``law_id`` is given: reported tallies of a law (stages, chambers, sources);
* ``rollcall`` when ``rollcall`` > 0: one Voteview roll call, member by member;
* ``legislature`` when ``rollcall`` is 0: every roll call of the Voteview files.

Every section method returns something the notebook displays as is: a data frame, a
:class:`~dictamen.figures.Chart`, or Markdown (IPython) whose numbers were computed in this run;
a section that does not apply to the mode returns a short Markdown note saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from dictamen import record as recorder
from dictamen.catalog import provenance
from dictamen.errors import ParameterError
from dictamen.prose import as_markdown, code, escape, number, percent
from dictamen.votes import charts
from dictamen.votes.cohesion import (
    defectors, is_party_unity_vote, legislature, member_votes, party_breakdown,
)
from dictamen.votes.load import (
    CAST_CODES, ReportedTallies, VoteviewData, load_composition, load_priority, load_tallies, load_voteview,
)
from dictamen.votes.tally import (
    RULES, apply_rule, final_vote, get_rule, reconcile, require_rollcall, rollcall_tallies, side_by_side,
    stage_table, tally_mapping, with_shares,
)

MODES = ("tallies", "rollcall", "legislature")
MODE_NAMES = {"tallies": "reported-tallies mode", "rollcall": "roll-call mode", "legislature": "legislature mode"}


def mode_for(law_id: str, rollcall: int) -> str:
    """The notebook's mode: ``tallies`` if a law is named, else ``rollcall`` (> 0) or ``legislature`` (0)."""
    if law_id and law_id.strip():
        return "tallies"
    if rollcall < 0:
        raise ParameterError(f"Parameter 'rollcall' is {rollcall}; expected a roll-call number, or 0 for "
                             "legislature mode.")
    return "rollcall" if rollcall > 0 else "legislature"


def _share(value) -> str:
    return "not known" if value is None or pd.isna(value) else percent(float(value))


def _count(value) -> str:
    return "not reported" if value is None or pd.isna(value) else number(int(value))


def _margin_words(margin: int) -> str:
    if margin >= 0:
        return f"with {number(margin)} vote{'s' if margin != 1 else ''} to spare"
    return f"{number(-margin)} vote{'s' if margin != -1 else ''} short"


OPTION_LABELS = {"yes": "Yes", "no": "No", "abstain": "Abstain / present", "not_voting": "Not voting",
                 "announced": "Paired / announced", "vacant": "Vacant"}


@dataclass
class VoteBreakdown:
    """Everything a vote-breakdown report shows, for one mode."""

    mode: str
    title: str
    rule: str
    tallies: ReportedTallies | None = None
    priority: pd.DataFrame | None = None
    composition: pd.DataFrame | None = None
    data: VoteviewData | None = None
    rollcall: int = 0

    # ------------------------------------------------------------------ derived tables (cached)
    def __post_init__(self) -> None:
        self._stages = None
        self._legislature = None
        if self.mode == "tallies":
            self.reconciled = reconcile(self.tallies, self.priority)
            self._stages = stage_table(self.reconciled, self.rule)
            self.headline = final_vote(self._stages)
        elif self.mode == "rollcall":
            self.rollcall_row = require_rollcall(self.data, self.rollcall)
            table = apply_rule(with_shares(rollcall_tallies(self.data, [self.rollcall])), self.rule)
            self.headline = table.iloc[0]
            self.parties = party_breakdown(self.data, self.rollcall)
            self.defector_table = defectors(self.data, self.rollcall)
        else:
            self._legislature = legislature(self.data, self.rule)

    @property
    def rule_text(self) -> str:
        return RULES[self.rule].description

    def _not_applicable(self, what: str, needs: str):
        return as_markdown(f"*{escape(what)}: not applicable in {MODE_NAMES[self.mode]}; {escape(needs)}.*")

    # ------------------------------------------------------------------ sections
    def header(self):
        """Title line and what this run looks at."""
        lines = [f"## {escape(self.title)}", ""]
        if self.mode == "tallies":
            rows = self.tallies.rows
            lines.append(
                f"**{MODE_NAMES[self.mode].capitalize()}.** Law {code(self.tallies.law_id)}: "
                f"{number(len(self.reconciled))} votes in {number(rows['chamber'].nunique())} chamber(s), "
                f"{escape(rows['date'].min())} to {escape(rows['date'].max())}, as reported by "
                f"{number(rows['source'].nunique())} sources ({number(len(rows))} reports) in "
                f"{code(self.tallies.path)}. Member-level sections (party, defectors, hemicycle by party) "
                f"need Voteview-format files and say so below.")
        elif self.mode == "rollcall":
            row = self.rollcall_row
            lines.append(
                f"**{MODE_NAMES[self.mode].capitalize()}.** {escape(self.data.chamber)}, congress "
                f"{number(self.data.congress)}, roll call {number(self.rollcall)} on {escape(row['date'])}"
                f"{self._bill_words(row)}.")
        else:
            rollcalls = self.data.rollcalls
            lines.append(
                f"**{MODE_NAMES[self.mode].capitalize()}.** All {number(len(rollcalls))} roll calls of the "
                f"{escape(self.data.chamber)}, congress {number(self.data.congress)}, {escape(rollcalls['date'].min())} "
                f"to {escape(rollcalls['date'].max())}: {number(self.data.member_votes)} member votes.")
        lines.append("")
        lines.append(f"Majority rule: {escape(self.rule_text)} (parameter `rule` = {code(self.rule)}).")
        return as_markdown("\n".join(lines))

    @staticmethod
    def _bill_words(row: pd.Series) -> str:
        parts = [row[c] for c in ("bill_number", "vote_question", "vote_result") if row.get(c)]
        return f" ({', '.join(escape(p) for p in parts)})" if parts else ""

    def tally_table(self):
        """The headline vote: counts, shares of those present and of membership."""
        if self.mode == "legislature":
            return self._not_applicable("Single-vote tally", "see the legislature summary below")
        h = self.headline
        options = ["yes", "no", "abstain", "not_voting", "announced", "vacant"]
        table = pd.DataFrame({
            "option": [OPTION_LABELS[o] if not (self.mode == "tallies" and o == "not_voting")
                       else "Not voting or vacant (not reported separately)" for o in options],
            "count": [None if pd.isna(h.get(o)) else int(h.get(o)) for o in options],
        })
        present = h["present"]
        table["share of present"] = [(c / present) if (c is not None and o in ("yes", "no", "abstain")
                                                        and not pd.isna(present)) else None
                                     for o, c in zip(options, table["count"])]
        table["share of membership"] = [(c / h["membership"]) if c is not None and not pd.isna(h["membership"]) else None
                                        for c in table["count"]]
        table = table[table["count"].notna()].reset_index(drop=True)
        for column in ("share of present", "share of membership"):
            table[column] = [("" if v is None or pd.isna(v) else percent(v)) for v in table[column]]
        table["count"] = table["count"].astype(int)
        return table

    def tally_markdown(self):
        """The headline vote in a sentence, with turnout."""
        if self.mode == "legislature":
            return self._legislature_summary()
        h = self.headline
        if self.mode == "tallies":
            where = (f"The last floor vote, {escape(h['body'])} ({escape(h['stage'])}, {escape(h['date'])}), "
                     f"as reported by {escape(h['source'])}")
            absent = (f"; {number(int(h['not_voting']))} of the {number(int(h['membership']))} seats did not vote "
                      f"or were vacant (the sources do not separate the two)") if not pd.isna(h["not_voting"]) else ""
        else:
            where = f"Roll call {number(self.rollcall)}"
            absent = (f"; {number(int(h['not_voting']))} not voting, {number(int(h['announced']))} paired or "
                      f"announced (not counted as votes), {number(int(h['vacant']))} vacant")
        return as_markdown(
            f"{where}: **{number(int(h['yes']))} yes, {number(int(h['no']))} no, {_count(h['abstain'])} "
            f"abstaining or present**{absent}. Yes was {_share(h['yes_of_present'])} of those present and "
            f"{_share(h['yes_of_membership'])} of the full membership of {number(int(h['membership']))}; "
            f"turnout (present / membership) was {_share(h['turnout'])}.")

    def outcome_markdown(self):
        """Did the vote clear the rule, and by how much."""
        if self.mode == "legislature":
            return self._not_applicable("Single-vote outcome", "margins of every roll call are summarised below")
        h = self.headline
        if pd.isna(h["passed"]):
            return as_markdown(f"Under {escape(self.rule_text)} the outcome cannot be computed: the data lack the "
                             f"count this rule is based on.")
        verdict = "passes" if bool(h["passed"]) else "fails"
        text = (f"Under {escape(self.rule_text)}, the vote needed **{number(int(h['needed']))} yes votes** and had "
                f"{number(int(h['yes']))}: it **{verdict}**, {_margin_words(int(h['margin']))}.")
        if self.mode == "rollcall":
            row = self.rollcall_row
            text += (f" Voteview records the result as \"{escape(row['vote_result'] or 'not stated')}\" with "
                     f"{number(int(row['yea_count']))} yeas and {number(int(row['nay_count']))} nays.")
        return as_markdown(text)

    def reconciliation_table(self):
        """Each vote as reported by each source, side by side (tallies) or votes file vs rollcalls file."""
        if self.mode == "tallies":
            return side_by_side(self.tallies, self.priority)
        if self.mode == "rollcall":
            h, row = self.headline, self.rollcall_row
            return pd.DataFrame({
                "source": [f"{self.data.paths['votes']} (member votes, counted here)",
                           f"{self.data.paths['rollcalls']} (Voteview's own count)"],
                "yes": [int(h["yes"]), int(row["yea_count"])],
                "no": [int(h["no"]), int(row["nay_count"])],
            })
        return self._not_applicable("Source comparison", "legislature mode checks every roll call at once below")

    def reconciliation_markdown(self):
        """Which sources disagree, and which one the headline figures come from (and why)."""
        if self.mode == "tallies":
            lines = []
            for row in self.reconciled.itertuples():
                if row.source_rank is None or pd.isna(row.source_rank):
                    why = "no source in the priority list reported it; first in the file"
                else:
                    why = f"rank {int(row.source_rank)} in the declared priority"
                status = ("sources agree" if row.agree else
                          f"**sources disagree** on {escape(row.differing)} (also reported: {escape(row.other_figures)})")
                lines.append(f"- {escape(row.body)}, {escape(row.stage)} ({escape(row.date)}): "
                             f"{number(row.sources)} source(s), {status}; headline from {escape(row.source)} ({why}).")
            n_disagree = int((~self.reconciled["agree"]).sum())
            head = (f"{number(n_disagree)} of {number(len(self.reconciled))} votes have conflicting reports. "
                    f"Headline figures follow the declared source priority in "
                    f"{code(self.priority.attrs.get('path', 'the priority table'))} (the chamber's own channel "
                    f"first); sources not listed there rank after, in file order.")
            return as_markdown(head + "\n\n" + "\n".join(lines))
        if self.mode == "rollcall":
            h, row = self.headline, self.rollcall_row
            agree = int(h["yes"]) == int(row["yea_count"]) and int(h["no"]) == int(row["nay_count"])
            return as_markdown(f"Counting member votes (cast codes 1 and 6; paired and announced positions and the "
                             f"President's row left out) {'reproduces' if agree else '**does not reproduce**'} "
                             f"Voteview's own yea and nay counts for this roll call.")
        tallies = rollcall_tallies(self.data)
        published = self.data.rollcalls.set_index("rollnumber")
        agree = int(((tallies["yes"] == published["yea_count"]) & (tallies["no"] == published["nay_count"])).sum())
        return as_markdown(f"Counting member votes reproduces Voteview's own yea and nay counts on {number(agree)} of "
                         f"{number(len(published))} roll calls.")

    def stages(self):
        """All stages of the law in one table (tallies), or every roll call on the same bill (roll call)."""
        table = self._stage_rows()
        if table is None:
            return self._not_applicable("Stage comparison", "choose a roll call or a law")
        columns = ["label", "yes", "no", "abstain", "present", "membership", "yes_of_present", "needed", "margin",
                   "passed", "source"]
        shown = table[[c for c in columns if c in table]].copy()
        shown["yes_of_present"] = [_share(v) for v in shown["yes_of_present"]]
        return shown.rename(columns={"label": "vote", "yes_of_present": "yes share of present"})

    def _stage_rows(self) -> pd.DataFrame | None:
        if self.mode == "tallies":
            return self._stages
        if self.mode == "rollcall":
            bill = self.rollcall_row["bill_number"]
            rollcalls = self.data.rollcalls
            same = rollcalls[(rollcalls["bill_number"] == bill) if bill else (rollcalls["rollnumber"] == self.rollcall)]
            table = apply_rule(with_shares(rollcall_tallies(self.data, same["rollnumber"].to_numpy())), self.rule)
            table = table.join(same.set_index("rollnumber")[["date", "vote_question"]])
            table["label"] = [f"Roll call {n}: {q or 'vote'} ({d})" for n, q, d in
                              zip(table.index, table["vote_question"], table["date"])]
            table["source"] = self.data.paths["votes"]
            return table.reset_index()
        return None

    def stage_chart(self):
        table = self._stage_rows()
        if table is None:
            return self._not_applicable("Stage chart", "choose a roll call or a law")
        what = (f"law {self.tallies.law_id}" if self.mode == "tallies"
                else f"bill {self.rollcall_row['bill_number'] or self.rollcall}")
        return charts.stage_chart(table, f"Every vote on {what}, as shares of those present")

    def hemicycle(self):
        """Parliament diagram of the headline vote (grouped by party when members are known)."""
        if self.mode == "tallies":
            h = self.headline
            counts = {o: (None if pd.isna(h[o]) else int(h[o])) for o in ("yes", "no", "abstain", "not_voting")}
            return charts.hemicycle(charts.seats_from_counts(counts),
                                    f"{h['body']}, {h['date']}: {h['stage']} (party of each vote not reported)",
                                    not_voting_label="Absent or vacant")
        if self.mode == "rollcall":
            seats = charts.seats_from_members(member_votes(self.data, self.rollcall), self.data.seats)
            return charts.hemicycle(seats, f"{self.data.chamber}, roll call {self.rollcall} ({self.rollcall_row['date']})")
        return self._not_applicable("Hemicycle", "it shows one vote; choose a roll call")

    def party_table(self):
        """Per party: counts per option, majority, Rice, agreement index, share with the majority, defectors."""
        if self.mode != "rollcall":
            return self._party_legislature_table() if self.mode == "legislature" else self._not_applicable(
                "Votes by party", "the reported tallies give no per-party counts")
        table = self.parties.drop(columns=["party_code"]).rename(columns={"unity": "share with majority"})
        return table.round(3)

    def party_markdown(self):
        if self.mode == "tallies":
            return self._not_applicable("Party cohesion", "it needs member-level votes (Voteview-format files)")
        if self.mode == "legislature":
            L = self._legislature
            lines = [f"Over {number(len(L.rollcalls))} roll calls, {percent(L.party_line_share)} were party-unity "
                     f"votes (a majority of {escape(L.major_parties[0])}s against a majority of "
                     f"{escape(L.major_parties[1])}s, Congressional Quarterly's definition)."]
            for row in L.parties.itertuples():
                lines.append(f"- {escape(row.party)} ({number(row.members)} members over the congress): mean member "
                             f"unity {_share(row.mean_member_unity)}, mean Rice index "
                             f"{'n/a' if pd.isna(row.mean_rice) else f'{row.mean_rice:.2f}'}, mean agreement index "
                             f"{'n/a' if pd.isna(row.mean_agreement) else f'{row.mean_agreement:.2f}'}.")
            return as_markdown("\n".join(lines))
        unity_vote = is_party_unity_vote(self.data, self.parties)
        lines = [f"This {'was' if unity_vote else 'was not'} a party-unity vote (majorities of the two largest "
                 f"parties {'opposed' if unity_vote else 'did not oppose'} each other)."]
        for row in self.parties.itertuples():
            rice = "not defined" if pd.isna(row.rice) else f"{row.rice:.2f}"
            agreement = "not defined" if pd.isna(row.agreement) else f"{row.agreement:.2f}"
            majority = "split evenly" if row.majority == "none" else f"majority {row.majority}"
            lines.append(f"- {escape(row.party)}: {number(row.yes)} yes, {number(row.no)} no, {number(row.abstain)} "
                         f"present, {number(row.not_voting)} not voting; {majority}; Rice {rice}, agreement "
                         f"index {agreement}; {number(row.defectors)} voted against the party majority.")
        return as_markdown("\n".join(lines))

    def party_chart(self):
        if self.mode != "rollcall":
            return self._not_applicable("Votes by party chart", "it needs one roll call with member-level votes")
        return charts.party_bars(self.parties, f"Roll call {self.rollcall}: votes by party")

    def cohesion_chart(self):
        if self.mode == "rollcall":
            return charts.cohesion_chart(self.parties, {"rice": "Rice index", "agreement": "Agreement index",
                                                        "unity": "Share with party majority"},
                                         f"Roll call {self.rollcall}: party cohesion")
        if self.mode == "legislature":
            return charts.cohesion_chart(self._legislature.parties,
                                         {"mean_rice": "Mean Rice index", "mean_agreement": "Mean agreement index",
                                          "mean_member_unity": "Mean CQ party unity"},
                                         f"{self.data.chamber}, congress {self.data.congress}: party cohesion over all roll calls")
        return self._not_applicable("Cohesion chart", "it needs member-level votes (Voteview-format files)")

    def defectors_table(self):
        """Members who voted against their party's majority (roll call), or the least loyal members (legislature)."""
        if self.mode == "rollcall":
            if self.defector_table.empty:
                return as_markdown("No member voted against their party's majority on this roll call.")
            return self.defector_table
        if self.mode == "legislature":
            members = self._legislature.members
            table = members[members["unity_votes"] > 0].sort_values(["unity", "name"]).head(15)
            return table[["name", "state", "party", "unity_votes", "with_party", "unity"]].round(3).reset_index(drop=True)
        return self._not_applicable("Defectors", "the reported tallies do not name members")

    # ------------------------------------------------------------------ legislature
    def _legislature_summary(self):
        L = self._legislature
        rc = L.rollcalls
        margins = rc["margin"].dropna().astype(int)
        passed = int(rc["passed"].sum())
        return as_markdown(
            f"Under {escape(self.rule_text)}, {number(passed)} of {number(len(rc))} roll calls pass "
            f"({percent(passed / len(rc))}). Median margin: {number(float(margins.median()), 1)} votes "
            f"(from {number(int(margins.min()))} to {number(int(margins.max()))}); {number(int((margins.abs() <= 5).sum()))} "
            f"roll calls were within 5 votes of the threshold. Mean turnout: {percent(float(rc['turnout'].mean()))}. "
            f"{number(int(rc['announced'].sum()))} paired or announced positions are left out of the counts.")

    def _party_legislature_table(self):
        parties = self._legislature.parties.drop(columns=["party_code"])
        return parties.round(3)

    def margin_chart(self):
        if self.mode != "legislature":
            return self._not_applicable("Margin distribution", "it summarises every roll call; set rollcall to 0")
        return charts.margin_chart(self._legislature.rollcalls, self.rule_text,
                                   f"{self.data.chamber}, congress {self.data.congress}: margins of all roll calls")

    def divisive_table(self):
        """The most divisive roll calls: narrowest yes-no split."""
        if self.mode != "legislature":
            return self._not_applicable("Most divisive votes", "set rollcall to 0 for legislature mode")
        L = self._legislature
        columns = ["rollnumber", "date", "bill_number", "vote_question", "vote_result", "yes", "no", "margin",
                   "party_line"] + [f"{p} {o}" for p in L.parties["party"] for o in ("yes", "no")]
        return L.most_divisive(10)[columns].reset_index(drop=True)

    def composition_chart(self):
        """Context: group sizes at a given date (never the composition on the day of the vote)."""
        if self.mode != "tallies" or self.composition is None:
            return None  # composition_markdown() already says why there is no chart
        chambers = set(self.tallies.rows["chamber"])
        shown = self.composition[self.composition["chamber"].isin(chambers)]
        if shown.empty:
            return None
        as_of = shown["as_of"].iloc[0]
        chamber = shown["chamber"].iloc[0]
        vote_dates = self.tallies.rows.loc[self.tallies.rows["chamber"] == chamber, "date"]
        return charts.composition_chart(
            shown[shown["chamber"] == chamber],
            f"{chamber}: seats per group on {as_of} (context only, NOT the composition on {vote_dates.max()})")

    def composition_markdown(self):
        if self.mode != "tallies" or self.composition is None:
            return self._not_applicable("Chamber composition", "it is context for reported-tallies mode only")
        shown = self.composition[self.composition["chamber"].isin(set(self.tallies.rows["chamber"]))]
        if shown.empty:
            return self._not_applicable("Chamber composition", "the composition file has none of this law's chambers")
        return as_markdown(
            f"**Context only.** The chart below shows seats per group in {escape(shown['chamber'].iloc[0])} on "
            f"{escape(shown['as_of'].iloc[0])} ({escape(shown['source'].iloc[0])}). Members changed groups during "
            f"the legislature, so this is **not** the composition on the day of the vote, and no per-group vote "
            f"counts can be derived from it.")

    def sources_markdown(self):
        """Where every number came from: catalogue entries and the sources of reported tallies."""
        lines = []
        paths = ([self.tallies.path, self.priority.attrs.get("path", "")] if self.mode == "tallies"
                 else list(self.data.paths.values()))
        if self.mode == "tallies" and self.composition is not None:
            paths.append(self.composition.attrs.get("path", ""))
        if self.mode == "tallies":
            paths.append(self.tallies.chambers.attrs.get("path", ""))
        for path in dict.fromkeys(p for p in paths if p):
            entry = provenance(path) or {}
            citation = entry.get("citation") or "no catalogue entry (file supplied by the user)"
            lines.append(f"- {code(path)}: {escape(citation)}")
        if self.mode == "tallies":
            reports = self.tallies.rows.drop_duplicates("source")
            for row in reports.itertuples():
                url = f" <{escape(row.source_url)}>" if row.source_url else " (page address not recorded)"
                lines.append(f"- Reported tally: {escape(row.source)}{url}")
        else:
            codes = "; ".join(f"{code} {label}" for code, label in CAST_CODES.items())
            lines.append(f"- Voteview cast codes: {escape(codes)}. Yes = 1, no = 6, abstain = present (7, 8), "
                         f"announced = 2-5 (not votes). The President's positions are left out.")
        return as_markdown("**Sources**\n\n" + "\n".join(lines))

    # ------------------------------------------------------------------ results
    def results(self) -> dict[str, Any]:
        """The headline figures of this run, as recorded."""
        out: dict[str, Any] = {"mode": self.mode, "rule": self.rule}
        if self.mode in ("tallies", "rollcall"):
            h = self.headline
            out["tally"] = tally_mapping(h)
            out["passed"] = None if pd.isna(h["passed"]) else bool(h["passed"])
            out["margin"] = None if pd.isna(h["margin"]) else int(h["margin"])
            out["needed"] = None if pd.isna(h["needed"]) else int(h["needed"])
        else:
            out.update(tally=None, passed=None, margin=None)
        if self.mode == "tallies":
            h = self.headline
            out["headline_vote"] = {k: h[k] for k in ("chamber", "body", "date", "stage", "source")}
            stages = self._stages
            out["stages"] = [
                {"chamber": r.chamber, "date": r.date, "stage": r.stage, "yes": int(r.yes), "no": int(r.no),
                 "abstain": None if pd.isna(r.abstain) else int(r.abstain), "source": r.source,
                 "sources_agree": bool(r.agree), "passed": None if pd.isna(r.passed) else bool(r.passed),
                 "margin": None if pd.isna(r.margin) else int(r.margin)}
                for r in stages.itertuples()]
            out["disagreements"] = int((~self.reconciled["agree"]).sum())
            out.update(parties=None, defectors=None)
        elif self.mode == "rollcall":
            out["rollcall"] = self.rollcall
            out["voteview_counts"] = {"yea_count": int(self.rollcall_row["yea_count"]),
                                      "nay_count": int(self.rollcall_row["nay_count"])}
            out["parties"] = self.parties.drop(columns=["party_code"]).to_dict(orient="records")
            out["party_unity_vote"] = is_party_unity_vote(self.data, self.parties)
            out["defectors"] = self.defector_table.to_dict(orient="records")
        else:
            L = self._legislature
            rc = L.rollcalls
            out["rollcalls"] = len(rc)
            out["passed_under_rule"] = int(rc["passed"].sum())
            out["median_margin"] = float(rc["margin"].dropna().astype(int).median())
            out["party_line_share"] = L.party_line_share
            out["parties"] = L.parties.drop(columns=["party_code"]).to_dict(orient="records")
            out["most_divisive"] = L.most_divisive(10)["rollnumber"].tolist()
            out["defectors"] = None
        return out

    def record(self):
        """Record the headline figures for the runner; returns a one-line Markdown confirmation."""
        results = self.results()
        recorder.record_many(results)
        return as_markdown(f"*Recorded {number(len(results))} results: {escape(', '.join(results))}.*")


def analyse(*, votes_path: str, members_path: str, rollcalls_path: str, rollcall: int, tallies_path: str,
            law_id: str, rule: str, title: str, chambers_path: str = "data/votes/chambers.csv",
            priority_path: str = "data/votes/tally_source_priority.csv",
            composition_path: str = "", party_codes_path: str = "data/votes/voteview_party_codes.csv") -> VoteBreakdown:
    """Load what the mode needs (validated) and compute every section's tables."""
    get_rule(rule)
    mode = mode_for(law_id, rollcall)
    if mode == "tallies":
        tallies = load_tallies(tallies_path, law_id.strip(), chambers_path=chambers_path)
        composition = load_composition(composition_path) if composition_path else None
        default_title = f"How {law_id} was voted"
        return VoteBreakdown(mode=mode, title=title or default_title, rule=rule, tallies=tallies,
                             priority=load_priority(priority_path), composition=composition)
    data = load_voteview(votes_path, members_path, rollcalls_path, chambers_path=chambers_path,
                         party_codes_path=party_codes_path)
    if mode == "rollcall":
        default_title = f"{data.chamber} roll call {rollcall}, congress {data.congress}"
    else:
        default_title = f"{data.chamber}, congress {data.congress}: all roll calls"
    return VoteBreakdown(mode=mode, title=title or default_title, rule=rule, data=data, rollcall=rollcall)
