"""Synthetic control (Abadie, Diamond and Hainmueller): the treated unit against a weighted mix of donors.

The weights (non-negative, summing to one) are fitted on the pre-period outcomes themselves, one
predictor per usable pre-period, minimising the plain pre-period mean squared prediction error: the
quadratic programme of pysyncon's :class:`~pysyncon.Synth` with the predictor weights V fixed, solved
by non-negative least squares (see :func:`weights`; :func:`pysyncon_weights` is pysyncon's own solver).
pysyncon's nested optimisation of V (Nelder-Mead over V, a quadratic programme for W at every step)
is left out: over a monthly pre-period it is one V weight per month and far too slow to repeat for
every placebo, and with outcomes as the only predictors it has little to choose.

When the treated unit lies outside the donors' range before the law (a border total against single
ports), no convex mix of donors can reach it; every series is then divided by its own pre-period
mean, so the synthetic control matches the treated unit's shape, not its size.

Inference is placebo-in-space (Abadie et al. 2010): each donor in turn plays the treated unit with
the other donors as its pool; the treated unit's ratio of post- to pre-period RMSPE is ranked among
all of them, rank 1 being the largest, and rank / (donors + 1) is the permutation p-value. The
interval of the average post effect takes the spread of the placebo effects (2.5th to 97.5th
percentile) as the spread of estimation error when nothing happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from dictamen.errors import InputError
from dictamen.messages import _
from dictamen.impact.effect import Effect

LEAVE_ONE_OUT = 3  # the largest donors refitted without, one at a time
MIN_DONORS = 2


@dataclass
class Fit:
    """One synthetic control: donor weights and the synthetic path in the treated unit's units."""

    weights: pd.Series           # donor -> weight
    synthetic: pd.Series         # on the calendar, in the treated unit's units
    pre_rmspe: float             # in the treated unit's units
    post_rmspe: float
    relative: float              # mean(observed post) / mean(synthetic post) - 1

    @property
    def ratio(self) -> float:
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else float("inf")


@dataclass
class SynthResult:
    """The synthetic control, its placebo-in-space runs and its leave-one-out refits."""

    fit: Fit
    effect: Effect
    normalised: bool
    donors: list[str]
    placebos: pd.DataFrame = field(default_factory=pd.DataFrame)  # unit, pre_rmspe, post_rmspe, ratio, relative
    rank: int | None = None
    leave_one_out: list[tuple[str, float, Effect]] = field(default_factory=list)  # donor, its weight, refit

    @property
    def p_value(self) -> float | None:
        return None if self.rank is None else self.rank / (len(self.placebos) + 1)


def weights(treated_pre: np.ndarray, donors_pre: np.ndarray) -> np.ndarray:
    """Donor weights (non-negative, summing to one) minimising the pre-period squared error.

    This is the quadratic programme of pysyncon's ``Synth.w_optimize`` with V the identity, which
    pysyncon solves by SLSQP with numerical derivatives: a placebo-in-space run over 30 donors took
    20 s here that way. It is solved here by Lawson-Hanson non-negative least squares
    (scipy.optimize.nnls) with the sum-to-one constraint as a heavily weighted extra row, which
    takes milliseconds and finds the same weights (tests/test_impact_synth.py compares them with
    pysyncon's on the real ports).
    """
    X0 = np.asarray(donors_pre, dtype=float)
    X1 = np.asarray(treated_pre, dtype=float)
    size = float(np.sqrt(np.mean(X0 ** 2))) or 1.0
    penalty = 1e4 * size * np.sqrt(len(X1))
    A = np.vstack([X0 / size, np.full((1, X0.shape[1]), penalty / size)])
    b = np.concatenate([X1 / size, [penalty / size]])
    found, _residual = nnls(A, b, maxiter=50 * X0.shape[1])
    if found.sum() <= 0:
        return np.full(X0.shape[1], 1.0 / X0.shape[1])
    return found / found.sum()


