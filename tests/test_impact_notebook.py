"""The policy_impact notebook run for real: on a user's own tidy CSV, and with its defaults."""

from __future__ import annotations

import json

import numpy as np
import nbformat
import pandas as pd
import papermill as pm
import pytest

from dictamen.catalog import project_root
from dictamen.pipeline.cli import main
from dictamen.record import results_from_notebook

NOTEBOOK = project_root() / "notebooks" / "policy_impact.ipynb"
pytestmark = pytest.mark.slow


def _run(tmp_path, parameters: dict) -> dict:
    output = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(output), parameters=parameters, kernel_name="dictamen",
                        cwd=str(NOTEBOOK.parent), progress_bar=False)
    return results_from_notebook(nbformat.read(output, as_version=4))


def test_notebook_on_users_own_csv_records_a_positive_effect(tmp_path, monkeypatch):
    """The user's CSV is passed with -p, relative to where the command is typed, through `dictamen run`."""
    rng = np.random.default_rng(42)
    months = pd.date_range("2016-01-01", "2023-12-01", freq="MS")
    t = np.arange(len(months))
    value = 500 + 1.5 * t + 30 * np.cos(2 * np.pi * months.month / 12) + rng.normal(0, 8, len(months))
    value += 80 * (months >= "2021-01-01")  # planted rise after the law
    csv = tmp_path / "my_indicator.csv"
    pd.DataFrame({"date": months.strftime("%Y-%m-%d"), "unit": "Sonora", "measure": "arrests",
                  "value": value.round(1)}).to_csv(csv, index=False)
    monkeypatch.chdir(tmp_path)
    arguments = {"series_path": "my_indicator.csv", "measure": "arrests", "unit": "Sonora", "method": "its",
                 "control_path": "", "control_measure": "", "control_unit": "", "panel_units": "", "exclude": "",
                 "title": "My indicator"}
    command = ["run", str(NOTEBOOK), "--name", "my-indicator", "--output-dir", "out"]
    for key, value in arguments.items():
        command += ["-p", key, value]
    assert main(command) == 0
    report = json.loads((tmp_path / "out/my-indicator.json").read_text(encoding="utf-8"))
    assert report["status"] == "ok" and report["parameters"]["series_path"] == str(csv)
    html = (tmp_path / "out/my-indicator.html").read_text(encoding="utf-8")
    assert "My indicator" in html and str(tmp_path) not in html  # the user's folder never reaches the report
    results = report["results"]
    assert results["method"] == "its"
    assert results["effect"]["relative"] > 0
    assert results["effect"]["relative_ci_low"] > 0
    assert results["pretrend_p"] is None
    assert results["windows"]["post"][0] == "2021-01"
    assert results["conclusion"].startswith("arrests (Sonora) rose")


def test_notebook_defaults_render_with_did_results(tmp_path):
    results = _run(tmp_path, {})
    assert results["method"] == "did"
    assert 0 <= results["pretrend_p"] <= 1
    assert results["placebo_rank"] >= 1
    assert results["windows"]["exclude"] == ["2020-03-01/2020-06-30"]
    assert set(results["panel"]) == {"Laredo (Texas)", "Otay Mesa (California)", "El Paso (Texas)",
                                     "Nogales (Arizona)"}


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.cells[1].metadata.get("tags") == ["parameters"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
