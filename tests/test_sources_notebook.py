"""notebooks/source_diversity.ipynb runs for real (papermill, kernel 'dictamen'): seed, corpus, hostile."""

from __future__ import annotations

import re

import nbformat
import pytest

from dictamen.catalog import project_root
from dictamen.record import results_from_notebook

NOTEBOOK = "notebooks/source_diversity.ipynb"


def _run(tmp_path, **parameters):
    import papermill as pm

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(project_root() / NOTEBOOK), str(out), parameters=parameters,
                        kernel_name="dictamen", cwd=str(project_root() / "notebooks"),
                        progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    return nb, results_from_notebook(nb)


def _rendered(nb) -> str:
    """Every Markdown/HTML output and every image alt text of an executed notebook."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts += [str(data.get(kind, "")) for kind in ("text/markdown", "text/html")]
            parts.append(str(output.get("metadata", {}).get("image/png", {}).get("alt", "")))
    return "\n".join(parts)


def test_committed_notebook_has_no_outputs_and_parameters():
    from dictamen.params import read_parameters

    nb = nbformat.read(project_root() / NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in nb.cells if c.cell_type == "code")
    assert "parameters" in nb.cells[1].metadata.get("tags", [])
    specs = read_parameters(NOTEBOOK).specs
    assert {name: spec.type for name, spec in specs.items()} == {
        "article_path": "DataPath", "outlets_path": "DataPath", "languages": "list[str]",
        "article_date": "ISODate", "gender": "bool", "title": "str"}
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"^\s*(def|for|while|if|class)\b", code, re.M)


@pytest.mark.slow
def test_defaults_seed_article(tmp_path):
    nb, results = _run(tmp_path)
    assert results["mode"] == "single article" and results["n_entries"] == 16
    assert results["unparsed"] == []
    assert [row["number"] for row in results["listed_not_used"]] == [3, 7, 8, 11, 13, 15, 16]
    assert [row["voice"] for row in results["used_not_listed"]] == ["Cecilia Farfán-Méndez"]
    assert results["article_date"][0]["date"] == "2021-01-11"
    text = _rendered(nb)
    assert "Not applicable" in text  # corpus-only sections say so in single mode
    assert "Three bar charts of 16 cited works" in text


@pytest.mark.slow
def test_corpus_folder_and_hostile_article(tmp_path):
    _, results = _run(tmp_path, article_path="data/articles")
    assert results["mode"] == "corpus" and results["articles"] == 5
    assert {row["article"] for row in results["indices"]} >= {"all articles"}
    nb, results = _run(tmp_path, article_path="tests/fixtures/sources/hostile.md", gender=True)
    assert len(results["bibliography"]) == 3 and len(results["unparsed"]) == 1
    text = _rendered(nb)
    assert "&lt;script&gt;" in text or "&amp;lt;script" in text
    assert "<script" not in text.lower()
    assert not re.search(r"<[^<>]*\bon\w+\s*=", text)
