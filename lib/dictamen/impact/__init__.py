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

from dictamen.lazy import lazy_names

# Names are loaded on first use (PEP 562): the input check run before any kernel starts
# (:mod:`dictamen.impact.checks`) must not pay for statsmodels, pysyncon and matplotlib.
_SOURCES = {
    'Analysis': 'dictamen.impact.analysis',
    'analyse': 'dictamen.impact.analysis',
    'Effect': 'dictamen.impact.effect',
    'Finding': 'dictamen.impact.load',
    'Series': 'dictamen.impact.load',
    'load_series': 'dictamen.impact.load',
    'load_tidy': 'dictamen.impact.load',
    'select': 'dictamen.impact.load',
    'DesignChoice': 'dictamen.impact.report',
    'cited_design': 'dictamen.impact.report',
    'conclusion_markdown': 'dictamen.impact.report',
    'conclusion_text': 'dictamen.impact.report',
    'count_model_markdown': 'dictamen.impact.report',
    'counterfactual_chart': 'dictamen.impact.report',
    'donor_weights_table': 'dictamen.impact.report',
    'effect_table': 'dictamen.impact.report',
    'event_study_chart': 'dictamen.impact.report',
    'its_alongside_markdown': 'dictamen.impact.report',
    'overview_markdown': 'dictamen.impact.report',
    'panel_chart': 'dictamen.impact.report',
    'panel_table': 'dictamen.impact.report',
    'placebo_chart': 'dictamen.impact.report',
    'placebo_markdown': 'dictamen.impact.report',
    'placebo_space_chart': 'dictamen.impact.report',
    'pretrend_markdown': 'dictamen.impact.report',
    'quality_markdown': 'dictamen.impact.report',
    'record_results': 'dictamen.impact.report',
    'results': 'dictamen.impact.report',
    'sensitivity_table': 'dictamen.impact.report',
    'verdict': 'dictamen.impact.report',
    'verdict_parts': 'dictamen.impact.report',
    'verdict_sentence': 'dictamen.impact.report',
}


__getattr__ = lazy_names(__name__, _SOURCES)

__all__ = sorted(_SOURCES)
