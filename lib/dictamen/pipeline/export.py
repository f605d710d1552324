"""The HTML report: one self-contained, script-free page per executed notebook.

Why not nbconvert's lab template: it adds about 280 KB of CSS, references require.js and MathJax
on a CDN, shows every code cell and labels each image "No description has been provided". So the
page is built here from the executed notebook: Markdown through mistune (the parser nbconvert
uses), outputs chosen by MIME type, everything that came from the notebook passed through
:func:`dictamen.pipeline.sanitize.clean_html`, and laid out by our own Jinja2 template
(``templates/report.html.j2``) with one small stylesheet (``templates/page.css``, ~9 KB).

The page carries no script at all: the "show code" toggle is a CSS checkbox, so the
Content-Security-Policy can forbid every script and every network load (``default-src 'none'``;
images only from ``data:``; styles only our own, by hash). Finally every text node is scrubbed of
local paths, user and host names (:class:`dictamen.pipeline.sanitize.Scrubber`).

A page reads in order: title, the notebook's verdict block (the answer first, from
:func:`dictamen.record.verdict`), the narrative, and a closing "How this was made" part (data files,
parameters, recorded results, how to reproduce, versions), collapsed where a reader does not need it.

The page speaks the report's ``language`` parameter (absent: English): its furniture through
:mod:`dictamen.messages` (``page.po``), numbers and dates in the language's locale, and the
notebook's Markdown cells and parameter help looked up whole, by exact text, in the notebook's own
catalogue ``locales/LANG/LC_MESSAGES/nb_<notebook stem>.po``. A cell without a translation is shown
in English (:func:`untranslated_cells` lists them; a test over the bundled notebooks fails for any).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import math
import re
import struct
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import mistune
from bs4 import BeautifulSoup, NavigableString, Tag
from markupsafe import Markup, escape

from dictamen import __version__, catalog, messages
from dictamen.errors import ParameterError
from dictamen.messages import _
from dictamen.messages import n_ as _plural  # called with variables: not a message to extract
from dictamen.params import cell_source, parameters_cell, parse_parameters_source
from dictamen.pipeline.sanitize import Scrubber, clean_html, content_security_policy
from dictamen.record import DATA_MIME, RESULTS_MIME, VERDICT_MIME, data_from_notebook, verdict_from_notebook

if TYPE_CHECKING:
    import nbformat

MISSING_ALT = "Figure without a description"
"""Alt text used only when a notebook displayed an image without alt text (never for a Chart)."""

NOTEBOOK_CATALOGUES = messages.LOCALE_DIR
"""Where the notebooks' own catalogues are: ``LANG/LC_MESSAGES/nb_<stem>.po`` under this folder."""

LANGUAGE_NAMES = {"en": "English", "es": "Español"}
"""Each language named in itself, for the links between a report and its twins."""

_HIDDEN_TAGS = frozenset({"remove-cell", "remove_cell", "papermill-error-cell-tag"})
_PARAMETER_TAGS = ("parameters", "injected-parameters")
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
_DICTAMEN_TYPES = frozenset({RESULTS_MIME, DATA_MIME, VERDICT_MIME})
_RESERVED_IDS = frozenset({"content", "show-code", "toc-title", "verdict", "verdict-title", "parameters",
                           "how-made", "recorded-results", "data-sources", "reproduce", "versions", "run-failed",
                           "run-error", "languages"})
_MATPLOTLIB_REPR = re.compile(r"^<(Figure|matplotlib\.\S+) .*>$|^<Axes.*>$|^\[<matplotlib.*\]$", re.DOTALL)
_MAX_FIGURE_ITEMS = 8

_markdown = mistune.create_markdown(escape=False, plugins=["strikethrough", "table"])


def render_report(executed: nbformat.NotebookNode, report: dict) -> str:
    """Self-contained HTML for one executed notebook, in the report's language.

    ``report`` is the run record the runner writes to ``reports/NAME.json`` (name, kind, title,
    parameters, results, verdict, twins, status, times, data, versions, commit, command, error...).
    """
    with speaking(report_language(report)) as language:
        return _render_report(executed, report, language)


