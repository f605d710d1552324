"""What the notebook shows and records: Markdown paragraphs, tables, charts and recorded results.

Every value that comes from an article (titles, names, outlets, URLs, raw entries) goes through
:func:`dictamen.prose.escape` before it reaches Markdown; tables are pandas DataFrames, which
Jupyter renders with HTML escaping on. URLs are shown as text, never as links, and only if
their scheme is http or https (the parser drops the others).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from dictamen import prose, record
from dictamen.sources import charts
from dictamen.sources.analyse import SourcesReport
from dictamen.sources.diversity import DIMENSIONS, bootstrap_intervals, composition, \
    diversity_indices
from dictamen.sources.gender import CAVEAT, infer_gender

NOT_APPLICABLE_CORPUS = ("Not applicable: this run has one article. Give a folder or a glob as "
                         "article_path to compare articles.")

NOT_APPLICABLE_MATRIX = ("Not applicable: the article-by-outlet matrix needs more than one article "
                         "(give a folder or a glob as article_path).")
NO_WORKS = "No chart: no parsed cited works."
NO_DATED_WORKS = "No chart: no cited work has a date (at least year and month)."


def _mode(report: SourcesReport) -> str:
    return "corpus" if report.corpus else "single article"


def summary_markdown(report: SourcesReport):
    """The headline paragraph: what was read, how many works and voices, what is missing."""
    return prose.as_markdown(summary_text(report))


def summary_text(report: SourcesReport) -> str:
    """Plain-Markdown text of :func:`summary_markdown` (escaped)."""
    works = sum(len(a.entries) for a in report.articles)
    parsed = sum(len(a.entries) - len(a.unparsed) for a in report.articles)
    attributions = sum(len(a.attributions) for a in report.articles)
    voices = {a_.voice for a in report.articles for a_ in a.attributions}
    people = {a_.person for a in report.articles for a_ in a.attributions if a_.person}
    unused = sum(len(a.listed_not_used) for a in report.articles)
    unlisted = sum(len(a.used_not_listed) for a in report.articles)
    failed = [a for a in report.articles if a.problem]
    if report.corpus:
        head = (f"Corpus mode: {prose.number(len(report.articles))} article files from "
                f"{prose.code(report.article_path)}" +
                (f", of which {prose.number(len(failed))} could not be read" if failed else "")
                + ".")
    else:
        article = report.articles[0]
        head = (f"**{prose.escape(article.title or article.path)}** (file {prose.code(article.path)}), "
                f"dated {prose.escape(article.date or 'unknown')}"
                + (f" ({prose.escape(article.date_note)})" if article.date_note else "") + ".")
        if article.problem:
            return head + f" It could not be analysed: {prose.escape(article.problem)}."
    body = (f" The sources lists hold {prose.number(works)} entries, {prose.number(parsed)} of them "
            f"parsed into author, title, outlet and date and {prose.number(works - parsed)} not "
            f"understood (listed below, not dropped). The text attributes statements "
            f"{prose.number(attributions)} times to {prose.number(len(voices))} distinct voices, "
            f"{prose.number(len(people))} of them named people. {prose.number(unused)} listed "
            f"works are never pointed to by the text; {prose.number(unlisted)} voices in the text "
            f"match no listed work.")
    return head + body


def bibliography_table(report: SourcesReport) -> pd.DataFrame:
    """Every entry of the sources list(s), parsed or not, with registry facts and title language."""
    rows = []
    for article in report.articles:
        for entry in article.entries:
            rows.append({"article": article.path, "#": entry.number,
                         "authors": "; ".join(entry.authors),
                         "author organisation": entry.author_organisation + (
                             f" ({entry.handle})" if entry.handle else ""),
                         "title": entry.title, "outlet": entry.outlet_name or entry.outlet,
                         "date": entry.date, "type": entry.type, "country": entry.country,
                         "language": entry.language, "url": entry.url, "style": entry.style,
                         "parsed": entry.parsed,
                         "raw": "" if entry.parsed else entry.raw})
    frame = pd.DataFrame(rows, columns=["article", "#", "authors", "author organisation", "title",
                                        "outlet", "date", "type", "country", "language", "url",
                                        "style", "parsed", "raw"])
    return frame if report.corpus else frame.drop(columns="article")


def attributions_table(report: SourcesReport) -> pd.DataFrame:
    """Every in-text attribution: who, role, affiliation, cue, offset, linked entries."""
    rows = []
    for article in report.articles:
        for item in article.attributions:
            rows.append({"article": article.path, "offset": item.offset, "cue": item.cue,
                         "person": item.person, "role": item.role,
                         "organisation": item.organisation_name or item.organisation,
                         "affiliation as written": item.affiliation, "type": item.type,
                         "country": item.country,
                         "linked entries": ", ".join(str(n) for n in item.linked_entries)})
    frame = pd.DataFrame(rows, columns=["article", "offset", "cue", "person", "role",
                                        "organisation", "affiliation as written", "type",
                                        "country", "linked entries"])
    return frame if report.corpus else frame.drop(columns="article")


def crosscheck_markdown(report: SourcesReport):
    """Listed but never used; used but never listed (per article)."""
    return prose.as_markdown(crosscheck_text(report))


def crosscheck_text(report: SourcesReport) -> str:
    lines = []
    for article in report.articles:
        if report.corpus:
            lines.append(f"**{prose.escape(article.path)}**\n")
        if article.problem:
            lines.append(f"- not analysed: {prose.escape(article.problem)}\n")
            continue
        lines.append(f"Listed but never used in the text ({prose.number(len(article.listed_not_used))}"
                     f" of {prose.number(len(article.entries))} entries):\n")
        lines += [f"- entry {entry.number}: {prose.escape(_entry_label(entry))}" for entry in article.listed_not_used]
        lines.append(f"\nUsed in the text but never listed ({prose.number(len(article.used_not_listed))}"
                     " voice(s)):\n")
        lines += [f"- {prose.escape(_voice_label(item))} (cue “{prose.escape(item.cue)}” at character "
                  f"{prose.number(item.offset)})" for item in article.used_not_listed]
        lines.append("")
    return "\n".join(lines)


def _entry_label(entry) -> str:
    who = "; ".join(entry.authors) or entry.author_organisation or "no author"
    return f"{who}, “{entry.title or entry.raw}”, {entry.outlet_name or entry.outlet or 'no outlet'}" \
        + (f", {entry.date}" if entry.date else "")


def _voice_label(item) -> str:
    if item.person:
        extra = ", ".join(part for part in (item.role, item.affiliation) if part)
        return f"{item.person}" + (f" ({extra})" if extra else "")
    return item.organisation_name or item.organisation


def composition_tables(report: SourcesReport) -> pd.DataFrame:
    """Counts and shares of cited works by outlet, type, country and language (all articles)."""
    works = report.works()
    frames = []
    for dimension in DIMENSIONS:
        table = composition(works, dimension).rename(columns={dimension: "category"})
        table.insert(0, "dimension", dimension)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def diversity_table(report: SourcesReport) -> pd.DataFrame:
    """Indices per dimension for each article and, in corpus mode, for all articles pooled."""
    works = report.works()
    frames = []
    for article in report.articles:
        table = diversity_indices(works[works["article"] == article.path])
        table.insert(0, "article", article.path)
        frames.append(table)
    if report.corpus:
        table = diversity_indices(works)
        table.insert(0, "article", "all articles")
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def intervals_table(report: SourcesReport) -> pd.DataFrame:
    """Bootstrap 95% intervals (fixed seed) of the indices: per article and for the corpus."""
    return bootstrap_intervals(report.works())


def diversity_markdown(report: SourcesReport):
    """One sentence per dimension with the pooled effective number and its interval."""
    return prose.as_markdown(diversity_text(report))


def diversity_text(report: SourcesReport) -> str:
    works = report.works()
    if works.empty:
        return "No parsed cited works, so no diversity indices can be computed."
    indices = diversity_indices(works)
    intervals = bootstrap_intervals(works)
    scope = "all articles" if report.corpus else report.articles[0].path
    lines = [f"Over {prose.number(len(works))} parsed cited works"
             + (f" in {prose.number(len(report.articles))} articles" if report.corpus else "")
             + " (effective number = exp(Shannon entropy); HHI on the 0–10,000 scale; "
             "95% bootstrap intervals with a fixed seed"
             + (", resampling articles" if report.corpus else ", resampling works") + "; resampling repeats works, which lowers a diversity index, so when "
             "most categories occur once the interval can sit below the estimate: read it as the "
             "sampling spread):\n"]
    for row in indices.itertuples():
        ci = intervals[(intervals["article"] == scope) & (intervals["dimension"] == row.dimension)
                       & (intervals["index"] == "effective_number")]
        interval = (f" ({prose.number(ci['low'].iloc[0], 1)}–{prose.number(ci['high'].iloc[0], 1)})"
                    if len(ci) else "")
        top = composition(works, row.dimension).iloc[0]
        lines.append(f"- **{row.dimension}**: {prose.number(row.categories)} categories, effective "
                     f"number {prose.number(row.effective_number, 1)}{interval}, Gini-Simpson "
                     f"{prose.number(row.gini_simpson, 2)}, HHI {prose.number(row.hhi)}; largest: "
                     f"{prose.escape(top[row.dimension])} with {prose.percent(top['share'])}.")
    return "\n".join(lines)


def comparison_table(report: SourcesReport):
    """Corpus mode: one row per article to compare; single mode: a 'not applicable' note."""
    if not report.corpus:
        return prose.as_markdown(NOT_APPLICABLE_CORPUS)
    works = report.works()
    rows = []
    for article in report.articles:
        mine = works[works["article"] == article.path]
        outlet = diversity_indices(mine, ("outlet",)).iloc[0]
        language = composition(mine, "language")
        top_type = composition(mine, "type")
        rows.append({"article": article.path, "date": article.date, "entries": len(article.entries),
                     "unparsed": len(article.unparsed), "attributions": len(article.attributions),
                     "outlets": int(outlet["categories"]) if len(mine) else 0,
                     "effective outlets": outlet["effective_number"],
                     "largest type": (f"{top_type.iloc[0]['type']} "
                                      f"({prose.percent(top_type.iloc[0]['share'], 0)})")
                     if len(top_type) else "",
                     "languages": ", ".join(f"{r.language} {r.works}" for r in language.itertuples()),
                     "listed not used": len(article.listed_not_used),
                     "used not listed": len(article.used_not_listed),
                     "problem": article.problem})
    return pd.DataFrame(rows)


def articles_frame(report: SourcesReport) -> pd.DataFrame:
    """One row per article: its path and date (empty when unknown), in reading order."""
    return pd.DataFrame([{"path": a.path, "date": a.date} for a in report.articles],
                        columns=["path", "date"])


def composition_chart(report: SourcesReport):
    """Bars of cited works by type, country and language; a note when no work was parsed."""
    works = report.works()
    if works.empty:
        return prose.as_markdown(NO_WORKS)
    return charts.composition_chart(works, article_count=len(report.articles))


def outlet_matrix_chart(report: SourcesReport):
    """Corpus mode: heat map of works per article and outlet; single mode: a note."""
    if not report.corpus:
        return prose.as_markdown(NOT_APPLICABLE_MATRIX)
    works = report.works()
    if works.empty:
        return prose.as_markdown(NO_WORKS)
    return charts.outlet_matrix_chart(works)


def timeline_chart(report: SourcesReport):
    """Dated cited works against each article's date; a note when no work has a usable date."""
    works = report.works()
    if charts.dated_works(works).empty:
        return prose.as_markdown(NO_DATED_WORKS)
    return charts.timeline_chart(works, articles_frame(report))


