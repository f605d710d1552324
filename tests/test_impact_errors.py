"""Bad input to the policy-impact notebook (issue 12) is refused before any kernel starts, through the
real ``dictamen run``: one paragraph naming the file, unit, measure or dates, exit 2, nothing written,
the last good report byte-identical. Real files (BTS border crossings, SESNSP victims, the Sicily
acute coronary events) with one small edit each, written to tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dictamen import impact
from dictamen.catalog import project_root
from dictamen.errors import InputError
from dictamen.impact.checks import preflight

ROOT = project_root()
IMPACT = "notebooks/policy_impact.ipynb"
BTS = "data/impact/tidy/bts_border_crossing_2015-01_2022-07.csv"
SESNSP = "data/impact/tidy/sesnsp_victims_2015_2025.csv"
SICILY = "data/impact/tidy/sicily_acute_coronary_events_2002_2006.csv"
DONORS = ["Detroit (Michigan)", "Buffalo Niagara Falls (New York)", "Port Huron (Michigan)"]


def dictamen(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dictamen.pipeline.cli", *arguments], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def edited(tmp_path: Path, source: str, name: str, edit) -> str:
    """A copy of a real tidy file with ``edit`` applied to its lines (the header stays first)."""
    header, *rows = (ROOT / source).read_text(encoding="utf-8").splitlines()
    target = tmp_path / name
    target.write_text("\n".join([header, *edit(rows)]) + "\n", encoding="utf-8")
    return str(target)


def set_value(prefix: str, value: str):
    """Set the value of the row that starts with ``prefix`` (date,unit,measure)."""
    def edit(rows: list[str]) -> list[str]:
        assert sum(row.startswith(prefix + ",") for row in rows) == 1, prefix
        return [f"{prefix},{value}," if row.startswith(prefix + ",") else row for row in rows]
    return edit


def drop(*prefixes: str):
    def edit(rows: list[str]) -> list[str]:
        kept = [row for row in rows if not row.startswith(prefixes)]
        assert len(kept) == len(rows) - len(prefixes), prefixes
        return kept
    return edit


def only_quarters_from(year: int, unit: str, measure: str):
    """From ``year`` on, keep the series' January, April, July and October rows only (mixed spacing)."""
    def edit(rows: list[str]) -> list[str]:
        def keep(row: str) -> bool:
            date, row_unit, row_measure = row.split(",")[:3]
            late = int(date[:4]) >= year and int(date[5:7]) not in (1, 4, 7, 10)
            return not (late and row_unit == unit and row_measure == measure)
        return [row for row in rows if keep(row)]
    return edit


def every_other_month(unit: str, measure: str):
    """Keep the series' January, March, May, ... rows only (a step no frequency has)."""
    def edit(rows: list[str]) -> list[str]:
        return [row for row in rows if f",{unit},{measure}," not in row or int(row[5:7]) % 2 == 1]
    return edit


SYNTH = ["-p", "method", "synth", "-p", "control_path", "", "-p", "control_unit", "", "-p", "panel_units", ""]
SESNSP_ITS = ["-p", "method", "its", "-p", "model", "quasi-poisson", "-p", "measure", "homicidio_doloso",
              "-p", "unit", "Nacional", "-p", "control_path", "", "-p", "control_unit", "", "-p", "panel_units", ""]
SICILY_ITS = ["-p", "method", "its", "-p", "model", "quasi-poisson", "-p", "measure", "acute coronary events",
              "-p", "unit", "Sicily", "-p", "control_path", "", "-p", "control_unit", "", "-p", "panel_units", "",
              "-p", "population_measure", "age-standardised population", "-p", "intervention_date", "2005-01-10",
              "-p", "exclude", ""]

