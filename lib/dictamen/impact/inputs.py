"""The input of a policy-impact analysis, read and checked: the treated series, the intervention's
place in it (the design), the population, the control series or the donor pool, and every finding
about the data.

:func:`load_inputs` is where :func:`dictamen.impact.analyse` starts, and all of what
:func:`dictamen.impact.checks.preflight` runs before any kernel starts: the same code and the same
one-paragraph InputError for unusable input. Kept free of the estimators (statsmodels, pysyncon) so
that checking a run costs only reading its files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dictamen import catalog
from dictamen.errors import InputError, did_you_mean, names_expected
from dictamen.impact.load import Finding, Series, TidyFile, load_series, load_tidy, month_ranges, select, units
from dictamen.impact.windows import Design, make_design
from dictamen.messages import _

METHODS = ("its", "did", "synth")
MODELS = ("log-linear", "quasi-poisson")
RATE_PER = 100_000


def _series(tidy: TidyFile, measure: str, unit: str, parameter: str) -> Series:
    """One series of an already read file, with the file's findings first (as load_series gives them)."""
    series = select(tidy, measure, unit, parameter=parameter)
    series.findings = tidy.findings + series.findings
    return series


def _catalogue_findings(shown_path: str) -> list[Finding]:
    entry = catalog.provenance(shown_path)
    if not entry:
        return []
    return [Finding(shown_path, str(caveat), _("catalogue caveat; stated, not corrected"))
            for caveat in entry.get("caveats", [])]


def _check_overlap(design: Design, control: Series) -> list[Finding]:
    """Refuse a control without enough months in common with the treated window; report partial cover."""
    frequency = design.frequency
    if control.frequency != frequency:
        raise InputError(
            f"The control series ({control.label}) is {control.frequency.name} but the treated series is "
            f"{frequency.name}", path=control.shown_path,
            expected=f"a {frequency.name} control series (aggregate one of them first)")
    usable = design.usable(control.values)
    n_pre = int((usable.index < design.first_post).sum())
    n_post = int((usable.index >= design.first_post).sum())
    if n_pre < frequency.min_pre or n_post < frequency.min_post:
        covered = control.values.dropna().index
        span = (f"{frequency.label(covered.min())}..{frequency.label(covered.max())}" if len(covered)
                else "no periods")
        raise InputError(
            f"The control series ({control.label}) does not overlap the analysis window "
            f"{frequency.label(design.pre_start)}..{frequency.label(design.post_end)} enough: it covers {span}, "
            f"giving {n_pre} usable {frequency.period}(s) before and {n_post} after "
            f"{frequency.label(design.first_post)}",
            path=control.shown_path, expected=f"at least {frequency.min_pre} {frequency.period}s before and "
                                              f"{frequency.min_post} after the intervention in common")
    missing = design.calendar.difference(control.values.dropna().index)
    missing = missing.difference(design.excluded_months())
    if len(missing):
        return [Finding(control.shown_path, _("The control lacks {n} period(s) of the window: {periods}").format(
                            n=len(missing), periods=month_ranges(missing, frequency)),
                        _("those periods are left out of the difference-in-differences fit"))]
    return []


def _load_donors(tidy: TidyFile, measure: str, unit: str, donor_units: list[str], frequency) -> dict[str, Series]:
    """The donor pool of a synthetic control: named units of the same file and measure, or every other one."""
    from dictamen.impact.synth import MIN_DONORS

    available = units(tidy, measure)
    names = list(donor_units) or [u for u in available if u != unit]
    if unit in names:
        raise InputError(f"The treated unit '{unit}' is among the donor units (parameter 'donor_units')",
                         path=tidy.path, column="unit", expected="donors other than the treated unit")
    missing = [name for name in names if name not in available]
    if missing:
        raise InputError(f"Donor unit '{missing[0]}' has no rows for measure '{measure}' (parameter 'donor_units')"
                         + did_you_mean(missing[0], available), path=tidy.path, column="unit",
                         expected=f"units of the file that report '{measure}', {names_expected(missing[0], available)}")
    if len(names) < MIN_DONORS:
        raise InputError(f"The synthetic control has {len(names)} donor unit(s) for measure '{measure}'",
                         path=tidy.path, expected=f"at least {MIN_DONORS} donor units (parameter 'donor_units')")
    donors = {}
    for name in names:
        series = select(tidy, measure, name, parameter="donor_units")
        if series.frequency != frequency:
            raise InputError(f"Donor '{name}' / {measure} is {series.frequency.name} but the treated series is "
                             f"{frequency.name}", path=tidy.path, column="date",
                             expected=f"{frequency.name} donors")
        donors[name] = series
    return donors


def load_population(tidy: TidyFile, population_measure: str, unit: str, design: Design) -> Series:
    """The exposure series: same file and unit, every usable period observed and positive."""
    population = _series(tidy, population_measure, unit, "unit")
    frequency = design.frequency
    window = population.values.reindex(design.usable(pd.Series(1.0, index=design.calendar)).index)
    missing = window.index[window.isna()]
    if len(missing):
        raise InputError(
            f"The population measure '{population_measure}' of {unit} lacks {len(missing)} {frequency.period}(s) "
            f"of the analysis window: {month_ranges(missing, frequency)} (parameter 'population_measure')",
            path=population.shown_path, column="value", expected="a population value for every period analysed")
    zero = window.index[window <= 0]
    if len(zero):
        raise InputError(
            f"The population measure '{population_measure}' of {unit} is {window[zero[0]]:g} in "
            f"{frequency.label(zero[0])} (parameter 'population_measure')", path=population.shown_path,
            column="value", expected="a positive population (it is the model's exposure)")
    return population


