"""Interrupted time series: segmented regression with a level and slope change at the intervention.

    y_t = a + b·t + level·post_t + slope·(t − t0)·post_t + month dummies + e_t

fitted by OLS with Newey-West (HAC) standard errors. The counterfactual is the same model with the
two post terms set to zero; the effect in post month t is ``level + slope·(t − t0)``, averaged
(absolute), divided by the mean counterfactual (relative, delta-method CI) and summed (cumulative).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from dictamen.messages import _
from dictamen.impact.effect import CONFIDENCE, Effect, hac_lags, month_dummies

POST_TERMS = ("post", "months_since")


def design_matrix(index: pd.DatetimeIndex, origin: pd.Timestamp, first_post: pd.Timestamp,
                  seasonality: bool, months_for_dummies: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Regressors for the segmented model on the months in ``index``.

    ``origin`` is month 0 of the time trend; ``months_for_dummies`` fixes which calendar months get
    a dummy (those of the fitted sample), so predictions use the same columns as the fit.
    """
    serial = (index.year - origin.year) * 12 + (index.month - origin.month)
    since = (index.year - first_post.year) * 12 + (index.month - first_post.month)
    post = (index >= first_post).astype(float)
    frame = pd.DataFrame({"const": 1.0, "time": serial.astype(float), "post": post,
                          "months_since": np.where(post > 0, since, 0).astype(float)}, index=index)
    reference = months_for_dummies if months_for_dummies is not None else index
    dummies = month_dummies(reference, seasonality)
    for column in dummies.columns:
        frame[column] = (index.month == int(column.split("_")[1])).astype(float)
    return frame


def segments(values: pd.Series, first_post: pd.Timestamp, seasonality: bool,
             slope_change: bool) -> tuple[pd.Series, pd.DatetimeIndex, pd.Timestamp, pd.DataFrame]:
    """The usable values, their index, the trend origin and the segmented model's regressors
    (without the slope change when ``slope_change`` is False); shared with the count model."""
    values = values.dropna().astype(float)
    index = pd.DatetimeIndex(values.index)
    origin = index.min()
    X = design_matrix(index, origin, first_post, seasonality)
    if not slope_change:
        X = X.drop(columns="months_since")
    return values, index, origin, X


def contrast(results, vector: np.ndarray) -> tuple[float, float, float, float]:
    """Estimate, CI low, CI high and p-value of the linear combination ``vector·beta``."""
    test = results.t_test(vector.reshape(1, -1))
    low, high = np.asarray(test.conf_int(alpha=1 - CONFIDENCE)).ravel()
    return float(np.squeeze(test.effect)), float(low), float(high), float(np.squeeze(test.pvalue))


def ratio(results, numerator: np.ndarray, denominator: np.ndarray) -> tuple[float, float, float]:
    """(n·beta)/(d·beta) with a delta-method CI from the model's (HAC) covariance."""
    beta = np.asarray(results.params)
    cov = np.asarray(results.cov_params())
    top, bottom = float(numerator @ beta), float(denominator @ beta)
    value = top / bottom
    gradient = numerator / bottom - top * denominator / bottom**2
    se = float(np.sqrt(gradient @ cov @ gradient))
    q = stats.norm.ppf(0.5 + CONFIDENCE / 2)
    return value, value - q * se, value + q * se