# (case, parameters, (source file, edit) or None, words the paragraph must hold)
CASES = [
    ("donor-missing", [*SYNTH, "-y", json.dumps({"donor_units": ["Detroit (Michigan)", "Port Hurn (Michigan)"]})],
     None, ["Donor unit 'Port Hurn (Michigan)' has no rows for measure 'Trucks' (parameter 'donor_units')",
            "did you mean 'Port Huron (Michigan)'?", "bts_border_crossing_2015-01_2022-07.csv", "column 'unit'"]),
    ("treated-among-donors", [*SYNTH, "-y", json.dumps({"donor_units": ["Detroit (Michigan)", "US-Mexico Border"]})],
     None, ["The treated unit 'US-Mexico Border' is among the donor units (parameter 'donor_units')",
            "bts_border_crossing_2015-01_2022-07.csv"]),
    ("one-donor", [*SYNTH, "-y", json.dumps({"donor_units": ["Detroit (Michigan)"]})],
     None, ["The synthetic control has 1 donor unit(s) for measure 'Trucks'", "at least 2 donor units",
            "bts_border_crossing_2015-01_2022-07.csv"]),
    ("donor-gaps", [*SYNTH, "-y", json.dumps({"donor_units": DONORS})],
     (BTS, drop("2018-03-01,Detroit (Michigan),Trucks,", "2018-04-01,Detroit (Michigan),Trucks,")),
     ["Donor 'Detroit (Michigan)' / Trucks has no value in 2 pre-period(s): 2018-03-01, 2018-04-01",
      "donor-gaps.csv"]),
    ("negative-count", SESNSP_ITS, (SESNSP, set_value("2019-03-01,Nacional,homicidio_doloso", "-5")),
     ["Negative value -5 for Nacional / homicidio_doloso in 2019-03", "negative-count.csv", "column 'value'",
      "counts of zero or more"]),
    ("zero-population", SICILY_ITS, (SICILY, set_value("2004-06-01,Sicily,age-standardised population", "0")),
     ["The population measure 'age-standardised population' of Sicily is 0 in 2004-06", "zero-population.csv",
      "a positive population"]),
    ("population-missing-months", SICILY_ITS,
     (SICILY, drop("2003-02-01,Sicily,age-standardised population", "2003-03-01,Sicily,age-standardised population")),
     ["The population measure 'age-standardised population' of Sicily lacks 2 month(s) of the analysis window: "
      "2003-02..2003-03", "population-missing-months.csv"]),
    ("mixed-frequencies", SESNSP_ITS, (SESNSP, only_quarters_from(2022, "Nacional", "homicidio_doloso")),
     ["Dates are mixed: Nacional / homicidio_doloso is monthly up to 2022-01-01, then every 3 months "
      "(2022-01-01, 2022-04-01, 2022-07-01, 2022-10-01)", "mixed-frequencies.csv", "column 'date'"]),
    ("irregular-dates", SESNSP_ITS, (SESNSP, every_other_month("Nacional", "homicidio_doloso")),
     ["Dates are irregular: Nacional / homicidio_doloso has observations 2 months apart (2015-01-01 then "
      "2015-03-01)", "irregular-dates.csv", "column 'date'"]),
]


