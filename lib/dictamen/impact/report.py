"""Words and tables for a policy-impact report, every number computed from the analysis.

Functions ending in ``_text`` return plain Markdown strings (input-derived text escaped); the
``*_markdown`` wrappers return IPython Markdown objects for the notebook. Where a section does not
apply to the chosen method, the function says so ("Not applicable for this method: ...") instead
of the notebook branching. The ``*_chart`` functions at the end adapt the analysis to the
data-frame chart functions of :mod:`dictamen.impact.charts` and give the note when a chart does not apply.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dictamen import messages, record
from dictamen.messages import _, n_
from dictamen.prose import number
from dictamen.figures import Chart
from dictamen.impact.analysis import LINEARITY_ALPHA, LOCAL_PRE_MONTHS, Analysis
from dictamen.impact import charts
from dictamen.impact.effect import Effect
from dictamen.impact.effect import signed_number as _num
from dictamen.impact.effect import signed_percent as _pct
from dictamen.prose import as_markdown, code, escape

def _p(value: float | None) -> str:
    if value is None or value != value:
        return _("n/a")
    return "< " + number(0.001, 3) if value < 0.001 else number(value, 3)


def _p_is(value: float | None) -> str:
    """"p = 0.123" or "p < 0.001"."""
    shown = _p(value)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def _not_applicable(reason: str) -> str:
    return _("Not applicable for this method: {reason}").format(reason=reason)


def _subject(analysis: Analysis) -> str:
    return f"{escape(analysis.treated.measure)} ({escape(analysis.treated.unit)})"


def _period(analysis: Analysis, start: pd.Timestamp) -> str:
    return analysis.design.frequency.label(start)


def _frequency_name(analysis: Analysis) -> str:
    return {"monthly": _("monthly"), "quarterly": _("quarterly"), "annual": _("annual")}[
        analysis.design.frequency.name]


def _per_period(analysis: Analysis) -> str:
    return {"monthly": _("per month"), "quarterly": _("per quarter"), "annual": _("per year")}[
        analysis.design.frequency.name]


def _method_phrase(analysis: Analysis) -> str:
    if analysis.method == "synth":
        result = analysis.synth
        return n_("synthetic control from {n} donor unit", "synthetic control from {n} donor units",
                  len(result.donors)).format(n=number(len(result.donors)))
    if analysis.method == "its":
        if analysis.model == "quasi-poisson":
            return _("interrupted time series of counts (quasi-Poisson, level and slope change)")
        if analysis.seasonality and analysis.design.frequency.periods_per_year > 1:
            return _("interrupted time series (level and slope change, seasonal dummies, Newey-West errors)")
        return _("interrupted time series (level and slope change, Newey-West errors)")
    if analysis.headline_reason == "trend":
        return _("difference-in-differences in logs against {control}, allowing a unit-specific linear "
                 "trend").format(control=escape(analysis.control.label))
    return _("difference-in-differences in logs against {control}").format(control=escape(analysis.control.label))


def _interval(e: Effect) -> str:
    return _("{effect} (95% CI {low} to {high})").format(
        effect=_pct(e.relative), low=_pct(e.relative_ci_low), high=_pct(e.relative_ci_high))


def _rate_ratio(e: Effect) -> str:
    return _("rate ratio {ratio} (95% CI {low} to {high})").format(
        ratio=number(e.rate_ratio, 3), low=number(e.rate_ratio_ci_low, 3), high=number(e.rate_ratio_ci_high, 3))


def overview_text(analysis: Analysis) -> str:
    """What is compared, over which periods, by which design."""
    design = analysis.design
    excluded = "; ".join(escape(w.text) for w in design.exclude) or _("none")
    lines = [f"**{escape(analysis.title)}**" if analysis.title else "",
             "- " + _("Series: {subject} from {path}").format(subject=_subject(analysis),
                                                             path=code(analysis.treated.shown_path)),
             "- " + _("Frequency: {frequency}, inferred from the dates").format(frequency=_frequency_name(analysis)),
             "- " + _("Method: {method}").format(method=_method_phrase(analysis))]
    if analysis.control is not None:
        lines.append("- " + _("Control: {control} from {path}").format(
            control=escape(analysis.control.label), path=code(analysis.control.shown_path)))
    if analysis.synth is not None:
        lines.append("- " + _("Donor pool: {donors}").format(
            donors=", ".join(escape(name) for name in analysis.synth.donors)))
        if analysis.synth.normalised:
            lines.append("- " + _("The treated unit lies outside the donors' range before the law, so every "
                                  "series is divided by its own pre-period mean: the synthetic control matches "
                                  "its shape, not its size."))
    if analysis.model == "quasi-poisson":
        lines.append("- " + (_("Exposure: population measure {measure} (log offset)").format(
            measure=escape(analysis.population_measure)) if analysis.exposure is not None else
            _("Exposure: none given; the counts are modelled directly and the trend absorbs slow population change")))
    intervention = _("Intervention: {date}; first post period {first}").format(
        date=messages.date(design.intervention_date), first=_period(analysis, design.first_post))
    if design.transition is not None:
        intervention += " " + _("({transition} is a transition period, left out)").format(
            transition=_period(analysis, design.transition))
    lines += [
        "- " + intervention,
        "- " + _("Window: {start}..{end} ({pre} usable periods before, {post} after)").format(
            start=_period(analysis, design.pre_start), end=_period(analysis, design.post_end),
            pre=number(analysis.effect.n_pre), post=number(analysis.effect.n_post)),
        "- " + _("Excluded windows (known shocks): {windows}").format(windows=excluded),
    ]
    return "\n".join(line for line in lines if line)


def quality_text(analysis: Analysis) -> str:
    """The data-quality section: every fault found and what was done about it."""
    if not analysis.findings:
        return _("No data-quality problems were found in the files used.")
    rows = [f"| {_('Source')} | {_('What was found')} | {_('What was done')} |", "|---|---|---|"]
    for finding in analysis.findings:
        rows.append(f"| {escape(finding.source)} | {escape(finding.found)} | {escape(finding.action)} |")
    count = len(analysis.findings)
    return n_("{n} finding in the data and design:", "{n} findings in the data and design:", count).format(
        n=number(count)) + "\n\n" + "\n".join(rows)


def effect_table(analysis: Analysis, effect: Effect | None = None) -> pd.DataFrame:
    """Absolute (per period), relative and cumulative effect with 95% CIs, as display text."""
    e = effect or analysis.effect
    rows = [_("absolute ({per})").format(per=_per_period(analysis)), _("relative"),
            _("cumulative (all post periods)")]
    estimate = [_num(e.absolute), _pct(e.relative), _num(e.cumulative)]
    low = [_num(e.ci_low), _pct(e.relative_ci_low), _num(e.cumulative_ci_low)]
    high = [_num(e.ci_high), _pct(e.relative_ci_high), _num(e.cumulative_ci_high)]
    if e.rate_ratio is not None:
        rows.append(_("rate ratio (level change at the intervention)"))
        estimate.append(number(e.rate_ratio, 3))
        low.append(number(e.rate_ratio_ci_low, 3))
        high.append(number(e.rate_ratio_ci_high, 3))
    return pd.DataFrame({_("effect"): rows, _("estimate"): estimate, _("95% CI low"): low,
                         _("95% CI high"): high}).set_index(_("effect"))


def count_model_text(analysis: Analysis) -> str:
    """For count models: the rate ratio, the dispersion and which standard errors were used."""
    e = analysis.its_effect
    if e.rate_ratio is None:
        return _not_applicable(_("the series is modelled by least squares (model 'log-linear'), not as counts."))
    errors = (_("Newey-West standard errors, because the residuals are serially correlated (Ljung-Box p = {p})")
              if e.newey_west else
              _("quasi-Poisson standard errors; the residuals show no serial correlation (Ljung-Box p = {p})"))
    return _("Level change at the intervention: {ratio}. Pearson dispersion {dispersion} (1 would be Poisson); "
             "{errors}.").format(ratio=_rate_ratio(e), dispersion=number(e.dispersion, 2),
                                 errors=errors.format(p=_p(e.serial_p)))


def its_alongside_text(analysis: Analysis) -> str:
    """For DiD and synth: the treated series alone by ITS, as a cross-check. For ITS: not applicable."""
    if analysis.method == "its":
        return _not_applicable(_("interrupted time series is this report's main method (above)."))
    e = analysis.its_effect
    text = _("The treated series alone, by interrupted time series (no control): {interval}, {absolute} {per}. "
             "It assumes the pre-law trend and seasonality would have continued; the comparison design instead "
             "assumes the control moves like the treated series would have.").format(
        interval=_interval(e), absolute=_num(e.absolute), per=_per_period(analysis))
    if analysis.specification_warning:
        text += " " + _("Here the treated series' pre-period trend is not a straight line (quadratic term {p}), so "
                        "this interrupted-time-series figure is likely driven by the extrapolated trend.").format(
            p=_p_is(analysis.specification.linear_p))
    return text


def pretrend_text(analysis: Analysis) -> str:
    """Parallel pre-trends (DiD), the pre-period fit (synth) or the linearity check (ITS), stated plainly."""
    if analysis.method == "synth":
        return synth_fit_text(analysis)
    if analysis.method != "did" or analysis.event_study is None:
        return _not_applicable(_("interrupted time series has no control series, so there is no parallel-trends "
                                 "assumption to test.")) + " " + specification_text(analysis)
    study = analysis.event_study
    if study.leads_tested == 0:
        return _("The pre-period is too short for an event study with leads; parallel pre-trends are untested.")
    plain, trended = analysis.did_effects["plain"], analysis.did_effects["trend"]
    test = _("Joint F test (classical OLS errors) that the {leads} leads are zero (reference: {reference}): "
             "F = {f}, {p}.").format(leads=number(study.leads_tested), reference=escape(study.reference),
                                     f=number(study.statistic, 2), p=_p_is(study.p_value))
    if not analysis.pretrend_failed:
        return test + " " + _("Parallel pre-trends are not rejected at the 5% level, so the headline uses the plain "
                              "difference-in-differences: {plain}. With a unit-specific trend it would be "
                              "{trended}.").format(plain=_interval(plain), trended=_interval(trended))
    text = test + " " + _("**Pre-trends diverge**: the treated and control series were already drifting apart "
                          "before the law, so the plain difference-in-differences estimate ({plain}) mostly "
                          "measures that drift and is not used as the headline. The headline instead allows a "
                          "unit-specific linear trend: {trended}.").format(
        plain=_interval(plain), trended=_interval(trended))
    after = analysis.event_study_trend
    if after is not None and after.leads_tested:
        text += " " + (_("With the trend, the leads test gives {p}: the leads are no longer jointly significant.")
                       if after.p_value >= 0.05 else
                       _("With the trend, the leads test gives {p}: the leads are still jointly significant, so "
                         "even this specification is doubtful.")).format(p=_p_is(after.p_value))
    return text


def synth_fit_text(analysis: Analysis) -> str:
    """The synthetic control's pre-period fit and its placebo-in-space inference."""
    result = analysis.synth
    if result is None:
        return _not_applicable(_("there is no synthetic control (method 'synth')."))
    mean_pre = analysis.treated.values.loc[result.fit.synthetic.index].loc[
        lambda s: s.index < analysis.design.first_post].mean()
    text = _("Pre-period fit: root mean squared prediction error {rmspe} ({share} of the treated series' "
             "pre-period mean).").format(rmspe=number(result.fit.pre_rmspe), share=messages.percent(
                 result.fit.pre_rmspe / mean_pre, 1))
    return text + " " + placebo_space_text(analysis)


