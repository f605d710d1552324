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
from babel.lists import format_list

from dictamen import impact, messages, prose, sources, votes
from dictamen.figures import Chart, new_figure
from dictamen.laws import LAWS_FILE, Law, get_law
from dictamen.messages import _, n_, say
from dictamen.record import record_many, to_jsonable
from dictamen.record import verdict as record_verdict
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
    language: str = "en"
    impact_report: str = ""
    impact_report_es: str = ""
    design_reason: str = ""
    """Why the impact section cites the design it does, when the law registers several (impact.cited_design)."""

    def report(self, section: str, language: str = "en") -> str:
        """The detailed report a section links to (for impact, the design cited)."""
        if section == "impact":
            return (self.impact_report_es if language == "es" else "") or self.impact_report
        return self.law.report(section, language)


def build(law_id: str, laws_path: str = LAWS_FILE, title: str = "", language: str = "en") -> Dossier:
    """Load the law's registry entry and run each analysis it has data for, speaking ``language``."""
    messages.use(language)
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
    impact_report, impact_report_es, design_reason = law.report("impact"), law.report("impact", "es"), ""
    designs = law.impact_designs()
    if designs:
        analyses = []
        for *_reports, parameters in designs:
            i = dict(parameters)
            analyses.append(impact.analyse(i.pop("series_path"), i.pop("measure"), i.pop("unit"), **i))
        choice = impact.cited_design(*analyses) if len(analyses) > 1 else None
        analysis = choice.analysis if choice else analyses[0]
        if choice:
            chosen = designs[analyses.index(analysis)]
            impact_report, impact_report_es, design_reason = chosen[0], chosen[1] or chosen[0], choice.reason
    if law.section("sources"):
        report = sources.analyse(**law.section("sources"))
    messages.use(language)  # the analyses may choose their own language; the dossier's sentences are in this one
    if design_reason:  # said again in the dossier's language (cited_design spoke in the analyses' one)
        design_reason = impact.cited_design(*analyses).reason
    return Dossier(law=law, title=title or law.name_in(language), votes=breakdown, impact=analysis, sources=report,
                   language=language, impact_report=impact_report, impact_report_es=impact_report_es,
                   design_reason=design_reason)


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
        "reports": {name: d.report(name) for name in SECTIONS},
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
    names = {"votes": _("how it was voted"), "impact": _("what it changed"), "sources": _("who the writing rests on")}
    recorded = [names[name] for name in SECTIONS if values[name] is not None]
    return prose.as_markdown("*" + say("Recorded the law's stages and the headline figures of: {sections}.",
                                       sections=prose.escape(", ".join(recorded) or _("no section"))) + "*")


# ---------------------------------------------------------------------- prose
def _link(d: Dossier, section: str) -> str:
    name = d.report(section, d.language)
    if not name:
        return ""
    link = "[" + prose.escape(name) + "](" + quote(name) + ".html)"
    return say("Detailed report of this run: {link}.", link=link)


def _abstentions_reported(abstain: Any) -> bool:
    """A roll call records abstain = 0 (Voteview reports no abstentions) and a tally may leave it
    null: writing '–0' would state a count no source gave, so zero or unknown is left out."""
    return abstain is not None and not pd.isna(abstain) and abstain != 0


def _tally(yes: Any, no: Any, abstain: Any) -> str:
    """'329–98–40' when abstentions are reported, '89–10' otherwise."""
    parts = [prose.number(yes), prose.number(no)] + ([prose.number(abstain)] if _abstentions_reported(abstain) else [])
    return "–".join(parts)


def _tally_words(yes: Any, no: Any, abstain: Any) -> str:
    """'329–98–40 (yes–no–abstain)' when abstentions are reported, '89–10 (yes–no)' otherwise."""
    if _abstentions_reported(abstain):
        return say("{tally} (yes–no–abstain)", tally=_tally(yes, no, abstain))
    return say("{tally} (yes–no)", tally=_tally(yes, no, abstain))


def _outcome_words(passed: Any, margin: Any) -> str:
    if passed is None:
        return _("outcome not determined")
    if margin is None:
        return _("passed") if passed else _("failed")
    if margin >= 0:
        if passed:
            return n_("passed with {n} vote to spare", "passed with {n} votes to spare", margin).format(
                n=prose.number(margin))
        return n_("failed with {n} vote to spare", "failed with {n} votes to spare", margin).format(
            n=prose.number(margin))
    if passed:
        return n_("passed, {n} vote short", "passed, {n} votes short", -margin).format(n=prose.number(-margin))
    return n_("failed, {n} vote short", "failed, {n} votes short", -margin).format(n=prose.number(-margin))


