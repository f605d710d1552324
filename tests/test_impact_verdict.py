"""Honest sentences: the placebo sentence at 7, 19 and 29 placebo dates, the verdict against the
recorded numbers, and the reports in Spanish, quarterly and annual through `dictamen run`."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dictamen import messages
from dictamen.catalog import project_root
from dictamen.impact.report import placebo_standing
from dictamen.pipeline.cli import main

NOTEBOOK = project_root() / "notebooks" / "policy_impact.ipynb"
SESNSP = project_root() / "data/impact/tidy/sesnsp_victims_2015_2025.csv"


@pytest.mark.parametrize("rank", [1, 2, 5, 8])
def test_seven_placebo_dates_cannot_call_anything_unusual(rank):
    """With 7 placebo dates the smallest possible share is 1/8 = 12.5%: never "not unusual", never "rare"."""
    text = placebo_standing(rank, 7)
    assert "with only 7 placebo dates the check cannot reach the 10% level: too few placebo dates to tell" in text
    assert text.startswith("the largest of all") == (rank == 1)
    assert "not unusual" not in text and "rare" not in text


@pytest.mark.parametrize("count, rank, expected", [
    (19, 1, "rare"), (19, 2, "rare"), (19, 3, "not unusual"), (19, 20, "not unusual"),
    (29, 1, "rare"), (29, 3, "rare"), (29, 4, "not unusual"),
])
def test_nineteen_and_twenty_nine_placebo_dates_follow_the_ten_percent_share(count, rank, expected):
    text = placebo_standing(rank, count)
    share = rank / (count + 1)
    assert (share <= 0.1) == (expected == "rare")
    assert expected in text and "too few" not in text


def test_the_placebo_sentence_is_translated_with_its_number():
    try:
        messages.use("es")
        assert placebo_standing(1, 7).startswith("la mayor de todas, pero con solo 7 fechas placebo")
    finally:
        messages.use("en")


def _run(tmp_path, name: str, parameters: dict[str, str]) -> dict:
    command = ["run", str(NOTEBOOK), "--name", name, "--output-dir", str(tmp_path / "out")]
    for key, value in parameters.items():
        command += ["-p", key, value]
    assert main(command) == 0
    return json.loads((tmp_path / "out" / f"{name}.json").read_text(encoding="utf-8"))


def _aggregate(tmp_path, rule: str, months: int) -> str:
    tidy = pd.read_csv(SESNSP)
    national = tidy[(tidy["unit"] == "Nacional") & (tidy["measure"] == "homicidio_doloso")].copy()
    national["period"] = pd.PeriodIndex(pd.to_datetime(national["date"]), freq=rule).to_timestamp()
    sums = national.groupby("period")["value"].agg(["sum", "size"])
    sums = sums[sums["size"] == months]
    path = tmp_path / f"homicides_{rule}.csv"
    pd.DataFrame({"date": sums.index.strftime("%Y-%m-%d"), "unit": "Nacional", "measure": "homicidio_doloso",
                  "value": sums["sum"].to_numpy()}).to_csv(path, index=False)
    return str(path)


COMMON = {"measure": "homicidio_doloso", "unit": "Nacional", "method": "its", "model": "quasi-poisson",
          "control_path": "", "control_measure": "", "control_unit": "", "panel_units": "", "exclude": "",
          "intervention_date": "2021-01-01", "title": "Homicides"}


@pytest.mark.slow
def test_quarterly_series_runs_end_to_end(tmp_path):
    report = _run(tmp_path, "quarterly", {**COMMON, "series_path": _aggregate(tmp_path, "Q", 3)})
    results = report["results"]
    assert report["status"] == "ok" and results["frequency"] == "quarterly"
    assert results["windows"]["post"][0] == "2021-01" and results["effect"]["n_pre"] == 24
    html = (tmp_path / "out/quarterly.html").read_text(encoding="utf-8")
    assert "Frequency: quarterly, inferred from the dates" in html


@pytest.mark.slow
def test_annual_series_runs_end_to_end(tmp_path):
    report = _run(tmp_path, "annual", {**COMMON, "series_path": _aggregate(tmp_path, "Y", 12)})
    results = report["results"]
    assert report["status"] == "ok" and results["frequency"] == "annual"
    assert results["effect"]["n_pre"] == 6 and "rate_ratio" in results["effect"]
    html = (tmp_path / "out/annual.html").read_text(encoding="utf-8")
    assert "Frequency: annual, inferred from the dates" in html


@pytest.mark.slow
def test_spanish_report_through_dictamen_run_states_the_recorded_effect(tmp_path):
    report = _run(tmp_path, "trucks-es", {"language": "es"})
    results = report["results"]
    e = results["effect"]
    pct = lambda share: ("+" if share > 0 else "") + messages.percent(share, 1)  # noqa: E731
    expected = (f"Sin efecto detectable sobre Trucks (US-Mexico Border): {pct(e['relative'])} "
                f"(IC 95% de {pct(e['relative_ci_low'])} a {pct(e['relative_ci_high'])})")
    assert results["detectable"] is False
    assert results["verdict"] == expected
    html = (tmp_path / "out/trucks-es.html").read_text(encoding="utf-8")
    assert "Sin efecto detectable sobre Trucks" in html
    assert "Las tendencias previas de la serie tratada y la de control divergen" in html
    for english in ("No detectable effect", "Placebo estimates range", "observed and counterfactual"):
        assert english not in html
