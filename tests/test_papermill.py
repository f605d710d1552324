"""Papermill compatibility: papermill's own test notebooks through the real ``dictamen`` command.

The notebooks are vendored from nteract/papermill (tests/fixtures/papermill/README.md). Each is
expected to do what papermill's own tests say it does: ``test_execute.py`` (which notebooks succeed,
which fail and where, which cells never run), ``test_inspect.py`` (which parameters papermill
infers from a cell) and ``test_cli.py`` (-f, -y, -p, -r and their order).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dictamen.catalog import project_root
from dictamen.params import parameters_from_file, read_parameters
from dictamen.pipeline.cli import main

ROOT = project_root()
FIXTURES = "tests/fixtures/papermill"
_SCRIPT = Path(sys.executable).with_name("dictamen")
DICTAMEN = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "dictamen.pipeline.cli"]

pytestmark = pytest.mark.slow

# notebook -> (report status, index of the failing cell or None). The index is the cell's place in the
# notebook as it ran, before papermill added its two error-marker cells to the executed copy.
OUTCOMES = {
    "simple_execute": ("ok", None),
    "report_mode_test": ("ok", None),
    "sysexit": ("ok", None),  # a bare sys.exit() stops the notebook without failing it
    "sysexit0": ("ok", None),
    "systemexit": ("ok", None),  # raise SystemExit
    "sysexit1": ("failed", 1),  # sys.exit(1) is a failure
    "line_magic_error": ("failed", 0),  # %undefined-line-magic
    "broken1": ("failed", 4),  # assert False after a cell that ran
    "broken2": ("failed", 1),
    # papermill itself fails on this one too: its parameters cell holds the line "= 2"
    "complex_parameters": ("failed", 0),
    "nb_version_4.4": ("ok", None),
    "no_parameters": ("ok", None),
    "blank-vscode": ("ok", None),
    "result_no_exec": ("ok", None),
}


def report_name(notebook: str) -> str:
    return "pm-" + notebook.replace("_", "-").replace(".", "-").lower()


def dictamen(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DICTAMEN, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600)


def executed_cells(output: Path, name: str) -> list[dict]:
    (path,) = output.glob(f"runs/*/{name}.ipynb")
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def stream_text(cell: dict) -> str:
    return "".join("".join(out.get("text", "")) for out in cell["outputs"] if out["output_type"] == "stream")


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """Every vendored notebook as a configured report (none lives in notebooks/), run once, 2 workers."""
    folder = tmp_path_factory.mktemp("papermill-suite")
    values = folder / "report_mode.yaml"
    values.write_text("# values for report_mode_test\na: 0\nb: 100\n", encoding="utf-8")
    body = []
    for notebook in OUTCOMES:
        body.append(f'[reports.{report_name(notebook)}]\nnotebook = "{FIXTURES}/{notebook}.ipynb"')
        if notebook == "simple_execute":
            body.append('parameters = { msg = "Hello" }')
        if notebook == "report_mode_test":
            body.append(f'parameters_file = "{values}"\nparameters = {{ b = 1 }}')
        if notebook == "nb_version_4.4":
            body.append("parameters = { var = 7 }")
    config = folder / "reports.toml"
    config.write_text("\n".join(body) + "\n", encoding="utf-8")
    output = folder / "out"
    finished = dictamen("run", "--config", str(config), "--output-dir", str(output), "--workers", "2")
    return config, output, finished


def test_the_suite_runs_every_notebook_without_a_traceback(suite):
    _, output, finished = suite
    failed = sum(status == "failed" for status, _ in OUTCOMES.values())
    assert finished.returncode == 1, finished.stderr  # some notebooks are meant to fail
    assert f"{len(OUTCOMES)} reports: {len(OUTCOMES) - failed} ran, 0 unchanged, {failed} failed" in finished.stdout
    # a failing notebook's own traceback is summed up in its failure line; dictamen itself never crashes
    assert "Traceback (most recent call last):" not in finished.stderr
    assert (output / "index.html").is_file()


@pytest.mark.parametrize("notebook", OUTCOMES)
def test_each_notebook_has_papermills_outcome(suite, notebook):
    _, output, _ = suite
    status, failing_cell = OUTCOMES[notebook]
    name = report_name(notebook)
    if status == "ok":
        assert json.loads((output / f"{name}.json").read_text())["status"] == "ok"
        assert (output / f"{name}.html").stat().st_size > 0
        assert not (output / f"{name}.failed.json").exists()
    else:
        record = json.loads((output / f"{name}.failed.json").read_text())
        assert record["status"] == "failed" and record["error"]["cell"] == failing_cell
        assert not (output / f"{name}.html").exists()
        cells = executed_cells(output, name)
        # papermill marks the failure and leaves every later cell unexecuted
        markers = [cell for cell in cells if "papermill-error-cell-tag" in cell["metadata"].get("tags", [])]
        assert len(markers) == 2
        ran = [cell for cell in cells if cell not in markers]
        assert ran[failing_cell]["execution_count"] is not None
        assert all(cell.get("execution_count") is None for cell in ran[failing_cell + 1:])


@pytest.mark.parametrize("notebook", ["sysexit", "sysexit0", "systemexit"])
def test_system_exit_stops_the_notebook_where_papermill_stops_it(suite, notebook):
    _, output, _ = suite
    cells = executed_cells(output, report_name(notebook))
    assert [cell["execution_count"] for cell in cells] == [1, 2, None]  # as test_execute.TestSysExit
    assert cells[1]["outputs"][0]["ename"] == "SystemExit"
    assert cells[1]["outputs"][0]["evalue"] == ("0" if notebook == "sysexit0" else "")


def test_sys_exit_1_and_a_broken_cell_fail_in_the_cell_papermill_names(suite):
    _, output, _ = suite
    assert json.loads((output / "pm-sysexit1.failed.json").read_text())["error"]["ename"] == "SystemExit"
    broken = executed_cells(output, "pm-broken1")
    assert stream_text(broken[2]) == "We're good.\n"  # the cell before the broken one ran
    assert broken[6]["outputs"][0]["ename"] == "AssertionError"
    complex_failure = json.loads((output / "pm-complex-parameters.failed.json").read_text())["error"]
    assert complex_failure["ename"] == "SyntaxError"


def test_plain_assignment_parameters_are_injected(suite):
    _, output, _ = suite
    simple = executed_cells(output, "pm-simple-execute")
    assert "injected-parameters" in simple[1]["metadata"]["tags"]
    assert stream_text(simple[2]) == "Hello\n"
    # report_mode_test: a from parameters_file (0), b from parameters (1) over the file's 100
    assert stream_text(executed_cells(output, "pm-report-mode-test")[3]) == "1\n"
    record = json.loads((output / "pm-report-mode-test.json").read_text())
    assert record["parameters"] == {"a": 0, "b": 1}
    assert stream_text(executed_cells(output, "pm-nb-version-4-4")[2]) == "7\n"


def test_a_changed_parameters_file_makes_its_report_stale(suite):
    config, output, _ = suite
    values = config.parent / "report_mode.yaml"
    listed = dictamen("list", "--config", str(config), "--output-dir", str(output))
    row = next(line for line in listed.stdout.splitlines() if line.startswith("pm-report-mode-test"))
    assert " ok " in row
    values.write_text(values.read_text() + "# the same values, a new comment\n", encoding="utf-8")
    listed = dictamen("list", "--config", str(config), "--output-dir", str(output))
    row = next(line for line in listed.stdout.splitlines() if line.startswith("pm-report-mode-test"))
    assert "stale: parameters file" in row


# -- reading parameters cells as papermill reads them (its test_inspect.py) ---------------------

def test_params_shows_what_papermill_infers_and_marks_inferred_types():
    shown = dictamen("params", f"{FIXTURES}/complex_parameters.ipynb")
    assert shown.returncode == 0 and "Traceback" not in shown.stderr
    rows = {line.split()[0]: line for line in shown.stdout.splitlines()[1:]}
    assert list(rows) == ["msg", "a", "b", "c"]  # papermill: msg, a, b, c; d and "= 2" skipped
    assert rows["msg"].split()[1:4] == ["any", "(inferred)", "None"]
    assert rows["a"].split() == ["a", "float", "2.25", "Variable", "a"]
    assert rows["b"].split()[1] == "List[str]" and rows["b"].endswith("Nice list")
    assert rows["c"].split()[1:3] == ["NoneType", "None"]
    warnings = shown.stderr.strip().splitlines()
    assert len(warnings) == 2
    assert "line 12 of the parameters cell (`d = a == 3`)" in warnings[0]
    assert "line 14 of the parameters cell (`= 2`)" in warnings[1]
    report_mode = dictamen("params", f"{FIXTURES}/report_mode_test.ipynb")
    assert [line.split()[:4] for line in report_mode.stdout.splitlines()[1:]] == \
        [["a", "int", "(inferred)", "1"], ["b", "int", "(inferred)", "1"]]


def test_complex_parameters_are_read_with_their_types_defaults_and_help():
    declared = read_parameters(ROOT / FIXTURES / "complex_parameters.ipynb").specs
    assert {name: (spec.type, spec.default, spec.help, spec.inferred) for name, spec in declared.items()} == {
        "msg": ("any", None, "", True),
        "a": ("float", 2.25, "Variable a", False),
        "b": ("list[str]", ["Hello", "World"], "Nice list", False),  # from "# type: List[str] Nice list"
        "c": ("any", None, "", False),  # c: "NoneType" = None
    }


def test_yaml_dates_stay_text_as_papermill_reads_them():
    values = parameters_from_file(ROOT / FIXTURES / "parameters/example.yaml")
    assert values == {"foo": 12345, "bar": "value", "baz": {"k1": "v1", "k2": "v2"}, "a_date": "2019-01-01"}


# -- -f, -y, -p, -r on an ad-hoc run ------------------------------------------------------------

def test_file_yaml_p_and_raw_values_reach_the_kernel_in_papermills_order(tmp_path):
    values = tmp_path / "values.yaml"
    values.write_text("a: 3\nb: 100\n", encoding="utf-8")
    output = tmp_path / "out"
    # a from the file; b from the file, then -y, then -p: the last one wins
    finished = dictamen("run", f"{FIXTURES}/report_mode_test.ipynb", "-f", str(values), "-y", "{b: 4}",
                        "-p", "b", "5", "--output-dir", str(output))
    assert finished.returncode == 0, finished.stderr
    assert stream_text(executed_cells(output, "report-mode-test")[3]) == "8\n"
    record = json.loads((output / "report-mode-test.json").read_text())
    assert record["parameters"] == {"a": 3, "b": 5}

    # msg = None takes any value: -p reads "42" as papermill does (a number), -r keeps it text
    finished = dictamen("run", f"{FIXTURES}/simple_execute.ipynb", "-p", "msg", "42", "-r", "msg", "42",
                        "--output-dir", str(output))
    assert finished.returncode == 0, finished.stderr
    record = json.loads((output / "simple-execute.json").read_text())
    assert record["parameters"] == {"msg": "42"}
    assert 'msg = "42"' in "".join(executed_cells(output, "simple-execute")[1]["source"])
    assert " -r msg 42 " in record["command"]


def test_an_outside_notebook_runs_in_its_own_folder(tmp_path):
    """papermill's TestCWD: read_check.ipynb asserts that check.txt is in its working directory."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    shutil.copy(ROOT / FIXTURES / "read_check.ipynb", folder)
    (folder / "check.txt").write_text("present\n", encoding="utf-8")
    output = tmp_path / "out"
    started_in = tmp_path / "somewhere-else"
    started_in.mkdir()
    finished = dictamen("run", str(folder / "read_check.ipynb"), "--output-dir", str(output), cwd=started_in)
    assert finished.returncode == 0, finished.stderr
    assert stream_text(executed_cells(output, "read-check")[1]).strip() == f"NB_CWD {folder.resolve()}"


