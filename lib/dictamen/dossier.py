"""The law dossier: one page joining a law's votes, measured impact and the writing about it.

It composes the same library calls as the three detailed notebooks (``votes.analyse``,
``impact.analyse``, ``sources.analyse``) with the parameters the law registry gives, so its headline
figures are those of the detailed reports; it records them under the same keys, grouped by section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pandas as pd

from dictamen import impact, prose, sources, votes
from dictamen.figures import Chart, new_figure
from dictamen.laws import LAWS_FILE, Law, get_law
from dictamen.record import record_many, to_jsonable
from dictamen.sources.report import bibliography_table, diversity_table

SECTIONS = ("votes", "impact", "sources")
VOTES_KEYS = ("mode", "rule", "tally", "passed", "margin", "needed", "headline_vote", "stages", "rollcall",
              "voteview_counts")
IMPACT_KEYS = ("effect", "method", "specification", "detectable", "intervention_date", "windows")
STAGE_COLOURS = {"initiative": "#6a3d9a", "committee": "#33a02c", "floor": "#1f78b4",
                 "publication": "#e66101", "in_force": "#b2182b"}


@dataclass
class Dossier:
    """A law from the registry and the three analyses its entry points to (None where there is no data)."""

    law: Law
    title: str
    votes: votes.VoteBreakdown | None
    impact: impact.Analysis | None
    sources: sources.SourcesReport | None


def build(law_id: str, laws_path: str = LAWS_FILE, title: str = "") -> Dossier:
    """Load the law's registry entry and run each analysis it has data for."""
    law = get_law(law_id, laws_path)
    breakdown = analysis = report = None
    if law.section("votes"):
        v = law.section("votes")
        breakdown = votes.analyse(
            votes_path=v.get("votes_path", ""), members_path=v.get("members_path", ""),
            rollcalls_path=v.get("rollcalls_path", ""), data_format=v.get("data_format", "tallies"),
            vote=str(v.get("vote", "")),
            tallies_path=v.get("tallies_path", ""), law_id=v.get("law_id", ""), rule=v.get("rule", "simple"),
            title="", **{k: v[k] for k in ("chambers_path", "priority_path", "composition_path") if k in v})
    if law.section("impact"):
        i = dict(law.section("impact"))
        analysis = impact.analyse(i.pop("series_path"), i.pop("measure"), i.pop("unit"), **i)
    if law.section("sources"):
        report = sources.analyse(**law.section("sources"))
    return Dossier(law=law, title=title or law.name_en, votes=breakdown, impact=analysis, sources=report)


# ---------------------------------------------------------------------- figures of each section
def votes_results(d: Dossier) -> dict[str, Any] | None:
    """The votes report's recorded headline figures (same keys and values as vote_breakdown)."""
    if d.votes is None:
        return None
    results = to_jsonable(d.votes.results())
    return {key: results[key] for key in VOTES_KEYS if key in results}


def impact_results(d: Dossier) -> dict[str, Any] | None:
    """The impact report's recorded headline figures (same keys and values as policy_impact)."""
    if d.impact is None:
        return None
    results = to_jsonable(impact.results(d.impact))
    return {key: results[key] for key in IMPACT_KEYS}


def sources_results(d: Dossier) -> dict[str, Any] | None:
    """The sources report's recorded headline figures (same keys and values as source_diversity)."""
    if d.sources is None:
        return None
    bibliography = bibliography_table(d.sources)
    return to_jsonable({
        "articles": len(d.sources.articles),
        "n_entries": len(bibliography),
        "n_parsed": int(bibliography["parsed"].sum()) if len(bibliography) else 0,
        "n_works_counted": len(d.sources.works()),
        "indices": diversity_table(d.sources),
    })


def results(d: Dossier) -> dict[str, Any]:
    """Everything the dossier records: the law, its stages, and each section's headline figures."""
    return {
        "law_id": d.law.law_id,
        "law_name": d.law.name,
        "reports": {name: d.law.report(name) for name in SECTIONS},
        "stages": [{"kind": s.kind, "label": s.label, "date": s.date.isoformat(), "chamber": s.chamber,
                    "source": s.source} for s in d.law.stages],
        "votes": votes_results(d),
        "impact": impact_results(d),
        "sources": sources_results(d),
    }


