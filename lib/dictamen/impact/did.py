"""Difference-in-differences of a treated series against a control series, in logs.

With one treated and one control unit, the two-way fixed-effects model
``log y_it = unit_i + month_t + delta·treated_i·post_t`` is the regression of the log gap
``g_t = log y_treated,t − log y_control,t`` on a post indicator; month dummies absorb a difference in
seasonality and, in the *unit-specific trend* specification, a linear term absorbs diverging
trends. Errors are Newey-West (HAC). The event study replaces the post indicator with one dummy per
month relative to the law (leads and lags; the reference is the pre-period before the leads) and
tests the leads jointly (F test with classical OLS errors, since robust errors are degenerate
for one-month dummies): the parallel pre-trends check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from dictamen.errors import InputError
from dictamen.messages import _, month
from dictamen.impact.effect import CONFIDENCE, Effect, hac_lags, month_dummies

DEFAULT_LEADS = 12


def log_gap(treated: pd.Series, control: pd.Series, *, treated_label: str = "treated series",
            control_label: str = "control series") -> pd.Series:
    """log(treated) − log(control) on the months both have; refuses zero or negative values."""
    both = pd.concat({"t": treated, "c": control}, axis=1).dropna()
    if both.empty:
        raise InputError(f"The {control_label} has no months in common with the {treated_label}",
                         expected="a control series that overlaps the treated series in time")
    for column, label in (("t", treated_label), ("c", control_label)):
        bad = both[column] <= 0
        if bad.any():
            month = both.index[bad][0]
            raise InputError(
                f"The {label} has a value of {both[column][bad].iloc[0]:g} in {month:%Y-%m}; "
                "difference-in-differences works on logs",
                expected="strictly positive values (use method 'its' for series with zeros)")
    return np.log(both["t"]) - np.log(both["c"])


def _step_months(index: pd.DatetimeIndex) -> int:
    """The spacing of a series' periods in months (1, 3 or 12), from its smallest step."""
    if len(index) < 2:
        return 1
    return int(np.diff(np.asarray(index.year * 12 + index.month)).min())


def _regressors(index: pd.DatetimeIndex, origin: pd.Timestamp, seasonality: bool, trend: bool,
                reference: pd.DatetimeIndex) -> pd.DataFrame:
    frame = pd.DataFrame({"const": 1.0}, index=index)
    if trend:
        frame["time"] = ((index.year - origin.year) * 12 + (index.month - origin.month)).astype(float)
    for column in month_dummies(reference, seasonality).columns:
        frame[column] = (index.month == int(column.split("_")[1])).astype(float)
    return frame


def fit(treated: pd.Series, control: pd.Series, first_post: pd.Timestamp, *, seasonality: bool = True,
        trend: bool = False, calendar: pd.DatetimeIndex | None = None, maxlags: int | None = None,
        labels: tuple[str, str] = ("treated series", "control series")) -> Effect:
    """DiD effect of the intervention on the treated series (usable months only)."""
    gap = log_gap(treated, control, treated_label=labels[0], control_label=labels[1])
    index = pd.DatetimeIndex(gap.index)
    origin = index.min()
    X = _regressors(index, origin, seasonality, trend, index)
    X.insert(1, "post", (index >= first_post).astype(float))
    lags = maxlags if maxlags is not None else hac_lags(len(gap))
    results = sm.OLS(gap.to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})

    delta = float(results.params["post"])
    low, high = (float(v) for v in results.conf_int(alpha=1 - CONFIDENCE).loc["post"])
    is_post = index >= first_post
    observed_post = treated.reindex(index[is_post]).to_numpy(dtype=float)

    def absolute(d: float) -> float:
        return float(np.mean(observed_post) * (1 - np.exp(-d)))

    def cumulative(d: float) -> float:
        return float(np.sum(observed_post) * (1 - np.exp(-d)))

    calendar = pd.DatetimeIndex(calendar) if calendar is not None else index
    full = _regressors(calendar, origin, seasonality, trend, index)
    full.insert(1, "post", (calendar >= first_post).astype(float))
    counterfactual_x = full.copy()
    counterfactual_x["post"] = 0.0
    prediction = results.get_prediction(counterfactual_x).summary_frame(alpha=1 - CONFIDENCE)
    log_control = np.log(control.reindex(calendar).where(lambda s: s > 0)).to_numpy()
    path = pd.DataFrame({
        "month": calendar,
        "observed": treated.reindex(calendar).to_numpy(dtype=float),
        "fitted": np.exp(log_control + full.to_numpy() @ results.params.to_numpy()),
        "counterfactual": np.exp(log_control + prediction["mean"].to_numpy()),
        "cf_low": np.exp(log_control + prediction["mean_ci_lower"].to_numpy()),
        "cf_high": np.exp(log_control + prediction["mean_ci_upper"].to_numpy()),
        "post": calendar >= first_post,
        "used": calendar.isin(index),
        "control": control.reindex(calendar).to_numpy(dtype=float),
    })
    spec = {(False, True): _("log gap on post and month dummies"), (False, False): _("log gap on post"),
            (True, True): _("log gap on post with unit-specific linear trend and month dummies"),
            (True, False): _("log gap on post with unit-specific linear trend")}[(bool(trend), bool(seasonality))]
    return Effect(
        method="did", spec=spec, absolute=absolute(delta), ci_low=absolute(low), ci_high=absolute(high),
        relative=float(np.expm1(delta)), relative_ci_low=float(np.expm1(low)),
        relative_ci_high=float(np.expm1(high)),
        cumulative=cumulative(delta), cumulative_ci_low=cumulative(low), cumulative_ci_high=cumulative(high),
        p_value=float(results.pvalues["post"]), n_pre=int((~is_post).sum()), n_post=int(is_post.sum()),
        path=path, model=results, notes=[f"Newey-West standard errors with {lags} lag(s)"])