def placebo_space_text(analysis: Analysis) -> str:
    """Placebo in space (Abadie et al. 2010): the treated unit's post/pre RMSPE ratio among the donors'."""
    result = analysis.synth
    if result is None:
        return _not_applicable(_("placebo-in-space needs a synthetic control (method 'synth')."))
    units = len(result.placebos) + 1
    text = _("Placebo in space: each of the {donors} donors in turn treated as if it had passed the law. The "
             "treated unit's ratio of post- to pre-period prediction error ranks {rank} of {units}, a permutation "
             "p-value of {p}").format(donors=number(len(result.placebos)), rank=number(result.rank),
                                      units=number(units), p=number(result.p_value, 3))
    smallest = 1 / units
    if result.p_value <= 0.1:
        return text + _(", so a divergence this large is rare among units where nothing happened.")
    if smallest > 0.1:
        return text + _("; with only {n} donors the check cannot reach the 10% level, so it cannot tell.").format(
            n=number(len(result.placebos)))
    return text + _(", so the divergence is not unusual among units where nothing happened.")


def specification_text(analysis: Analysis) -> str:
    """The ITS pre-period check: does the straight trend the counterfactual extends fit the pre-period?"""
    check = analysis.specification
    if check is None or check.linear_p != check.linear_p:
        return _("The pre-period is too short to test whether its trend is a straight line.")
    design = analysis.design
    test = _("Pre-period specification check: a quadratic time term added to the pre-period-only regression "
             "({start}..{end}) gives {p}.").format(start=_period(analysis, design.pre_start),
                                                  end=_period(analysis, design.last_pre), p=_p_is(check.linear_p))
    if not check.failed:
        return test + " " + _("A straight pre-trend is not rejected at the 5% level, so the linear counterfactual "
                              "is a reasonable description of the pre-period; the placebo dates below check the "
                              "design further.")
    text = test + " " + _("**The linear counterfactual does not fit the pre-period**: the trend bends, so extending "
                          "a straight line from it measures the bend, not the law. The full-pre-period estimate "
                          "{interval} is likely driven by the extrapolated trend and is not a finding.").format(
        interval=_interval(check.full))
    return text + " " + _robust_sentence(check, analysis) + " " + _(
        "The sensitivity table shows how the estimate moves as the pre-window shortens.")


