"""Tidy indicator files: read, validate, and pick one series, reporting every fault found.

The tidy format is one row per observation with columns ``date, unit, measure, value`` and an
optional ``note`` (free text, e.g. "derived by subtraction"; notes reach the report's data-quality
section). Any indicator a user brings in this shape works with every analysis in
:mod:`dictamen.impact`. Faults are never fixed silently: each becomes a :class:`Finding` that states
what was found and what was done, or an :class:`~dictamen.errors.InputError` when no honest number
can be produced (conflicting duplicates, irregular or mixed dates, negative counts). A series is
monthly, quarterly or annual, inferred from its dates (:mod:`dictamen.impact.frequency`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dictamen import catalog
from dictamen.errors import InputError, did_you_mean, names_expected, not_text_reason
from dictamen.messages import _
from dictamen.impact.frequency import MONTHLY, Frequency, infer

TIDY_COLUMNS = ("date", "unit", "measure", "value")
_LISTED = 8  # how many examples a finding names before saying "and N more"


class NonFiniteValue(InputError):
    """An ``inf`` in a value column: the analysis cannot use the file.

    Its own class because the runner treats it as a failed report (exit 1, issue 10), not as input
    refused before the run (:mod:`dictamen.impact.checks` lets it through to the kernel)."""


@dataclass(frozen=True)
class Finding:
    """One data-quality fact for the report: what was found, and what the analysis did about it."""

    source: str
    found: str
    action: str


@dataclass
class TidyFile:
    """A validated tidy file: observations keyed by month, plus file-level findings."""

    path: Path
    shown_path: str
    frame: pd.DataFrame  # columns month, date, unit, measure, value, note, row
    findings: list[Finding] = field(default_factory=list)
    conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class Series:
    """One series (a unit's measure) ready for analysis: values indexed by period start."""

    values: pd.Series
    unit: str
    measure: str
    shown_path: str
    findings: list[Finding] = field(default_factory=list)
    frequency: Frequency = MONTHLY

    @property
    def label(self) -> str:
        return f"{self.measure} — {self.unit}"


def _examples(items: list[str]) -> str:
    shown = ", ".join(items[:_LISTED])
    if len(items) > _LISTED:
        shown += f" and {len(items) - _LISTED} more"
    return shown


def month_ranges(months: list[pd.Timestamp] | pd.DatetimeIndex, frequency: Frequency = MONTHLY) -> str:
    """Periods as compact ranges: "2019-01..2019-03, 2020-07" (quarters "2019Q1..2019Q3", years "2019")."""
    ordered = sorted(pd.DatetimeIndex(months))
    if not ordered:
        return ""
    spans: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    start = previous = ordered[0]
    for month in ordered[1:]:
        if month == frequency.shift(previous, 1):
            previous = month
            continue
        spans.append((start, previous))
        start = previous = month
    spans.append((start, previous))
    texts = [frequency.label(a) if a == b else f"{frequency.label(a)}..{frequency.label(b)}" for a, b in spans]
    return _examples(texts)


def load_tidy(path: str | Path, *, parameter: str = "series_path") -> TidyFile:
    """Read and validate a tidy file (columns date, unit, measure, value[, note]).

    Raises InputError for a missing column, an unreadable date or a non-numeric value (naming the
    row). Exact duplicate rows are dropped and reported; conflicting rows for the same unit,
    measure and month are reported here and refused when that series is selected.
    """
    resolved = catalog.open_data(path, parameter=parameter)
    shown = catalog.display_path(resolved)
    try:
        raw = pd.read_csv(resolved, dtype={"unit": str, "measure": str, "note": str},
                          keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        reason = not_text_reason(resolved.read_bytes()) or str(exc)
        raise InputError(f"Cannot read the file as CSV: {reason}", path=resolved,
                         expected="a comma-separated UTF-8 tidy file with a header row") from None
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in TIDY_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"The tidy file lacks the column(s) {', '.join(missing)} (it has {', '.join(raw.columns)})",
            path=resolved, expected="columns date, unit, measure, value (and optionally note)")
    frame = raw[[c for c in (*TIDY_COLUMNS, "note") if c in raw.columns]].copy()
    if "note" not in frame.columns:
        frame["note"] = pd.NA
    frame["row"] = np.arange(len(frame)) + 2  # file line number (header is line 1)
    if frame.empty:
        raise InputError("The tidy file has no rows", path=resolved, expected="monthly observations")

    for column in ("unit", "measure"):
        blank = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if blank.any():
            row = int(frame.loc[blank, "row"].iloc[0])
            raise InputError(f"Empty {column} name", path=resolved, row=row, column=column,
                             expected=f"every row to name its {column}")
        frame[column] = frame[column].astype(str).str.strip()

    dates = pd.to_datetime(frame["date"].astype(str).str.strip(), format="ISO8601", errors="coerce")
    if dates.isna().any():
        bad = frame.loc[dates.isna()].iloc[0]
        raise InputError(f"Unreadable date '{bad['date']}'", path=resolved, row=int(bad["row"]),
                         column="date", expected="an ISO date such as 2020-12-01")
    frame["date"] = dates
    frame["month"] = dates.dt.to_period("M").dt.to_timestamp()

    values = pd.to_numeric(frame["value"], errors="coerce")
    nonnumeric = values.isna() & frame["value"].notna()
    if nonnumeric.any():
        bad = frame.loc[nonnumeric].iloc[0]
        raise InputError(f"Value '{bad['value']}' is not a number", path=resolved,
                         row=int(bad["row"]), column="value", expected="a number (or empty if missing)")
    infinite = np.isinf(values)
    if infinite.any():
        bad = frame.loc[infinite].iloc[0]
        raise NonFiniteValue(f"Value '{bad['value']}' is not a finite number", path=resolved,
                         row=int(bad["row"]), column="value",
                         expected="a finite number (or empty if missing); no estimate can use an infinite value")
    frame["value"] = values.astype(float)

    findings: list[Finding] = []
    exact = frame.duplicated(["date", "unit", "measure", "value"], keep="first")
    if exact.any():
        dup = frame.loc[exact]
        examples = [f"{m:%Y-%m} {u} / {me}" for m, u, me in zip(dup["month"], dup["unit"], dup["measure"])]
        findings.append(Finding(
            shown, _("{n} exact duplicate row(s) (same date, unit, measure and value): {examples}").format(
                n=int(exact.sum()), examples=_examples(examples)),
            _("kept one copy of each; the repeated copy is not counted")))
        frame = frame.loc[~exact]

    keys = ["month", "unit", "measure"]
    clash = frame.duplicated(keys, keep=False)
    conflicts = frame.loc[clash].sort_values(keys + ["row"])
    if not conflicts.empty:
        groups = conflicts.groupby(keys, sort=True)
        examples = []
        for (month, unit, measure), group in groups:
            shown_values = ", ".join(_plain(v) for v in group["value"])
            examples.append(f"{month:%Y-%m} {unit} / {measure} (rows {', '.join(map(str, group['row']))}: {shown_values})")
        findings.append(Finding(
            shown, _("{n} unit/measure/month combination(s) with conflicting rows: {examples}").format(
                n=groups.ngroups, examples=_examples(examples)),
            _("neither value is chosen: analysing an affected series stops with an error; "
              "other series are unaffected")))
    return TidyFile(resolved, shown, frame.reset_index(drop=True), findings, conflicts)


def _plain(value: float) -> str:
    if pd.isna(value):
        return "empty"
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def units(tidy: TidyFile, measure: str) -> list[str]:
    """Units that report ``measure`` in this file, sorted."""
    return sorted(tidy.frame.loc[tidy.frame["measure"] == measure, "unit"].unique())


def select(tidy: TidyFile, measure: str, unit: str, *, parameter: str = "unit",
           allow_negative: bool = False) -> Series:
    """One unit's measure as a series, with its faults as findings or errors.

    Refuses (InputError) an unknown measure/unit, conflicting rows, several dates in one month,
    irregular or mixed spacing and negative values; reports gaps, empty values and row notes.
    """
    frame = tidy.frame
    if not (frame["measure"] == measure).any():  # vectorised: select runs once per donor
        known = frame["measure"].unique()
        raise InputError(
            f"Measure '{measure}' is not in the file (parameter '{parameter.replace('unit', 'measure')}')"
            f"{did_you_mean(measure, known)}", path=tidy.path, column="measure",
            expected=names_expected(measure, known))
    rows = frame[(frame["measure"] == measure) & (frame["unit"] == unit)]
    if rows.empty:
        known = units(tidy, measure)
        raise InputError(
            f"Unit '{unit}' has no rows for measure '{measure}' (parameter '{parameter}'){did_you_mean(unit, known)}",
            path=tidy.path, column="unit", expected=names_expected(unit, known))

    clash = rows.duplicated("month", keep=False)
    if clash.any():
        group = rows.loc[clash].sort_values(["month", "row"])
        first = group.iloc[0]
        same_month = group[group["month"] == first["month"]]
        if same_month["date"].nunique() > 1:
            raise InputError(
                f"Dates are not monthly: {unit} / {measure} has several dates in "
                f"{first['month']:%Y-%m} ({', '.join(d.strftime('%Y-%m-%d') for d in same_month['date'])})",
                path=tidy.path, row=int(first["row"]), column="date",
                expected="one observation per unit, measure and month")
        raise InputError(
            f"Duplicate dates with different values: {unit} / {measure} in {first['month']:%Y-%m} has rows "
            f"{', '.join(map(str, same_month['row']))} with values {', '.join(_plain(v) for v in same_month['value'])}",
            path=tidy.path, row=int(first["row"]), column="value",
            expected="one value per unit, measure and month (fix the file or pick another series)")

    rows = rows.sort_values("month")
    negative = rows["value"] < 0
    if negative.any() and not allow_negative:
        bad = rows.loc[negative].iloc[0]
        raise InputError(
            f"Negative value {_plain(bad['value'])} for {unit} / {measure} in {bad['month']:%Y-%m}",
            path=tidy.path, row=int(bad["row"]), column="value",
            expected="counts of zero or more")

    frequency = infer(pd.DatetimeIndex(rows["month"]), what=f"{unit} / {measure}", path=tidy.path)
    months = pd.DatetimeIndex(rows["month"])
    if frequency.step_months > 1:
        months = pd.DatetimeIndex([frequency.start_of(m) for m in months])
    period = frequency.period

    findings: list[Finding] = []
    values = pd.Series(rows["value"].to_numpy(), index=months, name=measure)
    full = frequency.span(months.min(), months.max())
    missing = full.difference(months).union(values.index[values.isna()])
    if len(missing):
        findings.append(Finding(
            tidy.shown_path, {"month": _("{series}: {n} month(s) without a value: {periods}"),
                              "quarter": _("{series}: {n} quarter(s) without a value: {periods}"),
                              "year": _("{series}: {n} year(s) without a value: {periods}")}[period].format(
                series=f"{unit} / {measure}", n=len(missing), periods=month_ranges(missing, frequency)),
            _("left out of every fit like an excluded window (no value is filled in)")))
    values = values.reindex(full)
    notes = rows.dropna(subset=["note"])
    for note, group in notes.groupby("note", sort=False):
        starts = [frequency.start_of(m) for m in group["month"]]
        findings.append(Finding(
            tidy.shown_path, f"{unit} / {measure}, {month_ranges(starts, frequency)}: {note}",
            _("kept as published; stated here so the estimate can be read with it in mind")))
    return Series(values, unit, measure, tidy.shown_path, findings, frequency)


def load_series(path: str | Path, measure: str, unit: str, *, parameter: str = "series_path",
                allow_negative: bool = False) -> Series:
    """Load one series from a tidy file; its findings include the file-level ones."""
    tidy = load_tidy(path, parameter=parameter)
    series = select(tidy, measure, unit, parameter=parameter.replace("path", "unit").replace("series_", ""),
                    allow_negative=allow_negative)
    series.findings = tidy.findings + series.findings
    return series
