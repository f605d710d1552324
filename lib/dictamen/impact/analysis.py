"""One call that runs a whole policy-impact analysis from notebook parameters.

:func:`analyse` loads and validates the series, places the intervention, fits the chosen method
("its" or "did"), runs the checks that make the estimate honest (event study and pre-trend test,
placebo dates, sensitivity to exclusion windows, per-unit panel) and keeps every finding for the
report. Functions in :mod:`dictamen.impact.report` and :mod:`dictamen.impact.charts` render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dictamen import catalog
from dictamen.errors import InputError
from dictamen.impact import did, its, placebo
from dictamen.impact.effect import Effect
from dictamen.impact.load import Finding, Series, load_series, load_tidy, month_ranges, select
from dictamen.impact.windows import MIN_POST_MONTHS, MIN_PRE_MONTHS, Design, make_design

METHODS = ("its", "did")
PRETREND_ALPHA = 0.05


@dataclass
class PanelRow:
    unit: str
    effect: Effect | None
    error: str = ""


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
    headline_reason: str = ""
    placebo: placebo.Placebo | None = None
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    panel: list[PanelRow] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def pretrend_p(self) -> float | None:
        return None if self.event_study is None else self.event_study.p_value


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
    for label, variant, options in variants:
        try:
            rows.append(_sensitivity_row(label, _fit_variant(analysis, variant, **options)))
        except (InputError, ValueError, ZeroDivisionError) as exc:
            rows.append(_sensitivity_row(label, None, f"not estimated: {exc}"))
    return pd.DataFrame(rows)


def _panel(analysis: Analysis, series_path: str, measure: str, units: list[str], intervention_date: str,
           exclude: list[str], pre_months: int, post_months: int) -> list[PanelRow]:
    """The headline model fitted to each requested unit of the same file and measure."""
    if not units:
        return []
    tidy = load_tidy(series_path, parameter="series_path")
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
            else:
                effect = _did_pair(design, series.values, analysis.control.values,
                                   seasonality=analysis.seasonality, trend=analysis.headline_reason == "trend",
                                   labels=(series.label, analysis.control.label))
            rows.append(PanelRow(unit, effect))
        except (InputError, ValueError) as exc:
            rows.append(PanelRow(unit, None, str(exc)))
    return rows