def _robust_sentence(check, analysis: Analysis) -> str:
    """The robust fallback's estimate, and whether a straight line fits its shorter pre-window."""
    if check.local is None:
        return _("No robust alternative could be fitted ({reason}).").format(reason=escape(check.local_error))
    text = _("A level change against one trend fitted to the last {months} months before the law (from {start}) "
             "and the periods after it, which extrapolates no long pre-period slope, gives {interval}").format(
        months=number(LOCAL_PRE_MONTHS), start=_period(analysis, check.local_pre_start),
        interval=_interval(check.local))
    if check.local_linear_p == check.local_linear_p and check.local_linear_p < LINEARITY_ALPHA:
        return text + _("; a straight line is rejected over that shorter window too ({p}), so this too is only "
                        "indicative.").format(p=_p_is(check.local_linear_p))
    return text + "."


def placebo_standing(rank: int, count: int) -> str:
    """What a placebo-in-time rank allows one to say, honest about how few placebo dates there are.

    ``rank`` of ``count + 1`` estimates (1 = largest in absolute size). The share rank / (count + 1)
    can only reach 10% with at least 9 placebo dates; with fewer, even the largest estimate of all
    cannot be told apart from chance, and the sentence says exactly that.
    """
    share = rank / (count + 1)
    if share <= 0.1:
        return _("so an effect this large is rare when nothing happened")
    if 1 / (count + 1) > 0.1:
        if rank == 1:
            return n_("the largest of all, but with only {n} placebo date the check cannot reach the 10% level: "
                      "too few placebo dates to tell",
                      "the largest of all, but with only {n} placebo dates the check cannot reach the 10% level: "
                      "too few placebo dates to tell", count).format(n=number(count))
        return n_("but with only {n} placebo date the check cannot reach the 10% level: too few placebo dates "
                  "to tell", "but with only {n} placebo dates the check cannot reach the 10% level: too few "
                  "placebo dates to tell", count).format(n=number(count))
    return _("so it is not unusual compared with estimates where nothing happened")


