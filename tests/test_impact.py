"""dictamen.impact: estimators on planted and null effects, a direct statsmodels comparison,
input validation, and the bundled data's known faults."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from dictamen import impact
from dictamen.errors import InputError
from dictamen.impact import did, its, windows
from dictamen.impact.load import load_tidy, select

BTS = "data/impact/tidy/bts_border_crossing_2015-01_2022-07.csv"
SESNSP = "data/impact/tidy/sesnsp_victims_2015_2025.csv"
TRANSBORDER = "data/impact/tidy/bts_transborder_monthly_1993_2025.csv"
CBP_TX = "data/impact/tidy/cbp_texas_crossings_2008_2025.csv"


def synthetic(level_effect: float = 0.0, *, seed: int = 1, start: str = "2015-01-01", months: int = 96,
              first_post: str = "2020-01-01", base: float = 1000.0, noise: float = 10.0) -> pd.Series:
    """Trend + seasonality + noise, with ``level_effect`` added from ``first_post`` on."""
    rng = np.random.default_rng(seed)
    index = pd.date_range(start, periods=months, freq="MS")
    t = np.arange(months)
    values = base + 2.0 * t + 50 * np.sin(2 * np.pi * index.month / 12) + rng.normal(0, noise, months)
    values = values + level_effect * (index >= pd.Timestamp(first_post))
    return pd.Series(values, index=index)


def write_tidy(path, series_by_unit: dict[str, pd.Series], measure: str = "crossings") -> str:
    rows = [{"date": f"{month:%Y-%m-%d}", "unit": unit, "measure": measure, "value": value}
            for unit, series in series_by_unit.items() for month, value in series.items()]
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


# --- estimators ---------------------------------------------------------------------------------

def test_its_interval_covers_planted_level_effect():
    series = synthetic(level_effect=100.0)
    effect = its.fit(series, pd.Timestamp("2020-01-01"))
    assert effect.ci_low < 100.0 < effect.ci_high
    assert effect.ci_low > 0  # detectable
    assert effect.detectable
    cf_mean = (effect.path.loc[effect.path["post"], "counterfactual"]).mean()
    assert effect.relative_ci_low < 100.0 / cf_mean < effect.relative_ci_high
    assert effect.cumulative == pytest.approx(effect.absolute * effect.n_post)


def test_its_interval_covers_zero_without_effect():
    effect = its.fit(synthetic(0.0, seed=7), pd.Timestamp("2020-01-01"))
    assert effect.relative_ci_low < 0 < effect.relative_ci_high
    assert effect.ci_low < 0 < effect.ci_high
    assert not effect.detectable


def test_its_matches_direct_statsmodels_fit():
    series = synthetic(60.0, seed=3)
    effect = its.fit(series, pd.Timestamp("2020-01-01"), maxlags=4)
    frame = pd.DataFrame({"y": series.to_numpy(), "time": np.arange(len(series)),
                          "post": (series.index >= "2020-01-01").astype(int),
                          "month": series.index.month})
    frame["months_since"] = np.where(frame["post"] == 1, frame["time"] - 60, 0)
    direct = smf.ols("y ~ time + post + months_since + C(month)", frame).fit(
        cov_type="HAC", cov_kwds={"maxlags": 4})
    assert effect.model.params["post"] == pytest.approx(direct.params["post"], rel=1e-9)
    assert effect.model.bse["post"] == pytest.approx(direct.bse["post"], rel=1e-9)
    assert effect.model.bse["months_since"] == pytest.approx(direct.bse["months_since"], rel=1e-9)
    # the average effect is level + slope * mean(months since), with the contrast's HAC SE
    post = frame[frame["post"] == 1]
    average = direct.params["post"] + direct.params["months_since"] * post["months_since"].mean()
    assert effect.absolute == pytest.approx(average, rel=1e-9)


def test_did_covers_planted_effect_and_matches_statsmodels():
    control = synthetic(0.0, seed=11)
    treated = synthetic(0.0, seed=12) * np.exp(0.10 * (control.index >= "2020-01-01"))
    effect = did.fit(treated, control, pd.Timestamp("2020-01-01"), maxlags=3)
    assert effect.relative_ci_low > 0
    assert effect.relative == pytest.approx(np.expm1(0.10), abs=0.01)
    gap = pd.DataFrame({"gap": np.log(treated) - np.log(control), "post": (control.index >= "2020-01-01").astype(int),
                        "month": control.index.month})
    direct = smf.ols("gap ~ post + C(month)", gap).fit(cov_type="HAC", cov_kwds={"maxlags": 3})
    assert effect.model.params["post"] == pytest.approx(direct.params["post"], rel=1e-9)
    assert effect.model.bse["post"] == pytest.approx(direct.bse["post"], rel=1e-9)
    assert effect.relative == pytest.approx(np.expm1(direct.params["post"]), rel=1e-9)


def test_did_interval_coverage_of_planted_effect_over_seeds():
    """95% intervals should cover the planted +10.5% in most of 40 independent samples."""
    covered = 0
    for seed in range(40):
        control = synthetic(0.0, seed=1000 + seed)
        treated = synthetic(0.0, seed=2000 + seed) * np.exp(0.10 * (control.index >= "2020-01-01"))
        effect = did.fit(treated, control, pd.Timestamp("2020-01-01"))
        covered += effect.relative_ci_low < np.expm1(0.10) < effect.relative_ci_high
    assert covered >= 34


def test_did_covers_zero_and_parallel_pretrends_pass():
    control = synthetic(0.0, seed=21)
    treated = synthetic(0.0, seed=22) * 1.5
    effect = did.fit(treated, control, pd.Timestamp("2020-01-01"))
    assert effect.relative_ci_low < 0 < effect.relative_ci_high
    study = did.event_study(treated, control, pd.Timestamp("2020-01-01"))
    assert study.leads_tested == 12
    assert study.p_value > 0.05
    assert set(study.table["period"]) == {"pre", "post"}


def test_diverging_pretrends_are_said_plainly(tmp_path):
    index = pd.date_range("2015-01-01", periods=96, freq="MS")
    rng = np.random.default_rng(5)
    control = pd.Series(1000 * np.exp(rng.normal(0, 0.01, 96)), index=index)
    treated = pd.Series(1000 * np.exp(0.006 * np.arange(96) + rng.normal(0, 0.01, 96)), index=index)
    path = write_tidy(tmp_path / "diverge.csv", {"T": treated, "C": control})
    analysis = impact.analyse(path, "crossings", "T", control_path=path, control_unit="C",
                              intervention_date="2020-01-01", method="did", exclude=[])
    assert analysis.pretrend_failed
    assert analysis.pretrend_p < 0.05
    assert analysis.effect is analysis.did_effects["trend"]
    assert "Pre-trends diverge" in impact.report.pretrend_text(analysis)
    assert "Pre-trends between treated and control diverge" in impact.conclusion_text(analysis)
    # the trend specification removes the drift: no detectable effect
    assert analysis.effect.relative_ci_low < 0 < analysis.effect.relative_ci_high
    assert analysis.did_effects["plain"].relative_ci_low > 0


def test_placebo_is_cheap_and_ranks_planted_effect_first(tmp_path):
    path = write_tidy(tmp_path / "planted.csv", {"A": synthetic(150.0, seed=9)})
    analysis = impact.analyse(path, "crossings", "A", intervention_date="2020-01-01", method="its", exclude=[])
    assert 8 <= analysis.placebo.count <= 30
    assert analysis.placebo.rank == 1
    assert "ranks 1 of" in impact.conclusion_text(analysis)
    assert impact.conclusion_text(analysis).startswith("crossings (A) rose")


def test_null_effect_conclusion_says_no_detectable_effect(tmp_path):
    path = write_tidy(tmp_path / "null.csv", {"A": synthetic(0.0, seed=7)})
    analysis = impact.analyse(path, "crossings", "A", intervention_date="2020-01-01", method="its", exclude=[])
    text = impact.conclusion_text(analysis)
    assert text.startswith("No detectable effect on crossings (A)")
    assert f"{analysis.effect.relative * 100:+.1f}%" in text
    notes = impact.report.pretrend_text(analysis)
    assert notes.startswith("Not applicable for this method")
    assert impact.results(analysis)["pretrend_p"] is None


def test_exclusion_windows_and_sensitivity(tmp_path):
    series = synthetic(0.0, seed=4)
    series.loc["2019-03-01":"2019-06-01"] *= 0.5  # a planted shock
    path = write_tidy(tmp_path / "shock.csv", {"A": series})
    analysis = impact.analyse(path, "crossings", "A", intervention_date="2020-01-01", method="its",
                              exclude=["2019-03-01/2019-06-30"])
    assert analysis.effect.n_pre == 60 - 4
    table = analysis.sensitivity
    assert table["specification"].iloc[0].startswith("Headline")
    assert "No exclusion windows" in set(table["specification"])
    no_exclusion = table.set_index("specification").loc["No exclusion windows"]
    assert no_exclusion["n_pre"] == 60
    assert any("2019-03-01/2019-06-30" in f.found for f in analysis.findings)


# --- bad input ----------------------------------------------------------------------------------

def test_missing_column_is_an_input_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,unit,value\n2020-01-01,A,3\n")
    with pytest.raises(InputError, match="lacks the column"):
        load_tidy(path)


def test_conflicting_duplicate_dates_are_refused_and_exact_duplicates_reported(tmp_path):
    path = tmp_path / "dups.csv"
    path.write_text("date,unit,measure,value\n2020-01-01,A,m,3\n2020-01-01,A,m,3\n"
                    "2020-02-01,A,m,4\n2020-02-01,A,m,5\n2020-03-01,A,m,6\n")
    tidy = load_tidy(path)
    assert any("1 exact duplicate" in f.found for f in tidy.findings)
    assert any("conflicting rows" in f.found for f in tidy.findings)
    with pytest.raises(InputError, match=r"Duplicate dates with different values.*rows 4, 5"):
        select(tidy, "m", "A")


def test_weekly_dates_are_refused(tmp_path):
    weekly = tmp_path / "weekly.csv"
    weekly.write_text("date,unit,measure,value\n2020-01-01,A,m,3\n2020-01-08,A,m,3\n2020-01-15,A,m,4\n")
    with pytest.raises(InputError, match="not monthly"):
        select(load_tidy(weekly), "m", "A")


def test_negative_counts_unreadable_dates_and_gaps(tmp_path):
    negative = tmp_path / "neg.csv"
    negative.write_text("date,unit,measure,value\n2020-01-01,A,m,3\n2020-02-01,A,m,-1\n")
    with pytest.raises(InputError, match=r"Negative value -1.*row 3"):
        select(load_tidy(negative), "m", "A")
    baddate = tmp_path / "date.csv"
    baddate.write_text("date,unit,measure,value\n2020-01-01,A,m,3\nJan 2020,A,m,4\n")
    with pytest.raises(InputError, match=r"Unreadable date.*row 3"):
        load_tidy(baddate)
    gaps = tmp_path / "gaps.csv"
    series = synthetic(0.0).drop(pd.to_datetime(["2017-05-01", "2017-06-01"]))
    write_tidy(gaps, {"A": series})
    chosen = select(load_tidy(gaps), "crossings", "A")
    assert any("2 month(s) without a value: 2017-05..2017-06" in f.found for f in chosen.findings)
    assert chosen.values.isna().sum() == 2


def test_too_short_and_outside_dates_are_refused():
    series = synthetic(0.0)
    with pytest.raises(InputError, match="outside the data"):
        windows.make_design(series, "2030-01-01", [])
    with pytest.raises(InputError, match="usable month"):
        windows.make_design(series, "2015-06-01", [])
    with pytest.raises(InputError, match="only 2 usable month"):
        windows.make_design(series, "2022-11-01", [])
    with pytest.raises(InputError, match="exclude"):
        windows.make_design(series, "2020-01-01", ["2020-01-01..2020-02-01"])


def test_control_that_does_not_overlap_is_refused(tmp_path):
    treated = synthetic(0.0)
    control = synthetic(0.0, start="2005-01-01", months=60)
    path = write_tidy(tmp_path / "pair.csv", {"T": treated, "C": control})
    with pytest.raises(InputError, match="does not overlap"):
        impact.analyse(path, "crossings", "T", control_path=path, control_unit="C",
                       intervention_date="2020-01-01", method="did")
    with pytest.raises(InputError, match="control_path"):
        impact.analyse(path, "crossings", "T", intervention_date="2020-01-01", method="did")


def test_did_refuses_zero_values(tmp_path):
    treated = synthetic(0.0)
    treated.iloc[5] = 0
    with pytest.raises(InputError, match="works on logs"):
        did.fit(treated, synthetic(0.0, seed=2), pd.Timestamp("2020-01-01"))


# --- bundled data -------------------------------------------------------------------------------

def test_bts_tidy_keeps_known_faults_visible():
    tidy = load_tidy(BTS)
    found = " ".join(f.found for f in tidy.findings)
    assert "10 exact duplicate row(s)" in found
    assert "Sasabe (Arizona) / Bus Passengers" in found and "0, 2175" in found
    with pytest.raises(InputError, match="Sasabe"):
        select(tidy, "Bus Passengers", "Sasabe (Arizona)")
    trucks = select(tidy, "Trucks", "US-Mexico Border")
    # PROVENANCE.md: BTS US-Mexico all-port Trucks, Jan 2021 = 557,709
    assert trucks.values.loc["2021-01-01"] == 557709
    persons = select(tidy, "Personal Vehicles", "US-Mexico Border")
    assert any("3 exact duplicate source row(s) (Del Rio, Roma, Santa Teresa)" in f.found for f in persons.findings)


def test_sesnsp_annual_homicides_match_provenance():
    series = select(load_tidy(SESNSP), "homicidio_doloso", "Nacional").values
    annual = series.groupby(series.index.year).sum()
    # PROVENANCE.md: 2018 = 33,742; 2019 = 34,723; 2020 = 34,569; 2021 = 33,359
    assert annual.loc[[2018, 2019, 2020, 2021]].tolist() == [33742, 34723, 34569, 33359]


def test_transborder_and_cbp_texas_notes_surface():
    truck = select(load_tidy(TRANSBORDER), "Truck imports, value USD", "Mexico")
    assert any("2020-10" in f.found and "subtraction" in f.found for f in truck.findings)
    laredo = select(load_tidy(CBP_TX), "Commercial Trucks", "Laredo")
    assert any("2025-01..2025-12" in f.found and "source break" in f.found for f in laredo.findings)
    # PROVENANCE.md: Texas commercial trucks Jan 2021 = 387,351
    texas = select(load_tidy(CBP_TX), "Commercial Trucks", "Texas (all ports)")
    assert texas.values.loc["2021-01-01"] == 387351


def test_default_border_trucks_analysis_records_what_the_issue_asks():
    analysis = impact.analyse(BTS, "Trucks", "US-Mexico Border", control_path=BTS, control_measure="Trucks",
                              control_unit="US-Canada Border", method="did",
                              exclude=["2020-03-01/2020-06-30"], panel_units=["Laredo (Texas)"])
    values = impact.results(analysis)
    assert set(values["effect"]) >= {"absolute", "relative", "ci_low", "ci_high", "relative_ci_low",
                                     "relative_ci_high", "cumulative"}
    assert values["method"] == "did"
    assert values["windows"]["exclude"] == ["2020-03-01/2020-06-30"]
    assert values["windows"]["transition_month"] == "2020-12"
    assert values["windows"]["pre"] == ["2015-01", "2020-11"]
    assert 0 <= values["pretrend_p"] <= 1
    assert 1 <= values["placebo_rank"] <= values["placebo_count"] + 1
    assert any("exact duplicate" in item for item in values["data_quality"])
    chart = impact.counterfactual_chart(analysis)
    assert "Jan 2021" in chart.alt and "%" in chart.alt