# -- bad input: one paragraph, exit 2, nothing run ------------------------------------------------

def _refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    output = tmp_path / "out"
    assert main(["run", *arguments, "--output-dir", str(output)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("dictamen: ") and error.count("\n") == 1, error  # one paragraph
    assert not output.exists()
    return error


def test_a_yaml_file_that_does_not_parse_is_named_with_its_line(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: 1\nb: [2, 3\nc: 4\n", encoding="utf-8")
    error = _refused(tmp_path, capsys, f"{FIXTURES}/report_mode_test.ipynb", "-f", str(broken))
    assert f"{broken}, line 3" in error and "is not valid YAML" in error and "Nothing was run" in error
    error = _refused(tmp_path, capsys, f"{FIXTURES}/report_mode_test.ipynb", "-y", "a: [1")
    assert "-y 'a: [1', line 1" in error
    error = _refused(tmp_path, capsys, f"{FIXTURES}/report_mode_test.ipynb", "-y", "[1, 2]")
    assert "not parameters" in error


def test_a_parameter_the_notebook_does_not_declare_is_refused(tmp_path, capsys):
    values = tmp_path / "values.yaml"
    values.write_text("a: 1\nalpha: 2\n", encoding="utf-8")
    error = _refused(tmp_path, capsys, f"{FIXTURES}/report_mode_test.ipynb", "-f", str(values))
    assert f"unknown parameter 'alpha' (from {values}) (the notebook declares: a, b)" in error


def test_a_raw_value_for_a_typed_non_text_parameter_is_refused(tmp_path, capsys):
    error = _refused(tmp_path, capsys, f"{FIXTURES}/report_mode_test.ipynb", "-r", "a", "3")
    assert "parameter 'a' = '3' (from -r) is raw text" in error and "a whole number" in error
    error = _refused(tmp_path, capsys, "tests/fixtures/pipeline/probe.ipynb", "-r", "scale", "3")
    assert "parameter 'scale' = '3' (from -r) is raw text" in error
    # a declared str takes raw text (and its checks still apply)
    error = _refused(tmp_path, capsys, "tests/fixtures/pipeline/probe.ipynb", "-r", "as_of", "19 Dec 2020")
    assert "parameter 'as_of' = '19 Dec 2020' (from -r): not a date written YYYY-MM-DD" in error


def test_inferred_types_are_checked_as_far_as_the_default_tells(tmp_path, capsys):
    error = _refused(tmp_path, capsys, f"{FIXTURES}/report_mode_test.ipynb", "-y", "{a: 2.5, b: two}")
    assert "parameter 'a' = 2.5 (from -y): not a whole number; expected a whole number (the type of its default)" in error
    assert "parameter 'b' = 'two' (from -y)" in error


def test_the_last_of_file_yaml_p_and_raw_is_the_value_checked(tmp_path, capsys):
    values = tmp_path / "values.yaml"
    values.write_text("a: from-file\n", encoding="utf-8")
    notebook = f"{FIXTURES}/report_mode_test.ipynb"
    error = _refused(tmp_path, capsys, notebook, "-y", "{a: from-yaml}", "-f", str(values))
    assert "'a' = 'from-yaml' (from -y)" in error and "from-file" not in error
    error = _refused(tmp_path, capsys, notebook, "-p", "a", "from-p", "-y", "{a: from-yaml}")
    assert "'a' = 'from-p':" in error and "from-yaml" not in error
    error = _refused(tmp_path, capsys, notebook, "-r", "a", "from-r", "-p", "a", "from-p")
    assert "'a' = 'from-r' (from -r)" in error and "from-p" not in error


@pytest.mark.parametrize(
    ("file_text", "expected"),
    [
        ("a: 1\nb: {\n", "report_mode.yaml, line 3"),
        (None, "parameters_file report_mode.yaml does not exist"),
        ("a: 1\nzeta: 2\n", "unknown parameter 'zeta' (from report_mode.yaml)"),
    ],
)
def test_a_bad_parameters_file_in_reports_toml_exits_2(tmp_path, capsys, monkeypatch, file_text, expected):
    monkeypatch.setenv("DICTAMEN_ROOT", str(tmp_path))  # parameters_file is relative to the project root
    shutil.copytree(ROOT / FIXTURES, tmp_path / "nb")
    if file_text is not None:
        (tmp_path / "report_mode.yaml").write_text(file_text, encoding="utf-8")
    config = tmp_path / "reports.toml"
    config.write_text('[reports.r]\nnotebook = "nb/report_mode_test.ipynb"\nparameters_file = "report_mode.yaml"\n',
                      encoding="utf-8")
    output = tmp_path / "out"
    assert main(["run", "--config", str(config), "--output-dir", str(output)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("dictamen: reports.toml: ") and error.count("\n") == 1
    assert ("[reports.r]" in error or "Report 'r'" in error) and expected in error
    assert not output.exists()


def test_base64_yaml_comes_first_and_options_are_for_ad_hoc_runs_only(tmp_path, capsys):
    import base64

    notebook = f"{FIXTURES}/report_mode_test.ipynb"
    encoded = base64.b64encode(b"a: from-base64\nb: 2\n").decode()
    error = _refused(tmp_path, capsys, notebook, "-b", encoded)
    assert "'a' = 'from-base64' (from -b)" in error
    error = _refused(tmp_path, capsys, notebook, "-f", "/no/such/values.yaml")
    assert "parameters file /no/such/values.yaml does not exist" in error
    error = _refused(tmp_path, capsys, "pm-simple-execute", "-y", "{msg: hi}")
    assert "-p, -f, -y, -b, -r and --name are for an ad-hoc run" in error


# -- the parameters cell, statement by statement --------------------------------------------------

def test_typing_spellings_optional_and_type_comments_are_declared_types():
    from dictamen.params import parse_parameters_source, validate

    declared = parse_parameters_source(
        "import typing\n"
        "names: typing.List[str] = []  # names\n"
        "limit: Optional[int] = None  # at most [0..10]\n"
        "ratio: float | None = 0.5\n"
        "options = {'k': 1}  # type: Dict[str, int] a mapping\n"
        "count = 3  # type: ignore the count\n"
    )
    specs = declared.specs
    assert [(name, spec.type, spec.nullable, spec.inferred) for name, spec in specs.items()] == [
        ("names", "list[str]", False, False), ("limit", "int", True, False), ("ratio", "float", True, False),
        ("options", "dict", False, False), ("count", "int", False, True)]
    assert (specs["limit"].help, specs["limit"].maximum) == ("at most", 10)
    assert (specs["options"].help, specs["count"].help) == ("a mapping", "the count")
    assert validate(declared, {"limit": "None", "ratio": "2", "options": '{"a": 2}', "count": "4"},
                    report="r", from_text=True) == {"limit": None, "ratio": 2.0, "options": {"a": 2}, "count": 4}
    with pytest.raises(Exception, match="'limit' = '11': above the maximum 10"):
        validate(declared, {"limit": "11"}, report="r", from_text=True)


def test_lines_that_are_not_parameters_are_skipped_with_one_warning_each():
    from dictamen.params import parse_parameters_source

    declared = parse_parameters_source(
        "%matplotlib inline\n"
        "x = 1\n"
        "y = [1,\n"
        "     2]  # two numbers\n"
        "print(x)\n"
        "z = x + 1\n"
        "a, b = 1, 2\n",
        notebook="nb.ipynb",
    )
    assert list(declared.specs) == ["x", "y"] and declared.specs["y"].help == "two numbers"
    assert [warning.split(" (")[0] for warning in declared.warnings] == [
        "nb.ipynb: line 1 of the parameters cell", "nb.ipynb: line 5 of the parameters cell",
        "nb.ipynb: line 6 of the parameters cell", "nb.ipynb: line 7 of the parameters cell"]
    assert all("\n" not in warning for warning in declared.warnings)
    unclosed = parse_parameters_source("x = 1\ny = [1,\n", notebook="nb.ipynb")
    assert list(unclosed.specs) == ["x"] and "'[' was never closed" in unclosed.warnings[0]