def _render_report(executed: nbformat.NotebookNode, report: dict, language: str) -> str:
    scrubber = Scrubber()
    report = scrubber.data(dict(report))
    name = str(report.get("name") or "report")
    translations = notebook_translations(_notebook_stem(report), language)
    body, notebook_title, error_anchor = _render_cells(executed, translations)
    body, toc_entries = _structure_body(body)
    intro, body = _split_intro(body)
    parameters = _parameter_rows(executed, report.get("parameters") or {}, translations)
    results, skipped = _result_rows(report.get("results") or {}, report.get("changes") or [])
    verdict = _verdict_view(report.get("verdict") or verdict_from_notebook(executed))
    toc = _toc_html(toc_entries + [("how-made", _("How this was made"), [])])
    kind = str(report.get("kind") or "notebook")
    supplied = report.get("parameters") or {}
    css = page_css()
    page = template_environment().get_template("report.html.j2").render(
        lang=language,
        csp=content_security_policy(css),
        css=css,
        dictamen_version=__version__,
        title=str(report.get("title") or name),
        subtitle=str(supplied.get("subtitle") or report.get("description") or ""),
        kind_label=notebook_title or humanise(kind),
        name=name,
        status=str(report.get("status") or "ok"),
        status_label=status_label(str(report.get("status") or "ok")),
        started=timestamp(report.get("started")),
        finished=timestamp(report.get("finished")),
        duration=format_duration(report.get("duration_s")),
        error=report.get("error"),
        error_anchor=error_anchor,
        previous_success=timestamp(report.get("previous_success")),
        verdict=verdict,
        twins=twin_links(report, language),
        results=results,
        skipped_names=", ".join(skipped),
        parameters=parameters,
        changed_parameters=sum(1 for row in parameters if row["changed"]),
        intro=intro,
        body=body,
        toc=toc,
        sources=_sources(report, executed),
        command=str(report.get("command") or f"dictamen run {name}"),
        notebook=str(report.get("notebook") or ""),
        commit=report.get("commit"),
        dirty=bool(report.get("dirty")),
        run_id=report.get("run_id"),
        versions=_versions(report.get("versions") or {}),
    )
    return finish_page(page, scrubber)


# --------------------------------------------------------------------------- language

def report_language(report: dict) -> str:
    """The language a report is written in: its ``language`` parameter, English when it has none."""
    language = str((report.get("parameters") or {}).get("language") or "en")
    return language if language in messages.LOCALES else "en"


@contextlib.contextmanager
def speaking(language: str):
    """Say everything in ``language`` inside the block, then go back to the language in use before."""
    before = messages.language()
    messages.use(language)
    try:
        yield language
    finally:
        messages.use(before)


def twin_links(report: dict, language: str) -> list[dict[str, Any]]:
    """The report in every language it exists in ("English" / "Español"), this page's own marked current.

    ``report["twins"]`` maps a language to the name of the report written in it (see
    :func:`dictamen.pipeline.twins.twins`); empty when the report has no twin.
    """
    twins = dict(report.get("twins") or {})
    if len(twins) < 2:
        return []
    twins[language] = str(report.get("name") or twins.get(language, ""))
    return [{"language": code, "name": LANGUAGE_NAMES.get(code, code), "href": _page_href(twins[code]),
             "current": code == language} for code in LANGUAGE_NAMES if code in twins]


def _page_href(name: str) -> str:
    from urllib.parse import quote

    return quote(f"{name}.html")


def _notebook_stem(report: dict) -> str:
    notebook = str(report.get("notebook") or "")
    return Path(notebook).stem if notebook else str(report.get("kind") or "")


def notebook_catalogue_path(stem: str, language: str) -> Path:
    """The catalogue translating notebook ``stem``'s Markdown cells and parameter help."""
    return NOTEBOOK_CATALOGUES / language / "LC_MESSAGES" / f"nb_{stem}.po"


