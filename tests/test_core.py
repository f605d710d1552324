"""Core helpers: paths, hashes, recorded results, parameter declarations, escaping."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
import pytest

from dictamen import catalog, prose, record
from dictamen.errors import InputError, ParameterError
from dictamen.params import parse_parameters_source, validate


def test_relative_paths_resolve_against_the_project_root_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    resolved = catalog.resolve_path("data/catalog.toml")
    assert resolved == catalog.project_root() / "data/catalog.toml"
    assert resolved.is_file()


def test_paths_shown_in_reports_are_never_absolute(tmp_path):
    assert catalog.display_path(catalog.project_root() / "data/votes/x.csv") == "data/votes/x.csv"
    assert catalog.display_path(tmp_path / "private" / "mine.csv") == "mine.csv"


def test_open_data_hashes_and_records_the_read(tmp_path):
    path = tmp_path / "series.csv"
    path.write_bytes(b"date,value\n2020-01-01,1\n")
    assert catalog.open_data(path) == path.resolve()
    assert record.data_read()["series.csv"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_open_data_names_the_parameter_and_the_file_when_missing():
    with pytest.raises(InputError) as error:
        catalog.open_data("data/nowhere.csv", parameter="series_path")
    assert "parameter 'series_path'" in str(error.value) and "data/nowhere.csv" in str(error.value)


def test_input_error_reads_as_one_sentence_with_row_and_column():
    error = InputError("negative count -3", path="data/votes/t.csv", row=4, column="against",
                       expected="a whole number of votes, 0 or more")
    assert str(error) == ("negative count -3 (in data/votes/t.csv, row 4, column 'against'); "
                          "expected a whole number of votes, 0 or more.")


def test_recorded_values_become_plain_json():
    frame = pd.DataFrame({"party": ["D", "R"], "yes": np.array([40, 49])})
    plain = record.to_jsonable({"n": np.int64(3), "share": np.float64(0.5), "gap": math.nan,
                                "when": pd.Timestamp("2020-12-19"), "table": frame, "missing": pd.NA})
    assert plain == {"n": 3, "share": 0.5, "gap": None, "when": "2020-12-19T00:00:00",
                     "table": [{"party": "D", "yes": 40}, {"party": "R", "yes": 49}], "missing": None}
    with pytest.raises(TypeError):
        record.to_jsonable(object())


def test_results_are_read_back_from_notebook_outputs():
    nb = {"cells": [{"outputs": [{"data": {record.RESULTS_MIME: {"a": 1}}}]},
                    {"outputs": [{"data": {record.RESULTS_MIME: {"a": 2, "b": 3}}},
                                 {"data": {record.DATA_MIME: {"path": "data/x.csv", "sha256": "ab"}}}]}]}
    assert record.results_from_notebook(nb) == {"a": 2, "b": 3}
    assert record.data_from_notebook(nb) == {"data/x.csv": "ab"}


def test_an_annotation_dictamen_cannot_check_is_refused():
    # A plain `n = 3` is a parameter of inferred type since issue 15 (tests/test_papermill.py);
    # an annotation is a promise, so one that cannot be checked is still refused.
    with pytest.raises(ParameterError, match="annotation `Widget`"):
        parse_parameters_source("n: Widget = {}  # no")


def test_values_from_toml_are_checked_by_type():
    declared = parse_parameters_source('n: int = 1  # n [1..5]\nx: float = 0.5  # x\nflag: bool = False  # f\n'
                                       'names: list[str] = []  # names\n')
    assert validate(declared, {"n": 5, "x": 2, "flag": True, "names": ["a"]}, report="r") == \
        {"n": 5, "x": 2.0, "flag": True, "names": ["a"]}
    with pytest.raises(ParameterError) as error:
        validate(declared, {"n": True, "x": "1", "flag": "yes", "names": "a"}, report="r")
    message = str(error.value)
    for fragment in ("'n' = True", "'x' = '1'", "'flag' = 'yes'", "'names' = 'a': not a list"):
        assert fragment in message


def test_escape_neutralises_markup_from_input():
    text = prose.escape('<script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in text and "<img" not in text
    assert prose.percent(0.0213, signed=True) == "+2.1%" and prose.number(1234567) == "1,234,567"