def _placebo_caveat(analysis: Analysis) -> str:
    if not analysis.specification_warning or analysis.method != "its":
        return ""
    return " " + _("Caveat: every fake date lies inside a pre-period whose trend is not a straight line, and the "
                   "placebo windows end before the law, so none of them extrapolates the straight trend as far past "
                   "the bend as the real date does; the rank measures that misfit as much as the law and cannot "
                   "confirm an effect.")


def placebo_text(analysis: Analysis) -> str:
    """Where the real estimate ranks among the placebo-date estimates."""
    if analysis.method == "synth":
        return _not_applicable(_("a synthetic control is checked by placebos in space, each donor treated in "
                                 "turn (section Synthetic control), not by fake dates."))
    result = analysis.placebo
    if result is None or result.rank is None:
        return _("No placebo date fits: the pre-period is too short for placebo checks.") if result is not None \
            else _("No placebo check was run.")
    n = result.count
    standing = (_("so it is larger than almost every placebo estimate") if result.share <= 0.1
                else placebo_standing(result.rank, n))
    text = _("The same model at {n} fake intervention dates before the law ({first}..{last}, windows of {window} "
             "periods): the real estimate ({real}) ranks {rank} of {total} by absolute size, {standing}. Placebo "
             "estimates range from {low} to {high}.").format(
        n=number(n), first=_period(analysis, result.table["fake_date"].min()),
        last=_period(analysis, result.table["fake_date"].max()), window=number(result.window_months),
        real=_pct(result.real), rank=number(result.rank), total=number(n + 1), standing=standing,
        low=_pct(result.table["relative"].min()), high=_pct(result.table["relative"].max()))
    if result.window_months < len(analysis.design.frequency.span(analysis.design.first_post,
                                                                 analysis.design.post_end)):
        text += " " + _("Placebo windows are shorter than the real post-period, so that enough fake dates fit "
                        "before the law.")
    return text + _placebo_caveat(analysis)


def sensitivity_table(analysis: Analysis) -> pd.DataFrame:
    """The headline model with and without exclusion windows (and other choices), as display text."""
    table = analysis.sensitivity
    return pd.DataFrame({
        _("specification"): table["specification"],
        _("relative"): [_pct(v) for v in table["relative"]],
        _("95% CI"): [_("{low} to {high}").format(low=_pct(a), high=_pct(b)) if a is not None and a == a
                      else _("n/a") for a, b in zip(table["relative_ci_low"], table["relative_ci_high"])],
        _("absolute {per}").format(per=_per_period(analysis)): [_num(v) for v in table["absolute"]],
        "p": [_p(v) for v in table["p_value"]],
        _("periods pre/post"): [f"{int(a)}/{int(b)}" if a is not None and a == a else _("n/a")
                                for a, b in zip(table["n_pre"], table["n_post"])],
        _("note"): table["note"],
    }).set_index(_("specification"))


