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
from dictamen.messages import _, month
from dictamen.impact.effect import signed_number as _num
from dictamen.impact.effect import signed_percent as _pct

OBSERVED, COUNTERFACTUAL, CONTROL, SHADE = "#1f4e79", "#c0504d", "#7f7f7f", "#d9d9d9"


def _shade_exclusions(axes, exclusions: pd.DataFrame) -> None:
    for start, end in zip(exclusions["start"], exclusions["end"]):
        axes.axvspan(start, end, color=SHADE, alpha=0.6, lw=0)


def _draw_path(axes, path: pd.DataFrame, first_post: pd.Timestamp, counterfactual: str = "") -> None:
    axes.plot(path["month"], path["observed"], color=OBSERVED, lw=1.6, label=_("observed"))
    axes.plot(path["month"], path["counterfactual"], color=COUNTERFACTUAL, lw=1.2, ls="--",
              label=counterfactual or _("counterfactual (no law)"))
    post = path[path["post"]]
    axes.fill_between(post["month"], post["cf_low"], post["cf_high"], color=COUNTERFACTUAL, alpha=0.18,
                      lw=0, label=_("95% interval"))
    axes.axvline(first_post, color="black", lw=0.8)


def counterfactual_path_chart(path: pd.DataFrame, exclusions: pd.DataFrame, *, first_post: pd.Timestamp,
                              label: str, measure: str, spec: str, relative: float,
                              relative_ci_low: float, relative_ci_high: float, synthetic: bool = False) -> Chart:
    """Observed series against the counterfactual with its 95% band; excluded windows shaded.

    ``path``: month, observed, counterfactual, cf_low, cf_high, post, used (an Effect's path);
    ``exclusions``: window (as the user wrote it), start, end; ``relative*``: the effect and its CI.
    """
    figure = new_figure(9, 4.5)
    axes = figure.add_subplot()
    _shade_exclusions(axes, exclusions)
    _draw_path(axes, path, first_post, _("synthetic control") if synthetic else "")
    axes.set_title((_("{label}: treated and synthetic control") if synthetic
                    else _("{label}: observed and counterfactual")).format(label=label), loc="left", fontsize=11)
    axes.set_ylabel(measure)
    axes.legend(loc="best", fontsize=8, frameon=False)
    post = path[path["post"] & path["used"]]
    excluded = "; ".join(exclusions["window"]) or _("none")
    alt = _("Line chart of {label}, {start} to {end}, with a vertical line at {first}. After it the observed series "
            "averages {observed} per period against a counterfactual of {counterfactual} (effect {effect}, 95% CI "
            "{low} to {high}). Grey bands mark excluded windows: {excluded}.").format(
        label=label, start=month(path["month"].min()), end=month(path["month"].max()), first=month(first_post),
        observed=_num(post["observed"].mean()).lstrip("+"), counterfactual=_num(post["counterfactual"].mean()).lstrip("+"),
        effect=_pct(relative), low=_pct(relative_ci_low), high=_pct(relative_ci_high), excluded=excluded)
    caption = (_("Synthetic control: {spec}; shaded band: the range of placebo-in-space effects (2.5th to 97.5th "
                 "percentile).") if synthetic else
               _("Counterfactual from {spec}; shaded band: 95% confidence interval of the counterfactual.")).format(spec=spec)
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
    axes.set_xlabel(_("periods relative to the first post period"))
    axes.set_ylabel(_("treated vs control gap, % vs reference"))
    axes.set_title(_("Event study: pre-period leads (grey) and post-period lags (blue)"), loc="left", fontsize=11)
    pre = table[table["period"] == "pre"]
    post = table[table["period"] == "post"]
    alt = _("Event-study chart of the treated-minus-control log gap by period relative to {first}, as % difference "
            "from the reference ({reference}). {leads} pre-period leads range from {lead_low} to {lead_high} (joint "
            "test p = {p}); {lags} post-period lags range from {lag_low} to {lag_high}.").format(
        first=month(first_post), reference=reference, leads=len(pre), lead_low=_pct(pre["relative"].min()),
        lead_high=_pct(pre["relative"].max()), p=f"{p_value:.3g}", lags=len(post),
        lag_low=_pct(post["relative"].min()), lag_high=_pct(post["relative"].max()))
    return Chart(figure, alt, _("Vertical bars: 95% confidence intervals (classical OLS errors)."))


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
                  fmt="o", ms=3, color=CONTROL, elinewidth=0.8, label=_("placebo dates"))
    axes.errorbar([real_date], [real * 100],
                  yerr=[[(real - real_ci_low) * 100], [(real_ci_high - real) * 100]],
                  fmt="D", ms=5, color=COUNTERFACTUAL, label=_("real date"))
    axes.axhline(0, color="black", lw=0.8)
    axes.set_ylabel(_("estimated effect, %"))
    axes.set_title(_("Placebo in time: the same model at fake dates"), loc="left", fontsize=11)
    axes.legend(loc="best", fontsize=8, frameon=False)
    alt = _("Dot chart of {n} placebo estimates at fake dates {first} to {last}, ranging from {low} to {high}, and "
            "the real estimate {real} at {date}, which ranks {rank} of {total} by absolute size.").format(
        n=len(table), first=month(table["fake_date"].min()), last=month(table["fake_date"].max()),
        low=_pct(table["relative"].min()), high=_pct(table["relative"].max()), real=_pct(real),
        date=month(real_date), rank=rank, total=len(table) + 1)
    return Chart(figure, alt, _("Bars: 95% confidence intervals."))


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
        f"{row.unit} {_pct(row.relative)} ("
        + _("95% CI {low} to {high}").format(low=_pct(row.relative_ci_low), high=_pct(row.relative_ci_high)) + ")"
        for row in effects.itertuples(index=False))
    alt = _("Small multiples for {n} units, each showing observed {measure} against its counterfactual with a line "
            "at {first}. Effects: {effects}.").format(n=len(effects), measure=measure, first=month(first_post),
                                                      effects=described)
    return Chart(figure, alt, _("Solid: observed; dashed: counterfactual; band: 95% interval."))


