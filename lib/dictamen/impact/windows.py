"""Which periods an analysis uses: intervention period, pre/post windows and excluded windows.

The post period starts with the first period (month, quarter or year, see :mod:`frequency`) that
begins on or after the intervention date. When the law takes effect mid-period (19 Dec 2020 in
monthly data), that period is partly treated: it is a *transition period*, left out of every fit
and named in the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dictamen.errors import InputError
from dictamen.impact.frequency import MONTHLY, Frequency

MIN_PRE_MONTHS = MONTHLY.min_pre
MIN_POST_MONTHS = MONTHLY.min_post


@dataclass(frozen=True)
class Window:
    """A closed date range excluded from the fit (a known shock), as given by the analyst."""

    text: str
    start: pd.Timestamp
    end: pd.Timestamp

    def months(self, frequency: Frequency = MONTHLY) -> pd.DatetimeIndex:
        """The periods the window touches (all of them are left out)."""
        return frequency.span(frequency.start_of(self.start), frequency.start_of(self.end))


@dataclass(frozen=True)
class Design:
    """The months of an analysis: the calendar, the first treated month, and what is left out."""

    intervention_date: pd.Timestamp
    first_post: pd.Timestamp
    transition: pd.Timestamp | None
    pre_start: pd.Timestamp
    post_end: pd.Timestamp
    exclude: tuple[Window, ...]
    frequency: Frequency = MONTHLY

    @property
    def calendar(self) -> pd.DatetimeIndex:
        return self.frequency.span(self.pre_start, self.post_end)

    @property
    def last_pre(self) -> pd.Timestamp:
        """The last period before the post-period (and before any transition period)."""
        return self.frequency.shift(self.transition or self.first_post, -1)

    def excluded_months(self) -> pd.DatetimeIndex:
        months = pd.DatetimeIndex([])
        for window in self.exclude:
            months = months.union(window.months(self.frequency))
        if self.transition is not None:
            months = months.union(pd.DatetimeIndex([self.transition]))
        return months

    def with_exclusions(self, windows: tuple[Window, ...]) -> "Design":
        return Design(self.intervention_date, self.first_post, self.transition, self.pre_start,
                      self.post_end, windows, self.frequency)

    def usable(self, values: pd.Series) -> pd.Series:
        """The series on this design's calendar with excluded and missing months dropped."""
        inside = values.reindex(self.calendar)
        inside = inside.drop(self.excluded_months(), errors="ignore")
        return inside.dropna()


def parse_date(text: str, parameter: str = "intervention_date") -> pd.Timestamp:
    """A YYYY-MM-DD parameter as a Timestamp, or an InputError naming the parameter."""
    try:
        return pd.Timestamp(pd.to_datetime(str(text).strip(), format="%Y-%m-%d"))
    except (ValueError, TypeError) as exc:
        raise InputError(f"Parameter '{parameter}' is not a date: '{text}'",
                         expected="a date written YYYY-MM-DD") from exc


def parse_windows(texts: list[str] | tuple[str, ...] | str | None) -> tuple[Window, ...]:
    """Exclusion windows written "YYYY-MM-DD/YYYY-MM-DD" (a list; empty means none)."""
    if texts is None or texts == "":
        return ()
    if isinstance(texts, str):
        texts = [texts]
    windows = []
    for text in texts:
        parts = str(text).split("/")
        if len(parts) != 2:
            raise InputError(f"Parameter 'exclude' has a window '{text}' without a single '/'",
                             expected="windows written like 2020-03-01/2020-06-30")
        start = parse_date(parts[0], "exclude")
        end = parse_date(parts[1], "exclude")
        if end < start:
            raise InputError(f"Parameter 'exclude' has a window '{text}' that ends before it starts",
                             expected="start/end with start on or before end")
        windows.append(Window(str(text), start, end))
    return tuple(windows)


def make_design(values: pd.Series, intervention_date: str, exclude: list[str] | None,
                pre_months: int = 0, post_months: int = 0, *, what: str = "the series",
                frequency: Frequency = MONTHLY) -> Design:
    """Place the intervention in the data and check both sides are long enough to say anything.

    ``pre_months``/``post_months`` limit the windows in calendar months (0 = all available), whatever
    the frequency. Raises InputError when the date lies outside the data or either side has fewer
    usable periods than the frequency requires.
    """
    date = parse_date(intervention_date)
    first_post = frequency.shift(frequency.start_of(date - pd.Timedelta(days=1)), 1)
    transition = None if date == first_post else frequency.start_of(date)
    observed = values.dropna()
    if observed.empty:
        raise InputError(f"{what} has no values", expected=f"{frequency.name} observations")
    start, end = observed.index.min(), observed.index.max()
    if not (start < first_post <= end):
        raise InputError(
            f"Parameter 'intervention_date' ({date:%Y-%m-%d}) is outside the data of {what}, "
            f"which runs {frequency.label(start)}..{frequency.label(end)}",
            expected="an intervention date with observed periods before and after it")
    for name, value in (("pre_months", pre_months), ("post_months", post_months)):
        if int(value) < 0:
            raise InputError(f"Parameter '{name}' is negative ({value})", expected="0 (all) or more months")
    pre_start = start if not pre_months else max(
        start, frequency.start_of(first_post - pd.DateOffset(months=int(pre_months))))
    post_end = end if not post_months else min(
        end, frequency.start_of(first_post + pd.DateOffset(months=int(post_months) - 1)))
    design = Design(date, first_post, transition, pre_start, post_end, parse_windows(exclude), frequency)
    usable = design.usable(values)
    n_pre = int((usable.index < first_post).sum())
    n_post = int((usable.index >= first_post).sum())
    period = frequency.period
    if n_pre < frequency.min_pre:
        raise InputError(
            f"{what} has only {n_pre} usable {period}(s) before {frequency.label(first_post)} (after exclusions)",
            expected=f"at least {frequency.min_pre} pre-intervention {period}s to fit a trend"
                     + (" and seasonality" if frequency.periods_per_year > 1 else ""))
    if n_post < frequency.min_post:
        raise InputError(
            f"{what} has only {n_post} usable {period}(s) from {frequency.label(first_post)} on",
            expected=f"at least {frequency.min_post} post-intervention {period}s")
    return design
