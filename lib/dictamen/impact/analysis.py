"""One call that runs a whole policy-impact analysis from notebook parameters.

:func:`analyse` loads and validates the series, places the intervention, fits the chosen method
("its" or "did"), runs the checks that make the estimate honest (event study and pre-trend test,
placebo dates, sensitivity to exclusion windows, per-unit panel) and keeps every finding for the
report. Functions in :mod:`dictamen.impact.report` and :mod:`dictamen.impact.charts` render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from dictamen import catalog, messages
from dictamen.messages import _
from dictamen.errors import InputError, did_you_mean, names_expected
from dictamen.impact import count, did, its, placebo, synth
from dictamen.impact.effect import Effect
from dictamen.impact.load import Finding, Series, load_series, load_tidy, month_ranges, select, units
from dictamen.impact.windows import Design, make_design

METHODS = ("its", "did", "synth")
MODELS = ("log-linear", "quasi-poisson")
RATE_PER = 100_000
PRETREND_ALPHA = 0.05
LINEARITY_ALPHA = 0.05
LOCAL_PRE_MONTHS = 24   # the robust fallback's pre-window: the last two years before the law
PRE_WINDOW_STEPS = (60, 48, 36, 24)  # shorter pre-windows shown in the sensitivity table for ITS


@dataclass
class SpecificationCheck:
    """Does the straight pre-period trend the ITS counterfactual extends fit the pre-period?

    ``linear_p`` tests a quadratic term in the pre-period-only regression over the full pre-window
    (HAC errors); ``failed`` when it is below LINEARITY_ALPHA. ``local`` is the robust fallback: a
    level change only, against one trend fitted to the last LOCAL_PRE_MONTHS months before the law and
    the post months, so no long pre-period slope is extrapolated; ``local_linear_p`` is the same
    linearity test over that shorter pre-window.
    """

    linear_p: float
    failed: bool
    full: Effect
    local: Effect | None = None
    local_linear_p: float = float("nan")
    local_pre_start: pd.Timestamp | None = None
    local_error: str = ""

    @property
    def verdict(self) -> str:
        """What the ITS numbers allow one to say: "detectable effect", "no detectable effect" or
        "no credible estimate" (the straight-line counterfactual fails and the local fallback
        disagrees with it or is unavailable)."""
        if not self.full.detectable:
            return "no detectable effect"
        if not self.failed:
            return "detectable effect"
        if self.local is None:
            return "no credible estimate"
        if not self.local.detectable:
            return "no detectable effect"
        same_sign = (self.local.relative > 0) == (self.full.relative > 0)
        return "detectable effect" if same_sign else "no credible estimate"


@dataclass
class PanelRow:
    unit: str
    effect: Effect | None
    error: str = ""
    linear_p: float = float("nan")  # ITS: pre-period linearity check of this unit (see SpecificationCheck)


@dataclass
class Analysis:
    """Everything a policy-impact report shows, computed once."""

    title: str
    method: str
    seasonality: bool
    treated: Series
    control: Series | None
    design: Design
    findings: list[Finding]
    effect: Effect                       # the headline estimate
    its_effect: Effect                   # the treated series alone (ITS), whatever the method
    model: str = "log-linear"            # ITS model: "log-linear" (OLS) or "quasi-poisson" (counts)
    exposure: Series | None = None       # the population (quasi-Poisson offset), if one was given
    population_measure: str = ""
    synth: synth.SynthResult | None = None
    donors: dict[str, Series] = field(default_factory=dict)
    language: str = "en"
    did_effects: dict[str, Effect] = field(default_factory=dict)  # "plain", "trend"
    event_study: did.EventStudy | None = None
    event_study_trend: did.EventStudy | None = None
    pretrend_failed: bool = False
    headline_reason: str = ""            # did: "parallel"/"trend"/"untested"
    specification: SpecificationCheck | None = None  # ITS pre-period linearity check
    placebo: placebo.Placebo | None = None
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    panel: list[PanelRow] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def pretrend_p(self) -> float | None:
        return None if self.event_study is None else self.event_study.p_value

    @property
    def specification_warning(self) -> bool:
        """The ITS straight-line counterfactual does not fit the pre-period."""
        return bool(self.specification is not None and self.specification.failed)


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


def _did_pair(analysis_design: Design, treated: pd.Series, control: pd.Series, *, seasonality: bool,
              trend: bool, labels: tuple[str, str]) -> Effect:
    return did.fit(analysis_design.usable(treated), analysis_design.usable(control),
                   analysis_design.first_post, seasonality=seasonality, trend=trend,
                   calendar=analysis_design.calendar, labels=labels)


def _load_donors(tidy_path: str, measure: str, unit: str, donor_units: list[str], frequency) -> dict[str, Series]:
    """The donor pool of a synthetic control: named units of the same file and measure, or every other one."""
    tidy = load_tidy(tidy_path, parameter="series_path")
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
    if len(names) < synth.MIN_DONORS:
        raise InputError(f"The synthetic control has {len(names)} donor unit(s) for measure '{measure}'",
                         path=tidy.path, expected=f"at least {synth.MIN_DONORS} donor units (parameter 'donor_units')")
    donors = {}
    for name in names:
        series = select(tidy, measure, name, parameter="donor_units")
        if series.frequency != frequency:
            raise InputError(f"Donor '{name}' / {measure} is {series.frequency.name} but the treated series is "
                             f"{frequency.name}", path=tidy.path, column="date",
                             expected=f"{frequency.name} donors")
        donors[name] = series
    return donors


def _load_population(series_path: str, population_measure: str, unit: str, design: Design) -> Series:
    """The exposure series: same file and unit, every usable period observed and positive."""
    population = load_series(series_path, population_measure, unit, parameter="series_path")
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
    treated = load_series(series_path, measure, unit, parameter="series_path")
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
        population = _load_population(series_path, population_measure, unit, design)
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
        donors = _load_donors(series_path, measure, unit, list(donor_units or []), frequency)
        for series in donors.values():
            findings += [f for f in series.findings if f not in findings]
        _synth_inputs(treated, donors, design)  # donors observed in every pre-period the fit uses
    if method == "did":
        if not control_path:
            raise InputError("Method 'did' needs a control series but parameter 'control_path' is empty",
                             expected="a tidy file path in 'control_path' (or method 'its')")
        control = load_series(control_path, control_measure or measure, control_unit,
                              parameter="control_path")
        labels = (treated.label, control.label)
        findings += [f for f in control.findings if f not in findings]
        if control.shown_path != treated.shown_path:
            findings += _catalogue_findings(control.shown_path)
        findings += _check_overlap(design, control)
    return Inputs(treated, design, findings, exposure, control, labels, donors)


def analyse(series_path: str, measure: str, unit: str, *, control_path: str = "",
            control_measure: str = "", control_unit: str = "", intervention_date: str = "2020-12-19",
            method: str = "did", exclude: list[str] | None = None, pre_months: int = 0,
            post_months: int = 0, seasonality: bool = True, panel_units: list[str] | None = None,
            title: str = "", donor_units: list[str] | None = None, model: str = "log-linear",
            population_measure: str = "", language: str = "en") -> Analysis:
    """Run the policy-impact analysis described by the notebook parameters.

    ``method`` is "its" (the treated series alone), "did" (against the control series) or "synth"
    (a synthetic control from ``donor_units``, by default every other unit of the measure in the
    file). ``model`` is the ITS model: "log-linear" (OLS segmented regression; the DiD works in logs)
    or "quasi-poisson" (counts, with ``population_measure`` of the same file and unit as exposure;
    with "log-linear" a population turns the series into a rate per 100,000).
    Raises InputError for unusable input (:func:`load_inputs`); everything else that deserves a
    caveat becomes a finding.
    """
    messages.use(language)
    exclude = list(exclude or [])
    inputs = load_inputs(series_path, measure, unit, control_path=control_path, control_measure=control_measure,
                         control_unit=control_unit, intervention_date=intervention_date, method=method,
                         exclude=exclude, pre_months=pre_months, post_months=post_months,
                         donor_units=donor_units, model=model, population_measure=population_measure)
    treated, design, control, labels = inputs.treated, inputs.design, inputs.control, inputs.labels
    analysis = Analysis(title=title, method=method, seasonality=seasonality, treated=treated,
                        control=control, design=design, findings=inputs.findings, effect=None,  # type: ignore[arg-type]
                        its_effect=None, model=model, exposure=inputs.exposure,  # type: ignore[arg-type]
                        population_measure=population_measure, donors=inputs.donors, language=language)
    analysis.its_effect = analysis.effect = _its(analysis, design.usable(treated.values), design.first_post,
                                                 calendar=design.calendar)
    analysis.specification = _check_specification(analysis)
    if method == "did":
        _run_did(analysis, labels)
    if method == "synth":
        _run_synth(analysis)
    analysis.placebo = _run_placebo(analysis) if method != "synth" else None
    analysis.sensitivity = _sensitivity(analysis)
    analysis.panel = _panel(analysis, series_path, measure, list(panel_units or []), intervention_date,
                            exclude, pre_months, post_months)
    analysis.parameters = {
        "series_path": treated.shown_path, "measure": measure, "unit": unit,
        "control_path": control.shown_path if control else "", "control_measure": control_measure,
        "control_unit": control_unit, "intervention_date": intervention_date, "method": method,
        "exclude": exclude, "pre_months": pre_months, "post_months": post_months,
        "seasonality": seasonality, "panel_units": list(panel_units or []),
        "donor_units": list(donor_units or []), "model": model, "population_measure": population_measure,
        "language": language,
    }
    return analysis


def _its(analysis: Analysis, values: pd.Series, first_post: pd.Timestamp, *, exposure: Series | None | bool = True,
         seasonality: bool | None = None, calendar: pd.DatetimeIndex | None = None,
         slope_change: bool = True) -> Effect:
    """The interrupted time series of the analysis' model (``exposure`` True: the analysis' own)."""
    seasonality = analysis.seasonality if seasonality is None else seasonality
    if analysis.model == "quasi-poisson":
        chosen = analysis.exposure if exposure is True else exposure
        return count.fit(values, first_post, exposure=None if chosen is None else chosen.values,
                         seasonality=seasonality, calendar=calendar, slope_change=slope_change,
                         periods_per_year=analysis.design.frequency.periods_per_year)
    return its.fit(values, first_post, seasonality=seasonality, calendar=calendar, slope_change=slope_change)


def _linearity(analysis: Analysis, values: pd.Series, exposure: Series | None | bool = True) -> float:
    if analysis.model == "quasi-poisson":
        chosen = analysis.exposure if exposure is True else exposure
        return count.linearity_p(values, exposure=None if chosen is None else chosen.values,
                                 seasonality=analysis.seasonality)
    return its.linearity_p(values, seasonality=analysis.seasonality)


def _synth_inputs(series: Series, donor_series: dict[str, Series], design: Design
                  ) -> tuple[pd.Series, pd.DataFrame, pd.DatetimeIndex, pd.DatetimeIndex]:
    calendar = design.calendar
    treated = series.values.reindex(calendar)
    donors = pd.DataFrame({name: donor.values.reindex(calendar) for name, donor in donor_series.items()})
    usable = design.usable(treated).index
    pre = usable[usable < design.first_post]
    post = usable[usable >= design.first_post]
    synth.check_donors(donors, pre, path=series.shown_path, measure=series.measure)
    post = post[donors.loc[post].notna().all(axis=1).to_numpy()]
    return treated, donors, pre, post


def _run_synth(analysis: Analysis, design: Design | None = None) -> synth.SynthResult:
    design = design or analysis.design
    treated, donors, pre, post = _synth_inputs(analysis.treated, analysis.donors, design)
    result = synth.run(treated, donors, pre, post, design.calendar, design.first_post)
    if design is analysis.design:
        analysis.synth = result
        analysis.effect = result.effect
        if result.normalised:
            analysis.findings.append(Finding(
                _("analysis"), _("{series} lies outside the range of its donors before the law").format(
                    series=analysis.treated.label),
                _("every series is divided by its own pre-period mean, so the synthetic control follows the "
                  "treated unit's shape, not its size")))
    return result


def _run_did(analysis: Analysis, labels: tuple[str, str]) -> None:
    design, treated, control = analysis.design, analysis.treated.values, analysis.control.values
    plain = _did_pair(design, treated, control, seasonality=analysis.seasonality, trend=False, labels=labels)
    trended = _did_pair(design, treated, control, seasonality=analysis.seasonality, trend=True, labels=labels)
    analysis.did_effects = {"plain": plain, "trend": trended}
    analysis.event_study = did.event_study(design.usable(treated), design.usable(control), design.first_post,
                                           seasonality=analysis.seasonality, labels=labels)
    analysis.event_study_trend = did.event_study(design.usable(treated), design.usable(control),
                                                 design.first_post, seasonality=analysis.seasonality,
                                                 trend=True, labels=labels)
    p_value = analysis.event_study.p_value
    analysis.pretrend_failed = bool(p_value == p_value and p_value < PRETREND_ALPHA)
    if analysis.pretrend_failed:
        analysis.effect = trended
        analysis.headline_reason = "trend"
    else:
        analysis.effect = plain
        analysis.headline_reason = "parallel" if p_value == p_value else "untested"


def local_pre_start(design: Design, months: int = LOCAL_PRE_MONTHS) -> pd.Timestamp:
    """First month of a pre-window of ``months`` calendar months ending just before the first post month."""
    return max(design.pre_start, design.frequency.start_of(design.first_post - pd.DateOffset(months=months)))


def _pre_values(design: Design, values: pd.Series) -> pd.Series:
    usable = design.usable(values)
    return usable[usable.index < design.first_post]


def _check_specification(analysis: Analysis) -> SpecificationCheck:
    """Test the straight pre-trend the ITS counterfactual extrapolates; fit a local-trend alternative."""
    design, values = analysis.design, analysis.treated.values
    linear_p = _linearity(analysis, _pre_values(design, values))
    check = SpecificationCheck(linear_p=linear_p, failed=bool(linear_p == linear_p and linear_p < LINEARITY_ALPHA),
                               full=analysis.its_effect)
    start = local_pre_start(design)
    check.local_pre_start = start
    if start <= design.pre_start:
        check.local_error = f"the pre-period is already {LOCAL_PRE_MONTHS} months or shorter"
        return check
    if design.frequency.between(start, design.first_post) < design.frequency.min_pre:
        check.local_error = (f"the last {LOCAL_PRE_MONTHS} months hold fewer than {design.frequency.min_pre} "
                             f"{design.frequency.period}s")
        return check
    local = replace(design, pre_start=start)
    try:
        check.local = _its(analysis, local.usable(values), design.first_post, calendar=design.calendar,
                           slope_change=False)
        check.local.spec = _("{spec}, pre-window the last {months} months (from {start})").format(
            spec=check.local.spec, months=LOCAL_PRE_MONTHS, start=design.frequency.label(start))
        check.local_linear_p = _linearity(analysis, _pre_values(local, values))
    except (InputError, ValueError, np.linalg.LinAlgError) as exc:
        check.local_error = str(exc)
    return check


def _estimate_relative(analysis: Analysis, first_post: pd.Timestamp, end: pd.Timestamp,
                       *, design: Design | None = None) -> tuple[float, float, float]:
    """The headline model's relative effect for a given first post month, using months up to ``end``."""
    design = design or analysis.design
    treated = design.usable(analysis.treated.values)
    treated = treated[treated.index <= end]
    if analysis.method == "its":
        effect = _its(analysis, treated, first_post)
    else:
        control = design.usable(analysis.control.values)
        control = control[control.index <= end]
        effect = did.fit(treated, control, first_post, seasonality=analysis.seasonality,
                         trend=analysis.headline_reason == "trend")
    return effect.relative, effect.relative_ci_low, effect.relative_ci_high


