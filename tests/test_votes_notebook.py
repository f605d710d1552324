"""notebooks/vote_breakdown.ipynb runs for real (papermill, kernel 'dictamen', and the real `dictamen run`)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dictamen.catalog import project_root
from dictamen.record import results_from_notebook, verdict_from_notebook

NOTEBOOK = "notebooks/vote_breakdown.ipynb"
SYNTH = {f"{kind}_path": f"tests/fixtures/votes/synthetic_H999_{kind}.csv" for kind in ("votes", "members", "rollcalls")}
S116 = {f"{kind}_path": f"data/votes/voteview_S116_{kind}.csv" for kind in ("votes", "members", "rollcalls")}


def _run(tmp_path, **parameters):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(project_root() / NOTEBOOK), str(out), parameters=parameters, kernel_name="dictamen",
                        cwd=str(project_root() / "notebooks"), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    return nb, results_from_notebook(nb)


def _dictamen(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "dictamen.pipeline.cli", "run", *arguments, "--output-dir", str(tmp_path / "out"),
               "--workers", "1"]
    return subprocess.run(command, cwd=project_root(), capture_output=True, text=True, timeout=600)


def _alt_texts(nb):
    return [output.get("metadata", {}).get("image/png", {}).get("alt")
            for cell in nb.cells for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


def test_committed_notebook_has_no_outputs_and_names_its_preflight():
    nb = nbformat.read(project_root() / NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    assert "parameters" in nb.cells[1].metadata.get("tags", [])
    assert nb.metadata["dictamen"]["preflight"] == "dictamen.votes.checks:preflight"
    assert "rollcall:" not in "".join(nb.cells[1].source)


@pytest.mark.parametrize("arguments, names", [
    (["-p", "vote", "442"], ["'vote'", "'data_format'", "'voteview', 'dipmex' or 'long'"]),
    (["-p", "votes_path", "data/votes/voteview_S116_votes.csv"], ["'data_format'", "'voteview'"]),
    (["-p", "votes_path", "data/votes/dipmex/rc61.csv", "-p", "vote", "sil61vot4"], ["'data_format'", "'dipmex'"]),
    (["-p", "rollcall", "442"], ["'rollcall' is gone", "'vote'"]),
])
def test_no_silent_mode_refused_before_a_kernel_starts(tmp_path, arguments, names):
    finished = _dictamen(tmp_path, NOTEBOOK, *arguments)
    assert finished.returncode == 2, finished.stderr
    for name in names:
        assert name in finished.stderr
    assert "Nothing was run" in finished.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


def test_member_level_format_without_its_files_is_refused(tmp_path):
    finished = _dictamen(tmp_path, NOTEBOOK, "-p", "data_format", "dipmex", "-p", "vote", "sil61vot4")
    assert finished.returncode == 2 and "votes_path, members_path, rollcalls_path are empty" in finished.stderr


@pytest.mark.slow
def test_defaults_tallies_mode_with_verdict(tmp_path):
    nb, results = _run(tmp_path)
    assert results["mode"] == "tallies" and results["data_format"] == "tallies"
    assert results["tally"] == {"yes": 329, "no": 98, "abstain": 40, "not_voting": 33}
    assert results["passed"] is True and results["margin"] == 329 - (427 // 2 + 1) == 115
    assert results["rule"] == "1/2-of-voting" and results["needed"] == 214
    assert len(results["stages"]) == 5 and results["disagreements"] == 1
    verdict = verdict_from_notebook(nb)
    assert verdict["sentences"][0] == "Passed 329-98-40, 115 votes to spare."
    assert 3 <= len(verdict["figures"]) <= 6
    alts = _alt_texts(nb)
    assert any(a.startswith("Hemicycle of 500 seats") for a in alts)
    assert any("context only" in a.lower() for a in alts)
    text = "".join(o.get("data", {}).get("text/markdown", "") for c in nb.cells for o in c.get("outputs", []))
    assert "not public in any bundled source" in text


@pytest.mark.slow
def test_usmca_voteview_vote(tmp_path):
    nb, results = _run(tmp_path, data_format="voteview", vote="442", **S116)
    assert results["tally"] == {"yes": 89, "no": 10, "abstain": 0, "present": 0, "absent": 1, "excused": 0,
                                "paired": 0, "invalid": 0, "not_voting": 1, "vacant": 0}
    assert results["passed"] is True and results["margin"] == 39 and results["rollcall"] == 442
    assert results["voteview_counts"] == {"yea_count": 89, "nay_count": 10}
    assert len(results["defectors"]) == 9
    assert {p["party"] for p in results["parties"]} == {"Democrat", "Republican", "Independent"}
    assert any(a.startswith("Hemicycle of 100 seats") for a in _alt_texts(nb))


@pytest.mark.slow
def test_other_voteview_files_vote_and_legislature(tmp_path):
    import pandas as pd

    from dictamen.catalog import resolve_path

    rollcalls = pd.read_csv(resolve_path(SYNTH["rollcalls_path"])).set_index("rollnumber")
    _, results = _run(tmp_path, data_format="voteview", vote="3", rule="absolute", title="", **SYNTH)
    assert results["tally"]["yes"] == rollcalls.at[3, "yea_count"]
    assert results["tally"]["no"] == rollcalls.at[3, "nay_count"]
    assert results["tally"]["paired"] > 0  # codes 2-5 reported separately
    assert results["needed"] == 435 // 2 + 1 and results["rule"] == "1/2-of-membership"
    assert any(p["party"] == "Party 370" for p in results["parties"])  # unknown party code
    _, legislature = _run(tmp_path, data_format="voteview", vote="", **SYNTH)
    assert legislature["mode"] == "legislature" and legislature["rollcalls"] == len(rollcalls)
    assert legislature["tally"] is None and 0 <= legislature["party_line_share"] <= 1
    rows = legislature["rollcall_tallies"]
    assert len(rows) == len(rollcalls) and set(rows[0]) == {"vote", "date", "yes", "no", "abstain", "passed", "margin"}
    assert [r["yes"] for r in rows] == rollcalls["yea_count"].tolist()


@pytest.mark.slow
def test_spanish_report_through_dictamen_run(tmp_path):
    finished = _dictamen(tmp_path, NOTEBOOK, "-p", "language", "es", "--name", "mx-es")
    assert finished.returncode == 0, finished.stderr
    page = (tmp_path / "out" / "mx-es.html").read_text(encoding="utf-8")
    recorded = json.loads((tmp_path / "out" / "mx-es.json").read_text(encoding="utf-8"))
    results = recorded["results"]
    # sentences, table headers and alt text the library writes (the notebook's own Markdown cells are
    # translated by the HTML export from nb_vote_breakdown.po, see test_notebook_text_has_spanish_entries)
    for spanish in ("Modo de votos publicados", "mayoría simple", "a favor", "en contra", "abstenciones",
                    "votos de margen", "Hemiciclo de 500 escaños", "de quienes estaban presentes"):
        assert spanish in page, spanish
    for english in (r"\d votes to spare", r"\d in favour", "Hemicycle of", "Reported-tallies mode", "simple majority",
                    "Majority rule:", "as reported by"):
        assert not re.search(english, page), english
    runs = sorted((tmp_path / "out" / "runs").rglob("*.ipynb"))
    verdict = verdict_from_notebook(nbformat.read(runs[-1], as_version=4))
    assert verdict["language"] == "es"
    t = results["tally"]
    expected = f"Aprobada {t['yes']}-{t['no']}-{t['abstain']}, {results['margin']} votos de margen."
    assert verdict["sentences"][0] == expected
    assert re.search(r"Aprobada 329-98-40, 115 votos de margen", page)


def test_notebook_text_has_spanish_entries():
    """Every Markdown cell and parameter help comment has its msgid in nb_vote_breakdown.po (exact text)."""
    from babel.messages.pofile import read_po

    from dictamen.params import read_parameters

    with open(project_root() / "lib/dictamen/locales/es/LC_MESSAGES/nb_vote_breakdown.po", "rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    nb = nbformat.read(project_root() / NOTEBOOK, as_version=4)
    wanted = [c.source.rstrip() for c in nb.cells if c.cell_type == "markdown"]
    wanted += [spec.help for spec in read_parameters(project_root() / NOTEBOOK).specs.values()]
    missing = [text for text in wanted if not catalogue.get(text)]
    assert not missing, missing


@pytest.mark.slow
def test_mexico_lxi_reports_from_reports_toml(tmp_path):
    import pandas as pd

    from dictamen.catalog import resolve_path

    finished = _dictamen(tmp_path, "mx-lxi-tax-reform-2009", "mx-lxi-legislature")
    assert finished.returncode == 0, finished.stderr
    vote = json.loads((tmp_path / "out" / "mx-lxi-tax-reform-2009.json").read_text(encoding="utf-8"))["results"]
    votdat = pd.read_csv(resolve_path("data/votes/dipmex/votdat61.csv"), escapechar="\\").set_index("filename")
    row = votdat.loc["sil61vot4"]
    assert (vote["tally"]["yes"], vote["tally"]["no"], vote["tally"]["abstain"]) == (row["favor"], row["contra"],
                                                                                     row["absten"])
    assert vote["data_format"] == "dipmex" and vote["passed"] is True
    defectors = vote["defectors"]
    assert defectors and all(d["member"] and d["state"] and d["party"] for d in defectors)
    assert sum(p["defectors"] for p in vote["parties"]) == len(defectors)
    page = (tmp_path / "out" / "mx-lxi-tax-reform-2009.html").read_text(encoding="utf-8")
    assert "Hemicycle of" in page and defectors[0]["member"] in page
    legislature = json.loads((tmp_path / "out" / "mx-lxi-legislature.json").read_text(encoding="utf-8"))["results"]
    assert legislature["rollcalls"] == len(votdat) == len(legislature["rollcall_tallies"])
    assert [r["yes"] for r in legislature["rollcall_tallies"]] == votdat["favor"].tolist()
    assert set(legislature["party_agreement"]) == {"PRI", "PAN", "PRD", "PVEM", "PT", "CONVE", "PANAL"}
    assert legislature["party_agreement"]["PRI"]["PRI"] == 1
