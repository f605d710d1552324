"""Monthly, quarterly and annual series: inferred from the dates, stated, and refused when irregular."""

from __future__ import annotations

import pandas as pd
import pytest

from dictamen import impact
from dictamen.errors import InputError
from dictamen.impact.frequency import ANNUAL, MONTHLY, QUARTERLY
from dictamen.impact.load import load_tidy, select

SESNSP = "data/impact/tidy/sesnsp_victims_2015_2025.csv"


def _write(path, dates, values=None, unit="A", measure="m"):
    values = values if values is not None else range(len(dates))
    path.write_text("date,unit,measure,value\n" + "".join(
        f"{d},{unit},{measure},{v}\n" for d, v in zip(dates, values)), encoding="utf-8")
    return path


def test_quarterly_and_annual_dates_are_inferred_and_quarter_ends_mean_the_quarter(tmp_path):
    starts = [f"{d:%Y-%m-%d}" for d in pd.date_range("2015-01-01", periods=20, freq="QS")]
    ends = [f"{d:%Y-%m-%d}" for d in pd.date_range("2015-03-31", periods=20, freq="QE")]
    by_start = select(load_tidy(_write(tmp_path / "q1.csv", starts)), "m", "A")
    by_end = select(load_tidy(_write(tmp_path / "q2.csv", ends)), "m", "A")
    assert by_start.frequency is QUARTERLY and by_end.frequency is QUARTERLY
    assert list(by_start.values.index) == list(by_end.values.index)
    assert by_end.values.index[1] == pd.Timestamp("2015-04-01")
    years = select(load_tidy(_write(tmp_path / "y.csv", [f"{y}-07-01" for y in range(2000, 2020)])), "m", "A")
    assert years.frequency is ANNUAL and years.values.index[0] == pd.Timestamp("2000-01-01")
    monthly = select(load_tidy(_write(tmp_path / "m.csv", ["2020-01-01", "2020-02-01", "2020-04-01"])), "m", "A")
    assert monthly.frequency is MONTHLY
    assert any("1 month(s) without a value: 2020-03" in f.found for f in monthly.findings)


def test_a_missing_quarter_is_a_gap_not_an_error(tmp_path):
    dates = [f"{d:%Y-%m-%d}" for d in pd.date_range("2015-01-01", periods=20, freq="QS")]
    del dates[5]
    series = select(load_tidy(_write(tmp_path / "q.csv", dates)), "m", "A")
    assert any("1 quarter(s) without a value: 2016Q2" in f.found for f in series.findings)


def test_irregular_spacing_names_the_first_offending_dates(tmp_path):
    every_two = [f"{d:%Y-%m-%d}" for d in pd.date_range("2015-01-01", periods=12, freq="2MS")]
    with pytest.raises(InputError, match=r"observations 2 months apart \(2015-01-01 then 2015-03-01\)"):
        select(load_tidy(_write(tmp_path / "two.csv", every_two)), "m", "A")
    quarters = ["2015-01-01", "2015-04-01", "2015-07-01", "2015-11-01", "2016-02-01"]
    with pytest.raises(InputError, match=r"2015-07-01 is followed by 2015-11-01, 4 months later"):
        select(load_tidy(_write(tmp_path / "bad.csv", quarters)), "m", "A")


def test_mixed_frequencies_name_where_the_spacing_changes(tmp_path):
    monthly = [f"{d:%Y-%m-%d}" for d in pd.date_range("2015-01-01", "2016-12-01", freq="MS")]
    quarterly = [f"{d:%Y-%m-%d}" for d in pd.date_range("2017-01-01", "2018-10-01", freq="QS")]
    with pytest.raises(InputError, match=r"monthly up to 2016-12-01, then every 3 months") as error:
        select(load_tidy(_write(tmp_path / "mixed.csv", monthly + quarterly[1:])), "m", "A")
    assert "mixed.csv" in str(error.value)


def test_quarterly_real_homicides_estimate_matches_the_monthly_direction(tmp_path):
    """Real SESNSP homicides summed to quarters: the ITS runs with quarter dummies and quarterly windows."""
    tidy = pd.read_csv(SESNSP)
    national = tidy[(tidy["unit"] == "Nacional") & (tidy["measure"] == "homicidio_doloso")].copy()
    national["quarter"] = pd.PeriodIndex(pd.to_datetime(national["date"]), freq="Q").to_timestamp()
    quarters = national.groupby("quarter")["value"].agg(["sum", "size"])
    quarters = quarters[quarters["size"] == 3]
    path = tmp_path / "quarters.csv"
    pd.DataFrame({"date": quarters.index.strftime("%Y-%m-%d"), "unit": "Nacional", "measure": "homicidio_doloso",
                  "value": quarters["sum"].to_numpy()}).to_csv(path, index=False)
    analysis = impact.analyse(str(path), "homicidio_doloso", "Nacional", method="its",
                              intervention_date="2021-01-01", exclude=[])
    assert analysis.design.frequency is QUARTERLY
    assert analysis.design.first_post == pd.Timestamp("2021-01-01")
    assert {"m_4", "m_7", "m_10"} <= set(analysis.effect.model.params.index)  # quarter dummies
    assert analysis.effect.n_pre == 24 and analysis.effect.n_post == len(quarters) - 24
    assert analysis.placebo is not None and analysis.placebo.count >= 1