def _run_placebo(analysis: Analysis) -> placebo.Placebo:
    design = analysis.design
    usable = design.usable(analysis.treated.values)
    if analysis.control is not None:
        usable = usable[usable.index.isin(design.usable(analysis.control.values).index)]
    pre = usable.index[usable.index < design.first_post]
    post_length = len(design.frequency.span(design.first_post, design.post_end))
    return placebo.run(lambda fake, end: _estimate_relative(analysis, fake, end), pre,
                       analysis.effect.relative, post_length, design.frequency)


def _sensitivity_row(label: str, effect: Effect | None, error: str = "") -> dict[str, Any]:
    if effect is None:
        return {"specification": label, "relative": None, "relative_ci_low": None, "relative_ci_high": None,
                "absolute": None, "p_value": None, "n_pre": None, "n_post": None, "note": error}
    return {"specification": label, "relative": effect.relative, "relative_ci_low": effect.relative_ci_low,
            "relative_ci_high": effect.relative_ci_high, "absolute": effect.absolute,
            "p_value": effect.p_value, "n_pre": effect.n_pre, "n_post": effect.n_post, "note": ""}


def _fit_variant(analysis: Analysis, design: Design, *, trend: bool | None = None,
                 seasonality: bool | None = None) -> Effect:
    seasonality = analysis.seasonality if seasonality is None else seasonality
    if analysis.method == "its":
        return _its(analysis, design.usable(analysis.treated.values), design.first_post, seasonality=seasonality,
                    calendar=design.calendar)
    if analysis.method == "synth":
        return _run_synth(analysis, design).effect
    if trend is None:
        trend = analysis.headline_reason == "trend"
    return _did_pair(design, analysis.treated.values, analysis.control.values, seasonality=seasonality,
                     trend=trend, labels=(analysis.treated.label, analysis.control.label))


