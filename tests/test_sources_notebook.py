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
        "article_date": "ISODate", "gender": "bool", "title": "str",
        "language": "str"}
    assert specs["language"].choices == ("en", "es") and specs["language"].default == "en"
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


@pytest.mark.slow
def test_spanish_report_through_dictamen_run_and_verdict_agrees_with_results(tmp_path):
    """``dictamen run ... -p language es``: the page speaks Spanish and its verdict says what the
    recorded results say (works, languages, types, voices)."""
    import json
    import subprocess
    import sys

    from babel import Locale

    output = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "dictamen.pipeline.cli", "run", NOTEBOOK,
                           "-p", "language", "es", "--name", "fuentes", "--output-dir", str(output),
                           "--workers", "1"], cwd=project_root(), capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads((output / "fuentes.json").read_text(encoding="utf-8"))
    results = record["results"]
    works = [row for row in results["bibliography"] if row["parsed"]]
    languages = {}
    for row in works:
        languages[row["language"]] = languages.get(row["language"], 0) + 1
    names = Locale.parse("es_MX").languages
    first, second = sorted(languages.items(), key=lambda item: (-item[1], item[0]))[:2]
    news = sum(row["type"] == "news" for row in works)
    nb = nbformat.read(next((output / "runs").glob("*/fuentes.ipynb")), as_version=4)
    from dictamen.record import verdict_from_notebook

    verdict = verdict_from_notebook(nb)
    assert verdict["language"] == "es"
    assert verdict["sentences"][0] == (
        f"{len(works)} fuentes citadas: {first[1]} en {names[first[0]]}, {second[1]} en "
        f"{names[second[0]]}; {news} de {len(works)} de medios del tipo «noticias».")
    assert verdict["sentences"][0] == "16 fuentes citadas: 8 en inglés, 8 en español; 5 de 16 de medios del tipo «noticias»."
    voices = {row["person"] or row["organisation"] for row in results["attributions"]}
    assert f"{len(results['used_not_listed'])} de ellas no corresponden" in verdict["sentences"][1]
    assert {item["label"] for item in verdict["figures"]} >= {"Fuentes citadas", "Idioma mayoritario"}
    html = (output / "fuentes.html").read_text(encoding="utf-8")
    for spanish in ("Las fuentes citadas suman 16 entradas", "Tres gráficas de barras de 16 obras citadas",
                    "por idioma", "organización autora", "centro de pensamiento", "11 de enero de 2021"):
        assert spanish in html, spanish
    for english in ("The sources hold", "Three bar charts", "author organisation", "by language",
                    "Listed but never used"):
        assert english not in html, english
    assert voices  # the attributions were recorded with their keys unchanged