def rmspe_ratio_chart(placebos: pd.DataFrame, *, treated: str, treated_ratio: float, rank: int) -> Chart:
    """Placebo in space: the post/pre RMSPE ratio of the treated unit and of each donor treated in turn.

    ``placebos``: unit, ratio (one row per donor); ``rank``: the treated unit's rank (1 = largest).
    """
    frame = pd.concat([placebos[["unit", "ratio"]],
                       pd.DataFrame({"unit": [treated], "ratio": [treated_ratio]})]).sort_values("ratio")
    figure = new_figure(9, max(3.5, 0.22 * len(frame) + 1))
    axes = figure.add_subplot()
    colours = [COUNTERFACTUAL if unit == treated else CONTROL for unit in frame["unit"]]
    axes.barh(frame["unit"], frame["ratio"], color=colours)
    axes.set_xlabel(_("post-period RMSPE / pre-period RMSPE"))
    axes.set_title(_("Placebo in space: each donor treated in turn"), loc="left", fontsize=11)
    axes.tick_params(axis="y", labelsize=7)
    alt = _("Bar chart of the ratio of post- to pre-period prediction error for {treated} ({ratio}) and {n} placebo "
            "donors (from {low} to {high}); {treated} ranks {rank} of {total}.").format(
        treated=treated, ratio=f"{treated_ratio:.2f}", n=len(placebos), low=f"{placebos['ratio'].min():.2f}",
        high=f"{placebos['ratio'].max():.2f}", rank=rank, total=len(placebos) + 1)
    return Chart(figure, alt, _("Red: the treated unit; grey: donors as placebos (Abadie et al. 2010)."))
