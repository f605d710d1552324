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

from dictamen import catalog
from dictamen.errors import InputError
from dictamen.impact import did, its, placebo
from dictamen.impact.effect import Effect
from dictamen.impact.load import Finding, Series, load_series, load_tidy, month_ranges, select
from dictamen.impact.windows import MIN_POST_MONTHS, MIN_PRE_MONTHS, Design, make_design

METHODS = ("its", "did")
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
    return [Finding(shown_path, str(caveat), "catalogue caveat; stated, not corrected")
            for caveat in entry.get("caveats", [])]


def _check_overlap(design: Design, control: Series) -> list[Finding]:
    """Refuse a control without enough months in common with the treated window; report partial cover."""
    usable = design.usable(control.values)
    n_pre = int((usable.index < design.first_post).sum())
    n_post = int((usable.index >= design.first_post).sum())
    if n_pre < MIN_PRE_MONTHS or n_post < MIN_POST_MONTHS:
        covered = control.values.dropna().index
        span = f"{covered.min():%Y-%m}..{covered.max():%Y-%m}" if len(covered) else "no months"
        raise InputError(
            f"The control series ({control.label}) does not overlap the analysis window "
            f"{design.pre_start:%Y-%m}..{design.post_end:%Y-%m} enough: it covers {span}, giving "
            f"{n_pre} usable month(s) before and {n_post} after {design.first_post:%Y-%m}",
            path=control.shown_path, expected=f"at least {MIN_PRE_MONTHS} months before and "
                                              f"{MIN_POST_MONTHS} after the intervention in common")
    missing = design.calendar.difference(control.values.dropna().index)
    missing = missing.difference(design.excluded_months())
    if len(missing):
        return [Finding(control.shown_path, f"The control lacks {len(missing)} month(s) of the window: "
                                            f"{month_ranges(missing)}",
                        "those months are left out of the difference-in-differences fit")]
    return []


def _did_pair(analysis_design: Design, treated: pd.Series, control: pd.Series, *, seasonality: bool,
              trend: bool, labels: tuple[str, str]) -> Effect:
    return did.fit(analysis_design.usable(treated), analysis_design.usable(control),
                   analysis_design.first_post, seasonality=seasonality, trend=trend,
                   calendar=analysis_design.calendar, labels=labels)


def analyse(series_path: str, measure: str, unit: str, *, control_path: str = "",
            control_measure: str = "", control_unit: str = "", intervention_date: str = "2020-12-19",
            method: str = "did", exclude: list[str] | None = None, pre_months: int = 0,
            post_months: int = 0, seasonality: bool = True, panel_units: list[str] | None = None,
            title: str = "") -> Analysis:
    """Run the policy-impact analysis described by the notebook parameters.

    ``method`` is "its" (the treated series alone) or "did" (against the control series).
    Raises InputError for unusable input; everything else that deserves a caveat becomes a finding.
    """
    if method not in METHODS:
        raise InputError(f"Parameter 'method' is '{method}'", expected="'its' or 'did'")
    exclude = list(exclude or [])
    treated = load_series(series_path, measure, unit, parameter="series_path")
    findings = list(treated.findings) + _catalogue_findings(treated.shown_path)
    design = make_design(treated.values, intervention_date, exclude, pre_months, post_months,
                         what=f"the series {treated.label}")
    if design.transition is not None:
        findings.append(Finding(
            "analysis", f"The intervention date {design.intervention_date:%Y-%m-%d} falls inside "
                        f"{design.transition:%Y-%m}, which is partly before and partly after it",
            f"{design.transition:%Y-%m} is a transition month, left out of every fit; the post-period "
            f"starts in {design.first_post:%Y-%m}"))
    for window in design.exclude:
        findings.append(Finding("analysis", f"Exclusion window {window.text} (parameter 'exclude')",
                                f"months {month_ranges(window.months())} left out of the fit"))
    available_post = pd.date_range(design.first_post, treated.values.dropna().index.max(), freq="MS")
    if post_months and post_months > len(available_post):
        findings.append(Finding("analysis", f"Parameter 'post_months' asks for {post_months} months but the "
                                            f"data have {len(available_post)} after the law",
                                "the post-period uses the months available"))

    control = None
    labels = (treated.label, "")
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

    its_effect = its.fit(design.usable(treated.values), design.first_post, seasonality=seasonality,
                         calendar=design.calendar)
    analysis = Analysis(title=title, method=method, seasonality=seasonality, treated=treated,
                        control=control, design=design, findings=findings, effect=its_effect,
                        its_effect=its_effect)
    analysis.specification = _check_specification(analysis)
    if method == "did":
        _run_did(analysis, labels)
    analysis.placebo = _run_placebo(analysis)
    analysis.sensitivity = _sensitivity(analysis)
    analysis.panel = _panel(analysis, series_path, measure, list(panel_units or []), intervention_date,
                            exclude, pre_months, post_months)
    analysis.parameters = {
        "series_path": treated.shown_path, "measure": measure, "unit": unit,
        "control_path": control.shown_path if control else "", "control_measure": control_measure,
        "control_unit": control_unit, "intervention_date": intervention_date, "method": method,
        "exclude": exclude, "pre_months": pre_months, "post_months": post_months,
        "seasonality": seasonality, "panel_units": list(panel_units or []),
    }
    return analysis


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
    return max(design.pre_start, design.first_post - pd.DateOffset(months=months))