@pytest.fixture(scope="module")
def last_good(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A report that ran once and succeeded (the interrupted time series of the Sicily counts)."""
    output = tmp_path_factory.mktemp("impact-errors") / "out"
    done = dictamen("run", IMPACT, "--name", "impact", "--output-dir", str(output), "--workers", "1",
                    "-p", "series_path", SICILY, *SICILY_ITS)
    assert done.returncode == 0, done.stdout + done.stderr
    return output, snapshot(output)


def snapshot(output: Path) -> dict[str, bytes]:
    """Every file of the output folder but the run lock, with its bytes."""
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*"))
            if path.is_file() and path.name != ".dictamen.lock"}


@pytest.mark.slow
@pytest.mark.parametrize("case, parameters, edit, words", CASES, ids=[case[0] for case in CASES])
def test_bad_input_exits_2_with_one_paragraph_and_writes_nothing(tmp_path, last_good, case, parameters, edit, words):
    output, good = last_good
    series = edited(tmp_path, edit[0], f"{case}.csv", edit[1]) if edit else BTS
    done = dictamen("run", IMPACT, "--name", "impact", "--output-dir", str(output), "--workers", "1",
                    "-p", "series_path", series, *parameters)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("dictamen: Report 'impact' (notebooks/policy_impact.ipynb) "
                                                   "cannot run: "), done.stderr
    assert lines[0].endswith("Nothing was run.") and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert str(tmp_path) not in lines[0] and str(ROOT) not in lines[0]
    assert snapshot(output) == good  # no NAME.html/json/failed.json, no executed notebook, same index


def test_the_notebook_names_its_input_check():
    metadata = json.loads((ROOT / IMPACT).read_text(encoding="utf-8"))["metadata"]["dictamen"]
    assert metadata == {"check_inputs": "dictamen.impact.checks:preflight"}


def test_the_preflight_raises_what_the_analysis_raises(tmp_path):
    """The same code refuses the input before the run and inside the kernel (JupyterLab)."""
    series = edited(tmp_path, SESNSP, "negative.csv", set_value("2019-03-01,Nacional,homicidio_doloso", "-5"))
    parameters = {"series_path": series, "measure": "homicidio_doloso", "unit": "Nacional", "method": "its",
                  "model": "quasi-poisson", "control_path": "", "control_unit": ""}
    with pytest.raises(InputError) as before:
        preflight(parameters)
    with pytest.raises(InputError) as inside:
        impact.analyse(**parameters)
    assert str(before.value) == str(inside.value) and "Negative value -5" in str(before.value)


def test_a_non_finite_value_is_left_to_the_kernel(tmp_path):
    """Issue 10 makes an inf a failed report (exit 1, tests/test_runner_faults.py): not refused here."""
    series = edited(tmp_path, SESNSP, "inf.csv", set_value("2019-03-01,Nacional,homicidio_doloso", "inf"))
    preflight({"series_path": series, "measure": "homicidio_doloso", "unit": "Nacional", "method": "its",
               "control_path": "", "control_unit": "", "panel_units": ["Jalsco"]})
    with pytest.raises(InputError, match="not a finite number"):
        impact.analyse(series, "homicidio_doloso", "Nacional", method="its", control_path="")


def test_reading_the_configuration_runs_no_preflight():
    """The input checks read data, so they run only for reports about to run: reading reports.toml
    (every run, the no-change one too) imports neither pandas nor those checks."""
    probe = ("import sys; from dictamen.pipeline.config import load_config; load_config(); "
             "print(sorted(m for m in sys.modules if m in ('pandas', 'dictamen.impact.checks', "
             "'dictamen.sources.checks')))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout


def test_in_a_configured_run_one_report_with_bad_input_refuses_the_run(tmp_path):
    """reports.toml is read without the checks; the run checks the reports about to run, before any
    kernel, and one with bad input refuses the whole run (exit 2), naming it: nothing is written."""
    negative = edited(tmp_path, SESNSP, "negative.csv", set_value("2019-03-01,Nacional,homicidio_doloso", "-5"))
    common = ('method = "its", model = "quasi-poisson", measure = "homicidio_doloso", unit = "Nacional", '
              'control_path = "", control_unit = "", panel_units = []')
    config = tmp_path / "reports.toml"
    config.write_text(f'[reports.good]\nnotebook = "{IMPACT}"\nparameters = {{ {common}, series_path = "{SESNSP}" }}\n'
                      f'[reports.bad]\nnotebook = "{IMPACT}"\nparameters = {{ {common}, series_path = "{negative}" }}\n',
                      encoding="utf-8")
    listed = dictamen("list", "--config", str(config), "--output-dir", str(tmp_path / "out"))
    assert listed.returncode == 0, listed.stderr
    done = dictamen("run", "--config", str(config), "--output-dir", str(tmp_path / "out"), "--workers", "1")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("dictamen: Report 'bad' (notebooks/policy_impact.ipynb) cannot run: Negative value -5 "
                                  "for Nacional / homicidio_doloso in 2019-03 (in negative.csv, row "), done.stderr
    assert "'good'" not in done.stderr and done.stdout == ""
    assert not [path for path in (tmp_path / "out").rglob("*") if path.is_file() and path.name != ".dictamen.lock"]