def record_results(d: Dossier):
    """Record the headline figures for the runner; returns a one-line confirmation."""
    values = results(d)
    record_many(values)
    recorded = [name for name in SECTIONS if values[name] is not None]
    return prose.as_markdown(f"*Recorded the law's stages and the headline figures of: "
               f"{prose.escape(', '.join(recorded) or 'no section')}.*")


# ---------------------------------------------------------------------- prose
def _link(d: Dossier, section: str) -> str:
    name = d.law.report(section)
    if not name:
        return ""
    return f"Detailed report of this run: [{prose.escape(name)}]({quote(name)}.html)."


def _tally_words(yes: Any, no: Any, abstain: Any) -> str:
    """'329–98–40 (yes–no–abstain)' when abstentions are reported, '89–10 (yes–no)' otherwise.

    A roll call records abstain = 0 (Voteview reports no abstentions) and a tally may leave it
    null: writing '–0' would state a count no source gave, so zero or unknown is left out.
    """
    reported = abstain is not None and not pd.isna(abstain) and abstain != 0
    parts = [prose.number(yes), prose.number(no)] + ([prose.number(abstain)] if reported else [])
    return "–".join(parts) + (" (yes–no–abstain)" if reported else " (yes–no)")


def _outcome_words(passed: Any, margin: Any) -> str:
    if passed is None:
        return "outcome not determined"
    if margin is None:
        return "passed" if passed else "failed"
    if margin >= 0:
        return f"{'passed' if passed else 'failed'} with {prose.number(margin)} vote{'s' if margin != 1 else ''} to spare"
    return f"{'passed' if passed else 'failed'}, {prose.number(-margin)} vote{'s' if margin != -1 else ''} short"


def vote_sentences(d: Dossier) -> list[str]:
    """One sentence per floor vote: chamber, date, tally and margin under the report's rule."""
    r = votes_results(d)
    if r is None:
        return []
    if r["mode"] == "tallies":
        floor = [s for s in r["stages"] if not str(s["stage"]).startswith("committee")]
        return [f"{prose.escape(s['chamber'])}, {prose.escape(s['date'])} ({prose.escape(s['stage'])}): "
                f"{_tally_words(s['yes'], s['no'], s['abstain'])}, {_outcome_words(s['passed'], s['margin'])}"
                for s in floor]
    if r["mode"] == "rollcall":
        t = r["tally"]
        row = d.votes.rollcall_row
        return [f"{prose.escape(d.votes.data.chamber)}, {prose.escape(row['date'])} (roll call "
                f"{prose.number(r['rollcall'])}): {_tally_words(t['yes'], t['no'], t['abstain'])}, "
                f"{_outcome_words(r['passed'], r['margin'])}"]
    return []


def effect_sentence(d: Dossier) -> str:
    """The main measured effect with its 95% interval, in words."""
    if d.impact is None:
        return ""
    e = d.impact.effect
    series = d.impact.treated
    verdict = "a detectable change" if e.detectable else "no detectable effect"
    method = "difference-in-differences" if d.impact.method == "did" else "interrupted time series"
    return (f"{prose.escape(series.measure)} ({prose.escape(series.unit)}) after "
            f"{d.impact.design.intervention_date:%Y-%m-%d}: {prose.percent(e.relative, signed=True)} per month "
            f"relative to the counterfactual (95% CI {prose.percent(e.relative_ci_low, signed=True)} to "
            f"{prose.percent(e.relative_ci_high, signed=True)}), {verdict}, by {method}")


def diversity_sentence(d: Dossier) -> str:
    """How diverse the cited works are: works counted and the effective number per dimension."""
    r = sources_results(d)
    if r is None:
        return ""
    if not r["n_works_counted"]:
        return "no cited work could be parsed, so no diversity index is computed"
    parts = [f"{prose.escape(row['dimension'])} {prose.number(row['effective_number'], 1)} "
             f"(of {prose.number(row['categories'])} categories)" for row in r["indices"]
             if r["articles"] == 1 or row["article"] == "all articles"]
    return (f"{prose.number(r['n_works_counted'])} parsed cited works in {prose.number(r['articles'])} "
            f"article(s); effective number of distinct " + ", ".join(parts))


