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


@pytest.fixture(scope="module")
def sample():
    executed, report = executed_variant("sample")
    with fixture_project():
        page = render_report(executed, report)
    return page, BeautifulSoup(page, "html.parser"), report


@pytest.fixture(scope="module")
def hostile():
    executed, report = executed_variant("hostile")
    with fixture_project():
        page = render_report(executed, report)
    return page, BeautifulSoup(page, "html.parser"), report


@pytest.fixture(scope="module")
def broken():
    executed, report = executed_variant("broken")
    with fixture_project():
        page = render_report(executed, report)
    return page, BeautifulSoup(page, "html.parser"), report


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
    assert not re.search(r"(src|href)=\"(https?:)?//", _without_images(page).replace(
        'href="https://example.org/dictamen/fixture"', ""))


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
    assert soup.find(class_="subtitle").get_text() == "How the sample vote broke down"
    assert len(soup.find_all("h1")) == 1, "the notebook's own H1 becomes the subtitle, not a second H1"
    ids = {element["id"] for element in soup.find_all(id=True)}
    targets = [link["href"][1:] for link in soup.select("nav.toc a")]
    assert targets[:2] == ["key-figures", "parameters"]
    assert {"tallies", "chart", "notes", "notes-2", "provenance"} <= set(targets)
    assert all(target in ids for target in targets)
    assert soup.find(id="tallies").name == "h2"
    rows = {row.th.get_text(): [cell.get_text() for cell in row.find_all("td")]
            for row in soup.select("table.params tbody tr")}
    assert rows["tallies_path"] == ["data/tallies.csv", "tally file, one row per party"]
    assert rows["threshold"] == ["0.5", "share of yes votes needed"]


def test_headline_figures_come_from_the_recorded_results(sample):
    _, soup, report = sample
    assert report["results"]["yes"] == 1290 and report["results"]["no"] == 91
    figures = {figure.dt.get_text(): figure.dd for figure in soup.select(".figures .figure")}
    assert figures["Yes"].data.get_text() == "1,290"
    assert figures["Yes"].data["value"] == "1290"
    assert "was 1,200" in figures["Yes"].get_text()
    assert figures["No"].get_text() == "91"
    share = report["results"]["share_yes"]
    assert share == pytest.approx(1290 / 1398)
    assert figures["Share yes"].data["value"] == repr(share)
    assert figures["Share yes"].data.get_text() == "0.9227"
    assert figures["Passed"].get_text() == "yes"
    party = figures["By party"].table
    header = [cell.get_text() for cell in party.select("thead th")]
    assert sorted(header) == ["No", "Yes"]
    first = dict(zip(header, [cell.get_text() for cell in party.select("tbody tr")[0].find_all("td")]))
    assert party.select("tbody th")[0].get_text() == "Party A" and first == {"Yes": "1,203", "No": "12"}
    assert "Members" not in figures, "a 15-item list is too long for the top of the report"
    assert "members" in soup.find(id="key-figures").parent.find(class_="small").get_text()


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


def test_provenance_footer_cites_sources_and_how_to_reproduce(sample):
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
    (True, "yes"), (None, "—"), (float("nan"), "—"), ("MORENA", "MORENA"), ([1, 2000], "1, 2,000"),
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
    assert list(declared) == ["tallies_path", "title", "article_title", "threshold"]


def test_image_without_alt_text_gets_a_marked_fallback():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("plot()")])
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (10).to_bytes(4, "big")
                           + (20).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00").decode()
    notebook.cells[0].outputs = [nbformat.v4.new_output(
        "display_data", data={"image/png": png, "text/plain": "<Figure size 640x480 with 1 Axes>"})]
    soup = BeautifulSoup(render_report(notebook, {"name": "x"}), "html.parser")
    assert soup.img["alt"] == MISSING_ALT
    assert (soup.img["width"], soup.img["height"]) == ("10", "20")
