"""Count outcomes: the published Sicily tutorial table, a planted rate ratio in real homicides, and
the count model's input errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from dictamen import impact
from dictamen.errors import InputError
from dictamen.impact import count
from dictamen.impact.load import load_series

SICILY = "data/impact/tidy/sicily_acute_coronary_events_2002_2006.csv"
SESNSP = "data/impact/tidy/sesnsp_victims_2015_2025.csv"


def test_sicily_smoking_ban_reproduces_the_tutorial_rate_ratio():
    """Lopez Bernal, Cummins & Gasparrini (2017), Int J Epidemiol 46:348-355: acute coronary events in
    Sicily, age-standardised population as offset, a level change at the January 2005 smoking ban and
    a linear trend. The article's own text is not among the stored sources (only its first page is), so
    the figures are those its supplementary R code (gasparrini/2017_lopezbernal_IJE_codedata, Rcode.R)
    prints, as knitted by C. M. Cleland, "Interrupted Times Series Regression" (clelandcm.github.io/ITS,
    repository clelandcm/ITS @ 8933894, June 2018), ``round(ci.lin(model, Exp=T), 3)``:

    - step 4, model1, Poisson: rate ratio 0.894 (95% CI 0.865 to 0.925);
    - step 5(a), model2, quasi-Poisson: 0.894 (0.839 to 0.953), dispersion 3.559195;
    - step 5(c), model3, quasi-Poisson with ``harmonic(month, 2, 12)``: 0.885 (0.839 to 0.933),
      dispersion 2.262186.

    dictamen's count model without seasonality is model2; its interval with the dispersion taken out
    is model1's (the same point estimate: quasi-Poisson only rescales the errors). Its seasonal model
    has calendar-month dummies, not two harmonic pairs, so model3 is checked with statsmodels alone
    (dictamen's seasonal fit gives 0.882, 0.846 to 0.920: not the published model). The dispersions
    agree to 3e-6 (presumably where R's IRLS stops: at a relative deviance change of 1e-8)."""
    aces = load_series(SICILY, "acute coronary events", "Sicily")
    population = load_series(SICILY, "age-standardised population", "Sicily")
    effect = count.fit(aces.values, pd.Timestamp("2005-01-01"), exposure=population.values, seasonality=False,
                       slope_change=False, newey_west=False)
    # model2, quasi-Poisson: 0.894 (0.839 to 0.953), dispersion 3.559195
    assert round(effect.rate_ratio, 3) == 0.894
    assert round(effect.rate_ratio_ci_low, 3) == 0.839
    assert round(effect.rate_ratio_ci_high, 3) == 0.953
    assert effect.dispersion == pytest.approx(3.559195, rel=1e-5)
    assert effect.dispersion > 1  # over-dispersed, hence quasi-Poisson
    # model1, Poisson: the same estimate with the dispersion taken out of the interval, 0.865 to 0.925
    level = np.log(effect.rate_ratio)
    half_width = (np.log(effect.rate_ratio_ci_high) - np.log(effect.rate_ratio_ci_low)) / 2
    poisson_half_width = half_width / np.sqrt(effect.dispersion)
    assert round(float(np.exp(level - poisson_half_width)), 3) == 0.865
    assert round(float(np.exp(level + poisson_half_width)), 3) == 0.925
    # the same model fitted independently with a statsmodels formula
    raw = pd.read_csv("data/impact/source/sicily.csv")
    direct = smf.glm("aces ~ smokban + time", raw, family=sm.families.Poisson(),
                     offset=np.log(raw["stdpop"])).fit(scale="X2")
    assert effect.rate_ratio == pytest.approx(np.exp(direct.params["smokban"]), rel=1e-9)
    assert effect.dispersion == pytest.approx(direct.scale, rel=1e-9)
    # model3, two harmonic pairs of period 12 (tsModel's harmonic(month, 2, 12)): 0.885 (0.839 to 0.933)
    harmonics = " + ".join(f"np.{f}({k} * np.pi * month / 12)" for k in (2, 4) for f in ("sin", "cos"))
    seasonal = smf.glm(f"aces ~ smokban + time + {harmonics}", raw, family=sm.families.Poisson(),
                       offset=np.log(raw["stdpop"])).fit(scale="X2")
    low, high = np.exp(seasonal.conf_int().loc["smokban"])
    assert [round(float(v), 3) for v in (np.exp(seasonal.params["smokban"]), low, high)] == [0.885, 0.839, 0.933]
    assert seasonal.scale == pytest.approx(2.262186, rel=1e-5)


def test_planted_rate_ratio_in_real_homicides_is_recovered():
    """Real national homicide counts with every month from 2021-01 multiplied by 0.80."""
    series = load_series(SESNSP, "homicidio_doloso", "Nacional").values.loc["2015-01-01":"2022-12-01"]
    first_post = pd.Timestamp("2021-01-01")
    plain = count.fit(series, first_post)
    planted = count.fit(series.where(series.index < first_post, series * 0.80), first_post)
    assert planted.rate_ratio / plain.rate_ratio == pytest.approx(0.80, rel=0.03)
    assert (1 + planted.relative) / (1 + plain.relative) == pytest.approx(0.80, rel=0.03)


def test_simulated_counts_with_a_known_rate_ratio_are_covered():
    rng = np.random.default_rng(5)
    months = pd.date_range("2014-01-01", periods=96, freq="MS")
    population = pd.Series(np.linspace(1.0e6, 1.1e6, 96), index=months)
    rate = 2e-4 * np.exp(0.002 * np.arange(96) + 0.1 * np.sin(2 * np.pi * months.month / 12))
    rate = rate * np.where(months >= "2020-01-01", 0.85, 1.0)
    counts = pd.Series(rng.poisson(rate * population.to_numpy()).astype(float), index=months)
    effect = count.fit(counts, pd.Timestamp("2020-01-01"), exposure=population, slope_change=False)
    assert effect.rate_ratio_ci_low < 0.85 < effect.rate_ratio_ci_high
    assert effect.rate_ratio_ci_high < 1


def test_homicides_report_uses_the_count_model_and_keeps_the_linearity_safeguard():
    analysis = impact.analyse(SESNSP, "homicidio_doloso", "Nacional", method="its", model="quasi-poisson",
                              exclude=["2020-03-01/2020-06-30"], post_months=24)
    values = impact.results(analysis)
    assert {"rate_ratio", "rate_ratio_ci_low", "rate_ratio_ci_high"} <= set(values["effect"])
    assert values["dispersion"] > 1 and values["model"] == "quasi-poisson"
    assert values["newey_west"] is True  # Ljung-Box finds serial correlation in the residuals
    assert "Newey-West" in impact.report.count_model_text(analysis)
    # the straight (log-linear) pre-trend is rejected, so the bent-trend safeguard decides the verdict
    assert values["specification_warning"] is True
    assert values["detectable"] is False and values["interval_excludes_zero"] is True
    assert values["verdict"].startswith("No detectable effect")
    robust = values["robust_its_effect"]
    assert f"{robust['relative'] * 100:+.1f}%" in values["verdict"]
    assert any("No population measure" in f.found for f in analysis.findings)


def test_count_model_input_errors_name_the_measure(tmp_path):
    months = pd.date_range("2015-01-01", periods=72, freq="MS")
    rows = [{"date": f"{m:%Y-%m-%d}", "unit": "A", "measure": "deaths", "value": 50 + i % 7}
            for i, m in enumerate(months)]
    rows += [{"date": f"{m:%Y-%m-%d}", "unit": "A", "measure": "population", "value": 0 if i == 10 else 1e5}
             for i, m in enumerate(months)]
    path = tmp_path / "zero.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"population measure 'population' of A is 0 in 2015-11"):
        impact.analyse(str(path), "deaths", "A", method="its", model="quasi-poisson",
                       population_measure="population", intervention_date="2020-01-01", exclude=[])
    short = pd.DataFrame(rows)
    short = short[~((short["measure"] == "population") & (short["date"] >= "2019-06-01"))]
    short.loc[short["measure"] == "population", "value"] = 1e5
    path = tmp_path / "short.csv"
    short.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"lacks 19 month\(s\) of the analysis window: 2019-06..2020-12"):
        impact.analyse(str(path), "deaths", "A", method="its", model="quasi-poisson",
                       population_measure="population", intervention_date="2020-01-01", exclude=[])
    negative = pd.DataFrame(rows)
    negative.loc[3, "value"] = -2
    path = tmp_path / "negative.csv"
    negative.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"Negative value -2 for A / deaths"):
        impact.analyse(str(path), "deaths", "A", method="its", model="quasi-poisson", exclude=[])
    with pytest.raises(InputError, match="Parameter 'model' is 'poisson'"):
        impact.analyse(str(path), "deaths", "A", method="its", model="poisson")


def test_log_linear_with_a_population_analyses_the_rate_per_100000():
    """The Sicily counts with the standardised population: the least-squares ITS works on the rate."""
    analysis = impact.analyse(SICILY, "acute coronary events", "Sicily", method="its", model="log-linear",
                              population_measure="age-standardised population", intervention_date="2005-01-01",
                              exclude=[])
    raw = pd.read_csv("data/impact/source/sicily.csv")
    assert analysis.treated.measure == "acute coronary events per 100,000 (age-standardised population)"
    assert analysis.treated.values.iloc[0] == pytest.approx(raw["aces"][0] / raw["stdpop"][0] * 1e5)
    assert analysis.effect.rate_ratio is None and analysis.exposure is None
    assert any("rate per 100,000" in f.action for f in analysis.findings)
