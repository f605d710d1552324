"""Interrupted time series for counts: quasi-Poisson segmented regression, effects as rate ratios.

    log E[y_t] = log(exposure_t) + a + b·t + level·post_t + slope·(t − t0)·post_t + seasonal terms

fitted by statsmodels GLM (Poisson family, log link) with the dispersion estimated from the Pearson
chi-square (quasi-Poisson), the public-health standard for counts (Lopez Bernal, Cummins and
Gasparrini 2017). ``exposure`` is the population when one is given (the offset), else 1. If the
Pearson residuals are serially correlated (Ljung-Box at one year of lags, p < 0.05) the standard
errors are Newey-West instead, and the effect says which. The level change at the intervention is
reported as a rate ratio exp(level); the average post-period effect (fitted minus counterfactual,
delta-method interval) is reported in the same keys as the linear model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import acorr_ljungbox

from dictamen.messages import _
from dictamen.impact.effect import CONFIDENCE, Effect, hac_lags, month_dummies
from dictamen.impact.its import POST_TERMS, design_matrix, segments

SERIAL_ALPHA = 0.05


def _serial_p(residuals: np.ndarray, periods_per_year: int) -> float:
    lags = max(1, min(periods_per_year, len(residuals) // 5))
    table = acorr_ljungbox(residuals, lags=[lags])
    return float(table["lb_pvalue"].iloc[0])


def _glm(y: np.ndarray, X: pd.DataFrame, offset: np.ndarray, *, hac: int | None):
    model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
    if hac:
        return model.fit(scale="X2", cov_type="HAC", cov_kwds={"maxlags": hac})
    return model.fit(scale="X2")


def fit(values: pd.Series, first_post: pd.Timestamp, *, exposure: pd.Series | None = None,
        seasonality: bool = True, calendar: pd.DatetimeIndex | None = None, slope_change: bool = True,
        periods_per_year: int = 12, newey_west: bool | None = None) -> Effect:
    """Fit the quasi-Poisson segmented regression to the usable periods ``values`` (counts).

    ``exposure`` (same index, positive) enters as log offset; ``newey_west`` forces (True) or forbids
    (False) HAC errors, by default the Ljung-Box test of the residuals decides.
    """
    values, index, origin, X = segments(values, first_post, seasonality, slope_change)
    exposure_used = (exposure.reindex(index).to_numpy(float) if exposure is not None
                     else np.ones(len(index)))
    offset = np.log(exposure_used)
    y = values.to_numpy()
    model_based = _glm(y, X, offset, hac=None)
    serial_p = _serial_p(np.asarray(model_based.resid_pearson), periods_per_year)
    use_hac = (serial_p < SERIAL_ALPHA) if newey_west is None else newey_west
    lags = hac_lags(len(values))
    results = _glm(y, X, offset, hac=lags) if use_hac else model_based
    beta = np.asarray(results.params)
    cov = np.asarray(results.cov_params())
    q = stats.norm.ppf(0.5 + CONFIDENCE / 2)

    level = list(X.columns).index("post")
    se_level = float(np.sqrt(cov[level, level]))
    rate_ratio = float(np.exp(beta[level]))
    rr_low, rr_high = float(np.exp(beta[level] - q * se_level)), float(np.exp(beta[level] + q * se_level))

    is_post = X["post"].to_numpy() > 0
    terms = [term for term in POST_TERMS if term in X.columns]
    Xf = X.to_numpy(float)[is_post]
    Xc = X.loc[is_post].copy()
    for term in terms:
        Xc[term] = 0.0
    Xc = Xc.to_numpy(float)
    e_post = exposure_used[is_post]
    fitted = np.exp(Xf @ beta) * e_post
    counterfactual = np.exp(Xc @ beta) * e_post
    n_post = int(is_post.sum())
    grad_f = (fitted[:, None] * Xf).sum(axis=0)
    grad_c = (counterfactual[:, None] * Xc).sum(axis=0)
    total = float(fitted.sum() - counterfactual.sum())
    se_total = float(np.sqrt((grad_f - grad_c) @ cov @ (grad_f - grad_c)))
    ratio = float(fitted.sum() / counterfactual.sum())
    grad_r = (grad_f * counterfactual.sum() - fitted.sum() * grad_c) / counterfactual.sum() ** 2
    se_ratio = float(np.sqrt(grad_r @ cov @ grad_r))
    z = total / se_total if se_total > 0 else float("nan")
    p_value = float(2 * stats.norm.sf(abs(z))) if z == z else float("nan")

    calendar = pd.DatetimeIndex(calendar) if calendar is not None else index
    full = design_matrix(calendar, origin, first_post, seasonality, months_for_dummies=index)[X.columns]
    full_cf = full.copy()
    for term in terms:
        full_cf[term] = 0.0
    cal_exposure = (exposure.reindex(calendar).to_numpy(float) if exposure is not None
                    else np.ones(len(calendar)))
    eta_cf = full_cf.to_numpy(float) @ beta
    se_cf = np.sqrt(np.einsum("ij,jk,ik->i", full_cf.to_numpy(float), cov, full_cf.to_numpy(float)))
    path = pd.DataFrame({
        "month": calendar,
        "observed": values.reindex(calendar).to_numpy(),
        "fitted": np.exp(full.to_numpy(float) @ beta) * cal_exposure,
        "counterfactual": np.exp(eta_cf) * cal_exposure,
        "cf_low": np.exp(eta_cf - q * se_cf) * cal_exposure,
        "cf_high": np.exp(eta_cf + q * se_cf) * cal_exposure,
        "post": calendar >= first_post,
        "used": calendar.isin(index),
    })
    errors = (f"Newey-West standard errors with {lags} lag(s) (Ljung-Box p = {serial_p:.3f} on the residuals)"
              if use_hac else f"quasi-Poisson standard errors (Pearson dispersion; residuals not serially "
                              f"correlated, Ljung-Box p = {serial_p:.3f})")
    model_name = (_("quasi-Poisson segmented regression") if slope_change
                  else _("quasi-Poisson level change only (one trend)"))
    details = ([_("seasonal dummies")] if seasonality and periods_per_year > 1 else []) + (
        [_("population offset")] if exposure is not None else [])
    spec = _("{model}, with {details}").format(model=model_name, details=", ".join(details)) if details else model_name
    return Effect(
        method="its", spec=spec,
        absolute=total / n_post, ci_low=(total - q * se_total) / n_post, ci_high=(total + q * se_total) / n_post,
        relative=ratio - 1, relative_ci_low=ratio - 1 - q * se_ratio, relative_ci_high=ratio - 1 + q * se_ratio,
        cumulative=total, cumulative_ci_low=total - q * se_total, cumulative_ci_high=total + q * se_total,
        p_value=p_value, n_pre=int(len(values) - n_post), n_post=n_post, path=path, model=results,
        notes=[errors], rate_ratio=rate_ratio, rate_ratio_ci_low=rr_low, rate_ratio_ci_high=rr_high,
        dispersion=float(model_based.scale), newey_west=bool(use_hac), serial_p=serial_p)


def linearity_p(values: pd.Series, *, exposure: pd.Series | None = None, seasonality: bool = True) -> float:
    """Quasi-Poisson p-value of a quadratic time term in the pre-period (log scale): does the log-linear
    trend the counterfactual extends fit the pre-period? NaN when too short to test."""
    values = values.dropna().astype(float)
    index = pd.DatetimeIndex(values.index)
    serial = ((index.year - index.min().year) * 12 + (index.month - index.min().month)).to_numpy(float)
    scaled = (serial - serial.mean()) / (serial.std() or 1.0)
    X = pd.concat([pd.DataFrame({"const": 1.0, "time": scaled, "time_squared": scaled ** 2}, index=index),
                   month_dummies(index, seasonality)], axis=1)
    if len(values) < X.shape[1] + 4:
        return float("nan")
    offset = np.log(exposure.reindex(index).to_numpy(float)) if exposure is not None else np.zeros(len(index))
    results = sm.GLM(values.to_numpy(), X, family=sm.families.Poisson(), offset=offset).fit(
        scale="X2", cov_type="HAC", cov_kwds={"maxlags": hac_lags(len(values)), "use_correction": True})
    return float(results.pvalues["time_squared"])
