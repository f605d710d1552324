"""What the notebook shows and records: Markdown paragraphs, tables, charts and recorded results.

Every value that comes from an article (titles, names, outlets, URLs, raw entries) goes through
:func:`dictamen.prose.escape` before it reaches Markdown; tables are pandas DataFrames, which
Jupyter renders with HTML escaping on. URLs are shown as text, never as links, and only if
their scheme is http or https (the parser drops the others).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from dictamen import messages, prose, record
from dictamen.messages import _, n_
from dictamen.sources import charts
from dictamen.sources.analyse import SourcesReport
from dictamen.sources.diversity import DIMENSIONS, bootstrap_intervals, composition, \
    diversity_indices
from dictamen.sources.gender import infer_gender


def _mode(report: SourcesReport) -> str:
    return "corpus" if report.corpus else "single article"


def language_name(code: str) -> str:
    """A language code as a word in the report's language ("es" -> "Spanish" / "español")."""
    from babel import Locale

    if code in ("und", "unknown", ""):
        return _("undetermined")
    return Locale.parse(messages.locale_name()).languages.get(code, code)


def type_name(kind: str) -> str:
    """An outlet type of the registry's vocabulary in the report's language."""
    names = {"news": _("news"), "wire": _("wire"), "magazine": _("magazine"),
             "think tank": _("think tank"), "academic": _("academic"),
             "government": _("government"), "legislature": _("legislature"),
             "social media": _("social media"), "ngo": _("NGO"), "unknown": _("unknown")}
    return names.get(kind, kind)


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
        head = n_("Corpus mode: {n} article from {where}.", "Corpus mode: {n} articles from {where}.",
                  len(report.articles)).format(n=prose.number(len(report.articles)),
                                               where=prose.code(report.article_path))
        if failed:
            head += " " + n_("{n} of them could not be read.", "{n} of them could not be read.",
                             len(failed)).format(n=prose.number(len(failed)))
    else:
        article = report.articles[0]
        date = messages.date(article.date) if len(article.date) == 10 else _("unknown")
        head = _("**{title}** ({where}), dated {date}.").format(
            title=prose.escape(article.title or article.path), where=prose.code(article.path),
            date=prose.escape(date))
        if article.date_note:
            head = head[:-1] + f" ({prose.escape(article.date_note)})."
        if article.problem:
            return head + " " + _("It could not be analysed: {problem}.").format(
                problem=prose.escape(article.problem))
    body = " ".join([
        n_("The sources hold {n} entry: {parsed} parsed into author, title, outlet and date, "
           "{unparsed} not understood (listed below, not dropped).",
           "The sources hold {n} entries: {parsed} parsed into author, title, outlet and date, "
           "{unparsed} not understood (listed below, not dropped).", works).format(
            n=prose.number(works), parsed=prose.number(parsed), unparsed=prose.number(works - parsed)),
        n_("The text attributes statements {n} time to {voices} distinct voices, {people} of them "
           "named people.", "The text attributes statements {n} times to {voices} distinct voices, "
           "{people} of them named people.", attributions).format(
            n=prose.number(attributions), voices=prose.number(len(voices)),
            people=prose.number(len(people))),
        _("{unused} listed works are never pointed to by the text; {unlisted} voices in the text "
          "match no listed work.").format(unused=prose.number(unused), unlisted=prose.number(unlisted)),
    ])
    share = undetermined_language_share(report)
    if share:
        body += " " + _("The language of {share} of the cited works could not be determined.").format(
            share=prose.percent(share))
    return head + " " + body


def undetermined_language_share(report: SourcesReport) -> float:
    """Share of parsed cited works whose language is undetermined (0 when there are none)."""
    works = report.works()
    return float((works["language"] == "und").mean()) if len(works) else 0.0


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
            lines.append("- " + _("not analysed: {problem}").format(problem=prose.escape(article.problem))
                         + "\n")
            continue
        lines.append(_("Listed but never used in the text ({unused} of {entries} entries):").format(
            unused=prose.number(len(article.listed_not_used)),
            entries=prose.number(len(article.entries))) + "\n")
        lines += ["- " + _("entry {number}: {label}").format(number=entry.number,
                                                             label=prose.escape(_entry_label(entry)))
                  for entry in article.listed_not_used]
        lines.append("\n" + n_("Used in the text but never listed ({n} voice):",
                               "Used in the text but never listed ({n} voices):",
                               len(article.used_not_listed)).format(
            n=prose.number(len(article.used_not_listed))) + "\n")
        lines += ["- " + _("{voice} (cue “{cue}” at character {offset})").format(
            voice=prose.escape(_voice_label(item)), cue=prose.escape(item.cue),
            offset=prose.number(item.offset)) for item in article.used_not_listed]
        lines.append("")
    return "\n".join(lines)