def notebook_translations(stem: str, language: str) -> dict[str, str]:
    """msgid -> msgstr of a notebook's catalogue (empty for English or when there is none)."""
    if language == "en" or not stem:
        return {}
    path = notebook_catalogue_path(stem, language)
    if not path.is_file():
        return {}
    return dict(_read_catalogue(str(path), path.stat().st_mtime_ns))


@lru_cache(maxsize=32)
def _read_catalogue(path: str, _mtime: int) -> tuple[tuple[str, str], ...]:
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalogue = read_po(handle)
    return tuple((str(entry.id), str(entry.string)) for entry in catalogue
                 if entry.id and isinstance(entry.id, str) and entry.string and not entry.fuzzy)


def cell_message(source: Any) -> str:
    """The msgid of a Markdown cell: its whole source with trailing whitespace stripped."""
    return _text(source).rstrip()


def untranslated_cells(notebook: nbformat.NotebookNode, stem: str, language: str) -> list[str]:
    """The notebook's Markdown cells and parameter help texts that have no translation in ``language``."""
    if language == "en":
        return []
    translations = notebook_translations(stem, language)
    wanted = [cell_message(cell.get("source", "")) for cell in notebook.get("cells", [])
              if cell.get("cell_type") == "markdown" and cell_message(cell.get("source", ""))]
    wanted += [entry["help"] for entry in parameter_declarations(notebook).values() if entry["help"]]
    return [message for message in wanted if not translations.get(message)]


def status_label(status: str) -> str:
    """A run's state in words, in the language in use."""
    labels = {"ok": _("Succeeded"), "cached": _("Unchanged (cached)"), "failed": _("Failed")}
    return labels.get(status, status)


def say_html(message: str, /, **values: Any) -> Markup:
    """A page message translated, its text escaped and its ``{placeholders}`` filled with ``values``
    (escaped unless already :class:`Markup`): for the templates, where a sentence may hold a link."""
    return Markup(_fill(str(escape(_(message))), values))


def say_plural_html(singular: str, plural: str, count: int, /, **values: Any) -> Markup:
    """:func:`say_html` for a message with a plural form chosen by ``count``."""
    return Markup(_fill(str(escape(_plural(singular, plural, count))), {"n": messages.number(count), **values}))


def _fill(template: str, values: dict[str, Any]) -> str:
    shown = {key: value if isinstance(value, Markup) else escape(messages.show(value)) for key, value in values.items()}
    return re.sub(r"\{(\w+)\}", lambda match: str(shown.get(match.group(1), match.group(0))), template)


# --------------------------------------------------------------------------- page furniture

@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """The templates, with ``t(message, **values)`` and ``tn(singular, plural, n, **values)`` for their
    words (translated through dictamen.messages, ``page.po``; a test extracts them from the templates)."""
    environment = jinja2.Environment(loader=jinja2.PackageLoader("dictamen.pipeline", "templates"), autoescape=True)
    environment.globals.update(t=say_html, tn=say_plural_html, code=code_html)
    return environment


def code_html(value: Any) -> Markup:
    """A value as a code element, for a template sentence's placeholder."""
    return Markup(f"<code>{escape(str(value))}</code>")


@lru_cache(maxsize=1)
def page_css() -> str:
    """The one stylesheet shared by reports and the index, as inlined in every page."""
    return resources.files("dictamen.pipeline").joinpath("templates/page.css").read_text(encoding="utf-8").strip()


def finish_page(page: str, scrubber: Scrubber) -> str:
    """Tidy every table in the page, make wide ones scrollable, and scrub local details."""
    soup = BeautifulSoup(page, "html.parser")
    number = 0
    for table in soup.find_all("table"):
        tidy_table(table)
        parent = table.parent
        if not (isinstance(parent, Tag) and "table-wrap" in (parent.get("class") or [])):
            wrapper = soup.new_tag("div", attrs={"class": "table-wrap"})
            table.wrap(wrapper)
            parent = wrapper
        number += 1
        parent["tabindex"] = "0"
        parent["role"] = "region"
        caption = table.find("caption")
        figure = parent.find_parent(class_="figure")
        if caption is not None:
            parent["aria-label"] = caption.get_text(" ", strip=True)
        elif figure is not None and figure.find("dt") is not None:
            parent["aria-label"] = figure.find("dt").get_text(" ", strip=True)
        else:
            parent["aria-label"] = _("Table {number}").format(number=messages.number(number))
    return scrubber.document(str(soup))