def voices_table(report: SourcesReport) -> pd.DataFrame:
    """People quoted in the text: role, affiliation, mentions, whether listed; gender on request."""
    people: dict[tuple[str, str], dict] = {}
    for article in report.articles:
        for item in article.attributions:
            if not item.person:
                continue
            key = (article.path if report.corpus else "", item.person)
            row = people.setdefault(key, {"article": article.path, "person": item.person,
                                          "role": "", "affiliation": "", "organisation": "",
                                          "mentions": 0, "listed": False, "gender": "unknown",
                                          "gender evidence": ""})
            row["mentions"] += 1
            row["role"] = row["role"] or item.role
            row["affiliation"] = row["affiliation"] or item.affiliation
            row["organisation"] = row["organisation"] or item.organisation_name
            row["listed"] = row["listed"] or bool(item.linked_entries)
            if report.gender and row["gender"] == "unknown":
                row["gender"], row["gender evidence"] = infer_gender(
                    article.text, item.offset, item.person, item.role)
    columns = ["article", "person", "role", "affiliation", "organisation", "mentions", "listed"]
    if report.gender:
        columns += ["gender", "gender evidence"]
    frame = pd.DataFrame(list(people.values()), columns=columns + (
        [] if report.gender else ["gender", "gender evidence"]))[columns]
    return frame if report.corpus else frame.drop(columns="article")