def pysyncon_weights(treated_pre: np.ndarray, donors_pre: np.ndarray) -> np.ndarray:
    """The same weights from pysyncon's own ``Synth.fit`` (V fixed so its loss is the plain squared
    pre-period error): the reference :func:`weights` is checked against, and slow."""
    from pysyncon import Synth  # here, not at the top: checking a run's donors must not pay for it

    rows = [f"p{i}" for i in range(len(treated_pre))]
    X0 = pd.DataFrame(donors_pre, index=rows, columns=[f"d{j}" for j in range(donors_pre.shape[1])])
    X1 = pd.Series(treated_pre, index=rows, name="treated")
    spread = pd.concat([X0, X1], axis=1).std(axis=1).to_numpy() ** 2  # pysyncon divides rows by their SD
    spread = np.where(spread > 0, spread, 1.0)
    model = Synth()
    model.fit(X0=X0, X1=X1, Z0=X0, Z1=X1, custom_V=spread / spread.mean())
    found = np.clip(np.asarray(model.W, dtype=float), 0.0, None)
    return found / found.sum()


def _fit(treated: pd.Series, donors: pd.DataFrame, pre: pd.DatetimeIndex, post: pd.DatetimeIndex,
         normalise: bool) -> Fit:
    """Fit on the usable pre-periods ``pre``; measure on the usable post-periods ``post``."""
    scale_t = treated.loc[pre].mean() if normalise else 1.0
    scale_d = donors.loc[pre].mean() if normalise else pd.Series(1.0, index=donors.columns)
    y = treated / scale_t
    Y = donors / scale_d
    w = weights(y.loc[pre].to_numpy(float), Y.loc[pre].to_numpy(float))
    synthetic = (Y.to_numpy(float) @ w) * scale_t
    synthetic = pd.Series(synthetic, index=donors.index)
    gap = treated - synthetic
    pre_rmspe = float(np.sqrt(np.mean(gap.loc[pre] ** 2)))
    post_rmspe = float(np.sqrt(np.mean(gap.loc[post] ** 2))) if len(post) else float("nan")
    relative = float(treated.loc[post].mean() / synthetic.loc[post].mean() - 1) if len(post) else float("nan")
    return Fit(pd.Series(w, index=donors.columns), synthetic, pre_rmspe, post_rmspe, relative)


def outside_range(treated_pre: pd.Series, donors_pre: pd.DataFrame) -> bool:
    """Whether the treated unit leaves the donors' range in any pre-period (above the largest or
    below the smallest donor), so that no convex mix of donors can follow it."""
    return bool((treated_pre > donors_pre.max(axis=1)).any() or (treated_pre < donors_pre.min(axis=1)).any())


def _effect(treated: pd.Series, fit: Fit, pre: pd.DatetimeIndex, post: pd.DatetimeIndex,
            calendar: pd.DatetimeIndex, first_post: pd.Timestamp, placebo_relatives: np.ndarray,
            p_value: float | None, normalised: bool) -> Effect:
    low_q, high_q = (np.nanpercentile(placebo_relatives, [2.5, 97.5]) if len(placebo_relatives)
                     else (np.nan, np.nan))
    relative = fit.relative
    rel_low, rel_high = relative - high_q, relative - low_q
    mean_synthetic = float(fit.synthetic.loc[post].mean())
    n_post = len(post)
    absolute = float((treated.loc[post] - fit.synthetic.loc[post]).mean())
    synthetic = fit.synthetic.reindex(calendar)
    path = pd.DataFrame({
        "month": calendar,
        "observed": treated.reindex(calendar).to_numpy(float),
        "fitted": synthetic.to_numpy(float),
        "counterfactual": synthetic.to_numpy(float),
        "cf_low": (synthetic * (1 + low_q)).to_numpy(float),
        "cf_high": (synthetic * (1 + high_q)).to_numpy(float),
        "post": calendar >= first_post,
        "used": calendar.isin(pre.union(post)),
    })
    notes = ["interval: the 2.5th to 97.5th percentile of the placebo-in-space effects"]
    if normalised:
        notes.append("every series divided by its pre-period mean")
    return Effect(
        method="synth", spec=(_("synthetic control of series normalised to their pre-period mean") if normalised
                              else _("synthetic control")),
        absolute=absolute, ci_low=mean_synthetic * rel_low, ci_high=mean_synthetic * rel_high,
        relative=relative, relative_ci_low=rel_low, relative_ci_high=rel_high,
        cumulative=absolute * n_post, cumulative_ci_low=mean_synthetic * rel_low * n_post,
        cumulative_ci_high=mean_synthetic * rel_high * n_post,
        p_value=float("nan") if p_value is None else p_value, n_pre=len(pre), n_post=n_post, path=path,
        model=fit, notes=notes)


