"""Charts of source composition, article-by-outlet use and the timeline of cited works.

Each function takes data frames (the works frame of :meth:`SourcesReport.works`, an articles
frame with ``path`` and ``date``) plus plain values, builds a figure without pyplot and returns a
:class:`dictamen.figures.Chart` whose alt text is computed from the same numbers it plots.
Deciding whether a chart applies at all (mode, no data) is the caller's job: see
:mod:`dictamen.sources.report`. Labels from input text are stripped of angle brackets in alt
text and truncated in the figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dictamen import messages, prose
from dictamen.messages import _, n_
from dictamen.figures import Chart, new_figure
from dictamen.sources.diversity import composition

MAX_LABEL = 28
MAX_OUTLETS = 25


def _plain(value) -> str:
    """Input-derived label fit for alt text: no angle brackets, bounded length."""
    text = str(value).replace("<", "‹").replace(">", "›")
    return text if len(text) <= 60 else text[:57] + "..."


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _require(frame: pd.DataFrame, what: str) -> None:
    if frame.empty:
        raise ValueError(f"Nothing to plot: {what}.")


def composition_chart(works: pd.DataFrame, article_count: int = 1) -> Chart:
    """Horizontal bars of cited works by type, country and language (all rows pooled).

    ``article_count`` is how many articles the works were pooled from; above one the alt text
    says so. Raises ValueError if ``works`` is empty.
    """
    _require(works, "no parsed cited works")
    figure = new_figure(11, 4.2)
    axes = figure.subplots(1, 3)
    described = []
    titles = {"type": _("by type"), "country": _("by country"), "language": _("by language")}
    for ax, dimension in zip(axes, ("type", "country", "language")):
        table = composition(works, dimension)
        ax.barh([_short(v) for v in table[dimension]][::-1], table["works"].to_numpy()[::-1],
                color="#3b6ea5")
        ax.set_title(titles[dimension])
        ax.set_xlabel(_("cited works"))
        for y, value in enumerate(table["works"].to_numpy()[::-1]):
            ax.text(value, y, f" {value}", va="center", fontsize=8)
        ax.margins(x=0.2)
        described.append(f"{titles[dimension]}: " + ", ".join(
            f"{_plain(row[dimension])} {row['works']} ({prose.percent(row['share'], 0)})"
            for _row_number, row in table.iterrows()))
    if article_count > 1:
        head = _("Three bar charts of {works} cited works in {articles} articles.").format(
            works=prose.number(len(works)), articles=prose.number(article_count))
    else:
        head = _("Three bar charts of {works} cited works.").format(works=prose.number(len(works)))
    alt = head + " " + "; ".join(described) + "."
    return Chart(figure, alt, caption=_("Composition of cited works by type, country and language."))


def outlet_matrix_chart(works: pd.DataFrame) -> Chart:
    """Heat map of cited works per article (rows) and outlet (columns, the most cited first).

    Raises ValueError if ``works`` is empty.
    """
    _require(works, "no parsed cited works")
    table = pd.crosstab(works["article"], works["outlet"].replace("", _("unknown")))
    order = table.sum(axis=0).sort_values(ascending=False, kind="stable").index[:MAX_OUTLETS]
    table = table[order]
    height = 1.5 + 0.35 * len(table.index)
    figure = new_figure(max(6.0, 0.4 * len(order) + 3), min(height, 30))
    ax = figure.subplots()
    image = ax.imshow(table.to_numpy(), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(order)), [_short(o) for o in order], rotation=60, ha="right",
                  fontsize=8)
    ax.set_yticks(range(len(table.index)), [_short(a.rsplit("/", 1)[-1]) for a in table.index],
                  fontsize=8)
    figure.colorbar(image, ax=ax, label=_("cited works"))
    shared = (table > 0).sum(axis=0)
    widest = shared.sort_values(ascending=False, kind="stable")
    alt = _("Heat map of {works} cited works: {articles} articles (rows) by the {shown} most cited "
            "of {outlets} outlets (columns). Most widely used: {widest}.").format(
        works=prose.number(len(works)), articles=prose.number(len(table.index)),
        shown=prose.number(len(order)), outlets=prose.number(works["outlet"].nunique()),
        widest=", ".join(_("{outlet} in {count} articles").format(outlet=_plain(name),
                                                                  count=prose.number(int(count)))
                         for name, count in widest.head(3).items()))
    return Chart(figure, alt, caption=_("Cited works per article and outlet."))


def dated_works(works: pd.DataFrame) -> pd.DataFrame:
    """The works dated to at least year and month, with their date as a Timestamp in ``when``.

    A year-month date is placed mid-month; dates that do not parse are dropped.
    """
    dated = works[works["date"].str.len() >= 7].copy() if not works.empty else works.copy()
    if dated.empty:
        return dated.assign(when=pd.Series(dtype="datetime64[ns]"))
    dated["when"] = pd.to_datetime(dated["date"].where(dated["date"].str.len() == 10,
                                                       dated["date"] + "-15"), errors="coerce")
    return dated.dropna(subset=["when"])


def timeline_chart(works: pd.DataFrame, articles: pd.DataFrame) -> Chart:
    """Dated cited works on a time axis, one row per article, with the article's own date.

    ``articles`` has one row per article with ``path`` and ``date`` (YYYY-MM-DD, empty when
    unknown). Raises ValueError if no work has a usable date (see :func:`dated_works`).
    """
    dated = dated_works(works)
    _require(dated, "no cited work has a date (at least year and month)")
    paths = list(dict.fromkeys(articles["path"]))
    rows = {path: index for index, path in enumerate(paths)}
    figure = new_figure(9, 1.6 + 0.45 * len(paths))
    ax = figure.subplots()
    ax.scatter(dated["when"], dated["article"].map(rows), s=28, color="#3b6ea5",
               label=_("cited work"), zorder=3)
    article_dates = {path: date for path, date in zip(articles["path"], articles["date"].fillna(""))
                     if date}
    if article_dates:
        ax.scatter([pd.Timestamp(d) for d in article_dates.values()],
                   [rows[p] for p in article_dates], marker="|", s=400, color="#b2182b",
                   label=_("article date"), zorder=4)
    ax.set_yticks(range(len(paths)), [_short(p.rsplit("/", 1)[-1]) for p in paths],
                  fontsize=8)
    ax.set_ylim(-0.7, len(paths) - 0.3)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_xlabel(_("date of cited work"))
    gaps = []
    for row in dated.itertuples():
        if row.article in article_dates:
            gaps.append((pd.Timestamp(article_dates[row.article]) - row.when).days)
    gap_text = ""
    if gaps:
        median = float(np.median(gaps))
        within = sum(0 <= g <= 90 for g in gaps)
        after = sum(g < 0 for g in gaps)
        gap_text = " " + _("Median age at the article's date: {days} days; {within} of {dated} "
                           "dated within 90 days before it.").format(
            days=prose.number(median), within=prose.number(within), dated=prose.number(len(gaps)))
        if after:
            gap_text += " " + n_("{n} is dated after it.", "{n} are dated after it.", after).format(
                n=prose.number(after))
    first, last = dated["when"].min().date(), dated["when"].max().date()
    when = (_("the article is dated {date}").format(
        date=messages.date(next(iter(article_dates.values())))) if len(article_dates) == 1
            else _("{dated} of {articles} articles have a date").format(
                dated=prose.number(len(article_dates)), articles=prose.number(len(paths))))
    alt = _("Timeline of {works} dated cited works from {first} to {last}; {when}.").format(
        works=prose.number(len(dated)), first=messages.date(first), last=messages.date(last),
        when=when) + gap_text
    return Chart(figure, alt, caption=_("When the cited works were published, against the "
                                        "article's date."))