def _pre_window_variants(analysis: Analysis) -> list[tuple[str, Design, dict[str, Any]]]:
    """ITS with the full pre-period and shorter ones: a straight-line counterfactual that fits should
    not depend much on how far back the trend is estimated."""
    design = analysis.design
    full_months = design.frequency.between(design.pre_start, design.first_post) * design.frequency.step_months
    variants = []
    for months in PRE_WINDOW_STEPS:
        if months >= full_months:
            continue
        start = local_pre_start(design, months)
        if design.frequency.between(start, design.first_post) < design.frequency.min_pre:
            continue
        variants.append((_("Pre-window: last {months} months (from {start})").format(
            months=months, start=design.frequency.label(start)),
                         replace(design, pre_start=start), {}))
    return variants


def _sensitivity(analysis: Analysis) -> pd.DataFrame:
    """The headline model with and without each exclusion window, with/without trend and seasonality."""
    design = analysis.design
    windows = design.exclude
    shown = "; ".join(w.text for w in windows) or _("none")
    rows = [_sensitivity_row(_("Headline: {spec}, excluding {windows}").format(spec=analysis.effect.spec,
                                                                                windows=shown), analysis.effect)]
    variants: list[tuple[str, Design, dict[str, Any]]] = []
    if windows:
        variants.append((_("No exclusion windows"), design.with_exclusions(()), {}))
    if len(windows) > 1:
        for window in windows:
            variants.append((_("Excluding only {window}").format(window=window.text),
                             design.with_exclusions((window,)), {}))
    if analysis.method == "did":
        headline_trend = analysis.headline_reason == "trend"
        label = _("Without unit-specific trend (plain DiD)") if headline_trend else _("With unit-specific linear trend")
        variants.append((label, design, {"trend": not headline_trend}))
        if windows:
            variants.append((_("{variant}, no exclusion windows").format(variant=label), design.with_exclusions(()),
                             {"trend": not headline_trend}))
    if analysis.method != "synth" and design.frequency.periods_per_year > 1:
        variants.append((_("Without seasonal dummies") if analysis.seasonality else _("With seasonal dummies"), design,
                         {"seasonality": not analysis.seasonality}))
    if analysis.method == "its":
        variants += _pre_window_variants(analysis)
    for label, variant, options in variants:
        try:
            rows.append(_sensitivity_row(label, _fit_variant(analysis, variant, **options)))
        except (InputError, ValueError, ZeroDivisionError) as exc:
            rows.append(_sensitivity_row(label, None, _("not estimated: {reason}").format(reason=exc)))
    if analysis.synth is not None:
        for donor, weight, effect in analysis.synth.leave_one_out:
            rows.append(_sensitivity_row(_("Leave one out: without {donor} (weight {weight})").format(
                donor=donor, weight=messages.number(weight, 3)), effect))
    check = analysis.specification
    if analysis.method == "its" and check is not None and check.local is not None:
        rows.append(_sensitivity_row(_("Level change only, one trend from {start} (robust to a bent pre-trend)").format(
            start=design.frequency.label(check.local_pre_start)), check.local))
    return pd.DataFrame(rows)