def _entry_label(entry) -> str:
    who = "; ".join(entry.authors) or entry.author_organisation or _("no author")
    return f"{who}, “{entry.title or entry.raw}”, {entry.outlet_name or entry.outlet or _('no outlet')}" \
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


def dimension_name(dimension: str) -> str:
    """A diversity dimension in the report's language."""
    return {"outlet": _("outlet"), "type": _("type"), "country": _("country"),
            "language": _("language")}.get(dimension, dimension)


def category_name(dimension: str, value: str) -> str:
    """A category of a dimension as a reader reads it: type and language names translated."""
    if dimension == "type":
        return type_name(value)
    if dimension == "language":
        return language_name(value)
    if value in ("unknown", ""):
        return _("unknown")
    return value


def diversity_text(report: SourcesReport) -> str:
    works = report.works()
    if works.empty:
        return _("No parsed cited works, so no diversity indices can be computed.")
    indices = diversity_indices(works)
    intervals = bootstrap_intervals(works)
    scope = "all articles" if report.corpus else report.articles[0].path
    if report.corpus:
        head = _("Over {works} parsed cited works in {articles} articles (effective number = "
                 "exp(Shannon entropy); HHI on the 0–10,000 scale; 95% bootstrap intervals with a "
                 "fixed seed, resampling articles; resampling repeats works, which lowers a diversity "
                 "index, so when most categories occur once the interval can sit below the estimate: "
                 "read it as the sampling spread):")
    else:
        head = _("Over {works} parsed cited works (effective number = exp(Shannon entropy); HHI on "
                 "the 0–10,000 scale; 95% bootstrap intervals with a fixed seed, resampling works; "
                 "resampling repeats works, which lowers a diversity index, so when most categories "
                 "occur once the interval can sit below the estimate: read it as the sampling "
                 "spread):")
    lines = [head.format(works=prose.number(len(works)), articles=prose.number(len(report.articles)))
             + "\n"]
    for row in indices.itertuples():
        ci = intervals[(intervals["article"] == scope) & (intervals["dimension"] == row.dimension)
                       & (intervals["index"] == "effective_number")]
        interval = (f" ({prose.number(ci['low'].iloc[0], 1)}–{prose.number(ci['high'].iloc[0], 1)})"
                    if len(ci) else "")
        top = composition(works, row.dimension).iloc[0]
        lines.append("- " + _("**{dimension}**: {categories} categories, effective number "
                              "{effective}{interval}, Gini-Simpson {gini}, HHI {hhi}; largest: "
                              "{largest} with {share}.").format(
            dimension=dimension_name(row.dimension), categories=prose.number(row.categories),
            effective=prose.number(row.effective_number, 1), interval=interval,
            gini=prose.number(row.gini_simpson, 2), hhi=prose.number(row.hhi),
            largest=prose.escape(category_name(row.dimension, top[row.dimension])),
            share=prose.percent(top["share"])))
    return "\n".join(lines)


def comparison_table(report: SourcesReport):
    """Corpus mode: one row per article to compare; single mode: a 'not applicable' note."""
    if not report.corpus:
        return prose.as_markdown(_("Not applicable: this run has one article. Give a folder, a glob "
                                   "or a list of web addresses as article_path to compare articles."))
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
                     "largest type": (f"{type_name(top_type.iloc[0]['type'])} "
                                      f"({prose.percent(top_type.iloc[0]['share'], 0)})")
                     if len(top_type) else "",
                     "languages": ", ".join(f"{language_name(r.language)} {r.works}"
                                            for r in language.itertuples()),
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
        return prose.as_markdown(_("No chart: no parsed cited works."))
    return charts.composition_chart(_readable(works), article_count=len(report.articles))


def outlet_matrix_chart(report: SourcesReport):
    """Corpus mode: heat map of works per article and outlet; single mode: a note."""
    if not report.corpus:
        return prose.as_markdown(_("Not applicable: the article-by-outlet matrix needs more than one "
                                   "article (give a folder, a glob or a list of web addresses as "
                                   "article_path)."))
    works = report.works()
    if works.empty:
        return prose.as_markdown(_("No chart: no parsed cited works."))
    return charts.outlet_matrix_chart(works)


def timeline_chart(report: SourcesReport):
    """Dated cited works against each article's date; a note when no work has a usable date."""
    works = report.works()
    if charts.dated_works(works).empty:
        return prose.as_markdown(_("No chart: no cited work has a date (at least year and month)."))
    return charts.timeline_chart(works, articles_frame(report))