def voices_markdown(report: SourcesReport):
    """Gender note: off unless asked; when asked, counts with 'unknown' and the method's caveat."""
    return prose.as_markdown(voices_text(report))


def voices_text(report: SourcesReport) -> str:
    if not report.gender:
        return ("Gender is not inferred (parameter gender = False, the default). "
                "Set gender = True to add it, with an explicit 'unknown' category.")
    table = voices_table(report)
    counts = Counter(table["gender"]) if len(table) else Counter()
    parts = ", ".join(f"{label} {prose.number(counts.get(label, 0))}"
                      for label in ("female", "male", "unknown"))
    return f"Quoted people by inferred gender: {parts}. {CAVEAT}"


def problems_markdown(report: SourcesReport):
    """Exactly what was not understood: unreadable files, missing sections, unparsed entries."""
    return prose.as_markdown(problems_text(report))


def problems_text(report: SourcesReport) -> str:
    notes = [note for article in report.articles for note in article.not_understood]
    if not notes:
        return "Everything in the input was understood: every entry was parsed and matched."
    return "What was not understood:\n\n" + "\n".join(f"- {prose.escape(note)}" for note in notes)


def record_results(report: SourcesReport) -> dict:
    """Record the headline results (bibliography, attributions, unparsed, cross-check, indices)."""
    bibliography = bibliography_table(report)
    attributions = attributions_table(report)
    works = report.works()
    results = {
        "mode": _mode(report),
        "articles": len(report.articles),
        "articles_not_read": [{"article": a.path, "problem": a.problem}
                              for a in report.articles if a.problem],
        "article_date": [{"article": a.path, "date": a.date, "how": a.date_note}
                         for a in report.articles],
        "bibliography": [
            {"article": a.path, "number": e.number, "authors": e.authors,
             "author_organisation": e.author_organisation, "title": e.title,
             "outlet": e.outlet_name or e.outlet, "date": e.date, "url": e.url, "type": e.type,
             "country": e.country, "language": e.language, "parsed": e.parsed}
            for a in report.articles for e in a.entries],
        "attributions": [
            {"article": a.path, "person": t.person, "organisation": t.organisation_name or
             t.organisation, "role": t.role, "affiliation": t.affiliation, "cue": t.cue,
             "offset": t.offset, "linked_entries": t.linked_entries}
            for a in report.articles for t in a.attributions],
        "unparsed": [{"article": a.path, "number": e.number, "raw": e.raw,
                      "problem": "; ".join(e.problems)}
                     for a in report.articles for e in a.unparsed],
        "listed_not_used": [{"article": a.path, "number": e.number, "title": e.title,
                             "outlet": e.outlet_name or e.outlet}
                            for a in report.articles for e in a.listed_not_used],
        "used_not_listed": [{"article": a.path, "voice": t.voice, "person": t.person,
                             "organisation": t.organisation_name or t.organisation}
                            for a in report.articles for t in a.used_not_listed],
        "indices": diversity_table(report),
        "n_entries": len(bibliography),
        "n_parsed": int(bibliography["parsed"].sum()) if len(bibliography) else 0,
        "n_attributions": len(attributions),
        "n_works_counted": len(works),
    }
    record.record_many(results)
    return results


def title_markdown(title: str):
    """The report title as a Markdown heading (escaped)."""
    return prose.as_markdown(f"# {prose.escape(title)}")


def provenance_markdown(report: SourcesReport):
    """Where each article and the outlet registry come from (data/catalog.toml), and how read."""
    from dictamen import catalog

    lines = []
    for article in report.articles:
        entry = catalog.provenance(article.path) or {}
        where = entry.get("citation") or entry.get("title") or "not in data/catalog.toml"
        caveats = "; ".join(entry.get("caveats", []))
        lines.append(f"- {prose.code(article.path)} ({prose.escape(article.kind)}): {prose.escape(where)}"
                     + (f" Caveats: {prose.escape(caveats)}" if caveats else ""))
    registry = catalog.provenance(report.registry.path) or {}
    lines.append(f"- Outlet registry {prose.code(report.registry.path)} "
                 f"({prose.number(len(report.registry.outlets))} outlets): "
                 f"{prose.escape(registry.get('citation', 'not in data/catalog.toml'))}")
    lines.append(f"- Title languages detected among {prose.escape(', '.join(report.languages))} with "
                 "py3langid (offline model shipped in the package) and a function-word fallback "
                 "for short titles.")
    return prose.as_markdown("\n".join(lines))
