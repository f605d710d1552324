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
from typing import Any

import pandas as pd

from dictamen import record
from dictamen.figures import Chart
from dictamen.impact.analysis import LINEARITY_ALPHA, LOCAL_PRE_MONTHS, Analysis
from dictamen.impact import charts
from dictamen.impact.effect import Effect
from dictamen.impact.effect import signed_number as _num
from dictamen.impact.effect import signed_percent as _pct
from dictamen.prose import as_markdown, code, escape

NOT_APPLICABLE = "Not applicable for this method"


def _p(value: float | None) -> str:
    if value is None or value != value:
        return "n/a"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _p_is(value: float | None) -> str:
    """"p = 0.123" or "p < 0.001"."""
    shown = _p(value)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"


def _subject(analysis: Analysis) -> str:
    return f"{escape(analysis.treated.measure)} ({escape(analysis.treated.unit)})"


def _method_phrase(analysis: Analysis) -> str:
    if analysis.method == "its":
        return "interrupted time series (level and slope change" + (
            ", month dummies" if analysis.seasonality else "") + ", Newey-West errors)"
    phrase = f"difference-in-differences in logs against {escape(analysis.control.label)}"
    if analysis.headline_reason == "trend":
        phrase += ", allowing a unit-specific linear trend"
    return phrase


def overview_text(analysis: Analysis) -> str:
    """What is compared, over which months, by which design."""
    design = analysis.design
    excluded = "; ".join(escape(w.text) for w in design.exclude) or "none"
    lines = [f"**{escape(analysis.title)}**" if analysis.title else "",
             f"- Series: {_subject(analysis)} from {code(analysis.treated.shown_path)}",
             f"- Method: {_method_phrase(analysis)}"]
    if analysis.control is not None:
        lines.append(f"- Control: {escape(analysis.control.label)} from {code(analysis.control.shown_path)}")
    lines += [
        f"- Intervention: {design.intervention_date:%Y-%m-%d}; first post month {design.first_post:%Y-%m}"
        + (f" ({design.transition:%Y-%m} is a transition month, left out)" if design.transition is not None else ""),
        f"- Window: {design.pre_start:%Y-%m}..{design.post_end:%Y-%m} "
        f"({analysis.effect.n_pre} usable months before, {analysis.effect.n_post} after)",
        f"- Excluded windows (known shocks): {excluded}",
    ]
    return "\n".join(line for line in lines if line)


def quality_text(analysis: Analysis) -> str:
    """The data-quality section: every fault found and what was done about it."""
    if not analysis.findings:
        return "No data-quality problems were found in the files used."
    rows = ["| Source | What was found | What was done |", "|---|---|---|"]
    for finding in analysis.findings:
        rows.append(f"| {escape(finding.source)} | {escape(finding.found)} | {escape(finding.action)} |")
    return f"{len(analysis.findings)} finding(s) in the data and design:\n\n" + "\n".join(rows)


def effect_table(analysis: Analysis, effect: Effect | None = None) -> pd.DataFrame:
    """Absolute (per month), relative and cumulative effect with 95% CIs, as display text."""
    e = effect or analysis.effect
    return pd.DataFrame({
        "effect": ["absolute (per month)", "relative", "cumulative (all post months)"],
        "estimate": [_num(e.absolute), _pct(e.relative), _num(e.cumulative)],
        "95% CI low": [_num(e.ci_low), _pct(e.relative_ci_low), _num(e.cumulative_ci_low)],
        "95% CI high": [_num(e.ci_high), _pct(e.relative_ci_high), _num(e.cumulative_ci_high)],
    }).set_index("effect")


def its_alongside_text(analysis: Analysis) -> str:
    """For DiD: the treated series alone by ITS, as a cross-check. For ITS: not applicable."""
    if analysis.method == "its":
        return f"{NOT_APPLICABLE}: interrupted time series is this report's main method (above)."
    e = analysis.its_effect
    return (f"The treated series alone, by interrupted time series (no control): "
            f"{_pct(e.relative)} (95% CI {_pct(e.relative_ci_low)} to {_pct(e.relative_ci_high)}), "
            f"{_num(e.absolute)} per month. It assumes the pre-law trend and seasonality would have "
            f"continued; the difference-in-differences instead assumes the control moves like the "
            f"treated series would have." + (
                f" Here the treated series' pre-period trend is not a straight line (quadratic term "
                f"{_p_is(analysis.specification.linear_p)}), so this interrupted-time-series figure is likely "
                f"driven by the extrapolated trend." if analysis.specification_warning else ""))