def donor_weights_table(analysis: Analysis):
    """The synthetic control's donor weights (largest first, weights under 0.001 left out), or a note."""
    if analysis.synth is None:
        return as_markdown(_not_applicable(_("donor weights belong to a synthetic control (method 'synth').")))
    weights = analysis.synth.fit.weights.sort_values(ascending=False)
    shown = weights[weights >= 0.001]
    frame = pd.DataFrame({_("donor unit"): shown.index, _("weight"): [number(w, 3) for w in shown]})
    return frame.set_index(_("donor unit"))


def _panel_verdict(row) -> str:
    verdict = _("detectable change") if row.effect.detectable else _("no detectable effect")
    if row.linear_p == row.linear_p and row.linear_p < LINEARITY_ALPHA:
        verdict += "; " + _("but a straight pre-trend is rejected ({p}), so this may be the extrapolated trend, "
                            "not the law").format(p=_p_is(row.linear_p))
    return verdict


def panel_table(analysis: Analysis):
    """One row per unit of the panel, or a note when no panel was requested."""
    if not analysis.panel:
        return as_markdown(_("No per-unit panel was requested (parameter {parameter} is empty).").format(
            parameter=code("panel_units")))
    rows = []
    for row in analysis.panel:
        e = row.effect
        if e is None:
            rows.append({_("unit"): row.unit, _("relative"): _("n/a"), _("95% CI"): _("n/a"),
                         _("absolute {per}").format(per=_per_period(analysis)): _("n/a"), "p": _("n/a"),
                         _("verdict"): _("not estimated: {reason}").format(reason=row.error)})
            continue
        rows.append({_("unit"): row.unit, _("relative"): _pct(e.relative),
                     _("95% CI"): _("{low} to {high}").format(low=_pct(e.relative_ci_low), high=_pct(e.relative_ci_high)),
                     _("absolute {per}").format(per=_per_period(analysis)): _num(e.absolute), "p": _p(e.p_value),
                     _("verdict"): _panel_verdict(row)})
    return pd.DataFrame(rows).set_index(_("unit"))


def headline(analysis: Analysis) -> str:
    """"detectable effect", "no detectable effect" or "no credible estimate": what the numbers allow."""
    check = analysis.specification
    if analysis.method == "its" and analysis.specification_warning:
        return check.verdict
    return "detectable effect" if analysis.effect.detectable else "no detectable effect"


def verdict_sentence(analysis: Analysis) -> str:
    """The answer first, computed: "No detectable effect on Trucks (US-Mexico Border): -0.1% (95% CI ...)"."""
    e = analysis.effect
    verdict = headline(analysis)
    if verdict == "no credible estimate":
        return _("No credible estimate of the effect on {subject}: the pre-period trend bends, and the estimates that "
                 "allow for it disagree").format(subject=_subject(analysis))
    if verdict == "no detectable effect":
        if analysis.method == "its" and analysis.specification_warning and analysis.specification.local is not None:
            e = analysis.specification.local
        return _("No detectable effect on {subject}: {interval}").format(subject=_subject(analysis),
                                                                        interval=_interval(e))
    if e.relative > 0:
        return _("{subject} rose after the law: {interval}").format(subject=_subject(analysis), interval=_interval(e))
    return _("{subject} fell after the law: {interval}").format(subject=_subject(analysis), interval=_interval(e))


def conclusion_text(analysis: Analysis) -> str:
    """The conclusion sentence(s), generated from the numbers."""
    e = analysis.effect
    date = messages.date(analysis.design.intervention_date)
    interval = _interval(e)
    check = analysis.specification
    warning = analysis.method == "its" and analysis.specification_warning
    verdict = check.verdict if warning else ""
    misfit = _("the linear counterfactual does not fit the pre-period (quadratic term {p}), so the "
               "interrupted-time-series estimate of {interval} is likely driven by the extrapolated pre-period "
               "trend, not the law").format(p=_p_is(check.linear_p), interval=interval) if warning else ""
    if warning and e.detectable and verdict == "no detectable effect":
        text = _("No detectable effect on {subject} after {date} once the bend in the pre-period trend is allowed "
                 "for: {misfit}.").format(subject=_subject(analysis), date=date, misfit=misfit) + " " + \
            _robust_sentence(check, analysis)
    elif warning and verdict == "no credible estimate":
        text = _("No credible estimate of the effect on {subject} after {date}: {misfit}.").format(
            subject=_subject(analysis), date=date, misfit=misfit) + " " + _robust_sentence(check, analysis) + " " + \
            _("A design with a control series is needed to say more.")
    else:
        if not e.detectable:
            text = _("No detectable effect on {subject} after {date}: {interval}, by {method}.")
        elif e.relative > 0:
            text = _("{subject} rose relative to the counterfactual after {date}: {interval}, by {method}.")
        else:
            text = _("{subject} fell relative to the counterfactual after {date}: {interval}, by {method}.")
        text = text.format(subject=_subject(analysis), date=date, interval=interval, method=_method_phrase(analysis))
        if e.rate_ratio is not None:
            text += " " + _("The level change at the intervention is a {ratio}.").format(ratio=_rate_ratio(e))
        if warning:
            text += " " + _("However, the linear counterfactual does not fit the pre-period (quadratic term {p}), so "
                            "the size is likely distorted by the extrapolated trend.").format(
                p=_p_is(check.linear_p)) + " " + _robust_sentence(check, analysis)
    if analysis.pretrend_failed:
        text += " " + _("Pre-trends between treated and control diverge (leads test {p}); the plain "
                        "difference-in-differences estimate of {plain} is not a credible effect.").format(
            p=_p_is(analysis.event_study.p_value), plain=_pct(analysis.did_effects["plain"].relative))
    if analysis.synth is not None:
        text += " " + placebo_space_text(analysis)
    result = analysis.placebo
    if result is not None and result.rank is not None:
        text += " " + _("Among {n} placebo dates the estimate ranks {rank} of {total} by size").format(
            n=number(result.count), rank=number(result.rank), total=number(result.count + 1))
        if warning:
            text += _(", but the placebo dates all lie in the bent pre-period and none extrapolates the straight "
                      "trend as far past the bend, so that rank cannot confirm an effect.")
        else:
            text += ", " + placebo_standing(result.rank, result.count) + "."
    return text