def check_donors(donors: pd.DataFrame, pre: pd.DatetimeIndex, *, path: str, measure: str) -> None:
    """Refuse donors with a missing or non-positive value in a usable pre-period."""
    if donors.shape[1] < MIN_DONORS:
        raise InputError(f"The synthetic control has {donors.shape[1]} donor unit(s) for measure '{measure}'",
                         path=path, expected=f"at least {MIN_DONORS} donor units (parameter 'donor_units')")
    gaps = donors.loc[pre].isna()
    if gaps.any().any():
        unit = gaps.any().idxmax()
        when = gaps.index[gaps[unit]]
        raise InputError(
            f"Donor '{unit}' / {measure} has no value in {len(when)} pre-period(s): "
            + ", ".join(f"{d:%Y-%m-%d}" for d in when[:8]) + (" and more" if len(when) > 8 else ""),
            path=path, column="unit",
            expected="donors observed in every pre-period the fit uses (drop it from 'donor_units')")


def run(treated: pd.Series, donors: pd.DataFrame, pre: pd.DatetimeIndex, post: pd.DatetimeIndex,
        calendar: pd.DatetimeIndex, first_post: pd.Timestamp, *, placebos: bool = True,
        leave_one_out: int = LEAVE_ONE_OUT) -> SynthResult:
    """The synthetic control of ``treated`` from the columns of ``donors`` (both on ``calendar``).

    ``pre``/``post`` are the usable periods (excluded and transition periods already left out).
    """
    normalise = outside_range(treated.loc[pre], donors.loc[pre])
    fit = _fit(treated, donors, pre, post, normalise)
    rows = []
    if placebos:
        for unit in donors.columns:
            others = donors.drop(columns=unit)
            placebo = _fit(donors[unit], others, pre, post, normalise)
            rows.append({"unit": unit, "pre_rmspe": placebo.pre_rmspe, "post_rmspe": placebo.post_rmspe,
                         "ratio": placebo.ratio, "relative": placebo.relative})
    table = pd.DataFrame(rows, columns=["unit", "pre_rmspe", "post_rmspe", "ratio", "relative"])
    rank = 1 + int((table["ratio"] >= fit.ratio).sum()) if placebos else None
    p_value = None if rank is None else rank / (len(table) + 1)
    effect = _effect(treated, fit, pre, post, calendar, first_post, table["relative"].to_numpy(float),
                     p_value, normalise)
    result = SynthResult(fit, effect, normalise, list(donors.columns), table, rank)
    largest = fit.weights.sort_values(ascending=False)
    for unit in [u for u, w in largest.items() if w > 0][:leave_one_out]:
        if donors.shape[1] - 1 < MIN_DONORS:
            break
        refit = _fit(treated, donors.drop(columns=unit), pre, post, normalise)
        result.leave_one_out.append((unit, float(largest[unit]),
                                     _effect(treated, refit, pre, post, calendar, first_post,
                                             table["relative"].to_numpy(float), None, normalise)))
    return result