def header_markdown(d: Dossier):
    """Title, the law's names and jurisdiction."""
    law = d.law
    lines = [f"## {prose.escape(d.title)}", "",
             f"**{prose.escape(law.name)}** ({prose.escape(law.name_en)}). Jurisdiction: "
             f"{prose.escape(law.jurisdiction)}. Registry id {prose.code(law.law_id)} in "
             f"{prose.code(law.path)}."]
    if law.note:
        lines += ["", f"*{prose.escape(law.note)}*"]
    return prose.as_markdown("\n".join(lines))


def headline_text(d: Dossier) -> str:
    """The summary paragraph, every number computed in this run."""
    lines = []
    sentences = vote_sentences(d)
    if sentences:
        lines.append("- **How it was voted:** " + "; ".join(sentences) + f". Majority rule: "
                     f"{prose.escape(d.votes.rule_text)}.")
    else:
        lines.append("- **How it was voted:** " + prose.escape(d.law.section_note("votes") or "no vote data.") )
    effect = effect_sentence(d)
    lines.append("- **Main measured effect:** " + (effect + "." if effect else
                                                    prose.escape(d.law.section_note("impact") or "no indicator.")))
    diversity = diversity_sentence(d)
    lines.append("- **Cited sources:** " + (diversity + "." if diversity else
                                             prose.escape(d.law.section_note("sources") or "no articles.")))
    return "\n".join(lines)


def headline_markdown(d: Dossier):
    return prose.as_markdown(headline_text(d))


def votes_markdown(d: Dossier):
    """Short form of the vote breakdown: each floor vote, the stages reported, and the link."""
    if d.votes is None:
        return prose.as_markdown(prose.escape(d.law.section_note("votes") or "No vote data registered for this law."))
    r = votes_results(d)
    lines = [f"- {s}." for s in vote_sentences(d)]
    lines.append(f"- Majority rule: {prose.escape(d.votes.rule_text)}.")
    if r["mode"] == "tallies":
        committees = [s for s in r["stages"] if str(s["stage"]).startswith("committee")]
        lines += [f"- {prose.escape(s['chamber'])}, {prose.escape(s['date'])}, {prose.escape(s['stage'])}: "
                  f"{_tally_words(s['yes'], s['no'], s['abstain'])}" for s in committees]
        if r.get("stages"):
            disagreeing = sum(1 for s in r["stages"] if not s["sources_agree"])
            lines.append(f"- Votes on which the published sources disagree: {prose.number(disagreeing)} of "
                         f"{prose.number(len(r['stages']))}.")
    elif r["mode"] == "rollcall":
        counts = r["voteview_counts"]
        lines.append(f"- Voteview's own counts: {prose.number(counts['yea_count'])} yea, "
                     f"{prose.number(counts['nay_count'])} nay.")
    return prose.as_markdown("\n".join(lines + ["", _link(d, "votes")]))


def impact_markdown(d: Dossier):
    """Short form of the impact analysis: the effect, the design, and the link."""
    if d.impact is None:
        return prose.as_markdown(prose.escape(d.law.section_note("impact") or "No indicator registered for this law."))
    r = impact_results(d)
    e = r["effect"]
    windows = r["windows"]
    lines = [f"- {effect_sentence(d)}.",
             f"- Average per month: {prose.number(e['absolute'])} (95% CI {prose.number(e['ci_low'])} to "
             f"{prose.number(e['ci_high'])}); p = {prose.number(e['p_value'], 3)}; "
             f"{prose.number(e['n_pre'])} months before, {prose.number(e['n_post'])} after.",
             f"- Pre-period {prose.escape(windows['pre'][0])} to {prose.escape(windows['pre'][1])}, post-period "
             f"{prose.escape(windows['post'][0])} to {prose.escape(windows['post'][1])}; left out: "
             f"{prose.escape(', '.join(windows['exclude']) or 'nothing')}."]
    if d.law.section_note("impact"):
        lines.append(f"- {prose.escape(d.law.section_note('impact'))}")
    return prose.as_markdown("\n".join(lines + ["", _link(d, "impact")]))