def _readable(works: pd.DataFrame) -> pd.DataFrame:
    """The works frame with types, countries and languages as a reader reads them (for charts)."""
    shown = works.copy()
    for dimension in ("type", "country", "language"):
        shown[dimension] = [category_name(dimension, value) for value in shown[dimension]]
    return shown


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
        return _("Gender is not inferred (parameter gender = False, the default). "
                 "Set gender = True to add it, with an explicit 'unknown' category.")
    table = voices_table(report)
    counts = Counter(table["gender"]) if len(table) else Counter()
    return _("Quoted people by inferred gender: female {female}, male {male}, unknown {unknown}. "
             "{caveat}").format(female=prose.number(counts.get("female", 0)),
                                male=prose.number(counts.get("male", 0)),
                                unknown=prose.number(counts.get("unknown", 0)), caveat=_(
        "Gender is inferred only from honorifics, gendered Spanish role nouns and pronouns that the "
        "article itself uses for the person; it is not self-identification, can be wrong, and "
        "everyone else is counted as 'unknown'."))


def problems_markdown(report: SourcesReport):
    """Exactly what was not understood: unreadable files, missing sections, unparsed entries."""
    return prose.as_markdown(problems_text(report))


def problems_text(report: SourcesReport) -> str:
    notes = [note for article in report.articles for note in article.not_understood]
    if not notes:
        return _("Everything in the input was understood: every entry was parsed and matched.")
    return _("What was not understood:") + "\n\n" + "\n".join(f"- {prose.escape(note)}"
                                                              for note in notes)


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
    """Where each article and the outlet registry come from (data/catalog.toml, or the web with its
    address, fetch time and sha256), and how titles' languages were read."""
    from dictamen import catalog

    lines = []
    for article in report.articles:
        if article.fetched:
            fetched = article.fetched
            line = _("- {url} (web page), fetched {when} UTC, sha256 {digest}").format(
                url=prose.code(fetched["url"]), when=prose.escape(fetched["fetched_at"]),
                digest=prose.code(fetched["sha256"] or "-"))
            if fetched["redirects"]:
                line += "; " + _("redirects: {hops}").format(
                    hops=prose.escape(", ".join(fetched["redirects"])))
            if fetched["from_cache"]:
                line += "; " + _("read again from the page cache, as fetched then")
            lines.append(line + ".")
            continue
        entry = catalog.provenance(article.path) or {}
        where = entry.get("citation") or entry.get("title") or _("not in data/catalog.toml")
        caveats = "; ".join(entry.get("caveats", []))
        lines.append(f"- {prose.code(article.path)} ({prose.escape(article.kind)}): {prose.escape(where)}"
                     + (" " + _("Caveats: {caveats}").format(caveats=prose.escape(caveats))
                        if caveats else ""))
    registry = catalog.provenance(report.registry.path) or {}
    lines.append("- " + n_("Outlet registry {path} ({n} outlet): {citation}",
                           "Outlet registry {path} ({n} outlets): {citation}",
                           len(report.registry.outlets)).format(
        path=prose.code(report.registry.path), n=prose.number(len(report.registry.outlets)),
        citation=prose.escape(registry.get("citation", _("not in data/catalog.toml")))))
    lines.append("- " + _("Languages of cited works read among {languages} from the title's "
                          "words (py3langid, an offline model shipped in the package, and a count of "
                          "function words), the words of the work's address and the outlet's "
                          "language in the registry.").format(
        languages=prose.escape(", ".join(report.languages))))
    return prose.as_markdown("\n".join(lines))


def unregistered_outlets(report: SourcesReport) -> pd.DataFrame:
    """Outlets of parsed works that the registry does not know, with the CSV line to add for each.

    Nothing about them is guessed: the line carries the name (and the site, for a link) and leaves
    type, country, language and source as placeholders for whoever checks the facts.
    """
    import csv
    import io

    rows: dict[str, dict] = {}
    for article in report.articles:
        for entry in article.entries:
            if not entry.parsed or entry.outlet_registered or not entry.outlet_name:
                continue
            row = rows.setdefault(entry.outlet_name, {"outlet": entry.outlet_name, "works": 0,
                                                      "site": "", "line to add": ""})
            row["works"] += 1
            if entry.url.lower().startswith(("http://", "https://")) and not row["site"]:
                from dictamen.sources.outlets import address_key

                row["site"] = address_key(entry.url)[0]
    for row in rows.values():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow([
            row["outlet"], row["site"] if row["site"] != row["outlet"] else "", "TYPE", "COUNTRY",
            "LANGUAGE", f"https://{row['site']}" if row["site"] else "", "SOURCE OF THESE FACTS"])
        row["line to add"] = buffer.getvalue()
    return pd.DataFrame(list(rows.values()), columns=["outlet", "works", "site", "line to add"])