def _pre_values(design: Design, values: pd.Series) -> pd.Series:
    usable = design.usable(values)
    return usable[usable.index < design.first_post]


def _check_specification(analysis: Analysis) -> SpecificationCheck:
    """Test the straight pre-trend the ITS counterfactual extrapolates; fit a local-trend alternative."""
    design, values = analysis.design, analysis.treated.values
    linear_p = its.linearity_p(_pre_values(design, values), seasonality=analysis.seasonality)
    check = SpecificationCheck(linear_p=linear_p, failed=bool(linear_p == linear_p and linear_p < LINEARITY_ALPHA),
                               full=analysis.its_effect)
    start = local_pre_start(design)
    check.local_pre_start = start
    if start <= design.pre_start:
        check.local_error = f"the pre-period is already {LOCAL_PRE_MONTHS} months or shorter"
        return check
    local = replace(design, pre_start=start)
    try:
        check.local = its.fit(local.usable(values), design.first_post, seasonality=analysis.seasonality,
                              calendar=design.calendar, slope_change=False)
        check.local.spec += f", pre-window the last {LOCAL_PRE_MONTHS} months (from {start:%Y-%m})"
        check.local_linear_p = its.linearity_p(_pre_values(local, values), seasonality=analysis.seasonality)
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
        effect = its.fit(treated, first_post, seasonality=analysis.seasonality)
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
    post_length = len(pd.date_range(design.first_post, design.post_end, freq="MS"))
    return placebo.run(lambda fake, end: _estimate_relative(analysis, fake, end), pre,
                       analysis.effect.relative, post_length)


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
        return its.fit(design.usable(analysis.treated.values), design.first_post, seasonality=seasonality,
                       calendar=design.calendar)
    if trend is None:
        trend = analysis.headline_reason == "trend"
    return _did_pair(design, analysis.treated.values, analysis.control.values, seasonality=seasonality,
                     trend=trend, labels=(analysis.treated.label, analysis.control.label))


def _pre_window_variants(analysis: Analysis) -> list[tuple[str, Design, dict[str, Any]]]:
    """ITS with the full pre-period and shorter ones: a straight-line counterfactual that fits should
    not depend much on how far back the trend is estimated."""
    design = analysis.design
    full_months = len(pd.date_range(design.pre_start, design.first_post, freq="MS")) - 1
    variants = []
    for months in PRE_WINDOW_STEPS:
        if months >= full_months:
            continue
        start = local_pre_start(design, months)
        variants.append((f"Pre-window: last {months} months (from {start:%Y-%m})",
                         replace(design, pre_start=start), {}))
    return variants


def _sensitivity(analysis: Analysis) -> pd.DataFrame:
    """The headline model with and without each exclusion window, with/without trend and seasonality."""
    design = analysis.design
    windows = design.exclude
    shown = "; ".join(w.text for w in windows) or "none"
    rows = [_sensitivity_row(f"Headline: {analysis.effect.spec}, excluding {shown}", analysis.effect)]
    variants: list[tuple[str, Design, dict[str, Any]]] = []
    if windows:
        variants.append(("No exclusion windows", design.with_exclusions(()), {}))
    if len(windows) > 1:
        for window in windows:
            variants.append((f"Excluding only {window.text}", design.with_exclusions((window,)), {}))
    if analysis.method == "did":
        headline_trend = analysis.headline_reason == "trend"
        label = "Without unit-specific trend (plain DiD)" if headline_trend else "With unit-specific linear trend"
        variants.append((label, design, {"trend": not headline_trend}))
        if windows:
            variants.append((label + ", no exclusion windows", design.with_exclusions(()),
                             {"trend": not headline_trend}))
    variants.append(("Without month dummies" if analysis.seasonality else "With month dummies", design,
                     {"seasonality": not analysis.seasonality}))
    if analysis.method == "its":
        variants += _pre_window_variants(analysis)
    for label, variant, options in variants:
        try:
            rows.append(_sensitivity_row(label, _fit_variant(analysis, variant, **options)))
        except (InputError, ValueError, ZeroDivisionError) as exc:
            rows.append(_sensitivity_row(label, None, f"not estimated: {exc}"))
    check = analysis.specification
    if analysis.method == "its" and check is not None and check.local is not None:
        rows.append(_sensitivity_row(f"Level change only, one trend from {check.local_pre_start:%Y-%m} "
                                     "(robust to a bent pre-trend)", check.local))
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
                                 what=f"the series {series.label}")
            if analysis.method == "its":
                effect = its.fit(design.usable(series.values), design.first_post,
                                 seasonality=analysis.seasonality, calendar=design.calendar)
                linear_p = its.linearity_p(_pre_values(design, series.values), seasonality=analysis.seasonality)
                rows.append(PanelRow(unit, effect, linear_p=linear_p))
            else:
                effect = _did_pair(design, series.values, analysis.control.values,
                                   seasonality=analysis.seasonality, trend=analysis.headline_reason == "trend",
                                   labels=(series.label, analysis.control.label))
                rows.append(PanelRow(unit, effect))
        except (InputError, ValueError) as exc:
            rows.append(PanelRow(unit, None, str(exc)))
    return rows
