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

from dictamen import messages
from dictamen.messages import _
from dictamen.errors import InputError
from dictamen.impact import count, did, its, placebo, synth
from dictamen.impact.effect import Effect
from dictamen.impact.inputs import load_inputs, load_population, synth_inputs
from dictamen.impact.load import Finding, Series, load_tidy, select
from dictamen.impact.windows import Design, make_design

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


def _did_pair(analysis_design: Design, treated: pd.Series, control: pd.Series, *, seasonality: bool,
              trend: bool, labels: tuple[str, str]) -> Effect:
    return did.fit(analysis_design.usable(treated), analysis_design.usable(control),
                   analysis_design.first_post, seasonality=seasonality, trend=trend,
                   calendar=analysis_design.calendar, labels=labels)


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
    Raises InputError for unusable input (:func:`~dictamen.impact.inputs.load_inputs`); everything
    else that deserves a caveat becomes a finding.
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


def _run_synth(analysis: Analysis, design: Design | None = None) -> synth.SynthResult:
    design = design or analysis.design
    treated, donors, pre, post = synth_inputs(analysis.treated, analysis.donors, design)
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
                exposure = (load_population(tidy, analysis.population_measure, unit, design)
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