def verdict_parts(analysis: Analysis) -> tuple[list[str], list[dict[str, str]]]:
    """The verdict block's one to three sentences and three to six key figures, in the analysis' language."""
    e = analysis.effect
    sentences = [verdict_sentence(analysis) + "."]
    sentences.append(_("Design: {method}, {start}..{end}.").format(
        method=_method_phrase(analysis), start=_period(analysis, analysis.design.pre_start),
        end=_period(analysis, analysis.design.post_end)))
    figures = [{"label": _("Effect after the law"), "value": _pct(e.relative),
                "detail": _("95% CI {low} to {high}").format(low=_pct(e.relative_ci_low), high=_pct(e.relative_ci_high))},
               {"label": _("Change {per}").format(per=_per_period(analysis)), "value": _num(e.absolute),
                "detail": escape(analysis.treated.measure)}]
    if e.rate_ratio is not None:
        figures.append({"label": _("Rate ratio at the intervention"), "value": number(e.rate_ratio, 3),
                        "detail": _("95% CI {low} to {high}").format(low=number(e.rate_ratio_ci_low, 3),
                                                                      high=number(e.rate_ratio_ci_high, 3))})
    if analysis.method == "did" and analysis.pretrend_p is not None:
        figures.append({"label": _("Parallel pre-trends test"), "value": _p_is(analysis.pretrend_p),
                        "detail": _("diverge: trend allowed") if analysis.pretrend_failed else _("not rejected")})
        sentences.append(_("Pre-trends diverge (leads test {p}), so the headline allows a unit-specific trend.").format(
            p=_p_is(analysis.pretrend_p)) if analysis.pretrend_failed else
            _("Parallel pre-trends are not rejected (leads test {p}).").format(p=_p_is(analysis.pretrend_p)))
    if analysis.synth is not None:
        result = analysis.synth
        figures.append({"label": _("Placebo in space"), "value": _("rank {rank} of {total}").format(
            rank=number(result.rank), total=number(len(result.placebos) + 1)),
            "detail": _("permutation p = {p}").format(p=number(result.p_value, 3))})
        figures.append({"label": _("Pre-period fit (RMSPE)"), "value": number(result.fit.pre_rmspe),
                        "detail": escape(analysis.treated.measure)})
    placebo_result = analysis.placebo
    if placebo_result is not None and placebo_result.rank is not None:
        figures.append({"label": _("Placebo dates"), "value": _("rank {rank} of {total}").format(
            rank=number(placebo_result.rank), total=number(placebo_result.count + 1)),
            "detail": placebo_standing(placebo_result.rank, placebo_result.count)})
    figures.append({"label": _("Periods before / after"), "value": f"{number(e.n_pre)} / {number(e.n_post)}",
                    "detail": _frequency_name(analysis)})
    return sentences[:3], figures[:6]


def verdict(analysis: Analysis) -> None:
    """The verdict block (the answer first), given through :func:`dictamen.record.verdict`: shown in the
    notebook, placed under the title of the HTML page."""
    sentences, figures = verdict_parts(analysis)
    record.verdict(sentences, figures, analysis.language)


@dataclass
class DesignChoice:
    """Which design a dossier should cite for an indicator, and why (see :func:`cited_design`)."""

    method: str          # "did", "synth" or "its"
    analysis: Analysis
    reason: str          # a sentence in the language in use


