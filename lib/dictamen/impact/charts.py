"""Charts of a policy-impact analysis: data frames and plain values in, a Chart out.

Each function computes its alt text from the frame and values it receives. The adapters that
take an :class:`~dictamen.impact.analysis.Analysis` (and say when a chart does not apply) are in
:mod:`dictamen.impact.report`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dictamen.figures import Chart, new_figure
from dictamen.impact.effect import signed_number as _num
from dictamen.impact.effect import signed_percent as _pct

OBSERVED, COUNTERFACTUAL, CONTROL, SHADE = "#1f4e79", "#c0504d", "#7f7f7f", "#d9d9d9"


def _shade_exclusions(axes, exclusions: pd.DataFrame) -> None:
    for start, end in zip(exclusions["start"], exclusions["end"]):
        axes.axvspan(start, end, color=SHADE, alpha=0.6, lw=0)


def _draw_path(axes, path: pd.DataFrame, first_post: pd.Timestamp) -> None:
    axes.plot(path["month"], path["observed"], color=OBSERVED, lw=1.6, label="observed")
    axes.plot(path["month"], path["counterfactual"], color=COUNTERFACTUAL, lw=1.2, ls="--",
              label="counterfactual (no law)")
    post = path[path["post"]]
    axes.fill_between(post["month"], post["cf_low"], post["cf_high"], color=COUNTERFACTUAL, alpha=0.18,
                      lw=0, label="95% interval")
    axes.axvline(first_post, color="black", lw=0.8)


def counterfactual_path_chart(path: pd.DataFrame, exclusions: pd.DataFrame, *, first_post: pd.Timestamp,
                              label: str, measure: str, spec: str, relative: float,
                              relative_ci_low: float, relative_ci_high: float) -> Chart:
    """Observed series against the counterfactual with its 95% band; excluded windows shaded.

    ``path``: month, observed, counterfactual, cf_low, cf_high, post, used (an Effect's path);
    ``exclusions``: window (as the user wrote it), start, end; ``relative*``: the effect and its CI.
    """
    figure = new_figure(9, 4.5)
    axes = figure.add_subplot()
    _shade_exclusions(axes, exclusions)
    _draw_path(axes, path, first_post)
    axes.set_title(f"{label}: observed and counterfactual", loc="left", fontsize=11)
    axes.set_ylabel(measure)
    axes.legend(loc="best", fontsize=8, frameon=False)
    post = path[path["post"] & path["used"]]
    excluded = "; ".join(exclusions["window"]) or "none"
    alt = (f"Line chart of monthly {label}, {path['month'].min():%Y-%m} to "
           f"{path['month'].max():%Y-%m}, with a vertical line at {first_post:%Y-%m}. "
           f"After it the observed series averages {_num(post['observed'].mean()).lstrip('+')} per month against "
           f"a counterfactual of {_num(post['counterfactual'].mean()).lstrip('+')} "
           f"(effect {_pct(relative)}, 95% CI {_pct(relative_ci_low)} to "
           f"{_pct(relative_ci_high)}). Grey bands mark excluded windows: {excluded}.")
    caption = f"Counterfactual from {spec}; shaded band: 95% confidence interval of the counterfactual."
    return Chart(figure, alt, caption)


def lead_lag_chart(table: pd.DataFrame, *, first_post: pd.Timestamp, reference: str, p_value: float) -> Chart:
    """Effect by month relative to the law (DiD leads and lags) with 95% bars.

    ``table``: relative_month, relative, relative_ci_low, relative_ci_high, period ("pre"/"post");
    ``reference``: the omitted month; ``p_value``: the joint test of the leads.
    """
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
           f"{first_post:%Y-%m}, as % difference from the reference ({reference}). "
           f"{len(pre)} pre-period leads range from {_pct(pre['relative'].min())} to {_pct(pre['relative'].max())}"
           f" (joint test p = {p_value:.3g}); {len(post)} post-period lags range from "
           f"{_pct(post['relative'].min())} to {_pct(post['relative'].max())}.")
    return Chart(figure, alt, "Vertical bars: 95% confidence intervals (classical OLS errors).")


def placebo_dates_chart(table: pd.DataFrame, *, real_date: pd.Timestamp, real: float, real_ci_low: float,
                        real_ci_high: float, rank: int) -> Chart:
    """Placebo estimates at fake dates with the real estimate marked.

    ``table``: fake_date, relative, relative_ci_low, relative_ci_high; ``real*``: the real estimate
    at ``real_date`` and its CI; ``rank``: its rank by absolute size among all estimates.
    """
    figure = new_figure(9, 3.8)
    axes = figure.add_subplot()
    axes.errorbar(table["fake_date"], table["relative"] * 100,
                  yerr=[(table["relative"] - table["relative_ci_low"]) * 100,
                        (table["relative_ci_high"] - table["relative"]) * 100],
                  fmt="o", ms=3, color=CONTROL, elinewidth=0.8, label="placebo dates")
    axes.errorbar([real_date], [real * 100],
                  yerr=[[(real - real_ci_low) * 100], [(real_ci_high - real) * 100]],
                  fmt="D", ms=5, color=COUNTERFACTUAL, label="real date")
    axes.axhline(0, color="black", lw=0.8)
    axes.set_ylabel("estimated effect, %")
    axes.set_title("Placebo in time: the same model at fake dates", loc="left", fontsize=11)
    axes.legend(loc="best", fontsize=8, frameon=False)
    alt = (f"Dot chart of {len(table)} placebo estimates at fake dates "
           f"{table['fake_date'].min():%Y-%m} to {table['fake_date'].max():%Y-%m}, ranging from "
           f"{_pct(table['relative'].min())} to {_pct(table['relative'].max())}, and the real estimate "
           f"{_pct(real)} at {real_date:%Y-%m}, which ranks {rank} of "
           f"{len(table) + 1} by absolute size.")
    return Chart(figure, alt, "Bars: 95% confidence intervals.")


def unit_paths_chart(paths: pd.DataFrame, effects: pd.DataFrame, exclusions: pd.DataFrame, *,
                     first_post: pd.Timestamp, measure: str) -> Chart:
    """Small multiples: observed versus counterfactual for each unit, in the order of ``effects``.

    ``paths``: unit plus the path columns of :func:`counterfactual_path_chart`; ``effects``: unit,
    relative, relative_ci_low, relative_ci_high (one row per unit); ``exclusions`` as there.
    """
    columns = min(3, len(effects))
    lines = math.ceil(len(effects) / columns)
    figure = new_figure(3.4 * columns, 2.4 * lines)
    grid = figure.subplots(lines, columns, squeeze=False)
    for axes in grid.ravel()[len(effects):]:
        axes.set_visible(False)
    for axes, row in zip(grid.ravel(), effects.itertuples(index=False)):
        _shade_exclusions(axes, exclusions)
        _draw_path(axes, paths[paths["unit"] == row.unit], first_post)
        axes.set_title(f"{row.unit}: {_pct(row.relative)}", fontsize=9, loc="left")
        axes.tick_params(labelsize=7)
    described = "; ".join(
        f"{row.unit} {_pct(row.relative)} (95% CI {_pct(row.relative_ci_low)} to "
        f"{_pct(row.relative_ci_high)})" for row in effects.itertuples(index=False))
    alt = (f"Small multiples for {len(effects)} units, each showing observed {measure} "
           f"against its counterfactual with a line at {first_post:%Y-%m}. Effects: {described}.")
    return Chart(figure, alt, "Solid: observed; dashed: counterfactual; band: 95% interval.")