def fit(values: pd.Series, first_post: pd.Timestamp, *, seasonality: bool = True,
        calendar: pd.DatetimeIndex | None = None, maxlags: int | None = None,
        slope_change: bool = True) -> Effect:
    """Fit the segmented regression to the usable months ``values`` and return the effect.

    ``calendar`` is the full run of months for the path shown in charts (defaults to the fitted
    months); missing or excluded months are predicted but not fitted. ``slope_change=False`` fits a
    level change only (one trend through pre and post months), which extrapolates no pre-period slope
    on its own and so is the robust fallback when the pre-period trend is not a straight line.
    """
    values, index, origin, X = segments(values, first_post, seasonality, slope_change)
    lags = maxlags if maxlags is not None else hac_lags(len(values))
    results = sm.OLS(values.to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": lags})

    is_post = X["post"].to_numpy() > 0
    n_post = int(is_post.sum())
    columns = list(X.columns)
    average = np.zeros(len(columns))
    average[columns.index("post")] = 1.0
    if slope_change:
        average[columns.index("months_since")] = X.loc[is_post, "months_since"].to_numpy().mean()
    cumulative = average * n_post
    counterfactual_rows = X.loc[is_post].copy()
    terms = [term for term in POST_TERMS if term in X.columns]
    for term in terms:
        counterfactual_rows[term] = 0.0
    mean_cf = counterfactual_rows.mean().to_numpy()

    absolute, low, high, p_value = contrast(results, average)
    total, total_low, total_high, _total_p = contrast(results, cumulative)
    relative, rel_low, rel_high = ratio(results, average, mean_cf)

    calendar = pd.DatetimeIndex(calendar) if calendar is not None else index
    full = design_matrix(calendar, origin, first_post, seasonality, months_for_dummies=index)[X.columns]
    full_cf = full.copy()
    for term in terms:
        full_cf[term] = 0.0
    prediction = results.get_prediction(full_cf).summary_frame(alpha=1 - CONFIDENCE)
    path = pd.DataFrame({
        "month": calendar,
        "observed": values.reindex(calendar).to_numpy(),
        "fitted": full.to_numpy() @ results.params.to_numpy(),
        "counterfactual": prediction["mean"].to_numpy(),
        "cf_low": prediction["mean_ci_lower"].to_numpy(),
        "cf_high": prediction["mean_ci_upper"].to_numpy(),
        "post": calendar >= first_post,
        "used": calendar.isin(index),
    })
    return Effect(
        method="its", spec={(True, True): _("segmented regression with month dummies"),
                            (True, False): _("segmented regression"),
                            (False, True): _("level change only (one trend) with month dummies"),
                            (False, False): _("level change only (one trend)")}[(slope_change, bool(seasonality))],
        absolute=absolute, ci_low=low, ci_high=high,
        relative=relative, relative_ci_low=rel_low, relative_ci_high=rel_high,
        cumulative=total, cumulative_ci_low=total_low, cumulative_ci_high=total_high,
        p_value=p_value, n_pre=int(len(values) - n_post), n_post=n_post, path=path, model=results,
        notes=[f"Newey-West standard errors with {lags} lag(s)"])


def linearity_p(values: pd.Series, *, seasonality: bool = True, maxlags: int | None = None) -> float:
    """HAC p-value of a quadratic time term added to the pre-period regression (trend + month dummies).

    The segmented model's counterfactual extends a straight pre-period trend; if a curve fits the
    pre-period clearly better (a steep rise flattening out, say), that straight line is the wrong
    counterfactual and the "effect" mostly measures the curvature. Only pre-intervention months go in.
    Returns NaN when there are too few months to test.
    """
    values = values.dropna().astype(float)
    index = pd.DatetimeIndex(values.index)
    serial = ((index.year - index.min().year) * 12 + (index.month - index.min().month)).to_numpy(float)
    scaled = (serial - serial.mean()) / (serial.std() or 1.0)
    X = pd.DataFrame({"const": 1.0, "time": scaled, "time_squared": scaled**2}, index=index)
    dummies = month_dummies(index, seasonality)
    X = pd.concat([X, dummies], axis=1)
    if len(values) < X.shape[1] + 4:
        return float("nan")
    lags = maxlags if maxlags is not None else hac_lags(len(values))
    # small-sample correction and a t reference: the pre-period can be short relative to the ~14
    # regressors. Even so the test is somewhat liberal (about 9% false alarms at the 5% level on 60
    # months of white noise, ~13% with AR(1) errors of 0.5, in our simulations): a false alarm only
    # costs a warning and a less efficient local-trend estimate, a missed bend a wrong headline.
    results = sm.OLS(values.to_numpy(), X).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True},
                                               use_t=True)
    return float(results.pvalues["time_squared"])
