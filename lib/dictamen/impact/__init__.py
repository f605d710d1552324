"""Policy impacts: did a law change an indicator we can measure?

Works on any monthly, quarterly or annual indicator in the tidy format (``date, unit, measure, value[, note]``):

    analysis = impact.analyse(series_path, measure, unit, control_path=..., method="did", ...)

then :mod:`report` functions give the Markdown, tables and figures (drawn by :mod:`charts` from
data frames), and :func:`record_results` records the headline figures. Estimators: :mod:`its` (segmented regression,
Newey-West errors), :mod:`count` (quasi-Poisson ITS for counts, rate ratios), :mod:`synth` (synthetic
control, placebo-in-space) and :mod:`did` (log difference-in-differences, event study, pre-trend test);
:mod:`placebo` runs the same model at fake dates. :mod:`derive` converts the bundled source
formats (BTS, CBP, SESNSP, TransBorder) to tidy files.
"""

from dictamen.impact.analysis import Analysis, analyse
from dictamen.impact.effect import Effect
from dictamen.impact.load import Finding, Series, load_series, load_tidy, select
from dictamen.impact.report import (
    DesignChoice,
    cited_design,
    count_model_markdown,
    donor_weights_table,
    placebo_space_chart,
    verdict,
    verdict_parts,
    verdict_sentence,
    conclusion_markdown,
    conclusion_text,
    counterfactual_chart,
    effect_table,
    event_study_chart,
    its_alongside_markdown,
    overview_markdown,
    panel_chart,
    panel_table,
    placebo_chart,
    placebo_markdown,
    pretrend_markdown,
    quality_markdown,
    record_results,
    results,
    sensitivity_table,
)

__all__ = [
    "DesignChoice", "cited_design", "count_model_markdown", "donor_weights_table", "placebo_space_chart",
    "verdict", "verdict_parts", "verdict_sentence", "Analysis", "Effect", "Finding", "Series", "analyse", "conclusion_markdown", "conclusion_text",
    "counterfactual_chart", "effect_table", "event_study_chart", "its_alongside_markdown", "load_series",
    "load_tidy", "overview_markdown", "panel_chart", "panel_table", "placebo_chart", "placebo_markdown",
    "pretrend_markdown", "quality_markdown", "record_results", "results", "select", "sensitivity_table",
]