def pretrend_text(analysis: Analysis) -> str:
    """Parallel pre-trends: the joint test of the event-study leads, stated plainly."""
    if analysis.method != "did" or analysis.event_study is None:
        return (f"{NOT_APPLICABLE}: interrupted time series has no control series, so there is no "
                "parallel-trends assumption to test. " + specification_text(analysis))
    study = analysis.event_study
    if study.leads_tested == 0:
        return "The pre-period is too short for an event study with leads; parallel pre-trends are untested."
    plain, trended = analysis.did_effects["plain"], analysis.did_effects["trend"]
    test = (f"Joint F test (classical OLS errors) that the {study.leads_tested} monthly leads are zero (reference: "
            f"{escape(study.reference)}): F = {study.statistic:.2f}, {_p_is(study.p_value)}.")
    if not analysis.pretrend_failed:
        return (test + " Parallel pre-trends are not rejected at the 5% level, so the headline uses the "
                f"plain difference-in-differences: {_pct(plain.relative)} (95% CI {_pct(plain.relative_ci_low)}"
                f" to {_pct(plain.relative_ci_high)}). With a unit-specific trend it would be "
                f"{_pct(trended.relative)} (95% CI {_pct(trended.relative_ci_low)} to {_pct(trended.relative_ci_high)}).")
    after = analysis.event_study_trend
    text = (test + " **Pre-trends diverge**: the treated and control series were already drifting apart "
            "before the law, so the plain difference-in-differences estimate "
            f"({_pct(plain.relative)}, 95% CI {_pct(plain.relative_ci_low)} to {_pct(plain.relative_ci_high)}) "
            "mostly measures that drift and is not used as the headline. The headline instead allows a "
            f"unit-specific linear trend: {_pct(trended.relative)} (95% CI {_pct(trended.relative_ci_low)} "
            f"to {_pct(trended.relative_ci_high)}).")
    if after is not None and after.leads_tested:
        verdict = ("the leads are no longer jointly significant" if after.p_value >= 0.05
                   else "the leads are still jointly significant, so even this specification is doubtful")
        text += f" With the trend, the leads test gives {_p_is(after.p_value)}: {verdict}."
    return text


def _interval(e: Effect) -> str:
    return f"{_pct(e.relative)} (95% CI {_pct(e.relative_ci_low)} to {_pct(e.relative_ci_high)})"


def specification_text(analysis: Analysis) -> str:
    """The ITS pre-period check: does the straight trend the counterfactual extends fit the pre-period?"""
    check = analysis.specification
    if check is None or check.linear_p != check.linear_p:
        return "The pre-period is too short to test whether its trend is a straight line."
    design = analysis.design
    test = (f"Pre-period specification check: a quadratic time term added to the pre-period-only regression "
            f"({design.pre_start:%Y-%m}..{(design.transition or design.first_post) - pd.DateOffset(months=1):%Y-%m}, Newey-West "
            f"errors) gives {_p_is(check.linear_p)}.")
    if not check.failed:
        return (test + f" A straight pre-trend is not rejected at the {LINEARITY_ALPHA:.0%} level, so the "
                "linear counterfactual is a reasonable description of the pre-period; the placebo dates "
                "below check the design further.")
    text = (test + " **The linear counterfactual does not fit the pre-period**: the trend bends, so "
            f"extending a straight line from it measures the bend, not the law. The full-pre-period estimate "
            f"{_interval(check.full)} is likely driven by the extrapolated trend and is not a finding.")
    return text + " " + _robust_sentence(check) + (
        " The sensitivity table shows how the estimate moves as the pre-window shortens.")


def _robust_sentence(check) -> str:
    """The robust fallback's estimate, and whether a straight line fits its shorter pre-window."""
    if check.local is None:
        return f"No robust alternative could be fitted ({escape(check.local_error)})."
    text = (f"A level change against one trend fitted to the last {LOCAL_PRE_MONTHS} months before the law "
            f"(from {check.local_pre_start:%Y-%m}) and the months after it, which extrapolates no long "
            f"pre-period slope, gives {_interval(check.local)}")
    if check.local_linear_p == check.local_linear_p and check.local_linear_p < LINEARITY_ALPHA:
        return text + (f"; a straight line is rejected over that shorter window too "
                       f"({_p_is(check.local_linear_p)}), so this too is only indicative.")
    return text + "."