def unregistered_markdown(report: SourcesReport):
    """A sentence on the outlets not in the registry, and how to add them."""
    table = unregistered_outlets(report)
    if table.empty:
        return prose.as_markdown(_("Every outlet of the parsed works is in the outlet registry."))
    return prose.as_markdown(n_(
        "{n} outlet is not in the outlet registry {path}, so its type and country are unknown "
        "(nothing is guessed). To add it, append the line below to the registry with TYPE, COUNTRY, "
        "LANGUAGE and the source of those facts filled in.",
        "{n} outlets are not in the outlet registry {path}, so their type and country are unknown "
        "(nothing is guessed). To add them, append the lines below to the registry with TYPE, "
        "COUNTRY, LANGUAGE and the source of those facts filled in.", len(table)).format(
        n=prose.number(len(table)), path=prose.code(report.registry.path)))


def headers() -> dict[str, str]:
    """Every column name of the tables, as a reader of the report's language reads it."""
    return {
        "article": _("article"), "#": "#", "authors": _("authors"),
        "author organisation": _("author organisation"), "title": _("title"),
        "outlet": _("outlet"), "date": _("date"), "type": _("type"), "country": _("country"),
        "language": _("language"), "url": _("address"), "style": _("style"),
        "parsed": _("parsed"), "raw": _("as written"), "offset": _("offset"), "cue": _("cue"),
        "person": _("person"), "role": _("role"), "organisation": _("organisation"),
        "affiliation as written": _("affiliation as written"),
        "linked entries": _("linked entries"), "dimension": _("dimension"),
        "category": _("category"), "works": _("works"), "share": _("share"),
        "categories": _("categories"), "shannon": _("Shannon entropy"),
        "gini_simpson": _("Gini-Simpson"), "effective_number": _("effective number"),
        "hhi": _("HHI"), "index": _("index"), "estimate": _("estimate"), "low": _("low"),
        "high": _("high"), "entries": _("entries"), "unparsed": _("unparsed"),
        "attributions": _("attributions"), "outlets": _("outlets"),
        "effective outlets": _("effective outlets"), "largest type": _("largest type"),
        "languages": _("languages"), "listed not used": _("listed not used"),
        "used not listed": _("used not listed"), "problem": _("problem"),
        "affiliation": _("affiliation"), "mentions": _("mentions"), "listed": _("listed"),
        "gender": _("gender"), "gender evidence": _("gender evidence"), "site": _("site"),
        "line to add": _("line to add"), "replicates": _("replicates"),
    }


def shown(table):
    """A table of this module as the report shows it: column names and vocabulary (types,
    languages, dimensions, yes/no) in the report's language; the data functions keep their
    column names, which the recorded results and the law dossier use."""
    if not isinstance(table, pd.DataFrame):
        return table  # a "not applicable" note
    frame = table.copy()
    if "type" in frame.columns:
        frame["type"] = [type_name(value) for value in frame["type"]]
    if "language" in frame.columns:
        frame["language"] = [language_name(value) for value in frame["language"]]
    if "dimension" in frame.columns:
        if "category" in frame.columns:
            frame["category"] = [category_name(d, v) for d, v in zip(frame["dimension"],
                                                                     frame["category"])]
        frame["dimension"] = [dimension_name(value) for value in frame["dimension"]]
    if "article" in frame.columns:
        frame["article"] = [_("all articles") if value == "all articles" else value
                            for value in frame["article"]]
    if "style" in frame.columns:
        frame["style"] = [style_name(value) for value in frame["style"]]
    if "index" in frame.columns:
        frame["index"] = [names_of_indices().get(value, value) for value in frame["index"]]
    for column in ("parsed", "listed"):
        if column in frame.columns:
            frame[column] = [_("yes") if value else _("no") for value in frame[column]]
    names = headers()
    return frame.rename(columns={column: names.get(column, column) for column in frame.columns})


