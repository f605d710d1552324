"""Charts of a policy-impact analysis, each with alt text computed from the data it shows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dictamen.figures import Chart, new_figure
from dictamen.impact.analysis import Analysis
from dictamen.impact.effect import Effect
from dictamen.impact.report import NOT_APPLICABLE, _num, _pct
from dictamen.prose import as_markdown

OBSERVED, COUNTERFACTUAL, CONTROL, SHADE = "#1f4e79", "#c0504d", "#7f7f7f", "#d9d9d9"


def _shade_exclusions(axes, analysis: Analysis) -> None:
    for window in analysis.design.exclude:
        axes.axvspan(window.start, window.end, color=SHADE, alpha=0.6, lw=0)


def _draw_path(axes, effect: Effect, first_post: pd.Timestamp) -> None:
    path = effect.path
    axes.plot(path["month"], path["observed"], color=OBSERVED, lw=1.6, label="observed")
    axes.plot(path["month"], path["counterfactual"], color=COUNTERFACTUAL, lw=1.2, ls="--",
              label="counterfactual (no law)")
    post = path[path["post"]]
    axes.fill_between(post["month"], post["cf_low"], post["cf_high"], color=COUNTERFACTUAL, alpha=0.18,
                      lw=0, label="95% interval")
    axes.axvline(first_post, color="black", lw=0.8)


def counterfactual_chart(analysis: Analysis) -> Chart:
    """Observed series against the counterfactual with its 95% band; excluded windows shaded."""
    effect = analysis.effect
    figure = new_figure(9, 4.5)
    axes = figure.add_subplot()
    _shade_exclusions(axes, analysis)
    _draw_path(axes, effect, analysis.design.first_post)
    axes.set_title(f"{analysis.treated.label}: observed and counterfactual", loc="left", fontsize=11)
    axes.set_ylabel(analysis.treated.measure)
    axes.legend(loc="best", fontsize=8, frameon=False)
    post = effect.path[effect.path["post"] & effect.path["used"]]
    excluded = "; ".join(w.text for w in analysis.design.exclude) or "none"
    alt = (f"Line chart of monthly {analysis.treated.label}, {effect.path['month'].min():%Y-%m} to "
           f"{effect.path['month'].max():%Y-%m}, with a vertical line at {analysis.design.first_post:%Y-%m}. "
           f"After it the observed series averages {_num(post['observed'].mean()).lstrip('+')} per month against "
           f"a counterfactual of {_num(post['counterfactual'].mean()).lstrip('+')} "
           f"(effect {_pct(effect.relative)}, 95% CI {_pct(effect.relative_ci_low)} to "
           f"{_pct(effect.relative_ci_high)}). Grey bands mark excluded windows: {excluded}.")
    caption = f"Counterfactual from {effect.spec}; shaded band: 95% confidence interval of the counterfactual."
    return Chart(figure, alt, caption)


def event_study_chart(analysis: Analysis):
    """Effect by month relative to the law (DiD leads and lags); a note for ITS."""
    if analysis.method != "did" or analysis.event_study is None or analysis.event_study.table.empty:
        return as_markdown(f"{NOT_APPLICABLE}: the event study needs a control series (method 'did').")
    study = analysis.event_study
    table = study.table
    figure = new_figure(9, 4)
    axes = figure.add_subplot()
    colours = np.where(table["period"] == "pre", CONTROL, OBSERVED)
    axes.errorbar(table["relative_month"], table["relative"] * 100,
                  yerr=[(table["relative"] - table["relative_ci_low"]) * 100,
                        (table["relative_ci_high"] - table["relative"]) * 100],
                  fmt="none", ecolor=list(colours), elinewidth=1)
    axes.scatter(table["relative_month"], table["relative"] * 100, c=list(colours), s=14, zorder=3)
    axes.axhline(0, color="black", lw=0.8)
    axes.axvline(-0.5, color="black", lw=0.8, ls=":")
    axes.set_xlabel("months relative to the first post month")
    axes.set_ylabel("treated vs control gap, % vs reference")
    axes.set_title("Event study: pre-period leads (grey) and post-period lags (blue)", loc="left", fontsize=11)
    pre = table[table["period"] == "pre"]
    post = table[table["period"] == "post"]
    alt = (f"Event-study chart of the treated-minus-control log gap by month relative to "
           f"{analysis.design.first_post:%Y-%m}, as % difference from the reference ({study.reference}). "
           f"{len(pre)} pre-period leads range from {_pct(pre['relative'].min())} to {_pct(pre['relative'].max())}"
           f" (joint test p = {study.p_value:.3g}); {len(post)} post-period lags range from "
           f"{_pct(post['relative'].min())} to {_pct(post['relative'].max())}.")
    return Chart(figure, alt, "Vertical bars: 95% confidence intervals (classical OLS errors).")


def placebo_chart(analysis: Analysis):
    """Placebo estimates at fake dates with the real estimate marked."""
    result = analysis.placebo
    if result is None or result.rank is None:
        return as_markdown(result.note if result is not None else "No placebo check was run.")
    table = result.table
    figure = new_figure(9, 3.8)
    axes = figure.add_subplot()
    axes.errorbar(table["fake_date"], table["relative"] * 100,
                  yerr=[(table["relative"] - table["relative_ci_low"]) * 100,
                        (table["relative_ci_high"] - table["relative"]) * 100],
                  fmt="o", ms=3, color=CONTROL, elinewidth=0.8, label="placebo dates")
    e = analysis.effect
    axes.errorbar([analysis.design.first_post], [e.relative * 100],
                  yerr=[[(e.relative - e.relative_ci_low) * 100], [(e.relative_ci_high - e.relative) * 100]],
                  fmt="D", ms=5, color=COUNTERFACTUAL, label="real date")
    axes.axhline(0, color="black", lw=0.8)
    axes.set_ylabel("estimated effect, %")
    axes.set_title("Placebo in time: the same model at fake dates", loc="left", fontsize=11)
    axes.legend(loc="best", fontsize=8, frameon=False)
    alt = (f"Dot chart of {result.count} placebo estimates at fake dates "
           f"{table['fake_date'].min():%Y-%m} to {table['fake_date'].max():%Y-%m}, ranging from "
           f"{_pct(table['relative'].min())} to {_pct(table['relative'].max())}, and the real estimate "
           f"{_pct(result.real)} at {analysis.design.first_post:%Y-%m}, which ranks {result.rank} of "
           f"{result.count + 1} by absolute size.")
    return Chart(figure, alt, "Bars: 95% confidence intervals.")


def panel_chart(analysis: Analysis):
    """Small multiples: observed versus counterfactual for each unit of the panel."""
    rows = [row for row in analysis.panel if row.effect is not None]
    if not rows:
        return as_markdown("No per-unit panel to chart (parameter `panel_units` is empty or no unit could be estimated).")
    columns = min(3, len(rows))
    lines = math.ceil(len(rows) / columns)
    figure = new_figure(3.4 * columns, 2.4 * lines)
    grid = figure.subplots(lines, columns, squeeze=False)
    for axes in grid.ravel()[len(rows):]:
        axes.set_visible(False)
    for axes, row in zip(grid.ravel(), rows):
        _shade_exclusions(axes, analysis)
        _draw_path(axes, row.effect, analysis.design.first_post)
        axes.set_title(f"{row.unit}: {_pct(row.effect.relative)}", fontsize=9, loc="left")
        axes.tick_params(labelsize=7)
    described = "; ".join(
        f"{row.unit} {_pct(row.effect.relative)} (95% CI {_pct(row.effect.relative_ci_low)} to "
        f"{_pct(row.effect.relative_ci_high)})" for row in rows)
    alt = (f"Small multiples for {len(rows)} units, each showing observed {analysis.treated.measure} "
           f"against its counterfactual with a line at {analysis.design.first_post:%Y-%m}. Effects: {described}.")
    return Chart(figure, alt, "Solid: observed; dashed: counterfactual; band: 95% interval.")