@dataclass
class Inputs:
    """The checked input of one analysis: the series, the design and every finding about the data."""

    treated: Series
    design: Design
    findings: list[Finding]
    exposure: Series | None = None
    control: Series | None = None
    labels: tuple[str, str] = ("", "")
    donors: dict[str, Series] = field(default_factory=dict)


def load_inputs(series_path: str, measure: str, unit: str, *, control_path: str = "",
                control_measure: str = "", control_unit: str = "", intervention_date: str = "2020-12-19",
                method: str = "did", exclude: list[str] | None = None, pre_months: int = 0,
                post_months: int = 0, donor_units: list[str] | None = None, model: str = "log-linear",
                population_measure: str = "") -> Inputs:
    """Read and check everything an analysis rests on: the treated series, the intervention's place
    in it, the population, the control or the donors. Raises InputError for unusable input.

    :func:`analyse` starts here, and so does :func:`dictamen.impact.checks.preflight`, which runs it
    before any kernel starts so that bad input is refused with the very same message.
    """
    if method not in METHODS:
        raise InputError(f"Parameter 'method' is '{method}'", expected="'its', 'did' or 'synth'")
    if model not in MODELS:
        raise InputError(f"Parameter 'model' is '{model}'", expected="'log-linear' or 'quasi-poisson'")
    exclude = list(exclude or [])
    tidy = load_tidy(series_path, parameter="series_path")
    treated = _series(tidy, measure, unit, "unit")
    findings = list(treated.findings) + _catalogue_findings(treated.shown_path)
    frequency = treated.frequency
    design = make_design(treated.values, intervention_date, exclude, pre_months, post_months,
                         what=f"the series {treated.label}", frequency=frequency)
    label = frequency.label
    if design.transition is not None:
        findings.append(Finding(
            _("analysis"), _("The intervention date {date} falls inside {period}, which is partly before and partly "
                             "after it").format(date=f"{design.intervention_date:%Y-%m-%d}",
                                                period=label(design.transition)),
            _("{period} is a transition period, left out of every fit; the post-period starts in {first}").format(
                period=label(design.transition), first=label(design.first_post))))
    for window in design.exclude:
        findings.append(Finding(_("analysis"), _("Exclusion window {window} (parameter 'exclude')").format(
                                    window=window.text),
                                _("periods {periods} left out of the fit").format(
                                    periods=month_ranges(window.months(frequency), frequency))))
    available_post = frequency.span(design.first_post, treated.values.dropna().index.max())
    available_months = len(available_post) * frequency.step_months
    if post_months and post_months > available_months:
        findings.append(Finding(_("analysis"), _("Parameter 'post_months' asks for {asked} months but the data have "
                                                 "{available} after the law").format(asked=post_months,
                                                                                     available=available_months),
                                _("the post-period uses the months available")))

    exposure = None
    if population_measure:
        population = load_population(tidy, population_measure, unit, design)
        if model == "quasi-poisson":
            exposure = population
            findings.append(Finding(_("analysis"), _("Population measure '{measure}' of {unit}").format(
                                        measure=population_measure, unit=unit),
                                    _("used as the exposure (log offset) of the quasi-Poisson model")))
        else:
            treated = Series(treated.values / population.values.reindex(treated.values.index) * RATE_PER,
                             treated.unit, f"{treated.measure} per 100,000 ({population_measure})",
                             treated.shown_path, treated.findings, treated.frequency)
            findings.append(Finding(_("analysis"), _("Population measure '{measure}' of {unit}").format(
                                        measure=population_measure, unit=unit),
                                    _("the series is analysed as a rate per 100,000")))
    elif model == "quasi-poisson":
        findings.append(Finding(_("analysis"), _("No population measure (parameter 'population_measure' is empty)"),
                                _("the counts are modelled directly; a slowly changing population is absorbed "
                                  "by the trend, a sudden change in it would not be")))

    control = None
    labels = (treated.label, "")
    donors: dict[str, Series] = {}
    if method == "synth":
        donors = _load_donors(tidy, measure, unit, list(donor_units or []), frequency)
        for series in donors.values():
            findings += [f for f in series.findings if f not in findings]
        synth_inputs(treated, donors, design)  # donors observed in every pre-period the fit uses
    if method == "did":
        if not control_path:
            raise InputError("Method 'did' needs a control series but parameter 'control_path' is empty",
                             expected="a tidy file path in 'control_path' (or method 'its')")
        same_file = catalog.resolve_path(control_path) == tidy.path
        control = (_series(tidy, control_measure or measure, control_unit, "control_unit") if same_file
                   else load_series(control_path, control_measure or measure, control_unit, parameter="control_path"))
        labels = (treated.label, control.label)
        findings += [f for f in control.findings if f not in findings]
        if control.shown_path != treated.shown_path:
            findings += _catalogue_findings(control.shown_path)
        findings += _check_overlap(design, control)
    return Inputs(treated, design, findings, exposure, control, labels, donors)


def synth_inputs(series: Series, donor_series: dict[str, Series], design: Design
                 ) -> tuple[pd.Series, pd.DataFrame, pd.DatetimeIndex, pd.DatetimeIndex]:
    """The treated series and the donors on the design's calendar, with the usable pre and post periods;
    InputError for a donor without a value in a pre-period the fit uses."""
    from dictamen.impact import synth

    calendar = design.calendar
    treated = series.values.reindex(calendar)
    donors = pd.DataFrame({name: donor.values.reindex(calendar) for name, donor in donor_series.items()})
    usable = design.usable(treated).index
    pre = usable[usable < design.first_post]
    post = usable[usable >= design.first_post]
    synth.check_donors(donors, pre, path=series.shown_path, measure=series.measure)
    post = post[donors.loc[post].notna().all(axis=1).to_numpy()]
    return treated, donors, pre, post