def _stage_words(stage: str) -> str:
    """A tallies file's stage ('general', 'committee:Defensa Nacional') in the report's words."""
    stage = str(stage)
    if stage.startswith("committee:"):
        return say("committee {name}", name=prose.escape(stage.split(":", 1)[1]))
    known = {"general": _("in general"), "particular": _("in particular"),
             "general and particular": _("in general and in particular")}
    return known.get(stage, prose.escape(stage))


def _date_words(value: Any) -> str:
    try:
        return messages.date(str(value))
    except ValueError:
        return prose.escape(value)


def vote_sentences(d: Dossier) -> list[str]:
    """One sentence per floor vote: chamber, date, tally and margin under the report's rule."""
    r = votes_results(d)
    if r is None:
        return []
    if r["mode"] == "tallies":
        floor = [s for s in r["stages"] if not str(s["stage"]).startswith("committee")]
        return [say("{chamber}, {date} ({stage}): {tally}, {outcome}", chamber=prose.escape(s["chamber"]),
                    date=_date_words(s["date"]), stage=_stage_words(s["stage"]),
                    tally=_tally_words(s["yes"], s["no"], s["abstain"]), outcome=_outcome_words(s["passed"], s["margin"]))
                for s in floor]
    if r["mode"] == "rollcall":
        t = r["tally"]
        row = d.votes.rollcall_row
        return [say("{chamber}, {date} (roll call {rollcall}): {tally}, {outcome}",
                    chamber=prose.escape(d.votes.data.chamber), date=_date_words(row["date"]),
                    rollcall=prose.number(r["rollcall"]), tally=_tally_words(t["yes"], t["no"], t["abstain"]),
                    outcome=_outcome_words(r["passed"], r["margin"]))]
    return []


def _method_words(method: str) -> str:
    names = {"did": _("difference-in-differences"), "its": _("interrupted time series"),
             "synth": _("synthetic control"), "synthetic": _("synthetic control")}
    return names.get(method, prose.escape(method))


def _interval(low: float, high: float) -> str:
    return say("95% CI {low} to {high}", low=prose.percent(low, signed=True), high=prose.percent(high, signed=True))


def effect_sentence(d: Dossier) -> str:
    """The main measured effect with its 95% interval, in words."""
    if d.impact is None:
        return ""
    e = d.impact.effect
    series = d.impact.treated
    values = dict(measure=prose.escape(series.measure), unit=prose.escape(series.unit),
                  date=messages.date(d.impact.design.intervention_date), effect=prose.percent(e.relative, signed=True),
                  interval=_interval(e.relative_ci_low, e.relative_ci_high), method=_method_words(d.impact.method))
    if e.detectable:
        return _("{measure} ({unit}) after {date}: {effect} per month relative to the counterfactual ({interval}), "
                 "a detectable change, by {method}").format(**values)
    return _("{measure} ({unit}) after {date}: {effect} per month relative to the counterfactual ({interval}), "
             "no detectable effect, by {method}").format(**values)


def diversity_sentence(d: Dossier) -> str:
    """How diverse the cited works are: works counted and the effective number per dimension."""
    r = sources_results(d)
    if r is None:
        return ""
    if not r["n_works_counted"]:
        return _("no cited work could be parsed, so no diversity index is computed")
    dimensions = {"outlet": _("outlet"), "type": _("type of source"), "country": _("country"), "language": _("language")}
    parts = [say("{dimension} {effective} (of {categories} categories)",
                 dimension=dimensions.get(row["dimension"], prose.escape(row["dimension"])),
                 effective=prose.number(row["effective_number"], 1), categories=prose.number(row["categories"]))
             for row in r["indices"] if r["articles"] == 1 or row["article"] == "all articles"]
    works = n_("{n} parsed cited work", "{n} parsed cited works", r["n_works_counted"]).format(
        n=prose.number(r["n_works_counted"]))
    articles = n_("in {n} article", "in {n} articles", r["articles"]).format(n=prose.number(r["articles"]))
    dimensions_text = ", ".join(parts)
    return say("{works} {articles}; effective number of distinct {dimensions}", works=works, articles=articles,
               dimensions=dimensions_text)


