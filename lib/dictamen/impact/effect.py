"""What every estimator returns: an effect (absolute, relative, cumulative, each with a CI) and the
observed-versus-counterfactual path behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dictamen.prose import number, percent

CONFIDENCE = 0.95


@dataclass
class Effect:
    """An estimated effect of the intervention averaged over the post-period months.

    ``absolute`` is in the series' units per month, ``relative`` a share of the counterfactual
    (0.05 = +5%), ``cumulative`` the sum over the post months. CIs are 95%.
    """

    method: str
    spec: str
    absolute: float
    ci_low: float
    ci_high: float
    relative: float
    relative_ci_low: float
    relative_ci_high: float
    cumulative: float
    cumulative_ci_low: float
    cumulative_ci_high: float
    p_value: float
    n_pre: int
    n_post: int
    path: pd.DataFrame = field(repr=False)  # month, observed, fitted, counterfactual, cf_low, cf_high, post
    model: Any = field(default=None, repr=False)
    notes: list[str] = field(default_factory=list)
    # count models (quasi-Poisson): the level change at the intervention as a rate ratio, the
    # Pearson dispersion, and whether Newey-West errors were used (serial correlation found)
    rate_ratio: float | None = None
    rate_ratio_ci_low: float | None = None
    rate_ratio_ci_high: float | None = None
    dispersion: float | None = None
    newey_west: bool | None = None
    serial_p: float | None = None

    @property
    def detectable(self) -> bool:
        """Whether the 95% CI of the relative effect excludes zero."""
        return self.relative_ci_low > 0 or self.relative_ci_high < 0

    def as_record(self) -> dict[str, float]:
        """The mapping recorded as result ``effect``."""
        return {
            "absolute": self.absolute, "relative": self.relative,
            "ci_low": self.ci_low, "ci_high": self.ci_high,
            "relative_ci_low": self.relative_ci_low, "relative_ci_high": self.relative_ci_high,
            "cumulative": self.cumulative, "cumulative_ci_low": self.cumulative_ci_low,
            "cumulative_ci_high": self.cumulative_ci_high, "p_value": self.p_value,
            "n_pre": self.n_pre, "n_post": self.n_post,
        } | ({} if self.rate_ratio is None else {
            "rate_ratio": self.rate_ratio, "rate_ratio_ci_low": self.rate_ratio_ci_low,
            "rate_ratio_ci_high": self.rate_ratio_ci_high})


def signed_percent(value: float | None) -> str:
    """A relative effect for display ("+5.0%", "-3.2%"); "n/a" when missing or NaN."""
    return "n/a" if value is None or value != value else percent(value, 1, signed=True)


def signed_number(value: float | None) -> str:
    """An absolute effect for display ("+1,234"); "n/a" when missing or NaN."""
    if value is None or value != value:
        return "n/a"
    return ("+" if value > 0 else "") + number(value)


def hac_lags(n: int) -> int:
    """Newey-West lag length by the usual rule floor(4 (n/100)^(2/9)), at least 1."""
    return max(1, int(4 * (n / 100) ** (2 / 9)))


def month_dummies(index: pd.DatetimeIndex, seasonality: bool) -> pd.DataFrame:
    """Calendar-month indicators (the first month present is the reference), or no columns without seasonality."""
    if not seasonality:
        return pd.DataFrame(index=index)
    present = sorted(set(index.month))
    columns = {f"m_{m}": (index.month == m).astype(float) for m in present[1:]}
    return pd.DataFrame(columns, index=index)
