"""The runner under faults and hostile input, through the real ``dictamen run`` in subprocesses:
unusable input fails the report and keeps the last good one; bad names and folders are refused before
anything runs; faults of the environment are one-paragraph messages; a failed report is retried."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dictamen.catalog import project_root

ROOT = project_root()
PROBE = "tests/fixtures/pipeline/probe.ipynb"
SOURCES = "notebooks/source_diversity.ipynb"
IMPACT = "notebooks/policy_impact.ipynb"
SEED = ROOT / "data/articles/000_844dcaef5a0c3383.txt"
SESNSP = "data/impact/tidy/sesnsp_victims_2015_2025.csv"
DICTAMEN = [sys.executable, "-m", "dictamen.pipeline.cli"]

pytestmark = pytest.mark.slow


def dictamen(*arguments: str, cwd: Path = ROOT, **options) -> subprocess.CompletedProcess:
    return subprocess.run([*DICTAMEN, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600, **options)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def snapshot(output: Path, names: list[str]) -> dict[str, bytes]:
    return {f"{name}.{suffix}": (output / f"{name}.{suffix}").read_bytes() for name in names for suffix in ("html", "json")}


def one_paragraph(text: str) -> None:
    assert "Traceback" not in text, text
    assert len([line for line in text.strip().splitlines() if line.startswith("dictamen:")]) == 1, text


# -- unusable input is a failed report -------------------------------------------------------------

def test_unusable_articles_fail_the_report_and_keep_the_last_good_one(tmp_path):
    bad = {
        "empty": b"",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20,
        "latin1": "Fuentes\n\nPérez, Ana. «Título». Proceso, 2020.\n".encode("latin-1"),
        "utf16": "Fuentes\n\nPérez, Ana. Título. Proceso, 2020.\n".encode("utf-16"),
        "huge": b"word " * 1_000_001,
    }
    for name, content in bad.items():
        (tmp_path / f"{name}.txt").write_bytes(content)
    config = tmp_path / "reports.toml"

    def configure(paths: dict[str, Path]) -> None:
        config.write_text("".join(f'[reports.{name}]\nnotebook = "{SOURCES}"\nparameters = {{ article_path = "{path}" }}\n'
                                  for name, path in paths.items()), encoding="utf-8")

    output = tmp_path / "out"
    configure({name: SEED for name in bad})
    assert dictamen("run", "--config", str(config), "--output-dir", str(output), "--workers", "2").returncode == 0
    good = snapshot(output, list(bad))

    configure({name: tmp_path / f"{name}.txt" for name in bad})
    result = dictamen("run", "--config", str(config), "--output-dir", str(output), "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert "5 failed" in result.stdout
    assert snapshot(output, list(bad)) == good
    expected = {
        "empty": "the file is empty",
        "binary": "looks binary",
        "latin1": "looks like Latin-1 (Windows-1252) text",
        "utf16": "UTF-16 text",
        "huge": "over the 5,000,000-byte limit",
    }
    for name, words in expected.items():
        error = load(output / f"{name}.failed.json")["error"]
        assert error["ename"] == "InputError"
        assert error["evalue"].startswith("The article cannot be analysed: ") and words in error["evalue"], error
        assert f"in {name}.txt" in error["evalue"]
        assert "Traceback" not in json.dumps(error) and str(tmp_path) not in error["evalue"]
        assert f"FAILED {name}: cell" in result.stdout


def test_a_non_finite_value_and_a_missing_panel_unit_fail_the_report(tmp_path):
    rows = (ROOT / SESNSP).read_text(encoding="utf-8").splitlines()
    header, body = rows[0], rows[1:]
    target = next(i for i, line in enumerate(body) if ",Nacional,homicidio_doloso," in line and line.startswith("2019-03"))
    fields = body[target].split(",")
    fields[header.split(",").index("value")] = "inf"
    body[target] = ",".join(fields)
    infinite = tmp_path / "sesnsp_inf.csv"
    infinite.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    common = 'method = "its", measure = "homicidio_doloso", unit = "Nacional", control_path = "", ' \
             'control_measure = "", control_unit = "", post_months = 24'
    config = tmp_path / "reports.toml"
    output = tmp_path / "out"
    config.write_text(f'[reports.inf]\nnotebook = "{IMPACT}"\nparameters = {{ {common}, series_path = "{SESNSP}", panel_units = [] }}\n'
                      f'[reports.panel]\nnotebook = "{IMPACT}"\nparameters = {{ {common}, series_path = "{SESNSP}", panel_units = ["Jalisco"] }}\n',
                      encoding="utf-8")
    assert dictamen("run", "--config", str(config), "--output-dir", str(output), "--workers", "2").returncode == 0
    good = snapshot(output, ["inf", "panel"])
    config.write_text(config.read_text(encoding="utf-8").replace(f'series_path = "{SESNSP}", panel_units = [] }}', f'series_path = "{infinite}", panel_units = [] }}')
                      .replace('["Jalisco"]', '["Jalsco"]'), encoding="utf-8")
    result = dictamen("run", "--config", str(config), "--output-dir", str(output), "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert snapshot(output, ["inf", "panel"]) == good
    inf = load(output / "inf.failed.json")["error"]["evalue"]
    assert "Value 'inf' is not a finite number" in inf and f"row {target + 2}" in inf, inf
    panel = load(output / "panel.failed.json")["error"]["evalue"]
    assert "Unit 'Jalsco' has no rows for measure 'homicidio_doloso' (parameter 'panel_units')" in panel, panel
    assert "did you mean 'Jalisco'?" in panel and "one of: Jalisco," in panel, panel
