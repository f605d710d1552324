"""The project's own rules: clean notebooks, one dependency list, every data file catalogued."""

from __future__ import annotations

import ast
import hashlib
import re
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

from dictamen.catalog import project_root
from dictamen.pipeline.config import load_config
from dictamen.params import parameters_cell, read_parameters

ROOT = project_root()
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "tests/fixtures").rglob("*.ipynb"))
REQUIRED_PROVENANCE = ("path", "title", "publisher", "url", "licence", "sha256", "caveats")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebooks_are_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {index} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda path: path.name)
def test_notebooks_are_thin_narratives_with_typed_parameters(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "dictamen"
    assert parameters_cell(nb) is not None, "no cell tagged 'parameters'"
    declared = read_parameters(path)
    assert "title" in declared.specs
    assert all(spec.help for spec in declared.specs.values()), "every parameter needs a help comment"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), \
                f"{path.name} defines a function or class: logic belongs in lib/dictamen"
            assert not isinstance(node, (ast.For, ast.While, ast.If)), \
                f"{path.name} has a loop or branch: logic belongs in lib/dictamen"


def test_environment_yml_installs_the_project_from_pyproject():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    conda_packages = [item for item in environment["dependencies"] if isinstance(item, str)]
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert sorted(re.split(r"[=<>]", item)[0] for item in conda_packages) == ["pip", "python"]
    python_pin = next(item for item in conda_packages if item.startswith("python"))
    assert python_pin.split("=")[1] in pyproject["project"]["requires-python"]
    assert pip_section == ['-e ".[test]"'], "conda users must install exactly what pyproject.toml lists"


def test_readme_quick_start_and_ci_use_make():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make reports" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_every_data_file_is_catalogued_with_its_hash_and_provenance():
    catalog = tomllib.loads((ROOT / "data/catalog.toml").read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in catalog["files"]}
    on_disk = {path.relative_to(ROOT).as_posix() for path in (ROOT / "data").rglob("*")
               if path.is_file() and path.name != "catalog.toml"}
    assert on_disk - set(entries) == set(), "data files without a catalogue entry"
    assert set(entries) - on_disk == set(), "catalogue entries without a file"
    for path, entry in entries.items():
        missing = [field for field in REQUIRED_PROVENANCE if field not in entry]
        assert not missing, f"{path}: catalogue entry lacks {missing}"
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == entry["sha256"], f"{path}: sha256 differs"


def test_reports_toml_is_valid():
    config = load_config()
    assert config.reports


def test_derived_impact_files_are_reproduced_by_their_derivation(tmp_path, monkeypatch):
    """data/impact/tidy/ is what `python -m dictamen.impact.derive` writes from data/impact/source/, byte for byte."""
    from dictamen.impact import derive

    staged = tmp_path / "project"
    (staged / "data/impact").mkdir(parents=True)
    (staged / "data/impact/source").symlink_to(ROOT / "data/impact/source")
    monkeypatch.setenv("DICTAMEN_ROOT", str(staged))
    derive.main()
    for produced in sorted((staged / "data/impact/tidy").iterdir()):
        committed = ROOT / "data/impact/tidy" / produced.name
        assert produced.read_bytes() == committed.read_bytes(), f"{produced.name} differs from its derivation"
