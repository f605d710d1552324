"""Placebo in time: the same model at fake intervention dates before the real one.

Each placebo fits only months before the real intervention, with a post window of the same length
as the real one where the data allow it, so the placebo estimates show how large an "effect" the
model finds when nothing happened. The real estimate's rank among them (by absolute relative size)
is a permutation-style check: rank 1 of 30 is unusual, rank 15 of 30 is not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dictamen.errors import InputError
from dictamen.impact.frequency import MONTHLY, Frequency

MAX_PLACEBOS = 30
MIN_PLACEBOS = 8


@dataclass
class Placebo:
    """Placebo estimates and where the real one ranks among them (1 = largest in absolute size)."""

    table: pd.DataFrame  # fake_date, relative, relative_ci_low, relative_ci_high
    real: float
    rank: int | None
    window_months: int
    note: str

    @property
    def count(self) -> int:
        return len(self.table)

    @property
    def share(self) -> float | None:
        """rank / (placebos + 1): the share of estimates at least as large as the real one."""
        return None if self.rank is None else self.rank / (self.count + 1)


def fake_dates(usable_pre: pd.DatetimeIndex, window_periods: int,
               frequency: Frequency = MONTHLY) -> list[pd.Timestamp]:
    """Candidate fake first-post periods with enough usable periods before and inside the window."""
    months = pd.DatetimeIndex(sorted(usable_pre))
    if months.empty:
        return []
    last = months.max()
    candidates = []
    for position, month in enumerate(months):
        window_end = frequency.shift(month, window_periods - 1)
        if position < frequency.min_pre or window_end > last:
            continue
        inside = int(((months >= month) & (months <= window_end)).sum())
        if inside >= frequency.min_post:
            candidates.append(month)
    return candidates


def run(estimate: Callable[[pd.Timestamp, pd.Timestamp], tuple[float, float, float]],
        usable_pre: pd.DatetimeIndex, real: float, post_months: int,
        frequency: Frequency = MONTHLY) -> Placebo:
    """Fit ``estimate(fake_first_post, window_end)`` at up to MAX_PLACEBOS evenly spaced fake dates.

    ``estimate`` returns (relative, ci_low, ci_high) using only periods up to ``window_end``;
    ``post_months`` is the real post-period's length in periods of ``frequency``. The window shrinks
    from the real post length when fewer than MIN_PLACEBOS dates would fit.
    """
    window = max(post_months, frequency.min_post)
    candidates = fake_dates(usable_pre, window, frequency)
    shortest = max(frequency.min_post, 6 // frequency.step_months)
    while len(candidates) < MIN_PLACEBOS and window > shortest:
        window -= 1
        candidates = fake_dates(usable_pre, window, frequency)
    note = ""
    if window < post_months:
        note = (f"Placebo windows are {window} {frequency.period}s long, shorter than the real post-period "
                f"({post_months} {frequency.period}s), so that enough fake dates fit before the law.")
    if len(candidates) > MAX_PLACEBOS:
        picks = np.unique(np.linspace(0, len(candidates) - 1, MAX_PLACEBOS).round().astype(int))
        candidates = [candidates[i] for i in picks]
    rows = []
    for fake in candidates:
        window_end = frequency.shift(fake, window - 1)
        try:
            relative, low, high = estimate(fake, window_end)
        except (InputError, np.linalg.LinAlgError, ValueError) as exc:
            rows.append({"fake_date": fake, "relative": np.nan, "relative_ci_low": np.nan,
                         "relative_ci_high": np.nan, "error": str(exc)})
            continue
        rows.append({"fake_date": fake, "relative": relative, "relative_ci_low": low,
                     "relative_ci_high": high, "error": ""})
    table = pd.DataFrame(rows, columns=["fake_date", "relative", "relative_ci_low", "relative_ci_high", "error"])
    table = table.dropna(subset=["relative"]).reset_index(drop=True)
    if table.empty:
        return Placebo(table, real, None, window,
                       "No placebo date fits: the pre-period is too short for placebo checks.")
    rank = 1 + int((table["relative"].abs() >= abs(real)).sum())
    return Placebo(table, real, rank, window, note)
