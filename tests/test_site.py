"""The index site: every report with its state, errors shown, relative links, same safety rules."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from dictamen.pipeline.sanitize import style_hash
from dictamen.pipeline.site import render_index, render_indexes
from dictamen.pipeline.twins import twins

HOSTILE = '<script>alert(1)</script><img src=x onerror="window.__pwned=1">'


def _record(name: str, **overrides):
    record = {
        "name": name, "notebook": "notebooks/vote_breakdown.ipynb", "kind": "vote_breakdown",
        "title": f"Title of {name}", "description": "", "parameters": {"rollcall": 442, "rule": "simple"},
        "results": {"yes": 89}, "status": "ok", "started": "2024-05-02T10:00:00+00:00",
        "finished": "2024-05-02T10:00:07+00:00", "duration_s": 7.25, "data": [], "versions": {},
        "commit": None, "dirty": False, "command": f"dictamen run {name}", "error": None, "changes": [],
        "previous_success": None, "run_id": "20240502T100000Z-abc",
    }
    record.update(overrides)
    return record


RECORDS = [
    _record("usmca-senate-2020", supplied={"rollcall": 442, "title": "Title of usmca-senate-2020"},
            description="US Senate roll call 442 & the <USMCA>", changes=[{"key": "yes", "previous": 88, "current": 89},
                                          {"key": "share.yes", "previous": 0.88, "current": 0.8912345}]),
    _record("cached-one", status="cached", duration_s=75.0, parameters={"exclude": ["2020-03-01/2020-06-30"]}),
    _record("broken-now", status="failed", previous_success="2024-04-30T08:00:00+00:00",
            title="Broken " + HOSTILE,
            error={"cell": 4, "ename": "InputError", "evalue": "The file given by parameter 'votes_path' does "
                   "not exist: missing.csv.", "line": "cell 4: InputError: The file ... missing.csv."}),
    _record("never-worked", status="failed", previous_success=None,
            parameters={"votes_path": str(Path.home() / "secret" / "v.csv")},
            error={"cell": None, "ename": "NoSuchKernel", "evalue": "No such kernel named dictamen",
                   "line": "before the first cell: NoSuchKernel: No such kernel named dictamen"}),
]


def _index():
    page = render_index(RECORDS, generated="2024-05-02T10:01:00+00:00")
    return page, BeautifulSoup(page, "html.parser")

def test_index_lists_every_report_with_its_state():
    _, soup = _index()
    cards = {card.select_one("dd.name code").get_text(): card for card in soup.select("li.card")}
    assert list(cards) == ["usmca-senate-2020", "cached-one", "broken-now", "never-worked"]
    usmca = cards["usmca-senate-2020"].get_text(" ", strip=True)
    for expected in ("Title of usmca-senate-2020", "Succeeded", "notebooks/vote_breakdown.ipynb", "rollcall = 442",
                     "US Senate roll call 442 & the <USMCA>", "May 2, 2024, 10:00 UTC", "7.2 s", "yes : 88 → 89",
                     "share.yes : 0.88 → 0.8912"):
        assert expected in usmca, expected
    assert "rule = simple" not in usmca and "title =" not in usmca, "only the parameters reports.toml supplies"
    cached = cards["cached-one"].get_text(" ", strip=True)
    assert "Unchanged (cached)" in cached and "1 min 15 s" in cached and "none since the previous run" in cached
    assert "exclude = 2020-03-01/2020-06-30" in cached
    assert soup.find(class_="summary").get_text() == "4 reports: 2 up to date, 2 failed."


def test_failed_reports_show_their_error_and_last_success():
    _, soup = _index()
    cards = {card.select_one("dd.name code").get_text(): card for card in soup.select("li.card")}
    broken = cards["broken-now"]
    assert "failed" in broken["class"]
    text = broken.get_text(" ", strip=True)
    assert "InputError : The file given by parameter 'votes_path' does not exist: missing.csv. (cell 4)" in text
    assert "Apr 30, 2024, 08:00 UTC" in text
    assert broken.h2.a["href"] == "broken-now.html", "the last successful version is still there"
    assert "last successful version" in text
    never = cards["never-worked"]
    assert never.h2.find("a") is None, "no HTML exists for a report that never succeeded"
    assert "never" in never.get_text(" ", strip=True)


def test_links_are_relative_and_page_is_safe():
    page, soup = _index()
    hrefs = [link["href"] for link in soup.find_all("a")]
    assert hrefs == ["#content", "index.es.html", "usmca-senate-2020.html", "cached-one.html", "broken-now.html"]
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert style_hash(soup.style.string) in policy
    assert soup.find("script") is None and soup.find("img") is None
    assert "Broken " + HOSTILE in soup.get_text()
    assert str(Path.home()) + "/" not in page
    assert "~/secret/v.csv" not in page and "v.csv" in page, "absolute parameter paths show as file names"
    assert not re.search(r"mathjax|require\.js", page, re.IGNORECASE)


def test_empty_index_still_renders():
    soup = BeautifulSoup(render_index([], generated="2024-05-02T10:01:00Z"), "html.parser")
    assert "0 reports" in soup.find(class_="summary").get_text()


VERDICT = {"language": "en", "sentences": ["Passed 89-10, 39 votes to spare.", "Second sentence."],
           "figures": [{"label": "Yes", "value": "89", "detail": ""}]}
TWINS = [
    _record("mx-lsn-2020", parameters={"law_id": "mx-lsn-2020", "title": "How it was voted"}, verdict=VERDICT),
    _record("mx-lsn-2020-es", parameters={"law_id": "mx-lsn-2020", "language": "es", "title": "Cómo se votó"},
            verdict={**VERDICT, "language": "es", "sentences": ["Aprobada 89-10, con 39 votos de sobra."]}),
    _record("english-only", parameters={"law_id": "other"}),
]


def test_twins_are_the_same_report_in_another_language():
    found = twins((r["name"], r["notebook"], r["parameters"]) for r in TWINS)
    assert found == {"mx-lsn-2020": {"en": "mx-lsn-2020", "es": "mx-lsn-2020-es"},
                     "mx-lsn-2020-es": {"en": "mx-lsn-2020", "es": "mx-lsn-2020-es"}}
    ambiguous = twins([("a", "n.ipynb", {"x": 1}), ("b", "n.ipynb", {"x": 1, "title": "B"}),
                       ("c", "n.ipynb", {"x": 1, "language": "es"})])
    assert ambiguous == {}, "two English reports with one Spanish one: which is the twin is not known"
    assert twins([("a", "n.ipynb", {"x": 1}), ("b", "m.ipynb", {"x": 1, "language": "es"})]) == {}


def test_each_language_has_its_index_and_cards_lead_with_the_verdict():
    pages = render_indexes(TWINS, generated="2024-05-02T10:01:00+00:00")
    assert list(pages) == ["index.html", "index.es.html"]
    english, spanish = (BeautifulSoup(pages[name], "html.parser") for name in pages)
    assert english.html["lang"] == "en" and spanish.html["lang"] == "es"
    assert english.h1.get_text() == "Reports" and spanish.h1.get_text() == "Informes"
    assert spanish.find(class_="summary").get_text() == "2 informes: 2 al día."
    names = [[code.get_text() for code in soup.select("dd.name code")] for soup in (english, spanish)]
    assert names == [["mx-lsn-2020", "english-only"], ["mx-lsn-2020-es", "english-only"]], \
        "one card per report, in the index's language where a twin exists"
    first = english.select("li.card")[0]
    assert first.find(class_="verdict-line").get_text() == "Passed 89-10, 39 votes to spare."
    assert [(a["href"], a.get_text()) for a in first.select(".twins a")] == [("mx-lsn-2020-es.html", "Español")]
    spanish_first = spanish.select("li.card")[0]
    assert spanish_first.find(class_="verdict-line").get_text() == "Aprobada 89-10, con 39 votos de sobra."
    assert [(a["href"], a.get_text()) for a in spanish_first.select(".twins a")] == [("mx-lsn-2020.html", "English")]
    other = spanish.select("li.card")[1]
    assert other["lang"] == "en", "an English-only report in the Spanish index is marked as English"
    assert other.find(class_="verdict-line") is None
    assert "Estado" in spanish.get_text() and "Correcto" in spanish.get_text()
    assert [a["href"] for a in english.select("nav.languages a")] == ["index.es.html"]
    assert [a["href"] for a in spanish.select("nav.languages a")] == ["index.html"]


def test_dictamen_list_is_a_table_that_fits_the_terminal(tmp_path, monkeypatch, capsys):
    import json

    from dictamen.pipeline.cli import main

    sentence = ("Cámara de Diputados: passed on December 15, 2020, 329–98–40, 115 votes to spare. "
                "No detectable effect on Trucks \\(US-Mexico Border\\): **-0.1%**.")
    (tmp_path / "dossier-mx-lsn-2020.json").write_text(json.dumps(_record(
        "dossier-mx-lsn-2020", verdict={"language": "en", "sentences": [sentence], "figures": []})), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "130")
    assert main(["list", "--output-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "NOTEBOOK", "STATE", "LAST", "RUN", "VERDICT"]
    assert all(len(line) <= 130 for line in lines), max(lines, key=len)
    row = next(line for line in lines if line.startswith("dossier-mx-lsn-2020 "))
    assert "law_dossier.ipynb" in row and "stale: HTML missing" in row and "2024-05-02 10:00" in row
    assert "Cámara de Diputados: passed on" in row and row.endswith("…"), "the verdict, cut to fit"
    assert "\\" not in row and "**" not in row, "Markdown escapes are not shown in a terminal"
    assert not any("law_id" in line for line in lines), "parameters only on request"
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["list", "--output-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    row = next(index for index, line in enumerate(lines) if line.startswith("dossier-mx-lsn-2020 "))
    assert lines[row + 1].startswith("    Cámara de Diputados: passed on"), "a narrow terminal: the verdict below"
    monkeypatch.setenv("COLUMNS", "300")
    assert main(["list", "--output-dir", str(tmp_path), "-v"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "No detectable effect on Trucks (US-Mexico Border): -0.1%." in next(
        line for line in lines if line.startswith("dossier-mx-lsn-2020 "))
    below = lines[lines.index(next(line for line in lines if line.startswith("dossier-mx-lsn-2020 "))) + 1:]
    assert below[:3] == ["    law_id = mx-lsn-2020", "    laws_path = data/laws.toml",
                         "    title = What happened with Mexico's 2020 reform of the Ley de Seguridad Nacional?"]


def test_configured_twins_compare_effective_parameters():
    """A default written out in one report and left out of its twin does not part them (reports.toml)."""
    from dictamen.pipeline.config import ReportSpec
    from dictamen.pipeline.twins import configured_twins

    english = ReportSpec("d", "notebooks/law_dossier.ipynb", {"law_id": "mx-lsn-2020", "laws_path": "data/laws.toml"})
    spanish = ReportSpec("d-es", "notebooks/law_dossier.ipynb", {"language": "es", "title": "¿Qué pasó?"})
    other = ReportSpec("u-es", "notebooks/law_dossier.ipynb", {"law_id": "usmca-2020", "language": "es"})
    assert configured_twins([english, spanish, other]) == {"d": {"en": "d", "es": "d-es"},
                                                          "d-es": {"en": "d", "es": "d-es"}}
