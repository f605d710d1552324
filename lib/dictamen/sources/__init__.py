"""Source diversity: who an article (or a corpus of articles) relies on.

Public API used by notebooks/source_diversity.ipynb::

    report = sources.analyse(article_path, outlets_path, languages, article_date, gender)
    sources.summary_markdown(report); sources.bibliography_table(report); ...

Modules: read (files), fetch (web addresses, cache), webpage (main text of a page, trafilatura),
bibliography (sources section and entries, Source: lines), links (linked works, wire credits),
attributions
(in-text voices), outlets (registry and matching), language (title language), crosscheck
(links, listed-not-used, used-not-listed), diversity (indices, bootstrap), gender (opt-in),
charts (figures from data frames), report (Markdown, tables, charts, verdict and recorded
results, in the report's language), evaluate (scores on the hand-counted evaluation set).
"""

from dictamen.sources.analyse import (ArticleSources, SourcesReport, analyse, analyse_string,
                                      check_parameters)
from dictamen.sources.outlets import Registry, load_outlets
from dictamen.sources.report import (attributions_table, bibliography_table, comparison_table,
                                     composition_chart, composition_tables, crosscheck_markdown,
                                     diversity_markdown, diversity_table, intervals_table,
                                     outlet_matrix_chart, problems_markdown, provenance_markdown,
                                     record_results, summary_markdown, timeline_chart,
                                     shown, title_markdown, unregistered_markdown,
                                     unregistered_outlets, verdict, verdict_parts, voices_markdown,
                                     voices_table)

__all__ = [
    "ArticleSources", "SourcesReport", "Registry", "analyse", "analyse_string",
    "check_parameters", "load_outlets", "composition_chart", "outlet_matrix_chart",
    "timeline_chart", "attributions_table", "bibliography_table", "comparison_table",
    "composition_tables", "crosscheck_markdown", "diversity_markdown", "diversity_table",
    "intervals_table", "problems_markdown", "provenance_markdown", "title_markdown", "record_results", "summary_markdown", "voices_markdown",
    "voices_table", "shown", "unregistered_markdown", "unregistered_outlets", "verdict",
    "verdict_parts",
]