def _panel(analysis: Analysis, series_path: str, measure: str, units: list[str], intervention_date: str,
           exclude: list[str], pre_months: int, post_months: int) -> list[PanelRow]:
    """The headline model fitted to each requested unit of the same file and measure.

    For ITS each unit gets the full-pre-period model and its own pre-period linearity check
    (``linear_p``), which the panel table states next to the verdict.
    """
    if not units:
        return []
    tidy = load_tidy(series_path, parameter="series_path")
    for unit in units:  # a requested unit that is not in the file is a mistake to fix, not a blank row
        if unit not in set(tidy.frame.loc[tidy.frame["measure"] == measure, "unit"]):
            select(tidy, measure, unit, parameter="panel_units")
    rows = []
    for unit in units:
        try:
            series = select(tidy, measure, unit, parameter="panel_units")
            analysis.findings += [f for f in series.findings if f not in analysis.findings]
            design = make_design(series.values, intervention_date, exclude, pre_months, post_months,
                                 what=f"the series {series.label}", frequency=series.frequency)
            if analysis.method in ("its", "synth"):
                exposure = (_load_population(series_path, analysis.population_measure, unit, design)
                            if analysis.exposure is not None else None)
                effect = _its(analysis, design.usable(series.values), design.first_post, exposure=exposure,
                              calendar=design.calendar)
                linear_p = _linearity(analysis, _pre_values(design, series.values), exposure=exposure)
                rows.append(PanelRow(unit, effect, linear_p=linear_p))
            else:
                effect = _did_pair(design, series.values, analysis.control.values,
                                   seasonality=analysis.seasonality, trend=analysis.headline_reason == "trend",
                                   labels=(series.label, analysis.control.label))
                rows.append(PanelRow(unit, effect))
        except (InputError, ValueError) as exc:
            rows.append(PanelRow(unit, None, str(exc)))
    return rows