def cited_design(*analyses: Analysis) -> DesignChoice:
    """The design whose identifying assumption the data support, among analyses of the same indicator.

    The difference-in-differences when its parallel pre-trends are not rejected; else the synthetic
    control when its pre-period fit is close (RMSPE at most 5% of the pre-period mean); else the
    interrupted time series. The dossier calls it with the analyses it ran and cites the result.
    """
    by_method = {a.method: a for a in analyses}
    did_analysis, synth_analysis = by_method.get("did"), by_method.get("synth")
    if did_analysis is not None and did_analysis.pretrend_p is not None and not did_analysis.pretrend_failed:
        return DesignChoice("did", did_analysis, _(
            "Difference-in-differences: parallel pre-trends are not rejected (leads test {p}).").format(
            p=_p_is(did_analysis.pretrend_p)))
    if synth_analysis is not None and synth_analysis.synth is not None:
        fit = synth_analysis.synth.fit
        pre = synth_analysis.treated.values[synth_analysis.treated.values.index < synth_analysis.design.first_post]
        share = fit.pre_rmspe / pre.mean()
        if share <= 0.05:
            reason = (_("Synthetic control: the pre-trends of the difference-in-differences diverge (leads test {p}), "
                        "while the synthetic control follows the treated unit closely before the law (RMSPE {share} "
                        "of its mean).").format(p=_p_is(did_analysis.pretrend_p), share=messages.percent(share, 1))
                      if did_analysis is not None and did_analysis.pretrend_p is not None else
                      _("Synthetic control: it follows the treated unit closely before the law (RMSPE {share} of "
                        "its mean).").format(share=messages.percent(share, 1)))
            return DesignChoice("synth", synth_analysis, reason)
    fallback = by_method.get("its") or did_analysis or synth_analysis or analyses[0]
    return DesignChoice(fallback.method, fallback, _(
        "No comparison design is supported by the pre-period (diverging pre-trends, no close synthetic control); "
        "the estimate rests on the interrupted time series' extrapolated trend."))


