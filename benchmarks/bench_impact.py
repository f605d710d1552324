"""Speed of the policy-impact estimators on the bundled real data, against baselines in the same run.

* Synthetic control with placebo-in-space over 30 donors: the US-Mexico border's trucks against the
  30 busiest US-Canada truck ports (the border-trucks-synth-2020 design): 31 weight fits plus 3
  leave-one-out refits. Baseline: the same 31 weight problems solved by pysyncon's own solver
  (``Synth.fit`` with V fixed; SLSQP with numerical gradients), timed on a few and extrapolated.
  Target: under 10 s (CPU seconds of this process), and the ratio to pysyncon is printed.
* Count ITS: one quasi-Poisson segmented-regression fit (GLM, Pearson dispersion, Ljung-Box test and
  a Newey-West refit when it rejects) of national homicides, averaged over repeats. Baseline: the
  least-squares ITS fit of the same series. Target: under 0.1 s per fit.

CPU seconds are used because 2 cores are shared here; the load average is printed with the timings.
Usage: python benchmarks/bench_impact.py
"""

from __future__ import annotations

import os
import time
import tomllib

import numpy as np
import pandas as pd

from dictamen.impact import count, its, synth
from dictamen.impact.load import load_series
from dictamen.catalog import project_root

ROOT = project_root()
BTS = ROOT / "data/impact/tidy/bts_border_crossing_2015-01_2022-07.csv"
SESNSP = ROOT / "data/impact/tidy/sesnsp_victims_2015_2025.csv"
PYSYNCON_SAMPLE = 4


def _load() -> tuple[pd.Series, pd.DataFrame]:
    frame = pd.read_csv(BTS)
    trucks = frame[frame["measure"] == "Trucks"]
    wide = trucks.pivot_table(index="date", columns="unit", values="value", aggfunc="first")
    wide.index = pd.DatetimeIndex(wide.index)
    donors = tomllib.loads((ROOT / "reports.toml").read_text(encoding="utf-8"))["reports"][
        "border-trucks-synth-2020"]["parameters"]["donor_units"]  # the donor pool of the default report
    return wide["US-Mexico Border"], wide[donors]


def _cpu(function, repeat: int = 1) -> float:
    start = time.process_time()
    for _ in range(repeat):
        function()
    return (time.process_time() - start) / repeat


def main() -> None:
    print(f"load average before: {os.getloadavg()}")
    treated, donors = _load()
    calendar = treated.index
    excluded = pd.date_range("2020-03-01", "2020-06-01", freq="MS").union([pd.Timestamp("2020-12-01")])
    pre = calendar[calendar < "2020-12-01"].difference(excluded)
    post = calendar[calendar >= "2021-01-01"]
    result = {}
    ours = _cpu(lambda: result.setdefault("r", synth.run(treated, donors, pre, post, calendar,
                                                          pd.Timestamp("2021-01-01"))))
    print(f"synthetic control, {donors.shape[1]} donors, placebo-in-space + leave-one-out: {ours:.2f} CPU s "
          f"(target < 10 s): {'OK' if ours < 10 else 'TOO SLOW'}; placebo rank {result['r'].rank}")
    scaled_d = donors.loc[pre] / donors.loc[pre].mean()
    scaled_t = treated.loc[pre] / treated.loc[pre].mean()
    problems = [(scaled_t.to_numpy(), scaled_d.to_numpy())] + [
        (scaled_d[u].to_numpy(), scaled_d.drop(columns=u).to_numpy()) for u in donors.columns]
    sample = problems[:PYSYNCON_SAMPLE]
    reference = _cpu(lambda: [synth.pysyncon_weights(t, d) for t, d in sample]) / len(sample) * len(problems)
    fast = _cpu(lambda: [synth.weights(t, d) for t, d in problems])
    print(f"  the {len(problems)} weight problems: ours {fast:.3f} CPU s, pysyncon's solver ~{reference:.1f} CPU s "
          f"(extrapolated from {len(sample)}): {reference / max(fast, 1e-9):.0f}x")

    homicides = load_series(SESNSP, "homicidio_doloso", "Nacional").values.dropna()
    first_post = pd.Timestamp("2021-01-01")
    per_fit = _cpu(lambda: count.fit(homicides, first_post), repeat=20)
    baseline = _cpu(lambda: its.fit(homicides, first_post), repeat=20)
    print(f"count ITS (quasi-Poisson) per fit: {per_fit * 1000:.1f} CPU ms (target < 100 ms): "
          f"{'OK' if per_fit < 0.1 else 'TOO SLOW'}; least-squares ITS {baseline * 1000:.1f} ms "
          f"({per_fit / baseline:.1f}x)")
    print(f"load average after: {os.getloadavg()}")
    if ours >= 10 or per_fit >= 0.1:
        raise SystemExit(1)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
