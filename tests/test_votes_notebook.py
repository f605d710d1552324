"""notebooks/vote_breakdown.ipynb runs for real (papermill, kernel 'dictamen') in all three modes."""

from __future__ import annotations

import nbformat
import pytest

from dictamen.catalog import project_root
from dictamen.record import results_from_notebook

NOTEBOOK = "notebooks/vote_breakdown.ipynb"
SYNTH = {f"{kind}_path": f"tests/fixtures/votes/synthetic_H999_{kind}.csv" for kind in ("votes", "members", "rollcalls")}


def _run(tmp_path, **parameters):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(project_root() / NOTEBOOK), str(out), parameters=parameters, kernel_name="dictamen",
                        cwd=str(project_root() / "notebooks"), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    return nb, results_from_notebook(nb)


def _alt_texts(nb):
    return [output.get("metadata", {}).get("image/png", {}).get("alt")
            for cell in nb.cells for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


def test_committed_notebook_has_no_outputs():
    nb = nbformat.read(project_root() / NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    assert "parameters" in nb.cells[1].metadata.get("tags", [])


@pytest.mark.slow
def test_defaults_tallies_mode(tmp_path):
    nb, results = _run(tmp_path)
    assert results["mode"] == "tallies"
    assert results["tally"] == {"yes": 329, "no": 98, "abstain": 40, "not_voting": 33, "announced": None,
                                "vacant": None}
    assert results["passed"] is True and results["margin"] == 329 - (427 // 2 + 1)
    assert len(results["stages"]) == 5 and results["disagreements"] == 1
    alts = _alt_texts(nb)
    assert any(a.startswith("Hemicycle of 500 seats") for a in alts)
    assert any("context only" in a.lower() for a in alts)


@pytest.mark.slow
def test_usmca_rollcall_mode(tmp_path):
    nb, results = _run(tmp_path, law_id="", rollcall=442)
    assert results["tally"] == {"yes": 89, "no": 10, "abstain": 0, "not_voting": 1, "announced": 0, "vacant": 0}
    assert results["passed"] is True and results["margin"] == 39
    assert len(results["defectors"]) == 9
    assert {p["party"] for p in results["parties"]} == {"Democrat", "Republican", "Independent"}
    assert any(a.startswith("Hemicycle of 100 seats") for a in _alt_texts(nb))


@pytest.mark.slow
def test_other_voteview_files_rollcall_and_legislature(tmp_path):
    import pandas as pd

    from dictamen.catalog import resolve_path

    rollcalls = pd.read_csv(resolve_path(SYNTH["rollcalls_path"])).set_index("rollnumber")
    _, results = _run(tmp_path, law_id="", rollcall=3, rule="absolute", title="", **SYNTH)
    assert results["tally"]["yes"] == rollcalls.at[3, "yea_count"]
    assert results["tally"]["no"] == rollcalls.at[3, "nay_count"]
    assert results["tally"]["announced"] > 0  # codes 2-5 reported separately
    assert results["needed"] == 435 // 2 + 1
    assert any(p["party"] == "Party 370" for p in results["parties"])  # unknown party code
    _, legislature = _run(tmp_path, law_id="", rollcall=0, **SYNTH)
    assert legislature["mode"] == "legislature" and legislature["rollcalls"] == len(rollcalls)
    assert legislature["tally"] is None and 0 <= legislature["party_line_share"] <= 1