def _placebo_caveat(analysis: Analysis) -> str:
    if not analysis.specification_warning or analysis.method != "its":
        return ""
    return (" Caveat: every fake date lies inside a pre-period whose trend is not a straight line, and the "
            "placebo windows end before the law, so none of them extrapolates the straight trend as far past "
            "the bend as the real date does; the rank measures that misfit as much as the law and cannot "
            "confirm an effect.")


def placebo_text(analysis: Analysis) -> str:
    """Where the real estimate ranks among the placebo-date estimates."""
    result = analysis.placebo
    if result is None or result.rank is None:
        return result.note if result is not None else "No placebo check was run."
    n = result.count
    verdict = ("larger than almost every placebo estimate" if result.share <= 0.1
               else "within the range the model produces when nothing happened")
    text = (f"The same model at {n} fake intervention dates before the law "
            f"({result.table['fake_date'].min():%Y-%m}..{result.table['fake_date'].max():%Y-%m}, "
            f"{result.window_months}-month windows): the real estimate ({_pct(result.real)}) ranks "
            f"{result.rank} of {n + 1} by absolute size, {verdict}. Placebo estimates range from "
            f"{_pct(result.table['relative'].min())} to {_pct(result.table['relative'].max())}.")
    return text + (f" {escape(result.note)}" if result.note else "") + _placebo_caveat(analysis)


def sensitivity_table(analysis: Analysis) -> pd.DataFrame:
    """The headline model with and without exclusion windows (and other choices), as display text."""
    table = analysis.sensitivity
    return pd.DataFrame({
        "specification": table["specification"],
        "relative": [_pct(v) for v in table["relative"]],
        "95% CI": [f"{_pct(a)} to {_pct(b)}" if a is not None and a == a else "n/a"
                   for a, b in zip(table["relative_ci_low"], table["relative_ci_high"])],
        "absolute per month": [_num(v) for v in table["absolute"]],
        "p": [_p(v) for v in table["p_value"]],
        "months pre/post": [f"{int(a)}/{int(b)}" if a is not None and a == a else "n/a"
                            for a, b in zip(table["n_pre"], table["n_post"])],
        "note": table["note"],
    }).set_index("specification")


def _panel_verdict(row) -> str:
    verdict = "detectable change" if row.effect.detectable else "no detectable effect"
    if row.linear_p == row.linear_p and row.linear_p < LINEARITY_ALPHA:
        verdict += (f"; but a straight pre-trend is rejected ({_p_is(row.linear_p)}), so this may be "
                    "the extrapolated trend, not the law")
    return verdict


def panel_table(analysis: Analysis):
    """One row per unit of the panel, or a note when no panel was requested."""
    if not analysis.panel:
        return as_markdown("No per-unit panel was requested (parameter `panel_units` is empty).")
    rows = []
    for row in analysis.panel:
        e = row.effect
        if e is None:
            rows.append({"unit": row.unit, "relative": "n/a", "95% CI": "n/a", "absolute per month": "n/a",
                         "p": "n/a", "verdict": f"not estimated: {row.error}"})
            continue
        rows.append({"unit": row.unit, "relative": _pct(e.relative),
                     "95% CI": f"{_pct(e.relative_ci_low)} to {_pct(e.relative_ci_high)}",
                     "absolute per month": _num(e.absolute), "p": _p(e.p_value),
                     "verdict": _panel_verdict(row)})
    return pd.DataFrame(rows).set_index("unit")


