"""Adapters from the bundled source formats to the tidy format (date, unit, measure, value, note).

Run as ``python -m dictamen.impact.derive``, which writes the results to ``data/impact/tidy/``. Faults
in the sources are not repaired here: duplicate and conflicting rows are kept so the tidy loader
finds and reports them, and known caveats tied to particular months go into the ``note`` column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dictamen.catalog import project_root

TIDY_ORDER = ["date", "unit", "measure", "value", "note"]


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if "note" not in frame.columns:
        frame["note"] = ""
    frame["note"] = frame["note"].fillna("")
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d")
    return frame[TIDY_ORDER].sort_values(["unit", "measure", "date"], kind="stable").reset_index(drop=True)


def bts_border_crossing(zip_path: Path, start: str = "2015-01-01") -> pd.DataFrame:
    """BTS Border Crossing/Entry Data: port rows verbatim (units "Port (State)") plus border totals.

    Port rows keep the source's exact duplicates and conflicting rows so the loader reports them.
    Border totals count each exact duplicate once (the affected totals carry a note) and sum
    conflicting rows as published (also noted).
    """
    raw = pd.read_csv(zip_path)
    raw["date"] = pd.to_datetime(raw["Date"], format="%b %Y")
    raw = raw[raw["date"] >= pd.Timestamp(start)].copy()
    raw["unit"] = raw["Port Name"] + " (" + raw["State"].fillna("state missing") + ")"
    ports = raw.rename(columns={"Measure": "measure", "Value": "value"})[["date", "unit", "measure", "value"]]
    ports = ports.assign(note=raw["State"].isna().map({True: "the source row has no State", False: ""}))
    split = ports["unit"].isin(["El Paso (Texas)", "Ysleta (Texas)"]) & (ports["date"] >= "2020-03-01")
    ports.loc[split, "note"] = ("Ysleta is reported separately from El Paso from 2020-03 on: "
                                "El Paso's counts drop and Ysleta's begin (a reporting change, not a real change)")

    keys = ["Port Name", "State", "Port Code", "Border", "date", "Measure"]
    duplicate = raw.duplicated(keys + ["Value"], keep="first")
    conflicting = raw.duplicated(keys, keep=False) & ~raw.duplicated(keys + ["Value"], keep=False)
    notes: dict[tuple, list[str]] = {}
    for (border, date, measure), group in raw[duplicate].groupby(["Border", "date", "Measure"]):
        notes.setdefault((border, date, measure), []).append(
            f"total counts once {len(group)} exact duplicate source row(s) ({', '.join(group['Port Name'])})")
    for (border, date, measure, port), group in raw[conflicting].groupby(["Border", "date", "Measure", "Port Name"]):
        values = ", ".join(str(v) for v in group["Value"])
        notes.setdefault((border, date, measure), []).append(
            f"total includes {len(group)} conflicting {port} rows ({values}), summed as published")
    totals = (raw[~duplicate].groupby(["Border", "date", "Measure"], as_index=False)["Value"].sum()
              .rename(columns={"Border": "unit", "Measure": "measure", "Value": "value"}))
    totals["note"] = [
        "; ".join(notes.get((u, d, m), [])) for u, d, m in zip(totals["unit"], totals["date"], totals["measure"])]
    return _tidy(pd.concat([totals, ports], ignore_index=True))


def cbp_texas(csv_path: Path) -> pd.DataFrame:
    """CBP northbound crossings at Texas ports: POE, region and all-Texas sums by mode."""
    raw = pd.read_csv(csv_path)
    raw["date"] = pd.to_datetime(dict(year=raw["Year"], month=raw["Month"], day=1))
    value = "Northbound Crossing"
    by_poe = raw.groupby(["date", "POE", "Modes"], as_index=False)[value].sum().rename(columns={"POE": "unit"})
    by_region = raw.groupby(["date", "Region", "Modes"], as_index=False)[value].sum()
    by_region["unit"] = by_region.pop("Region") + " region"
    texas = raw.groupby(["date", "Modes"], as_index=False)[value].sum()
    texas["unit"] = "Texas (all ports)"
    frame = pd.concat([by_poe, by_region, texas], ignore_index=True).rename(
        columns={"Modes": "measure", value: "value"})
    frame["note"] = ""
    frame.loc[frame["date"].dt.year == 2025, "note"] = (
        "2025 compiled from different CBP documents (LRD/RGV workbooks, El Paso PDF reports): possible source break")
    anomaly = ((frame["date"] == "2023-12-01") & (frame["measure"] == "Passenger Vehicles")
               & frame["unit"].isin(["Eagle Pass", "Laredo region", "Texas (all ports)"]))
    frame.loc[anomaly, "note"] = "Eagle Pass passenger vehicles for Dec 2023 flagged as anomalous by the compilers"
    return _tidy(frame)


def transborder(csv_path: Path) -> pd.DataFrame:
    """BTS TransBorder monthly trade value (USD) by country, mode and trade type, plus mode totals."""
    raw = pd.read_csv(csv_path)
    raw["date"] = pd.to_datetime(dict(year=raw["Year"], month=raw["Month"], day=1))
    raw["measure"] = raw["Mode"] + " " + raw["TradeType"].str.lower() + "s, value USD"
    by_type = raw.rename(columns={"Country": "unit", "TradeValue": "value"})[["date", "unit", "measure", "value"]]
    both = raw.groupby(["date", "Country", "Mode"], as_index=False)["TradeValue"].sum(min_count=1)
    both["measure"] = both["Mode"] + " trade (exports + imports), value USD"
    both = both.rename(columns={"Country": "unit", "TradeValue": "value"})[["date", "unit", "measure", "value"]]
    frame = pd.concat([by_type, both], ignore_index=True)
    frame["note"] = ""
    frame.loc[frame["date"] == "2020-10-01", "note"] = (
        "Oct 2020 derived by subtraction (annual total minus the other months), not an observed monthly file")
    for month in ("2003-11-01", "2007-01-01"):
        frame.loc[frame["date"] == month, "note"] = f"structural break in the TransBorder series from {month[:7]}"
    return _tidy(frame)


def cbp_seizures(csv_path: Path) -> pd.DataFrame:
    """CBP southwest-border drug seizures by calendar month: events and pounds, by component and drug."""
    raw = pd.read_csv(csv_path, parse_dates=["date"])
    parts = []
    for unit, rows in (("Southwest Border (OFO + USBP)", raw),
                       ("Southwest Border, Office of Field Operations",
                        raw[raw["Component"] == "Office of Field Operations"]),
                       ("Southwest Border, U.S. Border Patrol", raw[raw["Component"] == "U.S. Border Patrol"])):
        by_drug = rows.groupby(["date", "Drug Type"], as_index=False)[["Count of Event", "Sum Qty (lbs)"]].sum()
        all_drugs = rows.groupby("date", as_index=False)[["Count of Event", "Sum Qty (lbs)"]].sum()
        all_drugs["Drug Type"] = "all drugs"
        for frame in (by_drug, all_drugs):
            for column, label in (("Count of Event", "Seizure events"), ("Sum Qty (lbs)", "Seized pounds")):
                part = frame[["date"]].copy()
                part["unit"] = unit
                part["measure"] = label + ": " + frame["Drug Type"]
                part["value"] = frame[column]
                parts.append(part)
    return _tidy(pd.concat(parts, ignore_index=True))


SESNSP_MEASURES = ["homicidio_doloso", "homicidio_doloso_arma_fuego", "feminicidio", "secuestro", "extorsion"]


def sesnsp(national_path: Path, state_path: Path) -> pd.DataFrame:
    """SESNSP victims by month: national ("Nacional") and by state, one measure per crime column."""
    national = pd.read_csv(national_path)
    national["unit"] = "Nacional"
    states = pd.read_csv(state_path)
    states["unit"] = states["nombre_estado"]
    frame = pd.concat([national, states], ignore_index=True)
    frame["date"] = pd.to_datetime(dict(year=frame["n_year"], month=frame["n_month"], day=1))
    long = frame.melt(id_vars=["date", "unit"], value_vars=SESNSP_MEASURES, var_name="measure", value_name="value")
    check = states.groupby(["n_year", "n_month"])[SESNSP_MEASURES].sum().reset_index()
    merged = check.merge(national, on=["n_year", "n_month"], suffixes=("_states", ""))
    long["note"] = ""
    for measure in SESNSP_MEASURES:
        off = merged[merged[measure + "_states"] != merged[measure]]
        for _, row in off.iterrows():
            date = pd.Timestamp(year=int(row["n_year"]), month=int(row["n_month"]), day=1)
            mask = (long["unit"] == "Nacional") & (long["measure"] == measure) & (long["date"] == date)
            long.loc[mask, "note"] = f"national value differs from the sum of states ({row[measure + '_states']})"
    return _tidy(long)


def sicily(csv_path: Path) -> pd.DataFrame:
    """The ITS tutorial's Sicily data (Lopez Bernal et al. 2017): acute coronary events and the
    age-standardised population, one unit, monthly."""
    raw = pd.read_csv(csv_path)
    raw["date"] = pd.to_datetime(dict(year=raw["year"], month=raw["month"], day=1))
    parts = [raw[["date"]].assign(unit="Sicily", measure=measure, value=raw[column])
             for column, measure in (("aces", "acute coronary events"), ("stdpop", "age-standardised population"))]
    return _tidy(pd.concat(parts, ignore_index=True))


def main() -> None:
    root = project_root()
    source = root / "data/impact/source"
    tidy = root / "data/impact/tidy"
    tidy.mkdir(parents=True, exist_ok=True)
    outputs = {
        "bts_border_crossing_2015-01_2022-07.csv":
            bts_border_crossing(source / "Border_Crossing_Entry_Data_to_2022-07.zip"),
        "cbp_texas_crossings_2008_2025.csv": cbp_texas(source / "monthly_crossings_2008_2025.csv"),
        "bts_transborder_monthly_1993_2025.csv": transborder(source / "monthly_trends.csv"),
        "cbp_drug_seizures_southwest_2018_2025.csv":
            cbp_seizures(source / "cbp_drug_seizures_southwest_border_monthly_2018_2025.csv"),
        "sesnsp_victims_2015_2025.csv": sesnsp(source / "sesnsp_victims_national_month_2015_2025.csv",
                                                      source / "sesnsp_victims_state_month_2015_2025.csv"),
        "sicily_acute_coronary_events_2002_2006.csv": sicily(source / "sicily.csv"),
    }
    for name, frame in outputs.items():
        frame.to_csv(tidy / name, index=False, lineterminator="\n")
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main()
