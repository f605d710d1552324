"""The HTML report: self-contained, script-free, readable, leak-free (issue 6).

The report-level tests render the fixture notebook executed for real (see export_fixtures.py);
the helpers (sanitising, scrubbing, tables, numbers) are tested directly on hand-made input.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from dictamen.pipeline.export import (
    MISSING_ALT,
    format_duration,
    format_value,
    parameter_declarations,
    render_report,
    slugify,
    tidy_table,
)
from dictamen.pipeline.sanitize import Scrubber, clean_html, style_hash
from export_fixtures import HOSTILE, NOTEBOOK, PROJECT, ROOT, executed_variant, fixture_project

pytestmark = pytest.mark.slow


def _rendered(variant: str):
    """A fixture variant executed and rendered: the page, its parsed tree and its run record."""
    executed, report = executed_variant(variant)
    with fixture_project():
        page = render_report(executed, report)
    return page, BeautifulSoup(page, "html.parser"), report


@pytest.fixture(scope="module")
def sample():
    return _rendered("sample")


@pytest.fixture(scope="module")
def hostile():
    return _rendered("hostile")


@pytest.fixture(scope="module")
def broken():
    return _rendered("broken")


def _without_images(page: str) -> str:
    return re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "data:image", page)


# --------------------------------------------------------------------------- self-contained and safe

def test_page_loads_nothing_and_allows_no_script(sample):
    page, soup, _ = sample
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy
    assert "script-src 'none'" in policy
    assert "img-src data:" in policy
    style = soup.find_all("style")
    assert len(style) == 1
    assert style_hash(style[0].string) in policy, "the CSP must allow exactly the page's own stylesheet"
    assert soup.find("script") is None
    assert soup.find("link") is None
    assert all(image["src"].startswith("data:image/") for image in soup.find_all("img"))
    assert not re.search(r"mathjax|require\.js|requirejs|cdn\.", page, re.IGNORECASE)
    assert not re.search(r"src=\"(https?:)?//", _without_images(page)), "links are allowed, loads are not"
    assert all(link.name == "a" for link in soup.find_all(href=True))


def test_code_and_injected_parameters_are_only_behind_the_toggle(sample):
    _, soup, _ = sample
    toggle = soup.find("input", id="show-code")
    assert toggle is not None and toggle["type"] == "checkbox"
    assert soup.find("label", attrs={"for": "show-code"}) is not None
    css = soup.find("style").string
    assert re.search(r"\.code\{display:none\}", css)
    for needle in ("import pandas", "tallies_path: DataPath", "record.record_many"):
        holders = [text.parent for text in soup.find_all(string=re.compile(re.escape(needle)))]
        assert holders, needle
        assert all(holder.find_parent(class_="code") is not None for holder in holders), needle
    labels = [label.get_text() for label in soup.select("pre.code .label")]
    assert "Parameters (defaults)" in labels


def test_injected_parameters_are_only_behind_the_toggle(hostile):
    _, soup, _ = hostile
    injected = soup.find("span", string="Parameters (this run)")
    assert injected is not None and injected.find_parent(class_="code") is not None
    assert "# Parameters" in injected.parent.get_text()


def test_title_subtitle_contents_and_parameters(sample):
    _, soup, report = sample
    assert soup.h1.get_text() == "Sample vote"
    assert soup.find(class_="eyebrow").get_text() == "How the sample vote broke down · dictamen report"
    assert soup.find(class_="subtitle") is None, "no description, no subtitle"
    assert len(soup.find_all("h1")) == 1, "the notebook's own H1 names the kind of report, not a second H1"
    ids = {element["id"] for element in soup.find_all(id=True)}
    targets = [link["href"][1:] for link in soup.select("nav.toc a")]
    assert targets[0] == "tallies" and targets[-1] == "how-made"
    assert {"tallies", "chart", "notes", "notes-2", "how-made"} <= set(targets)
    assert all(target in ids for target in targets)
    assert soup.find(id="tallies").name == "h2"
    parameters = soup.find(id="parameters")
    assert parameters.find_parent("footer") is not None, "parameters are machinery: in the closing part"
    assert parameters.find_next_sibling("details").find("table", class_="params") is not None
    rows = {row.th.get_text(): [cell.get_text() for cell in row.find_all("td")]
            for row in soup.select("table.params tbody tr")}
    assert list(rows) == ["tallies_path", "title", "article_title", "threshold", "language"], "complete"
    assert rows["tallies_path"] == ["data/tallies.csv", "tally file, one row per party"]
    assert rows["threshold"] == ["0.5", "share of yes votes needed"]


def test_verdict_block_comes_first_under_the_title(sample):
    page, soup, report = sample
    block = soup.find(id="verdict")
    assert block.find_previous("h1") is soup.h1 and block.find_parent("header") is not None
    assert block.find_next(id="content") is not None, "before the narrative and the table of contents"
    assert page.index('id="verdict"') < page.index('id="content"') < page.index('id="parameters"')
    assert [p.get_text() for p in block.select("p.answer")] == [
        "Passed 1,290-91: Senate passes the reform.", "Sources: Las_y_los senadores [report]."]
    figures = [(f.dt.get_text(), f.dd.contents[0].get_text() if hasattr(f.dd.contents[0], "get_text")
                else str(f.dd.contents[0]), f.dd.find(class_="detail")) for f in block.select(".figure")]
    assert [(label, value) for label, value, _ in figures] == [
        ("Yes votes", "1,290"), ("No votes", "91"), ("Share yes", "93.4%")]
    assert figures[0][2].get_text() == "of 1,398 members" and figures[1][2] is None
    shown = " ".join(output.get_text() for output in soup.select(".notebook .output"))
    assert "Yes votes" not in shown and "Passed 1,290" not in shown, "the verdict's Markdown twin is not repeated"


def test_verdict_agrees_with_the_recorded_results(sample):
    _, soup, report = sample
    results, verdict = report["results"], report["verdict"]
    assert verdict["language"] == "en"
    values = {figure["label"]: figure["value"] for figure in verdict["figures"]}
    assert values["Yes votes"] == f"{results['yes']:,}" and values["No votes"] == f"{results['no']:,}"
    assert values["Share yes"] == f"{results['yes'] / (results['yes'] + results['no']):.1%}"
    assert f"Passed {results['yes']:,}-{results['no']:,}" in verdict["sentences"][0]


def test_recorded_results_are_listed_in_the_closing_part(sample):
    _, soup, report = sample
    assert report["results"]["yes"] == 1290 and report["results"]["no"] == 91
    heading = soup.find(id="recorded-results")
    assert heading.find_parent("footer") is not None
    listing = heading.find_next_sibling("details")
    assert "6 results recorded in fixture-sample.json" in listing.summary.get_text()
    rows = {row.th.get_text(): row.td for row in listing.select("table.results > tbody > tr")}
    assert list(rows) == ["by_party", "no", "passed", "share_yes", "yes"], "keys as recorded"
    assert rows["yes"].data.get_text() == "1,290" and rows["yes"].data["value"] == "1290"
    assert "was 1,200" in rows["yes"].get_text()
    assert rows["no"].get_text() == "91"
    share = report["results"]["share_yes"]
    assert share == pytest.approx(1290 / 1398)
    assert rows["share_yes"].data["value"] == repr(share) and rows["share_yes"].data.get_text() == "0.9227"
    assert rows["passed"].get_text() == "true"
    party = rows["by_party"].table
    header = [cell.get_text() for cell in party.select("thead th")]
    assert sorted(header) == ["No", "Yes"]
    first = dict(zip(header, [cell.get_text() for cell in party.select(":scope > tbody tr")[0].find_all("td")]))
    assert party.select(":scope > tbody th")[0].get_text() == "Party A" and first == {"Yes": "1,203", "No": "12"}
    assert "members" not in rows, "a 15-item list is too long to show"
    assert "members" in listing.find(class_="small").get_text()


def test_dataframes_are_readable_tables(sample):
    _, soup, _ = sample
    table = soup.select("div.notebook table.dataframe")[0]
    assert [cell.get_text() for cell in table.select("thead th")] == ["party", "yes", "no", "abstain", "members"]
    first = table.select("tbody tr")[0].find_all(["td", "th"])
    assert [cell.get_text() for cell in first] == ["Party A", "1,203", "12", "4", "1,219"]
    assert "num" not in (first[0].get("class") or [])
    assert all("num" in cell["class"] for cell in first[1:])
    assert "num" in table.select("thead th")[1]["class"]
    wrapper = table.parent
    assert "table-wrap" in wrapper["class"] and wrapper["tabindex"] == "0"


def test_charts_carry_alt_text_and_captions(sample):
    _, soup, _ = sample
    figure = soup.select_one("div.notebook figure.chart")
    assert figure.img["alt"] == ("Bar chart of yes votes by party for Senate passes the reform: "
                                 "Party A 1,203, Party B 87, Party C 0")
    assert figure.figcaption.get_text() == "Yes votes by party. Source: data/tallies.csv."
    png = base64.b64decode(figure.img["src"].split(",", 1)[1])
    assert png.startswith(b"\x89PNG")
    assert (figure.img["width"], figure.img["height"]) != ("0", "0")


def test_closing_part_cites_sources_and_how_to_reproduce(sample):
    _, soup, report = sample
    footer = soup.find("footer").get_text(" ", strip=True)
    sha = hashlib.sha256((PROJECT / "data" / "tallies.csv").read_bytes()).hexdigest()
    assert report["data"] == [{"path": "data/tallies.csv", "sha256": sha}]
    for expected in (
        "Fixture tallies (made up for the export tests)",
        "Cite as: dictamen developers (2024). Fixture tallies for HTML export tests. Made-up numbers.",
        "Licence: CC0-1.0",
        "https://example.org/dictamen/fixture",
        "Numbers are invented for testing the report layout",
        sha,
        "dictamen run fixture-sample",
        "0123456789abcdef0123456789abcdef01234567",
        report["versions"]["python"],
        "nbformat",
    ):
        assert expected in footer, expected
    assert soup.select_one("footer time")["datetime"] == report["started"]
    assert soup.find("footer").h2.get_text() == "How this was made"
    assert len(soup.select("footer details.machinery")) == 4, "sources, parameters, results, versions: collapsed"
    assert soup.find(id="data-sources").find_next_sibling("details").summary.get_text() == \
        "1 data file, with its publisher, licence and caveats"
    assert not soup.select("footer details.machinery[open]")


def test_recorded_payloads_are_not_in_the_page(sample):
    page, _, _ = sample
    assert "application/vnd.dictamen" not in page
    assert '"Party A": {' not in page


def test_markdown_and_html_outputs_lose_script_handlers_and_remote_images(sample):
    page, soup, _ = sample
    assert soup.find("script") is None
    assert not [element for element in soup.find_all(True) if any(name.startswith("on") for name in element.attrs)]
    link = soup.find("a", string="a javascript link")
    assert link is not None and not link.get("href")
    assert "example.org/beacon.png" not in page
    assert "a remote image" in soup.get_text()
    assert "Raw HTML output" in soup.get_text()
    assert "window.__pwned" not in _without_images(page).replace("&lt;", "<").split("<pre", 1)[0]
    assert "$x^2$" in soup.get_text(), "no math renderer: dollars stay text"


def test_hostile_titles_are_shown_as_text(hostile):
    page, soup, report = hostile
    assert soup.h1.get_text() == "Vote on " + HOSTILE
    assert soup.title.get_text() == "Vote on " + HOSTILE
    assert soup.find("script") is None
    assert len(soup.find_all("img")) == 1, "only the chart is an image; the title's <img> is text"
    assert not [element for element in soup.find_all(True) if any(name.startswith("on") for name in element.attrs)]
    prose = soup.select_one("div.output.md").get_text()
    assert HOSTILE + " & <b>bold</b> claims" in prose
    assert soup.select_one("div.output.md").find("b") is None
    assert HOSTILE in soup.select_one("figure.chart img")["alt"]
    verdict = soup.find(id="verdict")
    assert HOSTILE in verdict.get_text() and verdict.find(["script", "img", "b"]) is None, "escaped in the verdict too"


def test_failed_run_shows_the_error_and_links_to_it(broken):
    page, soup, report = broken
    assert report["status"] == "failed" and report["error"]["ename"] == "InputError"
    alert = soup.find(id="run-failed")
    assert "InputError" in alert.get_text() and "missing.csv" in alert.get_text()
    assert alert.find("a")["href"] == "#run-error"
    assert soup.find(id="run-error") is not None
    assert "Last successful run" in alert.get_text()


def test_no_local_paths_user_or_host_in_any_variant(sample, hostile, broken):
    home = str(Path.home())
    host = socket.gethostname()
    for page, soup, _ in (sample, hostile, broken):
        text = _without_images(page)
        for secret in (str(ROOT), str(PROJECT), "/work/", "site-packages", home + "/"):
            assert secret not in text, secret
        if len(host) >= 3:
            assert not re.search(r"(?<![\w.-])" + re.escape(host) + r"(?![\w-])", soup.get_text())
        assert "environ(" not in text and "PATH=" not in text
    assert "[environment listing removed from the shared report]" in sample[0]
    assert "~/private-folder/missing.csv" in broken[0]


def test_page_furniture_is_slim(sample):
    _, _, report = sample
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Empty\n\nNothing else.")])
    with fixture_project():
        page = render_report(notebook, report)
    size = len(page.encode("utf-8"))
    assert size < 150_000
    assert size < 40_000, f"furniture grew to {size} bytes"


# --------------------------------------------------------------------------- helpers

def test_clean_html_keeps_content_and_drops_every_active_part():
    hostile = (
        '<p onclick="x()">Para <a href="JaVaScRiPt:alert(1)">js</a> <a href="https://ok.example/">ok</a></p>'
        '<svg onload="alert(1)"><circle/></svg><iframe src="https://evil.example"></iframe>'
        '<img src="data:text/html;base64,PHNjcmlwdD4=" alt="html as image">'
        '<img src="https://evil.example/pixel.gif" alt="pixel">'
        '<div style="background:url(https://evil.example/bg)">styled</div><style>body{display:none}</style>'
        '<form action="https://evil.example"><input name="q"></form><math><mi>x</mi></math>'
        '<table border="1"><tr><th id="show-code">h</th></tr></table>'
    )
    cleaned = clean_html(hostile)
    soup = BeautifulSoup(cleaned, "html.parser")
    assert soup.find(["svg", "iframe", "style", "form", "input", "math", "script"]) is None
    assert soup.find("img") is None
    assert [link.get("href") for link in soup.find_all("a")] == [None, "https://ok.example/"]
    assert not [element for element in soup.find_all(True)
                if set(element.attrs) - {"class", "href", "title", "lang", "dir"}]
    assert "Para" in soup.get_text() and "styled" in soup.get_text() and "pixel" in soup.get_text()
    assert "evil.example" not in cleaned


def test_scrubber_removes_the_machine_from_text(monkeypatch):
    monkeypatch.setenv("DICTAMEN_TEST_API_TOKEN", "tok-9f8e7d6c5b4a")
    scrubber = Scrubber(ROOT)
    home = str(Path.home())
    assert scrubber.text(f"read {ROOT}/data/votes/x.csv") == "read data/votes/x.csv"
    assert scrubber.text(f"cd {ROOT}") == "cd ."
    assert scrubber.text(f"{home}/notes/a.txt") == "~/notes/a.txt"
    assert scrubber.text("File /usr/lib/python3.11/json/decoder.py:355") == "File .../json/decoder.py:355"
    assert scrubber.text(r"C:\Users\ana\proyecto\datos.csv") == "...\\datos.csv"
    assert scrubber.text("token tok-9f8e7d6c5b4a used") == "token [redacted] used"
    assert scrubber.text("\x1b[31mred\x1b[0m") == "red"
    dump = "\n".join(f"{key}={value}" for key, value in
                     {"PATH": "/usr/bin", "HOME": home, "LANG": "C", "USER": "x", "SHELL": "/bin/sh"}.items())
    assert scrubber.text(dump) == "[environment listing removed from the shared report]"
    for kept in ("https://voteview.com/data/x.csv", "data/votes/x.csv", "yes/no", "2020/12/19", "1/2"):
        assert scrubber.text(kept) == kept
    host = socket.gethostname()
    if len(host) >= 3:
        assert host not in scrubber.text(f"ran on {host}")


def test_tidy_table_drops_the_range_index_and_formats_numbers():
    soup = BeautifulSoup(
        "<table><thead><tr><th></th><th>year</th><th>seats</th><th>share</th></tr></thead><tbody>"
        "<tr><th>0</th><td>2018</td><td>12345</td><td>0.5</td></tr>"
        "<tr><th>1</th><td>2021</td><td>-2000</td><td>NaN</td></tr></tbody></table>", "html.parser")
    tidy_table(soup.table)
    assert [cell.get_text() for cell in soup.select("thead th")] == ["year", "seats", "share"]
    assert [[cell.get_text() for cell in row.find_all("td")] for row in soup.select("tbody tr")] == [
        ["2018", "12,345", "0.5"], ["2021", "-2,000", "NaN"]]
    assert all("num" in cell["class"] for cell in soup.select("td"))


def test_tidy_table_keeps_a_meaningful_index_as_row_headers():
    soup = BeautifulSoup(
        "<table><thead><tr><th></th><th>yes</th></tr><tr><th>party</th><th></th></tr></thead><tbody>"
        "<tr><th>MORENA</th><td>1000</td></tr><tr><th>PAN</th><td>7</td></tr></tbody></table>", "html.parser")
    tidy_table(soup.table)
    assert [cell["scope"] for cell in soup.select("tbody th")] == ["row", "row"]
    assert not [cell for cell in soup.find_all("th") if not cell.get_text(strip=True)], "no empty headers"
    assert soup.select("tbody td")[0].get_text() == "1,000"


@pytest.mark.parametrize("value, shown", [
    (1290, "1,290"), (0.9227467811158798, "0.9227"), (12345.678, "12,346"), (3.0, "3"), (-0.000123456, "-0.0001235"),
    (True, "true"), (False, "false"), (None, "—"), (float("nan"), "—"), ("MORENA", "MORENA"), ([1, 2000], "1, 2,000"),
])
def test_format_value(value, shown):
    assert format_value(value) == shown


def test_durations_and_slugs():
    assert format_duration(5.14) == "5.1 s"
    assert format_duration(75.2) == "1 min 15 s"
    assert format_duration(7322) == "2 h 02 min"
    assert slugify("Votación por partido (2020)") == "votacion-por-partido-2020"
    assert slugify("¿?") == "section"


def test_parameter_declarations_read_defaults_and_help():
    declared = parameter_declarations(nbformat.read(NOTEBOOK, as_version=4))
    assert declared["threshold"] == {"default": 0.5, "help": "share of yes votes needed"}
    assert declared["title"]["default"] == "Sample vote"
    assert list(declared) == ["tallies_path", "title", "article_title", "threshold", "language"]


def test_image_without_alt_text_gets_a_marked_fallback():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plot()")])
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (10).to_bytes(4, "big")
                           + (20).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00").decode()
    notebook.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"image/png": png, "text/plain": "<Figure size 640x480 with 1 Axes>"})]
    soup = BeautifulSoup(render_report(notebook, {"name": "x"}), "html.parser")
    assert soup.img["alt"] == MISSING_ALT
    assert (soup.img["width"], soup.img["height"]) == ("10", "20")


# --------------------------------------------------------------------------- language

@pytest.fixture(scope="module")
def spanish():
    return _rendered("spanish")


def test_spanish_page_speaks_spanish(spanish):
    _, soup, report = spanish
    assert report["parameters"]["language"] == "es"
    assert soup.html["lang"] == "es"
    assert soup.find(id="toc-title").get_text() == "Contenido"
    assert soup.find("label", attrs={"for": "show-code"}).get_text(" ", strip=True) == "Mostrar código Ocultar código"
    assert soup.find(id="verdict-title").get_text() == "En resumen"
    assert soup.find(id="how-made").get_text() == "Cómo se hizo"
    assert soup.find(id="parameters").get_text() == "Parámetros"
    assert [cell.get_text() for cell in soup.select("table.params thead th")] == ["Parámetro", "Valor", "Significado"]
    assert soup.find(class_="status").get_text() == "Correcto"
    assert soup.find(class_="eyebrow").get_text() == "Cómo se repartió la votación de muestra · informe de dictamen"
    assert soup.select_one("pre.code .label").get_text() == "Parámetros (predeterminados)"
    assert "5 parámetros; 2 distintos de los valores predeterminados del cuaderno" in soup.find(
        id="parameters").find_next_sibling("details").summary.get_text()


def test_spanish_page_translates_cells_and_parameter_help_by_exact_text(spanish):
    _, soup, _ = spanish
    headings = [heading.get_text() for heading in soup.select(".notebook h2, .notebook h3")]
    assert headings[:4] == ["Recuentos", "Por partido", "De dónde vienen los números", "Gráfica"]
    assert "Los votos de cada partido, tal como se publicaron." in soup.get_text()
    assert headings[4] == "Notas"
    assert headings[5] == "Notes", "a cell without a translation is shown in English"
    rows = {row.th.get_text(): row.find_all("td")[1].get_text() for row in soup.select("table.params tbody tr")}
    assert rows["tallies_path"] == "archivo de recuentos, una fila por partido"
    assert rows["threshold"] == "proporción de votos a favor necesaria", "the [0..1] marker is not part of the msgid"
    assert rows["article_title"] == "headline of the article being discussed"


def test_untranslated_cells_lists_what_a_spanish_page_would_show_in_english():
    from dictamen.pipeline.export import untranslated_cells

    with fixture_project():
        missing = untranslated_cells(nbformat.read(NOTEBOOK, as_version=4), "sample", "es")
    assert len(missing) == 2
    assert missing[0].startswith("## Notes\n\nA second section with the same heading")
    assert missing[1] == "headline of the article being discussed"
    assert untranslated_cells(nbformat.read(NOTEBOOK, as_version=4), "sample", "en") == [], "English is the source"


def test_dates_and_numbers_follow_the_page_locale(sample, spanish):
    from babel.dates import format_date

    import datetime as dt

    _, english, report = sample
    _, spanish_soup, spanish_report = spanish
    finished = dt.datetime.fromisoformat(spanish_report["finished"]).astimezone(dt.timezone.utc)
    meta = spanish_soup.find(class_="meta").time
    assert meta["datetime"] == spanish_report["finished"]
    assert meta.get_text() == f"{format_date(finished, 'medium', locale='es_MX')}, {finished:%H:%M} UTC"
    assert format_date(finished, "medium", locale="es_MX") != format_date(finished, "medium", locale="en_US")
    english_finished = dt.datetime.fromisoformat(report["finished"]).astimezone(dt.timezone.utc)
    assert english.find(class_="meta").time.get_text() == \
        f"{format_date(english_finished, 'medium', locale='en_US')}, {english_finished:%H:%M} UTC"
    rows = {row.th.get_text(): row.td for row in spanish_soup.select("table.results > tbody > tr")}
    assert rows["passed"].get_text() == "true", "as recorded, in every language"
    assert rows["yes"].data.get_text() == "1,290", "es_MX groups thousands with a comma, like en_US"


def test_twins_link_to_each_other(sample, spanish):
    _, english, _ = sample
    _, spanish_soup, _ = spanish
    for soup, other, name in ((english, "fixture-spanish.html", "Español"), (spanish_soup, "fixture-sample.html",
                                                                               "English")):
        switch = soup.find("nav", class_="languages")
        link = switch.find("a")
        assert (link["href"], link.get_text(), link["hreflang"]) == (other, name, "es" if name == "Español" else "en")
        assert switch.find(attrs={"aria-current": "page"}) is not None
        assert len(switch.find_all("a")) == 1


def test_every_page_message_has_a_spanish_translation():
    """The page furniture: messages in the templates (t(), tn()) and in export.py/site.py (_(), n_())."""
    from babel.messages.extract import extract_python
    from babel.messages.pofile import read_po
    from jinja2.ext import babel_extract

    from dictamen import messages

    pipeline = ROOT / "lib" / "dictamen" / "pipeline"
    found: list[tuple[str, object]] = []
    for path in sorted((pipeline / "templates").glob("*.j2")):
        with open(path, "rb") as handle:
            found += [(path.name, message) for _, _, message, _ in babel_extract(handle, {"t": None, "tn": (1, 2)}, [], {})]
    for path in (pipeline / "export.py", pipeline / "site.py"):
        with open(path, "rb") as handle:
            found += [(path.name, message) for _, _, message, _ in extract_python(handle, {"_": None, "n_": (1, 2)}, [], {})]
    with open(messages.LOCALE_DIR / "es" / "LC_MESSAGES" / "page.po", "rb") as handle:
        spanish = {entry.id: entry.string for entry in read_po(handle) if entry.id}
    wanted = set()
    for where, message in found:
        if isinstance(message, tuple):
            message = tuple(part for part in message if part is not None)
            message = message if len(message) > 1 else (message[0] if message else None)
        if message:
            wanted.add((where, message))
    assert len(wanted) > 60
    missing = [f"{where}: {message!r}" for where, message in sorted(wanted, key=str)
               if not spanish.get(message) or (isinstance(spanish[message], tuple) and not all(spanish[message]))]
    assert not missing, "page messages without a Spanish translation in page.po:\n" + "\n".join(missing)


# --------------------------------------------------------------------------- addresses

ADDRESS = "https://www.canaldelcongreso.gob.mx/noticias/13767/Las_y_los_senadores_avalan_regular_actividades_de_los_agentes_extranjeros_en_Mxic"


def test_urls_in_prose_survive_into_href_byte_for_byte(sample):
    _, soup, _ = sample
    verdict_links = [link["href"] for link in soup.find(id="verdict").find_all("a")]
    assert verdict_links == [ADDRESS], "prose.link in a verdict sentence"
    cell_links = [link["href"] for link in soup.select(".notebook .md a[href^=http]")]
    assert cell_links == [ADDRESS], "an autolink in a Markdown cell"
    assert "%5C" not in str(soup) and "Las\\_y" not in str(soup)


@pytest.mark.parametrize("address", [
    ADDRESS,
    "https://example.org/a_b*c*/(paren)?q=1&r=[2]#frag_ment",
    "https://www.dof.gob.mx/nota_detalle.php?codigo=5607736&fecha=18/12/2020",
    "https://es.wikipedia.org/wiki/Ley_de_Seguridad_Nacional_(México)",
    "https://example.org/ya%20encoded/100%25",
])
def test_prose_link_keeps_the_address_and_escapes_the_text(address):
    from dictamen import prose
    from dictamen.pipeline.export import _render_cells

    text = "Las_y_los *senadores* <b>[1]</b>"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    notebook.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"text/markdown": "Source: " + prose.link(text, address) + "."})]
    with fixture_project():
        page = render_report(notebook, {"name": "x"})
    link = BeautifulSoup(page, "html.parser").select_one(".notebook a")
    assert link["href"] == address
    assert link.get_text() == text
    assert prose.link("a page", "javascript:alert(1)") == "a page (javascript:alert\\(1\\))", "only http(s) links"


AWAITING_DOMAIN_BRANCHES: set[str] = set()
"""Notebooks whose nb_<stem>.po the domain branches write (issue 13). Once merged, empty this set:
the test must then pass for every notebook."""


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda path: path.stem)
def test_every_notebook_cell_and_parameter_help_has_a_spanish_translation(notebook):
    from dictamen.pipeline.export import notebook_catalogue_path, untranslated_cells

    if notebook.stem in AWAITING_DOMAIN_BRANCHES and not notebook_catalogue_path(notebook.stem, "es").is_file():
        pytest.xfail(f"nb_{notebook.stem}.po comes with the {notebook.stem} domain branch")
    missing = untranslated_cells(nbformat.read(notebook, as_version=4), notebook.stem, "es")
    assert not missing, (f"{notebook.relative_to(ROOT)}: {len(missing)} Markdown cell(s) or parameter help text(s) "
                         f"without an entry in {notebook_catalogue_path(notebook.stem, 'es').relative_to(ROOT)} "
                         "(msgid = the cell's source, trailing whitespace stripped; for a parameter its help "
                         "comment without the [min..max] marker); a Spanish page shows them in English:\n\n"
                         + "\n\n".join(missing))