def conclusion_text(analysis: Analysis) -> str:
    """The conclusion sentence(s), generated from the numbers."""
    e = analysis.effect
    date = f"{analysis.design.intervention_date:%Y-%m-%d}"
    interval = _interval(e)
    check = analysis.specification
    warning = analysis.method == "its" and analysis.specification_warning
    verdict = check.verdict if warning else ""
    misfit = (f"the linear counterfactual does not fit the pre-period (quadratic term {_p_is(check.linear_p)}), "
              f"so the interrupted-time-series estimate of {interval} is likely driven by the extrapolated "
              "pre-period trend, not the law") if warning else ""
    if warning and e.detectable and verdict == "no detectable effect":
        text = (f"No detectable effect on {_subject(analysis)} after {date} once the bend in the pre-period "
                f"trend is allowed for: {misfit}. " + _robust_sentence(check))
    elif warning and verdict == "no credible estimate":
        text = (f"No credible estimate of the effect on {_subject(analysis)} after {date}: {misfit}. "
                + _robust_sentence(check) + " A design with a control series is needed to say more.")
    else:
        if not e.detectable:
            head = f"No detectable effect on {_subject(analysis)} after {date}: {interval}"
        else:
            direction = "rose" if e.relative > 0 else "fell"
            head = f"{_subject(analysis)} {direction} relative to the counterfactual after {date}: {interval}"
        text = head + f", by {_method_phrase(analysis)}."
        if warning:
            text += (f" However, the linear counterfactual does not fit the pre-period (quadratic term "
                     f"{_p_is(check.linear_p)}), so the size is likely distorted by the extrapolated trend. "
                     + _robust_sentence(check))
    if analysis.pretrend_failed:
        text += (f" Pre-trends between treated and control diverge (leads test "
                 f"{_p_is(analysis.event_study.p_value)}); the plain difference-in-differences estimate of "
                 f"{_pct(analysis.did_effects['plain'].relative)} is not a credible effect.")
    result = analysis.placebo
    if result is not None and result.rank is not None:
        text += f" Among {result.count} placebo dates the estimate ranks {result.rank} of {result.count + 1} by size"
        if warning:
            text += (", but the placebo dates all lie in the bent pre-period and none extrapolates the straight "
                     "trend as far past the bend, so that rank cannot confirm an effect.")
        elif result.share <= 0.1:
            text += ", so an effect this large is rare when nothing happened."
        else:
            text += ", so it is not unusual compared with estimates where nothing happened."
    return text


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
        "detectable": bool(analysis.effect.detectable) and (check is None or check.verdict == "detectable effect"),
        "interval_excludes_zero": bool(analysis.effect.detectable),
        "conclusion": _plain_text(conclusion_text(analysis)),
        "intervention_date": f"{design.intervention_date:%Y-%m-%d}",
        "windows": {
            "pre": [f"{design.pre_start:%Y-%m}",
                    f"{(design.transition or design.first_post) - pd.DateOffset(months=1):%Y-%m}"],
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
        "placebo_rank": None if result is None else result.rank,
        "placebo_count": None if result is None else result.count,
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
        relative_ci_low=e.relative_ci_low, relative_ci_high=e.relative_ci_high)


def event_study_chart(analysis: Analysis):
    """The DiD event study (leads and lags); a note for ITS."""
    if analysis.method != "did" or analysis.event_study is None or analysis.event_study.table.empty:
        return as_markdown(f"{NOT_APPLICABLE}: the event study needs a control series (method 'did').")
    study = analysis.event_study
    return charts.lead_lag_chart(study.table, first_post=analysis.design.first_post, reference=study.reference,
                                 p_value=study.p_value)


def placebo_chart(analysis: Analysis):
    """Placebo estimates with the real one marked; the placebo note when none could be fitted."""
    result = analysis.placebo
    if result is None or result.rank is None:
        return as_markdown(result.note if result is not None else "No placebo check was run.")
    e = analysis.effect
    return charts.placebo_dates_chart(result.table, real_date=analysis.design.first_post, real=result.real,
                                      real_ci_low=e.relative_ci_low, real_ci_high=e.relative_ci_high,
                                      rank=result.rank)


def panel_chart(analysis: Analysis):
    """Small multiples of the per-unit panel; a note when no unit was estimated."""
    rows = [row for row in analysis.panel if row.effect is not None]
    if not rows:
        return as_markdown("No per-unit panel to chart (parameter `panel_units` is empty or no unit could be estimated).")
    paths = pd.concat({row.unit: row.effect.path for row in rows}, names=["unit"]).reset_index("unit")
    effects = pd.DataFrame({"unit": [row.unit for row in rows],
                            "relative": [row.effect.relative for row in rows],
                            "relative_ci_low": [row.effect.relative_ci_low for row in rows],
                            "relative_ci_high": [row.effect.relative_ci_high for row in rows]})
    return charts.unit_paths_chart(paths, effects, _exclusions(analysis), first_post=analysis.design.first_post,
                                   measure=analysis.treated.measure)