def header_markdown(d: Dossier):
    """The law's names and jurisdiction (the page title is the report's)."""
    law = d.law
    lines = [say("**{name}** ({name_en}). Jurisdiction: {jurisdiction}. Registry id {law_id} in {path}.",
                 name=prose.escape(law.name), name_en=prose.escape(law.name_en),
                 jurisdiction=prose.escape(law.jurisdiction), law_id=prose.code(law.law_id), path=prose.code(law.path))]
    if law.note_in(d.language):
        lines += ["", f"*{prose.escape(law.note_in(d.language))}*"]
    return prose.as_markdown("\n".join(lines))


# ---------------------------------------------------------------------- the verdict block
def _language_name(code: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(messages.locale_name()).languages.get(str(code)) or str(code)
    except (UnknownLocaleError, ValueError):
        return str(code)


def verdict_parts(d: Dossier) -> tuple[list[str], list[dict[str, str]]]:
    """The answer first: one sentence per analysis the law has data for, and the figures that carry them.

    Every number is one the dossier records (see :func:`results`), formatted for the report's language.
    """
    sentences: list[str] = []
    figures: list[dict[str, str]] = []
    v = votes_results(d)
    if v is not None and v.get("tally") and v.get("passed") is not None:
        t = v["tally"]
        if v["mode"] == "tallies":
            where, when = v["headline_vote"]["body"], v["headline_vote"]["date"]
        else:
            where, when = d.votes.data.chamber, d.votes.rollcall_row["date"]
        values = dict(where=prose.escape(where), date=_date_words(when), tally=_tally(t["yes"], t["no"], t["abstain"]))
        margin = v.get("margin")
        if margin is None:
            sentence = (_("{where}: passed on {date}, {tally}.") if v["passed"]
                        else _("{where}: failed on {date}, {tally}.")).format(**values)
        elif v["passed"]:
            sentence = n_("{where}: passed on {date}, {tally}, {n} vote to spare.",
                          "{where}: passed on {date}, {tally}, {n} votes to spare.", abs(margin)).format(
                n=prose.number(abs(margin)), **values)
        else:
            sentence = n_("{where}: failed on {date}, {tally}, {n} vote short.",
                          "{where}: failed on {date}, {tally}, {n} votes short.", abs(margin)).format(
                n=prose.number(abs(margin)), **values)
        sentences.append(sentence)
        order = _("yes–no–abstain") if _abstentions_reported(t["abstain"]) else _("yes–no")
        figures.append({"label": _("Final vote"), "value": _tally(t["yes"], t["no"], t["abstain"]),
                        "detail": say("{order}; {where}, {date}", order=order, where=prose.escape(where),
                                      date=_date_words(when))})
        if margin is not None and v.get("needed") is not None:
            figures.append({"label": _("Votes to spare") if margin >= 0 else _("Votes short"),
                            "value": prose.number(abs(margin)),
                            "detail": n_("{n} yes vote needed", "{n} yes votes needed", v["needed"]).format(
                                n=prose.number(v["needed"]))})
    if d.impact is not None:
        e = d.impact.effect
        series = d.impact.treated
        values = dict(measure=prose.escape(series.measure), unit=prose.escape(series.unit),
                      effect=prose.percent(e.relative, signed=True),
                      interval=_interval(e.relative_ci_low, e.relative_ci_high))
        sentences.append((_("A detectable change in {measure} ({unit}): {effect} ({interval}).") if e.detectable else
                          _("No detectable effect on {measure} ({unit}): {effect} ({interval}).")).format(**values))
        figures.append({"label": say("Effect on {measure}", measure=prose.escape(series.measure)),
                        "value": prose.percent(e.relative, signed=True),
                        "detail": say("{interval}; per month, by {method}", interval=values["interval"],
                                      method=_method_words(d.impact.method))})
    s = sources_results(d)
    if s is not None and s["n_works_counted"]:
        works = d.sources.works()
        counts = works["language"].value_counts()
        by_language = [say("{count} in {language}", count=prose.number(int(count)), language=_language_name(code))
                       for code, count in counts.items()]
        spread = format_list(by_language[:3] + ([n_("{n} in another language", "{n} in other languages",
                                                     int(counts.iloc[3:].sum())).format(
            n=prose.number(int(counts.iloc[3:].sum())))] if len(counts) > 3 else []), locale=messages.locale_name())
        outlets = int(works["outlet"].nunique())
        cited = n_("{n} cited work", "{n} cited works", s["n_works_counted"]).format(
            n=prose.number(s["n_works_counted"]))
        sentences.append(say("{cited}: {spread}; from {outlets} different outlets.", cited=cited, spread=spread,
                             outlets=prose.number(outlets)))
        figures.append({"label": _("Cited works"), "value": prose.number(s["n_works_counted"]),
                        "detail": n_("in {n} article", "in {n} articles", s["articles"]).format(
                            n=prose.number(s["articles"]))})
        figures.append({"label": _("Distinct outlets"), "value": prose.number(outlets),
                        "detail": n_("of {n} cited work", "of {n} cited works", s["n_works_counted"]).format(
                            n=prose.number(s["n_works_counted"]))})
    if not sentences:
        sentences.append(_("The registry holds no data for any analysis of this law."))
    return sentences[:3], figures[:6]


def verdict(d: Dossier) -> None:
    """Give the dossier's verdict block (dictamen.record.verdict), shown under the page title."""
    sentences, figures = verdict_parts(d)
    record_verdict(sentences, figures, d.language)


def votes_markdown(d: Dossier):
    """Short form of the vote breakdown: each floor vote, the stages reported, and the link."""
    if d.votes is None:
        return prose.as_markdown(prose.escape(d.law.section_note("votes", d.language)
                                              or _("No vote data registered for this law.")))
    r = votes_results(d)
    lines = [f"- {s}." for s in vote_sentences(d)]
    lines.append("- " + say("Majority rule: {rule}.", rule=prose.escape(d.votes.rule_text)))
    if r["mode"] == "tallies":
        committees = [s for s in r["stages"] if str(s["stage"]).startswith("committee")]
        lines += ["- " + say("{chamber}, {date}, {stage}: {tally}", chamber=prose.escape(s["chamber"]),
                             date=_date_words(s["date"]), stage=_stage_words(s["stage"]),
                             tally=_tally_words(s["yes"], s["no"], s["abstain"])) for s in committees]
        if r.get("stages"):
            disagreeing = sum(1 for s in r["stages"] if not s["sources_agree"])
            lines.append("- " + say("Votes on which the published sources disagree: {count} of {total}.",
                                    count=prose.number(disagreeing), total=prose.number(len(r["stages"]))))
    elif r["mode"] == "rollcall":
        counts = r["voteview_counts"]
        lines.append("- " + say("Voteview's own counts: {yea} yea, {nay} nay.", yea=prose.number(counts["yea_count"]),
                                nay=prose.number(counts["nay_count"])))
    return prose.as_markdown("\n".join(lines + ["", _link(d, "votes")]))


def impact_markdown(d: Dossier):
    """Short form of the impact analysis: the effect, the design, and the link."""
    if d.impact is None:
        return prose.as_markdown(prose.escape(d.law.section_note("impact", d.language)
                                              or _("No indicator registered for this law.")))
    r = impact_results(d)
    e = r["effect"]
    windows = r["windows"]
    lines = [f"- {effect_sentence(d)}.",
             "- " + say("Average per month: {absolute} (95% CI {low} to {high}); p = {p}; {before} months before, "
                        "{after} after.", absolute=prose.number(e["absolute"]), low=prose.number(e["ci_low"]),
                        high=prose.number(e["ci_high"]), p=prose.number(e["p_value"], 3),
                        before=prose.number(e["n_pre"]), after=prose.number(e["n_post"])),
             "- " + say("Pre-period {pre_start} to {pre_end}, post-period {post_start} to {post_end}; left out: "
                        "{excluded}.", pre_start=messages.month(windows["pre"][0]),
                        pre_end=messages.month(windows["pre"][1]), post_start=messages.month(windows["post"][0]),
                        post_end=messages.month(windows["post"][1]),
                        excluded=prose.escape(", ".join(windows["exclude"])) or _("nothing"))]
    if d.design_reason:
        lines.append("- " + say("Design cited: {reason}", reason=prose.escape(d.design_reason)))
    if d.law.section_note("impact", d.language):
        lines.append(f"- {prose.escape(d.law.section_note('impact', d.language))}")
    return prose.as_markdown("\n".join(lines + ["", _link(d, "impact")]))


def sources_markdown(d: Dossier):
    """Short form of the source analysis: works, diversity, the article dates, and the link."""
    if d.sources is None:
        return prose.as_markdown(prose.escape(d.law.section_note("sources", d.language)
                                              or _("No articles registered for this law.")))
    r = sources_results(d)
    lines = [f"- {diversity_sentence(d)}.",
             "- " + say("Sources-list entries: {entries}, of which {parsed} parsed.",
                        entries=prose.number(r["n_entries"]), parsed=prose.number(r["n_parsed"]))]
    for article in d.sources.articles:
        lines.append("- " + say("{title} (dated {date}).", title=prose.escape(article.title or article.path),
                                date=_date_words(article.date) if article.date else _("date unknown")))
    return prose.as_markdown("\n".join(lines + ["", _link(d, "sources")]))


def stages_markdown(d: Dossier):
    """The registry's dated stages as a table, each with its source (linked when the registry has its address)."""
    kinds = {"initiative": _("initiative"), "committee": _("committee"), "floor": _("floor vote"),
             "publication": _("publication"), "in_force": _("entry into force")}
    header = [_("Date"), _("Stage"), _("Chamber"), _("What"), _("Source")]
    rows = ["| " + " | ".join(header) + " |", "|---|---|---|---|---|"]
    for stage in d.law.stages:
        source = prose.link(stage.source, stage.url) if stage.url else prose.escape(stage.source)
        rows.append(f"| {messages.date(stage.date)} | {kinds[stage.kind]} | {prose.escape(stage.chamber) or '—'} | "
                    f"{prose.escape(stage.label_in(d.language))} | {source} |")
    return prose.as_markdown("\n".join(rows))


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
    alt = [say("Timeline of {law}.", law=d.law.name_in(d.language))]
    if d.impact is not None:
        path = d.impact.effect.path
        series = d.impact.treated
        top.plot(path["month"], path["observed"], color="#333333", linewidth=1.2,
                 label=f"{series.measure} ({series.unit})")
        top.set_ylabel(series.measure, fontsize=8)
        top.legend(loc="upper left", fontsize=8)
        low, high = path["observed"].min(), path["observed"].max()
        alt.append(say("Top: the indicator {measure} ({unit}), monthly from {start} to {end}, between {low} and "
                       "{high}; intervention dated {date}.", measure=series.measure, unit=series.unit,
                       start=messages.month(path["month"].min().date()), end=messages.month(path["month"].max().date()),
                       low=prose.number(low), high=prose.number(high),
                       date=messages.date(d.impact.design.intervention_date)))
        top.axvline(pd.Timestamp(d.impact.design.intervention_date), color="#b2182b", linestyle=":", linewidth=1)
    else:
        top.text(0.5, 0.5, _("no indicator registered"), transform=top.transAxes, ha="center", va="center")
        alt.append(_("Top: no indicator registered."))
    for stage in stages:
        colour = STAGE_COLOURS[stage.kind]
        for ax in (top, bottom):
            ax.axvline(pd.Timestamp(stage.date), color=colour, linewidth=0.9, alpha=0.8)
    bottom.scatter([pd.Timestamp(s.date) for s in stages], [2] * len(stages),
                   c=[STAGE_COLOURS[s.kind] for s in stages], marker="D", s=30, zorder=3)
    alt.append(n_("Vertical lines and diamonds: {n} legislative stage, {stages}.",
                  "Vertical lines and diamonds: {n} legislative stages, {stages}.", len(stages)).format(
        n=prose.number(len(stages)), stages="; ".join(f"{s.label_in(d.language)} {messages.date(s.date)}" for s in stages)))
    works, articles = _work_dates(d)
    if len(works):
        bottom.scatter(works, [1] * len(works), color="#3b6ea5", s=20, zorder=3)
        alt.append(n_("Dots: {n} dated cited work, {start} to {end}.", "Dots: {n} dated cited works, {start} to {end}.",
                      len(works)).format(n=prose.number(len(works)), start=messages.date(works.min().date()),
                                         end=messages.date(works.max().date())))
    if articles:
        bottom.scatter(articles, [0] * len(articles), color="#b2182b", marker="|", s=300, zorder=3)
        alt.append(n_("Bar: the article's date, {dates}.", "Bars: the articles' dates, {dates}.", len(articles)).format(
            dates=", ".join(messages.date(a.date()) for a in articles)))
    if not len(works) and not articles:
        alt.append(_("No cited articles."))
    bottom.set_yticks([0, 1, 2], [_("article"), _("cited works"), _("stages")], fontsize=8)
    bottom.set_ylim(-0.7, 2.7)
    bottom.set_xlabel(_("date"))
    caption = _("Legislative stages (vertical lines: purple initiative, green committee, blue floor vote, "
                "orange publication, red entry into force), the dates of the cited works and articles, and the "
                "indicator series, on one time axis.")
    return Chart(figure=figure, alt=" ".join(alt), caption=caption)
