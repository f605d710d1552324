"""Executed fixture notebooks and run records shared by test_export, test_site and test_browser.

The fixture notebook (tests/fixtures/export/sample.ipynb) runs for real with Papermill on the
'dictamen' kernel against a tiny fixture project (tests/fixtures/export/project: one made-up tally
file and its catalogue entry), three ways: with its defaults, with hostile titles, and with a data
path that does not exist (a failed run). Each is executed once per test session.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures" / "export"
PROJECT = FIXTURES / "project"
NOTEBOOK = FIXTURES / "sample.ipynb"
HOSTILE = '<script>alert(1)</script><img src=x onerror="window.__pwned=1;alert(2)">'
KERNEL = "dictamen"

VARIANTS: dict[str, dict[str, Any]] = {
    "sample": {},
    "hostile": {"title": "Vote on " + HOSTILE, "article_title": HOSTILE + " & <b>bold</b> claims"},
    "broken": {"tallies_path": str(Path.home() / "private-folder" / "missing.csv")},
    "spanish": {"language": "es", "title": "Votación de muestra"},
}
CATALOGUES = FIXTURES / "locales"
"""The fixture notebook's own Spanish catalogue (nb_sample.po), used in place of the package's."""


@contextlib.contextmanager
def fixture_project():
    """Point dictamen at the fixture project (its catalogue) for the duration of the block."""
    from dictamen.pipeline import export

    previous = os.environ.get("DICTAMEN_ROOT")
    previous_catalogues = export.NOTEBOOK_CATALOGUES
    os.environ["DICTAMEN_ROOT"] = str(PROJECT)
    export.NOTEBOOK_CATALOGUES = CATALOGUES
    try:
        yield PROJECT
    finally:
        export.NOTEBOOK_CATALOGUES = previous_catalogues
        if previous is None:
            os.environ.pop("DICTAMEN_ROOT", None)
        else:
            os.environ["DICTAMEN_ROOT"] = previous


def ensure_kernel() -> None:
    """Register the 'dictamen' kernel in the venv when it is missing (as the Makefile does)."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL not in KernelSpecManager().find_kernel_specs():
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL,
                        "--display-name", "Python (dictamen)"], check=True, capture_output=True)


def _defaults() -> dict[str, Any]:
    from dictamen.pipeline.export import parameter_declarations

    declared = parameter_declarations(nbformat.read(NOTEBOOK, as_version=4))
    return {name: entry["default"] for name, entry in declared.items()}


