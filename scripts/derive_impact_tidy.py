"""Derive the tidy impact files in data/impact/tidy/ from the copied sources in data/impact/source/.

Run from the project root: .venv/bin/python scripts/derive_impact_tidy.py
Each output is marked derived in data/catalog.toml with this script named.
"""

from __future__ import annotations

from dictamen.catalog import project_root
from dictamen.impact import derive


def main() -> None:
    root = project_root()
    source = root / "data/impact/source"
    tidy = root / "data/impact/tidy"
    tidy.mkdir(parents=True, exist_ok=True)
    outputs = {
        "bts_border_crossing_2015-01_2022-07.csv":
            derive.bts_border_crossing(source / "Border_Crossing_Entry_Data_to_2022-07.zip"),
        "cbp_texas_crossings_2008_2025.csv": derive.cbp_texas(source / "monthly_crossings_2008_2025.csv"),
        "bts_transborder_monthly_1993_2025.csv": derive.transborder(source / "monthly_trends.csv"),
        "cbp_drug_seizures_southwest_2018_2025.csv":
            derive.cbp_seizures(source / "cbp_drug_seizures_southwest_border_monthly_2018_2025.csv"),
        "sesnsp_victims_2015_2025.csv": derive.sesnsp(source / "sesnsp_victims_national_month_2015_2025.csv",
                                                      source / "sesnsp_victims_state_month_2015_2025.csv"),
    }
    for name, frame in outputs.items():
        frame.to_csv(tidy / name, index=False, lineterminator="\n")
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main()
