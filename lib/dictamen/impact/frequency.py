"""How often a series is observed: monthly, quarterly or annual, inferred from its dates.

Every period is indexed by the first day of its first month (a quarter by 1 January, 1 April, ...;
a year by 1 January), so dates given as period ends (2020-03-31) and period starts (2020-01-01) mean
the same quarter. Each frequency fixes its seasonal terms (month or quarter dummies, none for annual
data), the shortest pre- and post-periods an estimate may rest on, and how periods are written.
Irregular or mixed spacing is refused, naming the first dates where the spacing breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dictamen.errors import InputError


@dataclass(frozen=True)
class Frequency:
    """One observation frequency and the design rules that go with it."""

    name: str          # "monthly", "quarterly", "annual"
    step_months: int   # 1, 3, 12
    pandas_freq: str   # date_range frequency of the period starts
    min_pre: int       # fewest usable pre-intervention periods for a trend (and seasonality)
    min_post: int      # fewest usable post-intervention periods

    @property
    def period(self) -> str:
        """The name of one period: month, quarter, year."""
        return {1: "month", 3: "quarter", 12: "year"}[self.step_months]

    @property
    def periods_per_year(self) -> int:
        return 12 // self.step_months

    def start_of(self, date: pd.Timestamp) -> pd.Timestamp:
        """The start of the period that contains ``date``."""
        month = pd.Timestamp(date).to_period("M").to_timestamp()
        shift = (month.month - 1) % self.step_months
        return month - pd.DateOffset(months=shift)

    def shift(self, start: pd.Timestamp, periods: int) -> pd.Timestamp:
        """The period ``periods`` after (or before, if negative) the one starting at ``start``."""
        return pd.Timestamp(start) + pd.DateOffset(months=self.step_months * int(periods))

    def span(self, first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
        """Every period start from ``first`` to ``last`` inclusive."""
        return pd.date_range(first, last, freq=self.pandas_freq)

    def between(self, earlier: pd.Timestamp, later: pd.Timestamp) -> int:
        """How many periods ``later`` is after ``earlier``."""
        months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
        return months // self.step_months

    def label(self, start: pd.Timestamp) -> str:
        """A period as written in reports: 2020-12, 2020Q4, 2020."""
        if self.step_months == 12:
            return f"{start:%Y}"
        if self.step_months == 3:
            return f"{start.year}Q{(start.month - 1) // 3 + 1}"
        return f"{start:%Y-%m}"


MONTHLY = Frequency("monthly", 1, "MS", 24, 3)
QUARTERLY = Frequency("quarterly", 3, "QS-JAN", 8, 2)
ANNUAL = Frequency("annual", 12, "YS-JAN", 6, 2)
FREQUENCIES = {f.step_months: f for f in (MONTHLY, QUARTERLY, ANNUAL)}


def _serial(months: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(months.year * 12 + months.month - 1)


def infer(months: pd.DatetimeIndex, *, what: str, path: object = None) -> Frequency:
    """The frequency of a series from the month starts of its observations (sorted, unique).

    The smallest step between observations sets the frequency (1, 3 or 12 months); a longer step
    that is a whole number of periods is a gap (missing periods, reported by the loader). Refused
    (InputError naming the first offending dates): any other step; quarterly or annual dates that
    fall in different months of their period; a monthly series that switches to a longer regular
    spacing (three or more equal steps longer than a month in a row: mixed frequencies).
    """
    months = pd.DatetimeIndex(sorted(months))
    if len(months) < 2:
        return MONTHLY
    serial = _serial(months)
    steps = np.diff(serial)
    smallest = int(steps.min())
    frequency = FREQUENCIES.get(smallest)
    if frequency is None:
        at = int(np.argmin(steps))
        raise InputError(
            f"Dates are irregular: {what} has observations {smallest} months apart "
            f"({months[at]:%Y-%m-%d} then {months[at + 1]:%Y-%m-%d})", path=path, column="date",
            expected="monthly, quarterly or annual observations, one per period")
    uneven = np.nonzero(steps % smallest)[0]
    if len(uneven):
        at = int(uneven[0])
        raise InputError(
            f"Dates are irregular: {what} is {frequency.name} but {months[at]:%Y-%m-%d} is followed by "
            f"{months[at + 1]:%Y-%m-%d}, {int(steps[at])} months later", path=path, column="date",
            expected=f"{frequency.name} observations, one per period (missing periods may be left out)")
    if frequency.step_months > 1:
        phase = (months.month - 1) % frequency.step_months
        if len(set(phase)) > 1:
            at = int(np.nonzero(phase != phase[0])[0][0])
            raise InputError(
                f"Dates are mixed: {what} is {frequency.name} but {months[at - 1]:%Y-%m-%d} and "
                f"{months[at]:%Y-%m-%d} fall in different months of their {frequency.period}",
                path=path, column="date", expected=f"{frequency.name} observations dated alike")
    if frequency.step_months == 1:
        for at in range(len(steps) - 2):
            run = steps[at:at + 3]
            if run[0] > 1 and run[0] == run[1] == run[2]:
                monthly = np.nonzero(steps[:at] == 1)[0]
                last_monthly = months[int(monthly[-1]) + 1] if len(monthly) else months[0]
                raise InputError(
                    f"Dates are mixed: {what} is monthly up to {last_monthly:%Y-%m-%d}, then every "
                    f"{int(run[0])} months ({months[at]:%Y-%m-%d}, {months[at + 1]:%Y-%m-%d}, "
                    f"{months[at + 2]:%Y-%m-%d}, {months[at + 3]:%Y-%m-%d})", path=path, column="date",
                    expected="one frequency for the whole series (split it or aggregate it)")
    return frequency