def style_name(style: str) -> str:
    """How an entry was read (bibliography.Entry.style), in the report's language."""
    names = {"quoted title": _("quoted title"), "APA": "APA", "plain (guessed)": _("plain (guessed)"),
             "italic title": _("italic title"), "hyperlink": _("link in the text"),
             "address only": _("address only"), "title and address": _("title and address"),
             "credit line": _("Source: line"), "wire credit": _("news agency credit"),
             "book line": _("book citation in the text"),
             "journal (medical style)": _("journal article (medical style)"),
             "web page (NLM)": _("web document (NLM style)"),
             "web page (AMA)": _("web page (AMA style)"), "citation key": _("citation key (pandoc)"), "unparsed": _("not parsed")}
    if style.startswith("credit line (") and style.endswith(")"):
        return f"{names['credit line']} ({style_name(style[len('credit line ('):-1])})"
    return names.get(style, style)


def names_of_indices() -> dict[str, str]:
    """The diversity indices by name, in the report's language."""
    return {"shannon": _("Shannon entropy"), "gini_simpson": _("Gini-Simpson"),
            "effective_number": _("effective number"), "hhi": _("HHI")}


def verdict(report: SourcesReport, language: str | None = None) -> None:
    """The answer first, under the page title: :func:`verdict_parts` given to
    :func:`dictamen.record.verdict`."""
    sentences, figures = verdict_parts(report)
    record.verdict(sentences, figures, language or messages.language())


def verdict_parts(report: SourcesReport) -> tuple[list[str], list[dict[str, str]]]:
    """Who the argument rests on, in one to three sentences and four to six key figures.

    Everything is computed from the report (the same numbers :func:`record_results` records):
    parsed cited works, their languages, the most common outlet type, the effective number of
    outlets, the voices in the text and how many of them the list leaves out.
    """
    works = report.works()
    n = len(works)
    sentences, figures = [], []
    voices = {item.voice for article in report.articles for item in article.attributions}
    people = {item.person for article in report.articles for item in article.attributions
              if item.person}
    unlisted = sum(len(article.used_not_listed) for article in report.articles)
    unused = sum(len(article.listed_not_used) for article in report.articles)
    if n:
        languages = composition(works, "language")
        types = composition(works, "type")
        top_language, top_type = languages.iloc[0], types.iloc[0]
        second = (_(", {count} in {language}").format(
            count=prose.number(int(languages.iloc[1]["works"])),
            language=prose.escape(language_name(languages.iloc[1]["language"])))
            if len(languages) > 1 else "")
        sentences.append(n_(
            "{n} cited work: {count} in {language}{second}; {type_count} of {n} from {type} outlets.",
            "{n} cited works: {count} in {language}{second}; {type_count} of {n} from {type} outlets.",
            n).format(n=prose.number(n), count=prose.number(int(top_language["works"])),
                      language=prose.escape(language_name(top_language["language"])),
                      second=second, type_count=prose.number(int(top_type["works"])),
                      type=prose.escape(type_name(top_type["type"]))))
        outlets = diversity_indices(works, ("outlet",)).iloc[0]
        figures.append({"label": _("Cited works"), "value": prose.number(n),
                        "detail": n_("in {n} article", "in {n} articles", len(report.articles)).format(
                            n=prose.number(len(report.articles)))})
        figures.append({"label": _("Largest language"),
                        "value": prose.escape(language_name(top_language["language"])),
                        "detail": _("{count} of {n} ({share})").format(
                            count=prose.number(int(top_language["works"])), n=prose.number(n),
                            share=prose.percent(top_language["share"], 0))})
        figures.append({"label": _("Largest outlet type"),
                        "value": prose.escape(type_name(top_type["type"])),
                        "detail": _("{count} of {n} ({share})").format(
                            count=prose.number(int(top_type["works"])), n=prose.number(n),
                            share=prose.percent(top_type["share"], 0))})
        figures.append({"label": _("Effective number of outlets"),
                        "value": prose.number(outlets["effective_number"], 1),
                        "detail": _("{categories} distinct outlets; exp(Shannon entropy)").format(
                            categories=prose.number(int(outlets["categories"])))})
    else:
        sentences.append(_("No cited work could be parsed, so nothing can be said of its sources."))
    sentences.append(_("The text attributes statements to {voices} voices ({people} named people); "
                       "{unlisted} of them match no listed work, and {unused} listed works are never "
                       "pointed to.").format(voices=prose.number(len(voices)),
                                             people=prose.number(len(people)),
                                             unlisted=prose.number(unlisted),
                                             unused=prose.number(unused)))
    figures.append({"label": _("Voices in the text"), "value": prose.number(len(voices)),
                    "detail": _("{people} named people").format(people=prose.number(len(people)))})
    share = undetermined_language_share(report)
    if share:
        sentences.append(_("The language of {share} of the cited works could not be determined.")
                         .format(share=prose.percent(share)))
    return sentences, figures
