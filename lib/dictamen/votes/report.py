"""What the vote-breakdown notebook shows: one object per run, one method per section.

:func:`analyse` reads the notebook's parameters, refuses combinations that would report on
something other than what was asked (:func:`preflight`), reads the data with the reader
``data_format`` names and decides the mode:

* ``tallies`` (``data_format`` "tallies"): reported tallies of a law (stages, chambers, sources);
* ``rollcall`` (a member-level format and a ``vote``): one roll call, member by member;
* ``legislature`` (a member-level format, ``vote`` empty): every roll call of the files.

Every section method returns something the notebook displays as is: a data frame, a
:class:`~dictamen.figures.Chart`, or Markdown whose numbers were computed in this run; a section
that does not apply to the mode says so. Every word goes through :mod:`dictamen.messages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from dictamen import messages
from dictamen import record as recorder
from dictamen.catalog import provenance
from dictamen.messages import _, n_, say
from dictamen.prose import as_markdown, code, escape, number, percent
from dictamen.votes import charts
from dictamen.votes.cohesion import Legislature, defectors, is_party_unity_vote, legislature, member_votes, party_breakdown
from dictamen.votes.load import ReportedTallies, load_composition, load_priority, load_tallies
from dictamen.votes.model import OPTIONS, RollCalls
from dictamen.votes.checks import preflight
from dictamen.votes.dipmex import read_dipmex
from dictamen.votes.long_format import read_long
from dictamen.votes.voteview import CAST_CODES, read_voteview
from dictamen.votes.rules import parse_rule
from dictamen.votes.tally import (
    apply_rule, final_vote, published_outcome, reconcile, side_by_side, stage_table, tally_mapping, tally_table,
    with_shares,
)

MEMBER_TALLY_KEYS = OPTIONS + ("not_voting", "vacant")


# --------------------------------------------------------------------------- words

def mode_name(mode: str) -> str:
    return {"tallies": _("Reported-tallies mode"), "rollcall": _("Roll-call mode"),
            "legislature": _("Legislature mode")}[mode]


def _share(value) -> str:
    return _("not known") if value is None or pd.isna(value) else percent(float(value))


def _count(value) -> str:
    return _("not reported") if value is None or pd.isna(value) else number(int(value))


def _index(value) -> str:
    return _("not defined") if value is None or pd.isna(value) else number(float(value), 2)


def margin_words(margin: int) -> str:
    """'115 votes to spare' / '3 votes short', in the language in use."""
    if margin >= 0:
        return n_("{n} vote to spare", "{n} votes to spare", margin).format(n=number(margin))
    return n_("{n} vote short", "{n} votes short", -margin).format(n=number(-margin))


def triple(yes, no, abstain) -> str:
    """'329-98-40' (abstentions left out where not reported)."""
    if abstain is None or pd.isna(abstain):
        return f"{number(int(yes))}-{number(int(no))}"
    return f"{number(int(yes))}-{number(int(no))}-{number(int(abstain))}"


def read_rollcalls(data_format: str, votes_path: str, members_path: str, rollcalls_path: str,
                   chambers_path: str = "data/votes/chambers.csv") -> RollCalls:
    """Member-level files through the reader of their format."""
    if data_format == "voteview":
        return read_voteview(votes_path, members_path, rollcalls_path, chambers_path=chambers_path)
    if data_format == "dipmex":
        return read_dipmex(votes_path, members_path, rollcalls_path, chambers_path=chambers_path)
    return read_long(votes_path, rollcalls_path, members_path)


@dataclass
class VoteBreakdown:
    """Everything a vote-breakdown report shows, for one mode."""

    mode: str
    title: str
    rule: str  # normalised (e.g. "1/2-of-voting")
    data_format: str = "tallies"
    tallies: ReportedTallies | None = None
    priority: pd.DataFrame | None = None
    composition: pd.DataFrame | None = None
    data: RollCalls | None = None
    vote: str = ""

    def __post_init__(self) -> None:
        self._stages = None
        self._legislature: Legislature | None = None
        if self.mode == "tallies":
            self.reconciled = reconcile(self.tallies, self.priority)
            self._stages = stage_table(self.reconciled, self.rule)
            self.headline = final_vote(self._stages)
        elif self.mode == "rollcall":
            self.position = self.data.position(self.vote)
            self.rollcall_row = self.data.rollcalls.iloc[self.position]
            table = apply_rule(with_shares(tally_table(self.data, [self.position])), self.rule)
            self.headline = table.iloc[0]
            self.parties = party_breakdown(self.data, self.position)
            self.defector_table = defectors(self.data, self.position)
        else:
            self._legislature = legislature(self.data, self.rule)

    # ------------------------------------------------------------------ helpers
    @property
    def rule_text(self) -> str:
        """The rule the headline vote is judged by, in words (its own rule where the roll call has one)."""
        applied = self.headline["rule_applied"] if self.mode != "legislature" else self.rule
        return parse_rule(applied).describe()

    @property
    def applied_rule(self) -> str:
        return str(self.headline["rule_applied"]) if self.mode != "legislature" else self.rule

    def _not_applicable(self, what: str, needs: str):
        return as_markdown("*" + say("{what}: not applicable in {mode}; {needs}.", what=escape(what),
                                     mode=mode_name(self.mode).lower(), needs=escape(needs)) + "*")

    def _vote_name(self) -> str:
        if self.mode == "tallies":
            h = self.headline
            return say("{body}, {stage} ({date})", body=escape(h["body"]), stage=escape(h["stage"]),
                       date=messages.date(h["date"]))
        row = self.rollcall_row
        return say("{chamber}, vote {vote} ({date})", chamber=escape(self.data.chamber or _("the chamber")),
                   vote=escape(row["vote_id"]), date=messages.date(row["date"]))

    # ------------------------------------------------------------------ the answer first
    def verdict_parts(self) -> tuple[list[str], list[dict[str, str]]]:
        """The verdict's sentences and key figures, computed from the headline vote or the legislature."""
        if self.mode == "legislature":
            rc = self._legislature.rollcalls
            passed = int(rc["passed"].fillna(False).sum())
            known = int(rc["passed"].notna().sum())
            margins = rc["margin"].dropna().astype(int)
            sentences = [say("{passed} of {known} roll calls passed under their rules; {share} were party-unity votes.",
                             passed=passed, known=known, share=percent(self._legislature.party_line_share))]
            figures = [
                {"label": _("Roll calls"), "value": number(len(rc)),
                 "detail": say("{start} to {end}", start=messages.date(rc["date"].min()),
                               end=messages.date(rc["date"].max()))},
                {"label": _("Passed"), "value": number(passed), "detail": say("of {n} with a known outcome", n=known)},
                {"label": _("Party-unity votes"), "value": percent(self._legislature.party_line_share),
                 "detail": say("majorities of {a} and {b} opposed", a=self._legislature.major_parties[0],
                               b=self._legislature.major_parties[-1])},
                {"label": _("Median margin"),
                 "value": number(float(margins.median()), 1) if len(margins) else _("not known"),
                 "detail": _("yes votes minus votes needed")},
            ]
            return sentences, figures
        h = self.headline
        result = triple(h["yes"], h["no"], h["abstain"])
        if pd.isna(h["passed"]):
            sentences = [say("{result}: the outcome under {rule} cannot be computed from these data.", result=result,
                             rule=self.rule_text)]
        elif bool(h["passed"]):
            sentences = [say("Passed {result}, {margin}.", result=result, margin=margin_words(int(h["margin"])))]
        else:
            sentences = [say("Failed {result}, {margin}.", result=result, margin=margin_words(int(h["margin"])))]
        sentences.append(say("{vote}; majority rule: {rule}.", vote=self._vote_name(), rule=self.rule_text))
        figures = [
            {"label": _("In favour"), "value": number(int(h["yes"])),
             "detail": say("{share} of those present", share=_share(h["yes_of_attending"]))},
            {"label": _("Against"), "value": number(int(h["no"])), "detail": ""},
            {"label": _("Abstentions"), "value": _count(h["abstain"]), "detail": ""},
            {"label": _("Votes needed"), "value": _count(h["needed"]), "detail": self.rule_text},
            {"label": _("Margin"), "value": _("not known") if pd.isna(h["margin"]) else margin_words(int(h["margin"])),
             "detail": ""},
        ]
        if self.mode == "rollcall" and not self.defector_table.empty:
            figures.append({"label": _("Voted against their party"), "value": number(len(self.defector_table)),
                            "detail": _("members")})
        return sentences, figures

    def verdict(self) -> None:
        """Give the verdict block (the answer first), shown right after the analysis cell and placed under the title."""
        sentences, figures = self.verdict_parts()
        recorder.verdict(sentences, figures, messages.language())

    # ------------------------------------------------------------------ sections
    def header(self):
        """Title line and what this run looks at."""
        lines = [f"## {escape(self.title)}", ""]
        mode = mode_name(self.mode)
        if self.mode == "tallies":
            rows = self.tallies.rows
            lines.append(f"**{mode}.** " + say(
                "Law {law}: {votes} votes in {chambers} chamber(s), {start} to {end}, as reported by {sources} sources "
                "({reports} reports) in {path}.", law=code(self.tallies.law_id), votes=len(self.reconciled),
                chambers=rows["chamber"].nunique(), start=messages.date(rows["date"].min()),
                end=messages.date(rows["date"].max()), sources=rows["source"].nunique(), reports=len(rows),
                path=code(self.tallies.path)))
            lines += ["", _("Member-level votes of this law are not public in any bundled source, so this report "
                            "shows the published tallies only: the party, defector and hemicycle-by-party sections "
                            "say so below.")]
        elif self.mode == "rollcall":
            row = self.rollcall_row
            lines.append(f"**{mode}.** " + say("{chamber}, vote {vote} on {date}: {title}.",
                                               chamber=escape(self.data.chamber or _("the chamber")),
                                               vote=code(row["vote_id"]), date=messages.date(row["date"]),
                                               title=escape(row["title"] or _("no title recorded"))))
        else:
            rc = self.data.rollcalls
            lines.append(f"**{mode}.** " + say(
                "All {n} roll calls of {chamber}, {start} to {end}: {votes} member votes.", n=len(rc),
                chamber=escape(self.data.chamber or _("the chamber")), start=messages.date(rc["date"].min()),
                end=messages.date(rc["date"].max()), votes=self.data.member_votes))
        lines += ["", say("Majority rule: {rule} (parameter {parameter} = {value}).", rule=escape(self.rule_text),
                          parameter=code("rule"), value=code(self.applied_rule))]
        if self.mode == "legislature" and (self.data.rollcalls["rule"] != "").any():
            own = int((self.data.rollcalls["rule"] != "").sum())
            lines.append(say("{n} roll calls carry their own rule in the roll-calls file and are judged by it.", n=own))
        return as_markdown("\n".join(lines))

    def tally_table(self):
        """The headline vote: counts, shares of those present and of membership."""
        if self.mode == "legislature":
            return self._not_applicable(_("Single-vote tally"), _("see the legislature summary below"))
        h = self.headline
        options = (["yes", "no", "abstain", "not_voting"] if self.mode == "tallies"
                   else list(MEMBER_TALLY_KEYS))
        rows = []
        for option in options:
            value = h.get(option)
            if value is None or pd.isna(value) or (self.mode == "rollcall" and option not in ("yes", "no") and not value):
                continue
            label = (_("Not voting or vacant (not reported separately)") if self.mode == "tallies" and
                     option == "not_voting" else charts.vote_label(option))
            of_attending = (percent(value / h["attending"]) if option in ("yes", "no", "abstain")
                            and h["attending"] else "")
            of_membership = "" if pd.isna(h["membership"]) else percent(value / h["membership"])
            rows.append({_("option"): label, _("count"): int(value), _("share of those present"): of_attending,
                         _("share of the full membership"): of_membership})
        return pd.DataFrame(rows)

    def tally_markdown(self):
        """The headline vote in a sentence, with turnout."""
        if self.mode == "legislature":
            return self._legislature_summary()
        h = self.headline
        if self.mode == "tallies":
            text = say("The last floor vote, {vote}, as reported by {source}: **{yes} in favour, {no} against, {abstain} "
                       "abstentions**.", vote=self._vote_name(), source=escape(h["source"]), yes=int(h["yes"]),
                       no=int(h["no"]), abstain=_count(h["abstain"]))
            if not pd.isna(h["not_voting"]):
                text += " " + say("{n} of the {seats} seats did not vote or were vacant (the sources do not separate "
                                  "the two).", n=int(h["not_voting"]), seats=int(h["membership"]))
        else:
            text = say("{vote}: **{yes} in favour, {no} against, {abstain} abstentions**; {present} present but not "
                       "voting, {absent} absent, {excused} excused, {paired} paired or announced, {invalid} invalid.",
                       vote=self._vote_name(), yes=int(h["yes"]), no=int(h["no"]), abstain=int(h["abstain"]),
                       present=int(h["present"]), absent=int(h["absent"]), excused=int(h["excused"]),
                       paired=int(h["paired"]), invalid=int(h["invalid"]))
        if not pd.isna(h["membership"]):
            text += " " + say("Yes was {of_attending} of those present and {of_membership} of the full membership of "
                              "{seats}; turnout (present / membership) was {turnout}.",
                              of_attending=_share(h["yes_of_attending"]), of_membership=_share(h["yes_of_membership"]),
                              seats=int(h["membership"]), turnout=_share(h["turnout"]))
        else:
            text += " " + say("Yes was {of_attending} of those present; the full membership is not recorded.",
                              of_attending=_share(h["yes_of_attending"]))
        return as_markdown(text)

    def outcome_markdown(self):
        """Did the vote clear the rule, by how much, and does the published result agree."""
        if self.mode == "legislature":
            return self._published_markdown()
        h = self.headline
        if pd.isna(h["passed"]):
            return as_markdown(say("Under {rule} the outcome cannot be computed: the data lack the count this rule is "
                                   "based on.", rule=escape(self.rule_text)))
        values = dict(rule=escape(self.rule_text), needed=int(h["needed"]), yes=int(h["yes"]),
                      margin=margin_words(int(h["margin"])))
        text = (say("Under {rule}, the vote needed **{needed} yes votes** and had {yes}: it **passes**, {margin}.",
                    **values) if bool(h["passed"]) else
                say("Under {rule}, the vote needed **{needed} yes votes** and had {yes}: it **fails**, {margin}.",
                    **values))
        if self.mode == "rollcall" and self.rollcall_row["result"]:
            published = published_outcome(pd.Series([self.rollcall_row["result"]])).iloc[0]
            if pd.isna(published):
                text += " " + say("The published result, \"{result}\", does not say passed or failed in words dictamen "
                                  "reads, so it is not compared.", result=escape(self.rollcall_row["result"]))
            elif bool(published) == bool(h["passed"]):
                text += " " + say("The published result, \"{result}\", agrees.", result=escape(self.rollcall_row["result"]))
            else:
                text += " " + say("**The published result, \"{result}\", disagrees**: the chamber may have applied "
                                  "another rule.", result=escape(self.rollcall_row["result"]))
        return as_markdown(text)

    def _published_markdown(self):
        rc = self._legislature.rollcalls
        compared = rc["published_passed"].notna() & rc["passed"].notna()
        if not compared.any():
            return as_markdown(_("The roll-calls file gives no published result dictamen can read, so computed "
                                 "outcomes are not compared with published ones."))
        differ = compared & (rc["published_passed"] != rc["passed"])
        text = say("Computed and published results agree on {agree} of {n} roll calls with a readable published "
                   "result; they disagree on {differ}.", agree=int((compared & ~differ).sum()), n=int(compared.sum()),
                   differ=int(differ.sum()))
        return as_markdown(text)

    def published_table(self):
        """Roll calls whose published result disagrees with the computed one (legislature mode)."""
        if self.mode != "legislature":
            return None
        rc = self._legislature.rollcalls
        differ = rc["published_passed"].notna() & rc["passed"].notna() & (rc["published_passed"] != rc["passed"])
        table = rc.loc[differ, ["vote_id", "date", "title", "yes", "no", "rule_applied", "needed", "result"]].head(30)
        if table.empty:
            return None
        return table.rename(columns={"vote_id": _("vote"), "date": _("date"), "title": _("title"), "yes": _("yes"),
                                     "no": _("no"), "rule_applied": _("rule"), "needed": _("needed"),
                                     "result": _("published result")}).reset_index(drop=True)

    def reconciliation_table(self):
        """Each vote as reported by each source, side by side (tallies) or member votes vs published counts."""
        if self.mode == "tallies":
            return side_by_side(self.tallies, self.priority)
        if self.mode == "rollcall":
            published = self._published_counts()
            if not published:
                return None
            h = self.headline
            rows = [{_("source"): say("{path} (member votes, counted here)", path=self.data.paths["votes"]),
                     **{charts.vote_label(o): int(h[o]) for o in published}},
                    {_("source"): say("{path} (published totals)", path=self.data.paths["rollcalls"]),
                     **{charts.vote_label(o): int(v) for o, v in published.items()}}]
            return pd.DataFrame(rows)
        return self._not_applicable(_("Source comparison"), _("legislature mode checks every roll call at once above"))

    def _published_counts(self) -> dict[str, int]:
        row = self.rollcall_row
        names = {"published_yes": "yes", "published_no": "no", "published_favor": "yes", "published_contra": "no",
                 "published_absten": "abstain", "published_quorum": "present", "published_ausen": "absent"}
        return {option: int(row[column]) for column, option in names.items() if column in row.index}

    def reconciliation_markdown(self):
        """Which sources disagree, and which one the headline figures come from (and why)."""
        if self.mode == "tallies":
            lines = []
            for row in self.reconciled.itertuples():
                if row.source_rank is None or pd.isna(row.source_rank):
                    why = _("no source in the priority list reported it; first in the file")
                else:
                    why = say("rank {rank} in the declared priority", rank=int(row.source_rank))
                status = (_("sources agree") if row.agree else
                          say("**sources disagree** on {what} (also reported: {others})", what=escape(row.differing),
                              others=escape(row.other_figures)))
                lines.append("- " + say("{body}, {stage} ({date}): {n} source(s), {status}; headline from {source} "
                                        "({why}).", body=escape(row.body), stage=escape(row.stage),
                                        date=messages.date(row.date), n=row.sources, status=status,
                                        source=escape(row.source), why=why))
            head = say("{n} of {total} votes have conflicting reports. Headline figures follow the declared source "
                       "priority in {path} (the chamber's own channel first); sources not listed there rank after, in "
                       "file order.", n=int((~self.reconciled["agree"]).sum()), total=len(self.reconciled),
                       path=code(self.priority.attrs.get("path", "")))
            return as_markdown(head + "\n\n" + "\n".join(lines))
        if self.mode == "rollcall":
            published = self._published_counts()
            if not published:
                return as_markdown(_("The roll-calls file gives no published totals to compare the member votes with."))
            agree = all(int(self.headline[o]) == v for o, v in published.items())
            return as_markdown(_("Counting member votes reproduces the published totals of this roll call.") if agree
                               else _("Counting member votes **does not reproduce** the published totals of this "
                                      "roll call."))
        return self._legislature_parity()

    def _legislature_parity(self):
        rc = self._legislature.rollcalls
        pairs = [(o, c) for o, c in (("yes", "published_yes"), ("no", "published_no"), ("yes", "published_favor"),
                                     ("no", "published_contra"), ("abstain", "published_absten"),
                                     ("present", "published_quorum"), ("absent", "published_ausen")) if c in rc]
        if not pairs:
            return as_markdown(_("The roll-calls file gives no published totals to compare the member votes with."))
        same = pd.Series(True, index=rc.index)
        for option, column in pairs:
            same &= rc[option] == rc[column]
        return as_markdown(say("Counting member votes reproduces the published totals on {agree} of {n} roll calls.",
                               agree=int(same.sum()), n=len(rc)))

    def stages(self):
        """All stages of the law in one table (tallies), or every roll call on the same bill (roll call)."""
        table = self._stage_rows()
        if table is None:
            return self._not_applicable(_("Stage comparison"), _("choose a roll call or a law"))
        shown = pd.DataFrame({
            _("vote"): table["label"], _("yes"): table["yes"], _("no"): table["no"],
            _("abstain"): table["abstain"], _("present"): table["attending"],
            _("seats"): table["membership"], _("yes share of those present"): [_share(v) for v in table["yes_of_attending"]],
            _("needed"): table["needed"], _("margin"): table["margin"],
            _("passed"): [("" if pd.isna(p) else _("yes") if p else _("no")) for p in table["passed"]],
            _("source"): table["source"]})
        return shown

    def _stage_rows(self) -> pd.DataFrame | None:
        if self.mode == "tallies":
            return self._stages
        if self.mode == "rollcall":
            bill = self.rollcall_row["bill"]
            rc = self.data.rollcalls
            same = (rc["bill"] == bill).to_numpy() if bill else (rc.index == self.position)
            positions = [int(p) for p in rc.index[same]]
            table = apply_rule(with_shares(tally_table(self.data, positions)), self.rule)
            chosen = rc.iloc[positions]
            table["label"] = [say("Vote {vote}: {what} ({date})", vote=v, what=q or t or _("vote"),
                                  date=messages.date(d))
                              for v, q, t, d in zip(chosen["vote_id"], chosen["question"], chosen["title"], chosen["date"])]
            table["source"] = self.data.paths["votes"]
            return table.reset_index()
        return None

    def stage_chart(self):
        table = self._stage_rows()
        if table is None:
            return self._not_applicable(_("Stage chart"), _("choose a roll call or a law"))
        if self.mode == "tallies":
            title = say("Every vote on law {law}, as shares of those present", law=self.tallies.law_id)
        else:
            title = say("Every vote on {bill}, as shares of those present",
                        bill=self.rollcall_row["bill"] or self.rollcall_row["vote_id"])
        return charts.stage_chart(table, title)

    def hemicycle(self):
        """Parliament diagram of the headline vote (grouped by party when members are known)."""
        if self.mode == "tallies":
            h = self.headline
            counts = {o: (None if pd.isna(h[o]) else int(h[o])) for o in ("yes", "no", "abstain", "not_voting")}
            return charts.hemicycle(charts.seats_from_counts(counts),
                                    say("{vote} (party of each vote not reported)", vote=self._vote_name()),
                                    not_voting_label=_("Absent or vacant"))
        if self.mode == "rollcall":
            seats = self.headline["membership"]
            members = member_votes(self.data, self.position)
            title = self._vote_name()
            if not pd.isna(seats) and len(members) > seats:
                title = say("{vote}: {members} members recorded for {seats} seats", vote=title, members=len(members),
                            seats=int(seats))
            shown = charts.seats_from_members(members, int(seats) if not pd.isna(seats) else len(members))
            return charts.hemicycle(shown, title)
        return self._not_applicable(_("Hemicycle"), _("it shows one vote; choose one with the parameter vote"))

    def party_table(self):
        """Per party: counts per option, majority, Rice, agreement index, share with the majority, defectors."""
        if self.mode == "tallies":
            return self._not_applicable(_("Votes by party"), _("the reported tallies give no per-party counts"))
        if self.mode == "legislature":
            parties = self._legislature.parties
            return pd.DataFrame({_("party"): parties["party"], _("members"): parties["members"],
                                 _("mean Rice index"): parties["mean_rice"].round(3),
                                 _("mean agreement index"): parties["mean_agreement"].round(3),
                                 _("mean member unity"): parties["mean_member_unity"].round(3),
                                 _("pooled unity"): parties["pooled_unity"].round(3)})
        p = self.parties
        shown = {_("party"): p["party"]}
        for option in OPTIONS:
            if option in ("yes", "no") or p[option].sum():
                shown[charts.vote_label(option)] = p[option]
        shown.update({_("majority"): [{"yes": _("yes"), "no": _("no"), "none": _("tie")}[m] for m in p["majority"]],
                      _("Rice index"): p["rice"].round(3), _("agreement index"): p["agreement"].round(3),
                      _("share with the majority"): p["unity"].round(3), _("defectors"): p["defectors"]})
        return pd.DataFrame(shown)

    def party_markdown(self):
        if self.mode == "tallies":
            return self._not_applicable(_("Party cohesion"), _("it needs member-level votes"))
        if self.mode == "legislature":
            L = self._legislature
            lines = [say("Over {n} roll calls, {share} were party-unity votes (a majority of {a} against a majority of "
                         "{b}, Congressional Quarterly's definition).", n=len(L.rollcalls),
                         share=percent(L.party_line_share), a=escape(L.major_parties[0]),
                         b=escape(L.major_parties[-1]))]
            for row in L.parties.itertuples():
                lines.append("- " + say("{party} ({members} members over the legislature): mean member unity {unity}, "
                                        "mean Rice index {rice}, mean agreement index {agreement}.",
                                        party=escape(row.party), members=int(row.members),
                                        unity=_share(row.mean_member_unity), rice=_index(row.mean_rice),
                                        agreement=_index(row.mean_agreement)))
            return as_markdown("\n".join(lines))
        unity_vote = is_party_unity_vote(self.data, self.parties)
        lines = [_("This was a party-unity vote (majorities of the two largest parties opposed each other).")
                 if unity_vote else
                 _("This was not a party-unity vote (majorities of the two largest parties did not oppose each other).")]
        for row in self.parties.itertuples():
            majority = (_("split evenly") if row.majority == "none" else
                        _("majority in favour") if row.majority == "yes" else _("majority against"))
            lines.append("- " + say("{party}: {yes} in favour, {no} against, {abstain} abstentions, {other} not voting; "
                                    "{majority}; Rice index {rice}, agreement index {agreement}; {defectors} voted "
                                    "against the party majority.", party=escape(row.party), yes=int(row.yes),
                                    no=int(row.no), abstain=int(row.abstain),
                                    other=int(row.present + row.absent + row.excused + row.paired + row.invalid),
                                    majority=majority, rice=_index(row.rice), agreement=_index(row.agreement),
                                    defectors=int(row.defectors)))
        return as_markdown("\n".join(lines))

    def party_chart(self):
        if self.mode != "rollcall":
            return self._not_applicable(_("Votes by party chart"), _("it needs one roll call with member-level votes"))
        return charts.party_bars(self.parties, say("Vote {vote}: votes by party", vote=self.vote))

    def cohesion_chart(self):
        if self.mode == "rollcall":
            return charts.cohesion_chart(self.parties, {"rice": _("Rice index"), "agreement": _("Agreement index"),
                                                        "unity": _("Share with party majority")},
                                         say("Vote {vote}: party cohesion", vote=self.vote))
        if self.mode == "legislature":
            return charts.cohesion_chart(self._legislature.parties,
                                         {"mean_rice": _("Mean Rice index"), "mean_agreement": _("Mean agreement index"),
                                          "mean_member_unity": _("Mean CQ party unity")},
                                         say("{chamber}: party cohesion over all roll calls",
                                             chamber=self.data.chamber or _("the chamber")))
        return self._not_applicable(_("Cohesion chart"), _("it needs member-level votes"))

    def agreement_chart(self):
        """How often each pair of parties' majorities voted the same way (legislature mode)."""
        if self.mode != "legislature":
            return self._not_applicable(_("Party agreement"), _("it compares parties over a whole legislature; "
                                                                "leave vote empty"))
        return charts.agreement_chart(self._legislature.agreement,
                                      say("{chamber}: how often the parties' majorities voted alike",
                                          chamber=self.data.chamber or _("the chamber")))

    def cohesion_time_chart(self):
        """Each party's mean Rice index per month (legislature mode)."""
        if self.mode != "legislature":
            return self._not_applicable(_("Cohesion over time"), _("it needs a whole legislature; leave vote empty"))
        return charts.cohesion_time_chart(self._legislature.cohesion_by_month,
                                          say("{chamber}: party cohesion month by month",
                                              chamber=self.data.chamber or _("the chamber")))

    def defectors_table(self):
        """Members who voted against their party's majority (roll call), or the least loyal members (legislature)."""
        if self.mode == "rollcall":
            if self.defector_table.empty:
                return as_markdown(_("No member voted against their party's majority on this roll call."))
            d = self.defector_table
            words = {"yes": _("yes"), "no": _("no")}
            return pd.DataFrame({_("member"): d["member"], _("state"): d["state"], _("party"): d["party"],
                                 _("vote"): d["vote"].map(words), _("party majority"): d["party_majority"].map(words)})
        if self.mode == "legislature":
            members = self._legislature.members
            table = members[members["unity_votes"] > 0].sort_values(["unity", "member"]).head(15)
            return pd.DataFrame({_("member"): table["member"], _("state"): table.get("state", ""),
                                 _("party"): table["party"], _("party-unity votes cast"): table["unity_votes"],
                                 _("with the party"): table["with_party"],
                                 _("unity"): table["unity"].round(3)}).reset_index(drop=True)
        return self._not_applicable(_("Defectors"), _("the reported tallies do not name members"))

    # ------------------------------------------------------------------ legislature
    def _legislature_summary(self):
        rc = self._legislature.rollcalls
        margins = rc["margin"].dropna().astype(int)
        passed = int(rc["passed"].fillna(False).sum())
        if margins.empty:
            return as_markdown(_("No roll call has the counts its rule is based on, so no margin is computed."))
        return as_markdown(say(
            "Under {rule}, {passed} of {n} roll calls pass ({share}). Median margin: {median} votes (from {low} to "
            "{high}); {close} roll calls were within 5 votes of the threshold. Mean turnout: {turnout}.",
            rule=escape(self.rule_text), passed=passed, n=len(rc), share=percent(passed / len(rc)),
            median=float(margins.median()), low=int(margins.min()), high=int(margins.max()),
            close=int((margins.abs() <= 5).sum()), turnout=_share(rc["turnout"].mean())))

    def margin_chart(self):
        if self.mode != "legislature" or self._legislature.rollcalls["margin"].dropna().empty:
            return self._not_applicable(_("Margin distribution"), _("it summarises every roll call; leave vote empty"))
        return charts.margin_chart(self._legislature.rollcalls, self.rule_text,
                                   say("{chamber}: margins of all roll calls",
                                       chamber=self.data.chamber or _("the chamber")))

    def divisive_table(self):
        """The most divisive roll calls: narrowest yes-no split."""
        if self.mode != "legislature":
            return self._not_applicable(_("Most divisive votes"), _("leave vote empty for legislature mode"))
        L = self._legislature
        top = L.most_divisive(10)
        shown = pd.DataFrame({_("vote"): top["vote_id"], _("date"): top["date"], _("title"): top["title"],
                              _("yes"): top["yes"], _("no"): top["no"], _("margin"): top["margin"],
                              _("party-unity vote"): [_("yes") if v else _("no") for v in top["party_line"]]})
        for party in L.parties["party"]:
            shown[say("{party} yes", party=party)] = top[f"{party} yes"].to_numpy()
            shown[say("{party} no", party=party)] = top[f"{party} no"].to_numpy()
        return shown.reset_index(drop=True)

    def composition_chart(self):
        """Context: group sizes at a given date (never the composition on the day of the vote)."""
        if self.mode != "tallies" or self.composition is None:
            return None  # composition_markdown() already says why there is no chart
        chambers = set(self.tallies.rows["chamber"])
        shown = self.composition[self.composition["chamber"].isin(chambers)]
        if shown.empty:
            return None
        chamber = shown["chamber"].iloc[0]
        vote_dates = self.tallies.rows.loc[self.tallies.rows["chamber"] == chamber, "date"]
        return charts.composition_chart(
            shown[shown["chamber"] == chamber],
            say("{chamber}: seats per group on {as_of} (context only, NOT the composition on {date})", chamber=chamber,
                as_of=messages.date(shown["as_of"].iloc[0]), date=messages.date(vote_dates.max())))

    def composition_markdown(self):
        if self.mode != "tallies" or self.composition is None:
            return self._not_applicable(_("Chamber composition"), _("it is context for reported-tallies mode only"))
        shown = self.composition[self.composition["chamber"].isin(set(self.tallies.rows["chamber"]))]
        if shown.empty:
            return self._not_applicable(_("Chamber composition"), _("the composition file has none of this law's chambers"))
        return as_markdown(say(
            "**Context only.** The chart below shows seats per group in {chamber} on {as_of} ({source}). Members "
            "changed groups during the legislature, so this is **not** the composition on the day of the vote, and no "
            "per-group vote counts can be derived from it.", chamber=escape(shown["chamber"].iloc[0]),
            as_of=messages.date(shown["as_of"].iloc[0]), source=escape(shown["source"].iloc[0])))

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
            citation = entry.get("citation") or _("no catalogue entry (file supplied by the user)")
            lines.append(f"- {code(path)}: {escape(citation)}")
        if self.mode == "tallies":
            for row in self.tallies.rows.drop_duplicates("source").itertuples():
                where = f" <{row.source_url}>" if row.source_url else " " + _("(page address not recorded)")
                lines.append("- " + say("Reported tally: {source}", source=escape(row.source)) + where)
        elif self.data.source == "voteview":
            codes = "; ".join(f"{c} {label}" for c, label in CAST_CODES.items())
            lines.append("- " + say("Voteview cast codes: {codes}. Yes = 1, no = 6, abstain = 7 and 8 (present), absent = 9, "
                                    "paired or announced = 2-5 (not votes). The President's positions are left out.",
                                    codes=escape(codes)))
        elif self.data.source == "dipmex":
            lines.append("- " + _("dipMex codes: 0 not a member on that date, 1 yes, 2 no, 3 abstain, 4 present but "
                                  "not voting, 5 absent; matrix columns joined to the members file by position."))
        return as_markdown("**" + _("Sources") + "**\n\n" + "\n".join(lines))

    # ------------------------------------------------------------------ results
    def results(self) -> dict[str, Any]:
        """The headline figures of this run, as recorded."""
        out: dict[str, Any] = {"mode": self.mode, "data_format": self.data_format, "vote": self.vote,
                               "rule": self.applied_rule}
        if self.mode in ("tallies", "rollcall"):
            h = self.headline
            keys = ("yes", "no", "abstain", "not_voting") if self.mode == "tallies" else MEMBER_TALLY_KEYS
            out["tally"] = tally_mapping(h, keys)
            out["passed"] = None if pd.isna(h["passed"]) else bool(h["passed"])
            out["margin"] = None if pd.isna(h["margin"]) else int(h["margin"])
            out["needed"] = None if pd.isna(h["needed"]) else int(h["needed"])
        else:
            out.update(tally=None, passed=None, margin=None, needed=None)
        if self.mode == "tallies":
            h = self.headline
            out["headline_vote"] = {k: h[k] for k in ("chamber", "body", "date", "stage", "source")}
            out["stages"] = [
                {"chamber": r.chamber, "date": r.date, "stage": r.stage, "yes": int(r.yes), "no": int(r.no),
                 "abstain": None if pd.isna(r.abstain) else int(r.abstain), "source": r.source,
                 "sources_agree": bool(r.agree), "passed": None if pd.isna(r.passed) else bool(r.passed),
                 "margin": None if pd.isna(r.margin) else int(r.margin)}
                for r in self._stages.itertuples()]
            out["disagreements"] = int((~self.reconciled["agree"]).sum())
            out.update(parties=None, defectors=None)
        elif self.mode == "rollcall":
            out["rollcall"] = int(self.vote) if self.data.source == "voteview" else self.vote
            published = self._published_counts()
            if self.data.source == "voteview":
                out["voteview_counts"] = {"yea_count": published["yes"], "nay_count": published["no"]}
            out["published_counts"] = published or None
            out["published_result"] = self.rollcall_row["result"] or None
            out["parties"] = self.parties.to_dict(orient="records")
            out["party_unity_vote"] = is_party_unity_vote(self.data, self.parties)
            out["defectors"] = self.defector_table.to_dict(orient="records")
        else:
            L = self._legislature
            rc = L.rollcalls
            out["rollcalls"] = len(rc)
            out["passed_under_rule"] = int(rc["passed"].fillna(False).sum())
            margins = rc["margin"].dropna().astype(int)
            out["median_margin"] = float(margins.median()) if len(margins) else None
            out["party_line_share"] = L.party_line_share
            out["parties"] = L.parties.to_dict(orient="records")
            out["most_divisive"] = L.most_divisive(10)["vote_id"].tolist()
            out["defectors"] = None
            out["rollcall_tallies"] = [
                {"vote": v, "date": d, "yes": int(y), "no": int(n), "abstain": int(a),
                 "passed": None if pd.isna(p) else bool(p), "margin": None if pd.isna(m) else int(m)}
                for v, d, y, n, a, p, m in zip(rc["vote_id"], rc["date"], rc["yes"], rc["no"], rc["abstain"],
                                               rc["passed"], rc["margin"])]
            differ = rc["published_passed"].notna() & rc["passed"].notna() & (rc["published_passed"] != rc["passed"])
            out["published_disagreements"] = rc.loc[differ, "vote_id"].tolist()
            out["party_agreement"] = {a: {b: (None if pd.isna(v) else float(v)) for b, v in row.items()}
                                      for a, row in L.agreement.iterrows()}
        return out

    def record(self):
        """Record the headline figures for the runner; returns a one-line Markdown confirmation."""
        results = self.results()
        recorder.record_many(results)
        return as_markdown("*" + say("Recorded {n} results: {keys}.", n=len(results),
                                     keys=escape(", ".join(results))) + "*")