@dataclass
class EventStudy:
    """Effects by month relative to the law, and the joint test that the pre-period leads are zero."""

    table: pd.DataFrame  # relative_month, month, estimate, ci_low, ci_high, relative, period
    statistic: float
    p_value: float
    leads_tested: int
    reference: str
    trend: bool
    model: object = None


def event_study(treated: pd.Series, control: pd.Series, first_post: pd.Timestamp, *,
                seasonality: bool = True, trend: bool = False, leads: int = DEFAULT_LEADS,
                labels: tuple[str, str] = ("treated series", "control series")) -> EventStudy:
    """One coefficient per month from ``-leads`` to the last post month, relative to the earlier
    pre-period; a Wald F test of all leads = 0 checks parallel pre-trends."""
    gap = log_gap(treated, control, treated_label=labels[0], control_label=labels[1])
    index = pd.DatetimeIndex(gap.index)
    step = _step_months(index)
    relative = ((index.year - first_post.year) * 12 + (index.month - first_post.month)) // step
    leads = max(1, leads // step)  # DEFAULT_LEADS is a year of months: a year of leads whatever the frequency
    needed = 12 // step + 1 + int(trend)
    n_base = int((relative < -leads).sum())
    if n_base < needed:
        leads = max(0, int((relative < 0).sum()) - needed)
    base = relative < -leads
    X = _regressors(index, index.min(), seasonality, trend, index[base])
    event_columns = []
    for k in sorted(set(relative[~base])):
        name = f"rel_{k}"
        X[name] = (relative == k).astype(float)
        event_columns.append((k, name))
    # Classical OLS errors here: each lead/lag is a one-month dummy whose residual is zero, which
    # makes sandwich (HAC) variances degenerate and the leads test reject almost always.
    results = sm.OLS(gap.to_numpy(), X).fit()
    ci = results.conf_int(alpha=1 - CONFIDENCE)
    rows = []
    for k, name in event_columns:
        rows.append({"relative_month": k, "month": first_post + pd.DateOffset(months=k * step),
                     "estimate": float(results.params[name]), "ci_low": float(ci.loc[name, 0]),
                     "ci_high": float(ci.loc[name, 1]), "period": "pre" if k < 0 else "post"})
    table = pd.DataFrame(rows)
    table["relative"] = np.expm1(table["estimate"])
    table["relative_ci_low"] = np.expm1(table["ci_low"])
    table["relative_ci_high"] = np.expm1(table["ci_high"])
    lead_names = [name for k, name in event_columns if k < 0]
    if lead_names:
        restriction = np.zeros((len(lead_names), len(X.columns)))
        for row, name in enumerate(lead_names):
            restriction[row, list(X.columns).index(name)] = 1.0
        wald = results.wald_test(restriction, use_f=True, scalar=True)
        statistic, p_value = float(np.squeeze(wald.statistic)), float(np.squeeze(wald.pvalue))
    else:
        statistic, p_value = float("nan"), float("nan")
    before = {1: _("months before {date}"), 3: _("quarters before {date}"), 12: _("years before {date}")}[step]
    reference = before.format(date=month(first_post - pd.DateOffset(months=leads * step))) if leads else _("none")
    return EventStudy(table, statistic, p_value, len(lead_names), reference, trend, results)
