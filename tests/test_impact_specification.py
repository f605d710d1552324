"""ITS pre-period specification check: a straight-line counterfactual extrapolated from a bent
pre-trend must not be reported as an effect, while a real level shift on a straight trend still is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from dictamen import impact
from dictamen.impact import its

from test_impact import SESNSP, synthetic, write_tidy


def concave(*, seed: int, months: int = 96, first_post: str = "2021-01-01") -> pd.Series:
    """Steep rise that flattens into a plateau two years before ``first_post``; no effect planted."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2015-01-01", periods=months, freq="MS")
    t = np.arange(months)
    plateau_from = (pd.Timestamp(first_post).year - 2015) * 12 - 24
    rise = 1000 + 30.0 * np.minimum(t, plateau_from)  # +30 a month, then flat
    values = rise + 50 * np.sin(2 * np.pi * index.month / 12) + rng.normal(0, 15, months)
    return pd.Series(values, index=index)


def _analyse(tmp_path, series: pd.Series, first_post: str):
    path = write_tidy(tmp_path / "series.csv", {"A": series})
    return impact.analyse(path, "crossings", "A", intervention_date=first_post, method="its", exclude=[])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bent_pretrend_without_effect_is_not_called_an_effect(tmp_path, seed):
    analysis = _analyse(tmp_path, concave(seed=seed), "2021-01-01")
    # the straight-line counterfactual alone would report a large "fall": the artefact this guards against
    assert analysis.its_effect.detectable and analysis.its_effect.relative < -0.1
    assert analysis.specification_warning
    values = impact.results(analysis)
    assert values["specification_warning"] is True
    assert values["pretrend_linear_p"] < 0.05
    assert values["its_verdict"] != "detectable effect"
    assert values["detectable"] is False and values["interval_excludes_zero"] is True
    # existing keys keep their meaning: the full-pre-period segmented model
    assert values["effect"]["relative"] == pytest.approx(analysis.its_effect.relative)
    text = impact.conclusion_text(analysis)
    assert not text.startswith("crossings (A) fell")
    assert "linear counterfactual does not fit the pre-period" in text
    assert "likely driven by the extrapolated pre-period trend" in text
    robust = values["robust_its_effect"]
    assert abs(robust["relative"]) < 0.02  # the robust model is close to the true zero
    assert text.startswith(("No detectable effect on crossings (A)",
                            "No credible estimate of the effect on crossings (A)"))
    assert f"{robust['relative'] * 100:+.1f}%" in text
    # the placebo rank is read with the caveat, never as confirmation
    assert "cannot confirm an effect" in text
    assert "Caveat" in impact.report.placebo_text(analysis)
    assert "rare when nothing happened" not in text
    notes = impact.report.pretrend_text(analysis)
    assert "The linear counterfactual does not fit the pre-period" in notes
    table = analysis.sensitivity.set_index("specification")
    assert any(label.startswith("Pre-window: last 24 months") for label in table.index)
    assert any(label.startswith("Level change only") for label in table.index)


def test_straight_trend_with_planted_level_shift_reports_effect_without_warning(tmp_path):
    analysis = _analyse(tmp_path, synthetic(150.0, seed=9), "2020-01-01")
    values = impact.results(analysis)
    assert values["specification_warning"] is False
    assert values["pretrend_linear_p"] > 0.05
    assert values["its_verdict"] == "detectable effect"
    assert values["detectable"] is True
    text = impact.conclusion_text(analysis)
    assert text.startswith("crossings (A) rose")
    assert "does not fit" not in text
    assert "ranks 1 of" in text and "cannot confirm" not in text
    assert "not rejected" in impact.report.pretrend_text(analysis)
    assert "Caveat" not in impact.report.placebo_text(analysis)


def test_linearity_check_rejects_curvature_and_has_bounded_false_alarms():
    curved = concave(seed=4)
    assert its.linearity_p(curved[curved.index < "2021-01-01"]) < 0.001
    pre = [synthetic(0.0, seed=seed) for seed in range(100)]
    p_values = np.array([its.linearity_p(s[s.index < "2020-01-01"]) for s in pre])
    # nominal 5%; HAC in 60 months with 14 regressors is somewhat liberal (about 9% measured)
    assert 0.01 <= (p_values < 0.05).mean() <= 0.15
    assert np.isnan(its.linearity_p(curved.iloc[:10]))  # too short to test


def test_level_only_fit_matches_direct_statsmodels_fit():
    series = synthetic(60.0, seed=3)
    effect = its.fit(series, pd.Timestamp("2020-01-01"), maxlags=4, slope_change=False)
    frame = pd.DataFrame({"y": series.to_numpy(), "time": np.arange(len(series)),
                          "post": (series.index >= "2020-01-01").astype(int), "month": series.index.month})
    direct = smf.ols("y ~ time + post + C(month)", frame).fit(cov_type="HAC", cov_kwds={"maxlags": 4})
    assert effect.absolute == pytest.approx(direct.params["post"], rel=1e-9)
    assert effect.model.bse["post"] == pytest.approx(direct.bse["post"], rel=1e-9)
    assert effect.spec.startswith("level change only")
    assert effect.ci_low < 60.0 < effect.ci_high


def test_homicides_full_pretrend_extrapolation_is_flagged():
    """SESNSP national homicides rose steeply 2015-2018 then plateaued: the straight-line ITS is flagged."""
    analysis = impact.analyse(SESNSP, "homicidio_doloso", "Nacional", method="its",
                              exclude=["2020-03-01/2020-06-30"], post_months=24)
    values = impact.results(analysis)
    assert values["specification_warning"] is True
    assert values["pretrend_linear_p"] < 0.001
    assert values["effect"]["relative_ci_high"] < 0  # the straight-line estimate alone looks like a fall
    assert values["its_verdict"] != "detectable effect"
    assert values["detectable"] is False
    assert "likely driven by the extrapolated pre-period trend" in values["conclusion"]