def read_inputs(*, votes_path: str = "", members_path: str = "", rollcalls_path: str = "", tallies_path: str = "",
                law_id: str = "", rule: str = "simple", data_format: str = "tallies", vote: str = "",
                chambers_path: str = "data/votes/chambers.csv", priority_path: str = "data/votes/tally_source_priority.csv",
                composition_path: str = "", **_ignored: object) -> dict:
    """Check the parameters and read what the mode needs, validated: the fields of a :class:`VoteBreakdown`
    but its title. Raises InputError (file, row, column) or ParameterError; ``dictamen run`` calls it
    before any kernel starts (:func:`dictamen.votes.checks.check_inputs`), the notebook through :func:`analyse`."""
    parameters = {"data_format": data_format, "vote": vote, "votes_path": votes_path, "members_path": members_path,
                  "rollcalls_path": rollcalls_path}
    preflight(parameters)
    normalised = parse_rule(rule).name
    if data_format == "tallies":
        return {"mode": "tallies", "rule": normalised, "data_format": data_format,
                "tallies": load_tallies(tallies_path, law_id.strip(), chambers_path=chambers_path),
                "priority": load_priority(priority_path),
                "composition": load_composition(composition_path) if composition_path else None}
    data = read_rollcalls(data_format, votes_path, members_path, rollcalls_path, chambers_path)
    vote = str(vote).strip()
    if vote:
        data.position(vote)  # a vote id the roll-calls file does not have: InputError with close ids
    return {"mode": "rollcall" if vote else "legislature", "rule": normalised, "data_format": data_format,
            "data": data, "vote": vote}


def analyse(*, votes_path: str = "", members_path: str = "", rollcalls_path: str = "", tallies_path: str = "",
            law_id: str = "", rule: str = "simple", title: str = "", data_format: str = "tallies", vote: str = "",
            language: str = "en", chambers_path: str = "data/votes/chambers.csv",
            priority_path: str = "data/votes/tally_source_priority.csv",
            composition_path: str = "") -> VoteBreakdown:
    """Check the parameters, read what the mode needs (validated) and compute every section's tables."""
    messages.use(language)
    fields = read_inputs(votes_path=votes_path, members_path=members_path, rollcalls_path=rollcalls_path,
                         tallies_path=tallies_path, law_id=law_id, rule=rule, data_format=data_format, vote=vote,
                         chambers_path=chambers_path, priority_path=priority_path, composition_path=composition_path)
    if fields["mode"] == "tallies":
        default_title = say("How {law} was voted", law=law_id)
    else:
        chamber = fields["data"].chamber or _("the chamber")
        default_title = (say("{chamber}: vote {vote}", chamber=chamber, vote=fields["vote"]) if fields["vote"]
                         else say("{chamber}: all roll calls", chamber=chamber))
    return VoteBreakdown(title=title or default_title, **fields)