def execute(name: str) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    """Execute one variant of the fixture notebook and build the run record the runner would write."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from dictamen import record

    ensure_kernel()
    supplied = VARIANTS[name]
    started = dt.datetime.now(dt.timezone.utc)
    error = None
    with tempfile.TemporaryDirectory() as scratch, fixture_project():
        output = Path(scratch) / f"{name}.ipynb"
        try:
            papermill.execute_notebook(str(NOTEBOOK), str(output), parameters=supplied, kernel_name=KERNEL,
                                       cwd=str(FIXTURES), progress_bar=False)
        except PapermillExecutionError as failure:
            error = {"cell": failure.exec_count, "ename": failure.ename, "evalue": failure.evalue,
                     "line": f"cell {failure.exec_count}: {failure.ename}: {failure.evalue}"}
        executed = nbformat.read(output, as_version=4)
    finished = dt.datetime.now(dt.timezone.utc)
    parameters = {**_defaults(), **supplied}
    report = {
        "name": f"fixture-{name}",
        "notebook": "tests/fixtures/export/sample.ipynb",
        "kind": "sample",
        "title": str(parameters.get("title") or name),
        "description": "",
        "parameters": parameters,
        "supplied": supplied,
        "results": record.results_from_notebook(executed),
        "verdict": record.verdict_from_notebook(executed),
        "twins": {"en": "fixture-sample", "es": "fixture-spanish"} if name in ("sample", "spanish") else {},
        "status": "failed" if error else "ok",
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "duration_s": round((finished - started).total_seconds(), 3),
        "data": [{"path": path, "sha256": sha} for path, sha in sorted(record.data_from_notebook(executed).items())],
        "versions": {"python": sys.version.split()[0], "dictamen": "0.1.0", "nbformat": nbformat.__version__},
        "commit": "0123456789abcdef0123456789abcdef01234567",
        "dirty": False,
        "command": f"dictamen run fixture-{name}",
        "run_id": started.strftime("%Y%m%dT%H%M%SZ") + "-test",
        "error": error,
        "changes": [{"key": "yes", "previous": 1200, "current": 1290}] if name == "sample" else [],
        "previous_success": "2024-05-01T12:00:00+00:00" if error else None,
    }
    return executed, report


@lru_cache(maxsize=None)
def executed_variant(name: str) -> tuple[nbformat.NotebookNode, dict[str, Any]]:
    """Each variant executed once per session."""
    return execute(name)


@lru_cache(maxsize=1)
def fixture_site() -> Path:
    """A folder with one HTML report per variant and the indexes, rendered by our functions."""
    from dictamen.pipeline.export import render_report
    from dictamen.pipeline.site import render_indexes

    folder = Path(tempfile.mkdtemp(prefix="dictamen-export-"))
    atexit.register(remove, folder)
    records = []
    with fixture_project():
        for name in VARIANTS:
            executed, report = executed_variant(name)
            (folder / f"{report['name']}.html").write_text(render_report(executed, report), encoding="utf-8")
            records.append(report)
        indexes = render_indexes(records, generated=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    for filename, page in indexes.items():
        (folder / filename).write_text(page, encoding="utf-8")
    return folder


def configured_reports() -> list[str]:
    """Names of the reports in reports.toml (grid expanded by dictamen.pipeline.config), or [] if none yet."""
    if not (ROOT / "reports.toml").exists():
        return []
    try:
        from dictamen.pipeline.config import load_config, select

        return [spec.name for spec in select(load_config(None), [])]
    except Exception:  # noqa: BLE001 - a broken reports.toml is the config tests' business
        return []


@lru_cache(maxsize=1)
def real_site() -> Path:
    """Every report in reports.toml run once per session by the real CLI into a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="dictamen-reports-"))
    atexit.register(remove, folder)
    command = [str(Path(sys.executable).with_name("dictamen")), "run", "--output-dir", str(folder), "--force",
               "--workers", "2"]
    environment = {key: value for key, value in os.environ.items() if key != "DICTAMEN_ROOT"}
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=1800)
    if not (folder / "index.html").exists():
        raise RuntimeError(f"dictamen run wrote no index (exit {finished.returncode}):\n"
                           f"{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}")
    return folder


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


SOURCES_NOTEBOOK = "notebooks/source_diversity.ipynb"
HOSTILE_ARTICLE = "tests/fixtures/sources/hostile.md"


@lru_cache(maxsize=1)
def hostile_article_site() -> Path | None:
    """The sources notebook run by the real CLI (ad hoc) on the hostile test article, or None when
    that notebook or article is not in the project."""
    if not (ROOT / SOURCES_NOTEBOOK).exists() or not (ROOT / HOSTILE_ARTICLE).exists():
        return None
    folder = Path(tempfile.mkdtemp(prefix="dictamen-hostile-"))
    atexit.register(remove, folder)
    command = [str(Path(sys.executable).with_name("dictamen")), "run", SOURCES_NOTEBOOK,
               "-p", "article_path", HOSTILE_ARTICLE, "-p", "title", "Sources of " + HOSTILE,
               "--name", "hostile-article", "--output-dir", str(folder), "--workers", "1"]
    environment = {key: value for key, value in os.environ.items() if key != "DICTAMEN_ROOT"}
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    if not (folder / "hostile-article.html").exists():
        raise RuntimeError(f"dictamen run on the hostile article wrote no report (exit {finished.returncode}):\n"
                           f"{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}")
    return folder