def humanise(key: str) -> str:
    """``share_yes`` -> ``Share yes``: a recorded key or notebook stem as a label."""
    text = re.sub(r"[_\-]+", " ", str(key)).strip()
    return text[:1].upper() + text[1:]


def timestamp(value: Any) -> dict[str, Any] | None:
    """A recorded time as ``iso`` (machine), ``text`` (the locale's date, UTC time) and ``html`` (a time element)."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        text = str(value)
    else:
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.timezone.utc)
        text = f"{messages.date(moment, 'medium')}, {moment:%H:%M} UTC"
    return {"iso": str(value), "text": text,
            "html": Markup(f'<time datetime="{escape(str(value))}">{escape(text)}</time>')}


def format_duration(seconds: Any) -> str:
    """``75.2`` -> ``1 min 15 s``; under a minute with one decimal."""
    if seconds is None:
        return ""
    try:
        seconds = float(seconds)
    except (TypeError, ValueError):
        return ""
    if seconds < 60:
        return f"{messages.number(seconds, 1)} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_value(value: Any) -> str:
    """A recorded value as a reader sees it: the locale's separators, four significant digits, true/false."""
    if value is None:
        return "—"
    if isinstance(value, bool):  # as recorded in the JSON, in every language ("yes"/"no" are votes in Spanish)
        return "true" if value else "false"
    if isinstance(value, int):
        return messages.number(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        if value.is_integer() and abs(value) < 1e15:
            return messages.number(int(value))
        magnitude = math.floor(math.log10(abs(value)))
        decimals = min(max(3 - magnitude, 0), 8)
        from babel.numbers import format_decimal

        return format_decimal(value, format="#,##0." + "#" * decimals, locale=messages.locale_name())
    if isinstance(value, list):
        return ", ".join(format_value(item) for item in value)
    return str(value)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _value_html(value: Any) -> str:
    shown = html.escape(format_value(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<data value="{html.escape(repr(value))}" title="{html.escape(repr(value))}">{shown}</data>'
    return shown


# --------------------------------------------------------------------------- the verdict block

def _verdict_view(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """The notebook's verdict (record.verdict) as page fragments: sentences and key figures, Markdown
    rendered and cleaned like every other notebook text."""
    if not payload or not (payload.get("sentences") or payload.get("figures")):
        return None
    sentences = [_inline_markdown(text) for text in payload.get("sentences") or [] if str(text).strip()]
    figures = [{"label": _inline_markdown(item.get("label", "")), "value": _inline_markdown(item.get("value", "")),
                "detail": _inline_markdown(item.get("detail", "")) if item.get("detail") else ""}
               for item in payload.get("figures") or [] if isinstance(item, dict)]
    return {"sentences": sentences, "figures": figures, "language": str(payload.get("language") or "")}


def _inline_markdown(text: Any) -> Markup:
    """One line of Markdown as inline HTML (no paragraph around it), cleaned."""
    fragment = clean_html(_markdown(str(text))).strip()
    match = re.fullmatch(r"<p>(.*)</p>", fragment, re.DOTALL)
    return Markup(match.group(1) if match else fragment)


def first_sentence_html(verdict: dict[str, Any] | None) -> Markup | None:
    """The verdict's first sentence as inline HTML, for the index card (None without a verdict)."""
    sentences = [text for text in (verdict or {}).get("sentences") or [] if str(text).strip()]
    return _inline_markdown(sentences[0]) if sentences else None


# --------------------------------------------------------------------------- recorded results

def _figure_html(value: Any) -> str | None:
    """Readable HTML for one recorded result, or None when it is too big for the list of results."""
    if _scalar(value):
        if isinstance(value, str) and len(value) > 160:
            return None
        return _value_html(value)
    if isinstance(value, list):
        if len(value) <= 6 and all(_scalar(item) and not isinstance(item, str) or
                                   isinstance(item, str) and len(item) < 40 for item in value):
            return ", ".join(_value_html(item) for item in value) or "—"
        return None
    if isinstance(value, dict) and 0 < len(value) <= _MAX_FIGURE_ITEMS:
        if all(_scalar(item) for item in value.values()):
            rows = "".join(f'<tr><th scope="row">{html.escape(humanise(key))}</th>'
                           f'<td class="num">{_value_html(item)}</td></tr>' for key, item in value.items())
            return f"<table>{rows}</table>"
        if all(isinstance(item, dict) and all(_scalar(cell) for cell in item.values()) for item in value.values()):
            columns: list[str] = []
            for item in value.values():
                columns += [column for column in item if column not in columns]
            if len(columns) > 5:
                return None
            head = "".join(f'<th scope="col">{html.escape(humanise(column))}</th>' for column in columns)
            rows = "".join(
                f'<tr><th scope="row">{html.escape(str(key))}</th>'
                + "".join(f'<td class="num">{_value_html(item.get(column))}</td>' for column in columns)
                + "</tr>"
                for key, item in value.items()
            )
            return f'<table><thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return None


def _result_rows(results: dict, changes: list) -> tuple[list[dict[str, Any]], list[str]]:
    """The recorded results as the closing part lists them (keys as recorded), and the keys of those too
    big to show, which stay in the JSON record."""
    changed = {str(change.get("key")): change.get("previous") for change in changes if isinstance(change, dict)}
    rows, skipped = [], []
    for key, value in results.items():
        shown = _figure_html(value)
        if shown is None:
            skipped.append(str(key))
            continue
        previous = changed.get(str(key))
        rows.append({
            "kind": "text" if isinstance(value, str) and len(value) > 24 else "",
            "key": str(key),
            "html": shown,
            "changed": (format_value(previous) if _scalar(previous) else _("a different value"))
            if str(key) in changed else None,
        })
    return rows, skipped


# --------------------------------------------------------------------------- parameters

def parameter_declarations(executed: nbformat.NotebookNode) -> dict[str, dict[str, Any]]:
    """Name -> {default, help} from the notebook's typed ``parameters`` cell."""
    try:
        declared = parse_parameters_source(cell_source(parameters_cell(executed)))
    except (ParameterError, SyntaxError):
        return {}
    return {name: {"default": spec.default, "help": spec.help} for name, spec in declared.specs.items()}


def parameter_text(value: Any) -> str:
    """A parameter's value as a reader sees it (absolute paths shortened, empty values named)."""
    if isinstance(value, str):
        if not value:
            return _("(none)")
        if value.startswith(("/", "~")) or re.match(r"^[A-Za-z]:\\", value):
            return catalog.display_path(value)
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(parameter_text(item) for item in value) if value else _("(none)")
    return str(value)


def _parameter_rows(executed: nbformat.NotebookNode, used: dict[str, Any],
                    translations: dict[str, str]) -> list[dict[str, Any]]:
    declared = parameter_declarations(executed)
    names = list(declared) + [name for name in used if name not in declared]
    rows = []
    for name in names:
        default = declared.get(name, {}).get("default")
        value = used.get(name, default)
        help_text = declared.get(name, {}).get("help", "")
        rows.append({
            "name": name,
            "value": parameter_text(value),
            "help": translations.get(help_text) or help_text,
            "changed": name in declared and name in used and used[name] != default,
            "default": parameter_text(default),
        })
    return rows


# --------------------------------------------------------------------------- the notebook's cells

def _render_cells(executed: nbformat.NotebookNode,
                  translations: dict[str, str] | None = None) -> tuple[str, str | None, str | None]:
    """The notebook as HTML: narrative (each Markdown cell in the page's language when its catalogue
    has it), outputs, and code hidden behind the toggle."""
    translations = translations or {}
    pieces: list[str] = []
    notebook_title: str | None = None
    error_anchor: str | None = None
    seen_code = False
    for cell in executed.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _HIDDEN_TAGS or cell.get("cell_type") == "raw":
            continue
        if cell.get("cell_type") == "markdown":
            source = _text(cell.get("source", ""))
            source = translations.get(cell_message(source)) or source
            fragment = clean_html(_markdown(_with_attachments(source, cell.get("attachments"))))
            if not seen_code and notebook_title is None:
                fragment, notebook_title = _pop_leading_h1(fragment)
            pieces.append(f'<div class="{"intro md" if not seen_code else "md"}">{fragment}</div>')
            continue
        seen_code = True
        parts: list[str] = []
        labels = {"parameters": _("Parameters (defaults)"), "injected-parameters": _("Parameters (this run)")}
        label = next((labels[tag] for tag in _PARAMETER_TAGS if tag in tags), _("Code"))
        source = cell.get("source", "")
        if source.strip() and not tags & {"remove-input", "remove_input", "hide-input"}:
            parts.append(f'<pre class="code"><span class="label">{html.escape(label)}</span>'
                         f"<code>{html.escape(source)}</code></pre>")
        if not tags & {"remove-output", "remove_output"}:
            for output in cell.get("outputs", []) or []:
                anchor = None
                if output.get("output_type") == "error" and error_anchor is None:
                    anchor = error_anchor = "run-error"
                parts.append(_render_output(output, anchor))
        if any(parts):
            pieces.append('<div class="cell">' + "".join(parts) + "</div>")
    return "\n".join(pieces), notebook_title, error_anchor


def _with_attachments(source: str, attachments: dict | None) -> str:
    for filename, bundle in (attachments or {}).items():
        for mime in _IMAGE_TYPES:
            if mime in bundle:
                data = re.sub(r"\s+", "", str(bundle[mime]))
                source = source.replace(f"attachment:{filename}", f"data:{mime};base64,{data}")
                break
    return source


def _pop_leading_h1(fragment: str) -> tuple[str, str | None]:
    soup = BeautifulSoup(fragment, "html.parser")
    first = next((node for node in soup.contents if isinstance(node, Tag)), None)
    if first is None or first.name != "h1":
        return fragment, None
    title = first.get_text(" ", strip=True)
    first.decompose()
    return str(soup).strip(), title


def _render_output(output: dict, anchor: str | None) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        text = html.escape(_text(output.get("text", "")))
        if output.get("name") == "stderr":
            label = html.escape(_("Messages"))
            return f'<pre class="code stream"><span class="label">{label}</span>{text}</pre>'
        return f'<pre class="stream">{text}</pre>'
    if kind == "error":
        identifier = f' id="{anchor}"' if anchor else ""
        traceback = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", "\n".join(output.get("traceback", [])))
        details = html.escape(_("Technical details"))
        return (f'<div class="output-error"{identifier}><p><strong>{html.escape(str(output.get("ename", "")))}'
                f'</strong>: {html.escape(str(output.get("evalue", "")))}</p>'
                f"<details><summary>{details}</summary><pre>{html.escape(traceback)}</pre></details></div>")
    data = output.get("data", {}) or {}
    metadata = output.get("metadata", {}) or {}
    if VERDICT_MIME in data:
        return ""  # placed under the title; its Markdown twin is for JupyterLab
    shown = [mime for mime in data if mime not in _DICTAMEN_TYPES]
    for mime in _IMAGE_TYPES:
        if mime in shown:
            return _figure(mime, data, metadata)
    if "text/html" in shown:
        return f'<div class="output">{clean_html(_text(data["text/html"]))}</div>'
    if "text/markdown" in shown:
        return f'<div class="output md">{clean_html(_markdown(_text(data["text/markdown"])))}</div>'
    if "text/plain" in shown:
        text = _text(data["text/plain"])
        if _MATPLOTLIB_REPR.match(text.strip()):
            return ""
        return f'<pre class="output">{html.escape(text)}</pre>'
    return ""


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _figure(mime: str, data: dict, metadata: dict) -> str:
    described = metadata.get(mime, {}) if isinstance(metadata.get(mime), dict) else {}
    alt = str(described.get("alt") or "").strip()
    if not alt:
        plain = _text(data.get("text/plain", "")).strip()
        alt = plain if plain and not _MATPLOTLIB_REPR.match(plain) else _("Figure without a description")
    caption = str(described.get("caption") or "").strip()
    if mime == "image/svg+xml":
        encoded = base64.b64encode(_text(data[mime]).encode("utf-8")).decode("ascii")
    else:
        encoded = re.sub(r"\s+", "", _text(data[mime]))
    size = _png_size(encoded) if mime == "image/png" else None
    dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="chart"><img src="data:{mime};base64,{encoded}" alt="{html.escape(alt)}"'
            f"{dimensions}>{figcaption}</figure>")


def _png_size(encoded: str) -> tuple[int, int] | None:
    try:
        header = base64.b64decode(encoded[:44])
    except ValueError:
        return None
    if header[:8] != b"\x89PNG\r\n\x1a\n" or len(header) < 24:
        return None
    return struct.unpack(">II", header[16:24])


# --------------------------------------------------------------------------- headings and tables

def slugify(text: str) -> str:
    """An ASCII anchor for a heading: ``Votación por partido`` -> ``votacion-por-partido``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def _structure_body(body: str) -> tuple[str, list[tuple[str, str, list]]]:
    """Put the notebook's top heading level at h2 (under the page title), give every heading a
    unique id, and list h2/h3 for the table of contents."""
    soup = BeautifulSoup(body, "html.parser")
    used = set(_RESERVED_IDS)
    entries: list[tuple[str, str, list]] = []
    headings = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    shift = 2 - min((int(heading.name[1]) for heading in headings), default=2)
    for heading in headings:
        level = min(int(heading.name[1]) + shift, 6)
        heading.name = f"h{level}"
        text = heading.get_text(" ", strip=True)
        base = slugify(text)
        identifier, suffix = base, 2
        while identifier in used:
            identifier, suffix = f"{base}-{suffix}", suffix + 1
        used.add(identifier)
        heading["id"] = identifier
        if level == 2:
            entries.append((identifier, text, []))
        elif level == 3 and entries:
            entries[-1][2].append((identifier, text, []))
        elif level == 3:
            entries.append((identifier, text, []))
    return str(soup), entries


def _split_intro(body: str) -> tuple[str, str]:
    """The Markdown before the first code cell: the report's lede, shown under the verdict block."""
    soup = BeautifulSoup(body, "html.parser")
    intro = [element.extract() for element in soup.find_all("div", class_="intro", recursive=False)]
    return "".join(str(element) for element in intro), str(soup)


def _toc_html(entries: list[tuple[str, str, list]]) -> str:
    if not entries:
        return ""
    items = []
    for identifier, text, children in entries:
        nested = _toc_html(children)
        items.append(f'<li><a href="#{html.escape(identifier)}">{html.escape(text)}</a>{nested}</li>')
    return "<ol>" + "".join(items) + "</ol>"


_NUMBER = re.compile(r"^[-−+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][-+]?\d+)?%?$")
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?([ T]\d{2}:\d{2}(:\d{2})?)?$")
_EMPTY = frozenset({"", "nan", "NaN", "<NA>", "None", "NaT", "—", "-"})
_IDENTIFIER_COLUMN = re.compile(r"year|año|anio|\bid\b|_id\b|^id|code|clave|cve|icpsr|rollcall|roll call|"
                                r"congress|fips|\bzip\b|number|^no\.?$|#|period|month|date", re.IGNORECASE)


def tidy_table(table: Tag) -> None:
    """Make a pandas (or Markdown) table readable: no RangeIndex column, numbers right-aligned with
    thousands separators, header cells scoped, no empty header cells."""
    head = table.find("thead")
    body = table.find("tbody") or table
    body_rows = [row for row in body.find_all("tr", recursive=False) if row.find_parent("thead") is None]
    head_rows = head.find_all("tr") if head else []
    firsts = [row.find(["th", "td"]) for row in body_rows]
    if body_rows and all(cell is not None and cell.name == "th" and cell.get_text(strip=True) == str(index)
                         for index, cell in enumerate(firsts)):
        for cell in firsts:
            cell.decompose()
        for row in head_rows:
            first = row.find(["th", "td"])
            if first is not None and not first.get_text(strip=True):
                first.decompose()
    for cell in table.find_all("th"):
        if not cell.get_text(strip=True):
            cell.name = "td"
            cell.attrs.pop("scope", None)
        elif not cell.get("scope"):
            cell["scope"] = "col" if cell.find_parent("thead") is not None else "row"
    if table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True}):
        grid_ok = False
    else:
        grid_ok = True
    for cell in table.find_all("td"):
        if _DATE.match(cell.get_text(strip=True)):
            _add_class(cell, "nowrap")
    rows = [row.find_all(["th", "td"], recursive=False) for row in body_rows]
    width = max((len(cells) for cells in rows), default=0)
    header = head_rows[-1].find_all(["th", "td"], recursive=False) if head_rows else []
    for column in range(width):
        cells = [cells[column] for cells in rows if column < len(cells)]
        texts = [cell.get_text(strip=True) for cell in cells]
        filled = [text for text in texts if text not in _EMPTY]
        if not filled or not all(_NUMBER.match(text) for text in filled):
            continue
        name = header[column].get_text(" ", strip=True) if grid_ok and column < len(header) \
            and len(header) == width else ""
        identifiers = bool(_IDENTIFIER_COLUMN.search(name)) or all(
            re.fullmatch(r"\d{4}", text) and 1000 <= int(text) <= 2999 for text in filled)
        for cell, text in zip(cells, texts):
            _add_class(cell, "num")
            if not identifiers and text not in _EMPTY and "," not in text and "e" not in text.lower() \
                    and len(cell.contents) == 1 and isinstance(cell.contents[0], NavigableString):
                cell.string = _with_separators(text)
        if name:
            _add_class(header[column], "num")


def _add_class(cell: Tag, name: str) -> None:
    classes = cell.get("class") or []
    if name not in classes:
        cell["class"] = [*classes, name]


def _with_separators(text: str) -> str:
    match = re.match(r"^([-−+]?)(\d+)(.*)$", text)
    if not match:
        return text
    return f"{match.group(1)}{int(match.group(2)):,}{match.group(3)}"


# --------------------------------------------------------------------------- provenance

def _sources(report: dict, executed: nbformat.NotebookNode) -> list[dict[str, Any]]:
    files = report.get("data")
    if files is None:
        files = [{"path": path, "sha256": sha} for path, sha in data_from_notebook(executed).items()]
    sources = []
    for entry in files:
        path = str(entry.get("path", ""))
        described = catalog.provenance(path) or {}
        url = str(described.get("url", ""))
        sources.append({
            "path": path,
            "sha256": entry.get("sha256", ""),
            "hash": Markup(f'<span class="hash">{escape(entry.get("sha256", ""))}</span>'),
            "link": Markup(f'<a href="{escape(url)}">{escape(url)}</a>'),
            "title": described.get("title") or path,
            "publisher": described.get("publisher", ""),
            "url": described.get("url", ""),
            "citation": described.get("citation", ""),
            "licence": described.get("licence") or described.get("license", ""),
            "caveats": list(described.get("caveats", [])),
            "catalogued": bool(described),
            "catalogued_sha256": described.get("sha256", ""),
        })
    return sources


def _versions(versions: dict[str, Any]) -> list[tuple[str, str]]:
    first = [key for key in ("python", "dictamen") if key in versions]
    rest = sorted((key for key in versions if key not in first), key=str.lower)
    return [(key, str(versions[key])) for key in first + rest]