def sources_markdown(d: Dossier):
    """Short form of the source analysis: works, diversity, the article dates, and the link."""
    if d.sources is None:
        return prose.as_markdown(prose.escape(d.law.section_note("sources") or "No articles registered for this law."))
    r = sources_results(d)
    lines = [f"- {diversity_sentence(d)}.",
             f"- Sources-list entries: {prose.number(r['n_entries'])}, of which {prose.number(r['n_parsed'])} parsed."]
    for article in d.sources.articles:
        lines.append(f"- {prose.escape(article.title or article.path)} (dated "
                     f"{prose.escape(article.date or 'unknown')}).")
    return prose.as_markdown("\n".join(lines + ["", _link(d, "sources")]))


def stages_table(d: Dossier) -> pd.DataFrame:
    """The registry's dated stages with their sources."""
    return pd.DataFrame([{"date": s.date.isoformat(), "stage": s.kind, "chamber": s.chamber, "what": s.label,
                          "source": s.source, "url": s.url} for s in d.law.stages])


# ---------------------------------------------------------------------- timeline
def _work_dates(d: Dossier) -> tuple[pd.Series, list[pd.Timestamp]]:
    if d.sources is None:
        return pd.Series(dtype="datetime64[ns]"), []
    works = d.sources.works()
    dated = works[works["date"].str.len() == 10] if not works.empty else works
    when = pd.to_datetime(dated["date"], errors="coerce").dropna() if len(dated) else pd.Series(dtype="datetime64[ns]")
    articles = [pd.Timestamp(a.date) for a in d.sources.articles if a.date and len(a.date) == 10]
    return when, articles


def timeline_chart(d: Dossier) -> Chart:
    """Legislative stages, cited works' and articles' dates and the indicator series on one time axis."""
    figure = new_figure(9, 5.2)
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1.4])
    stages = d.law.stages
    alt = [f"Timeline of {d.law.name_en}."]
    if d.impact is not None:
        path = d.impact.effect.path
        series = d.impact.treated
        top.plot(path["month"], path["observed"], color="#333333", linewidth=1.2,
                 label=f"{series.measure} ({series.unit})")
        top.set_ylabel(series.measure, fontsize=8)
        top.legend(loc="upper left", fontsize=8)
        low, high = path["observed"].min(), path["observed"].max()
        alt.append(f"Top: the indicator {series.measure} ({series.unit}), monthly from "
                   f"{path['month'].min():%Y-%m} to {path['month'].max():%Y-%m}, between "
                   f"{prose.number(low)} and {prose.number(high)}; intervention dated "
                   f"{d.impact.design.intervention_date:%Y-%m-%d}.")
        top.axvline(pd.Timestamp(d.impact.design.intervention_date), color="#b2182b", linestyle=":", linewidth=1)
    else:
        top.text(0.5, 0.5, "no indicator registered", transform=top.transAxes, ha="center", va="center")
        alt.append("Top: no indicator registered.")
    for stage in stages:
        colour = STAGE_COLOURS[stage.kind]
        for ax in (top, bottom):
            ax.axvline(pd.Timestamp(stage.date), color=colour, linewidth=0.9, alpha=0.8)
    bottom.scatter([pd.Timestamp(s.date) for s in stages], [2] * len(stages),
                   c=[STAGE_COLOURS[s.kind] for s in stages], marker="D", s=30, zorder=3)
    alt.append(f"Vertical lines and diamonds: {len(stages)} legislative stage(s), "
               + "; ".join(f"{s.label} {s.date.isoformat()}" for s in stages) + ".")
    works, articles = _work_dates(d)
    if len(works):
        bottom.scatter(works, [1] * len(works), color="#3b6ea5", s=20, zorder=3)
        alt.append(f"Dots: {len(works)} dated cited works, {works.min():%Y-%m-%d} to {works.max():%Y-%m-%d}.")
    if articles:
        bottom.scatter(articles, [0] * len(articles), color="#b2182b", marker="|", s=300, zorder=3)
        alt.append("Bars: article date(s) " + ", ".join(f"{a:%Y-%m-%d}" for a in articles) + ".")
    if not len(works) and not articles:
        alt.append("No cited articles.")
    bottom.set_yticks([0, 1, 2], ["article", "cited works", "stages"], fontsize=8)
    bottom.set_ylim(-0.7, 2.7)
    bottom.set_xlabel("date")
    caption = ("Legislative stages (vertical lines: purple initiative, green committee, blue floor vote, "
               "orange publication, red entry into force), the dates of the cited works and articles, and the "
               "indicator series, on one time axis.")
    return Chart(figure=figure, alt=" ".join(alt), caption=caption)