def _plain_text(markdown_text: str) -> str:
    """Markdown-escaped prose back to plain text, for recorded (JSON) results."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown_text))


def _finite(value: float) -> float | None:
    return None if value != value else float(value)


def results(analysis: Analysis) -> dict[str, Any]:
    """The recorded results of a report (JSON-able)."""
    design = analysis.design
    result = analysis.placebo
    check = analysis.specification
    return {
        "effect": analysis.effect.as_record(),
        "method": analysis.method,
        "specification": analysis.effect.spec,
        # The headline verdict: False when the interval of `effect` excludes zero but the pre-period
        # check shows that this comes from extending a bent trend (see its_verdict).
        "detectable": headline(analysis) == "detectable effect",
        "interval_excludes_zero": bool(analysis.effect.detectable),
        "conclusion": _plain_text(conclusion_text(analysis)),
        "intervention_date": f"{design.intervention_date:%Y-%m-%d}",
        "verdict": _plain_text(verdict_sentence(analysis)),
        "frequency": design.frequency.name,
        "windows": {
            "pre": [f"{design.pre_start:%Y-%m}", f"{design.last_pre:%Y-%m}"],
            "post": [f"{design.first_post:%Y-%m}", f"{design.post_end:%Y-%m}"],
            "transition_month": None if design.transition is None else f"{design.transition:%Y-%m}",
            "exclude": [w.text for w in design.exclude],
        },
        "pretrend_p": analysis.pretrend_p if analysis.method == "did" else None,
        "pretrend_failed": analysis.pretrend_failed if analysis.method == "did" else None,
        "pretrend_linear_p": None if check is None else _finite(check.linear_p),
        "specification_warning": analysis.specification_warning,
        "its_verdict": None if check is None else check.verdict,
        "robust_its_effect": (check.local.as_record() if check is not None and check.local is not None
                              else None),
        "robust_its_specification": (check.local.spec if check is not None and check.local is not None
                                     else None),
        "robust_its_linear_p": None if check is None else _finite(check.local_linear_p),
        # the headline's placebo check: in space for "synth" (Abadie et al. 2010), in time otherwise
        "placebo_rank": (analysis.synth.rank if analysis.synth is not None
                         else None if result is None else result.rank),
        "placebo_count": (len(analysis.synth.placebos) if analysis.synth is not None
                          else None if result is None else result.count),
        "placebo_p": (analysis.synth.p_value if analysis.synth is not None
                      else None if result is None else result.share),
        "donor_weights": (None if analysis.synth is None else
                          {unit: float(w) for unit, w in analysis.synth.fit.weights.items()}),
        "pre_rmspe": None if analysis.synth is None else analysis.synth.fit.pre_rmspe,
        "normalised": None if analysis.synth is None else analysis.synth.normalised,
        "leave_one_out": (None if analysis.synth is None else
                          {unit: e.as_record() for unit, _weight, e in analysis.synth.leave_one_out}),
        "model": analysis.model,
        "dispersion": analysis.its_effect.dispersion,
        "newey_west": analysis.its_effect.newey_west,
        "its_effect": analysis.its_effect.as_record(),
        "plain_did_effect": (analysis.did_effects["plain"].as_record() if analysis.did_effects else None),
        "data_quality": [f"{f.source}: {f.found} — {f.action}" for f in analysis.findings],
        "panel": {row.unit: (row.effect.as_record() if row.effect else {"error": row.error})
                  for row in analysis.panel},
    }


def record_results(analysis: Analysis) -> dict[str, Any]:
    """Record the headline figures for the runner and return them."""
    values = results(analysis)
    record.record_many(values)
    return values


def overview_markdown(analysis: Analysis):
    return as_markdown(overview_text(analysis))


def quality_markdown(analysis: Analysis):
    return as_markdown(quality_text(analysis))


def its_alongside_markdown(analysis: Analysis):
    return as_markdown(its_alongside_text(analysis))


def pretrend_markdown(analysis: Analysis):
    return as_markdown(pretrend_text(analysis))


def count_model_markdown(analysis: Analysis):
    return as_markdown(count_model_text(analysis))


def placebo_markdown(analysis: Analysis):
    return as_markdown(placebo_text(analysis))


def conclusion_markdown(analysis: Analysis):
    return as_markdown(conclusion_text(analysis))


# Figures: the analysis adapted to the frames and values of :mod:`dictamen.impact.charts`, or a note
# when a chart does not apply.

def _exclusions(analysis: Analysis) -> pd.DataFrame:
    """The excluded windows as a frame: window (as written), start, end."""
    windows = analysis.design.exclude
    return pd.DataFrame({"window": [w.text for w in windows], "start": [w.start for w in windows],
                         "end": [w.end for w in windows]}, columns=["window", "start", "end"])


def counterfactual_chart(analysis: Analysis) -> Chart:
    """Observed series against the counterfactual of the headline estimate."""
    e = analysis.effect
    return charts.counterfactual_path_chart(
        e.path, _exclusions(analysis), first_post=analysis.design.first_post, label=analysis.treated.label,
        measure=analysis.treated.measure, spec=e.spec, relative=e.relative,
        relative_ci_low=e.relative_ci_low, relative_ci_high=e.relative_ci_high, synthetic=analysis.method == "synth")


def event_study_chart(analysis: Analysis):
    """The DiD event study (leads and lags); a note for ITS."""
    if analysis.method != "did" or analysis.event_study is None or analysis.event_study.table.empty:
        return as_markdown(_not_applicable(_("the event study needs a control series (method 'did').")))
    study = analysis.event_study
    return charts.lead_lag_chart(study.table, first_post=analysis.design.first_post, reference=study.reference,
                                 p_value=study.p_value)


def placebo_chart(analysis: Analysis):
    """Placebo estimates with the real one marked; the placebo note when none could be fitted."""
    result = analysis.placebo
    if result is None or result.rank is None:
        return as_markdown(placebo_text(analysis))
    e = analysis.effect
    return charts.placebo_dates_chart(result.table, real_date=analysis.design.first_post, real=result.real,
                                      real_ci_low=e.relative_ci_low, real_ci_high=e.relative_ci_high,
                                      rank=result.rank)


def panel_chart(analysis: Analysis):
    """Small multiples of the per-unit panel; a note when no unit was estimated."""
    rows = [row for row in analysis.panel if row.effect is not None]
    if not rows:
        return as_markdown(_("No per-unit panel to chart (parameter {parameter} is empty or no unit could be "
                             "estimated).").format(parameter=code("panel_units")))
    paths = pd.concat({row.unit: row.effect.path for row in rows}, names=["unit"]).reset_index("unit")
    effects = pd.DataFrame({"unit": [row.unit for row in rows],
                            "relative": [row.effect.relative for row in rows],
                            "relative_ci_low": [row.effect.relative_ci_low for row in rows],
                            "relative_ci_high": [row.effect.relative_ci_high for row in rows]})
    return charts.unit_paths_chart(paths, effects, _exclusions(analysis), first_post=analysis.design.first_post,
                                   measure=analysis.treated.measure)


def placebo_space_chart(analysis: Analysis):
    """Post/pre RMSPE ratios of the treated unit and every placebo donor; a note without a synthetic control."""
    result = analysis.synth
    if result is None:
        return as_markdown(_not_applicable(_("placebo-in-space needs a synthetic control (method 'synth').")))
    return charts.rmspe_ratio_chart(result.placebos, treated=analysis.treated.unit, treated_ratio=result.fit.ratio,
                                    rank=result.rank)
