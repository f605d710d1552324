"""The report pipeline, executed for real: Papermill kernels, worker processes, files on disk."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from dictamen.catalog import project_root
from dictamen.pipeline.cli import main

ROOT = project_root()
PROBE = "tests/fixtures/pipeline/probe.ipynb"
DICTAMEN = [sys.executable, "-m", "dictamen.pipeline.cli"]

pytestmark = pytest.mark.slow


def write_config(folder: Path, body: str) -> Path:
    path = folder / "reports.toml"
    path.write_text(body, encoding="utf-8")
    return path


def run_cli(*arguments: str) -> int:
    return main(["run", *arguments])


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def probe_copy(tmp_path: Path) -> Path:
    """The probe notebook, its helper package and data, copied where a test may change them."""
    folder = tmp_path / "probe"
    shutil.copytree(ROOT / "tests/fixtures/pipeline", folder)
    return folder


# -- parameters are checked before any kernel starts ----------------------------------------------

@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("nonsense", "1", "unknown parameter 'nonsense'"),
        ("scale", "notanint", "parameter 'scale' = 'notanint': not a whole number"),
        ("scale", "101", "above the maximum 100"),
        ("as_of", "2020-02-30", "not a date written YYYY-MM-DD"),
        ("behaviour", "explode", "expected one of 'ok', 'raise', 'sleep', 'stubborn', 'die', 'stderr'"),
        ("numbers_path", "no/such/file.csv", "no such file or folder"),
        ("seconds", "soon", "not a number"),
    ],
)
def test_bad_parameter_is_refused_before_anything_runs(tmp_path, capsys, key, value, expected):
    output = tmp_path / "out"
    code = run_cli(PROBE, "-p", key, value, "--output-dir", str(output))
    error = capsys.readouterr().err
    assert code == 2
    assert expected in error
    assert "Report 'probe'" in error and "Nothing was run" in error
    assert not output.exists()


def test_params_command_shows_types_defaults_choices_and_help(capsys):
    assert main(["params", PROBE]) == 0
    shown = capsys.readouterr().out
    assert "scale" in shown and "int" in shown and "[0..100]" in shown
    assert "ok, raise, sleep, stubborn, die, stderr" in shown
    assert "a one-column CSV of numbers" in shown


# -- configuration -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[reports.a]\nnotebook = "notebooks/missing.ipynb"\n', "does not exist"),
        ('[reports.a\nnotebook = "x"\n', "not valid TOML"),
        (f'[reports.a]\nnotebook = "{PROBE}"\ncolour = "red"\n', "unknown key(s) ['colour']"),
        (f'[reports.a]\nnotebook = "{PROBE}"\n[reports.a-2]\nnotebook = "{PROBE}"\n'
         f'[reports.a.grid]\nscale = [2, 2]\n', "two reports are named 'a-2'"),
        (f'[reports.a]\nnotebook = "{PROBE}"\nparameters = {{ scale = "three" }}\n',
         "parameter 'scale' = 'three': not a whole number"),
        (f'[reports.a]\nnotebook = "{PROBE}"\nafter = ["ghost"]\n', "unknown report(s) ['ghost']"),
    ],
)
def test_bad_configuration_exits_2_and_runs_nothing(tmp_path, capsys, body, expected):
    config = write_config(tmp_path, body)
    output = tmp_path / "out"
    assert run_cli("--config", str(config), "--output-dir", str(output)) == 2
    assert expected in capsys.readouterr().err
    assert not output.exists()


def test_grid_expands_into_collision_free_names():
    from dictamen.pipeline.config import expand_report

    specs = expand_report("probe", {"notebook": PROBE, "grid": {"behaviour": ["ok", "sleep"], "labels": [["El Paso"], ["el-paso"]]}})
    names = [spec.name for spec in specs]
    assert len(names) == len(set(names)) == 4
    assert names[0] == "probe-ok-el-paso" and names[1] == "probe-ok-el-paso-2"
    assert specs[3].parameters == {"behaviour": "sleep", "labels": ["el-paso"]}


# -- execution, results, cache ------------------------------------------------------------------

def test_run_records_results_and_reuses_the_cache_until_an_input_changes(tmp_path, probe_copy, capsys):
    output = tmp_path / "out"
    notebook = probe_copy / "probe.ipynb"
    data = probe_copy / "numbers.csv"
    config = write_config(tmp_path, f'[reports.p]\nnotebook = "{notebook}"\n'
                                    f'parameters = {{ numbers_path = "{data}", scale = 2 }}\n')
    args = ("--config", str(config), "--output-dir", str(output), "--workers", "1")

    assert run_cli(*args) == 0
    first = load(output / "p.json")
    for key in ("name", "notebook", "parameters", "results", "status", "started", "finished", "data",
                "versions", "commit"):
        assert key in first
    assert first["status"] == "ok"
    assert first["results"] == {"total": 12, "as_of": "2020-12-19", "labels": ["a", "b"]}
    assert first["data"] == [{"path": "numbers.csv", "sha256": first["data"][0]["sha256"]}]
    assert (output / "p.html").stat().st_size > 0
    assert list((output / "runs").glob("*/p.ipynb"))
    capsys.readouterr()

    assert run_cli(*args) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert load(output / "p.json")["run_id"] == first["run_id"]

    # a data file it read
    data.write_text("value\n1\n2\n3\n4\n", encoding="utf-8")
    assert run_cli(*args) == 0
    assert "1 ran" in capsys.readouterr().out
    second = load(output / "p.json")
    assert second["results"]["total"] == 20
    assert second["changes"] == [{"key": "total", "previous": 12, "current": 20}]

    # the notebook
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[2].source += "\n\nOne more sentence."
    nbformat.write(nb, notebook)
    assert run_cli(*args) == 0
    assert "1 ran" in capsys.readouterr().out

    # the parameters
    config.write_text(config.read_text().replace("scale = 2", "scale = 3"), encoding="utf-8")
    assert run_cli(*args) == 0
    assert "1 ran" in capsys.readouterr().out
    assert load(output / "p.json")["results"]["total"] == 30

    # the library source
    probe_module = ROOT / "lib/dictamen/_cache_probe.py"
    try:
        probe_module.write_text("# a change to lib/dictamen\n", encoding="utf-8")
        assert run_cli(*args) == 0
        assert "1 ran" in capsys.readouterr().out
    finally:
        probe_module.unlink(missing_ok=True)

    assert run_cli(*args, "--force") == 0
    assert "1 ran" in capsys.readouterr().out
    assert run_cli(*args, "--keep", "2") == 0
    assert len(list((output / "runs").iterdir())) == 2


def test_an_edit_that_keeps_size_and_modification_time_still_re_runs_the_report(tmp_path, probe_copy, capsys):
    """The memo of file hashes (.dictamen.memo) serves only the very same version of a file: an edit
    that keeps the size and puts the modification time back still moves the status-change time."""
    from dictamen.pipeline.memo import MEMO_FILE, SETTLED_NS

    output = tmp_path / "out"
    data = probe_copy / "numbers.csv"
    config = write_config(tmp_path, f'[reports.p]\nnotebook = "{probe_copy / "probe.ipynb"}"\n'
                                    f'parameters = {{ numbers_path = "{data}" }}\n')
    args = ("--config", str(config), "--output-dir", str(output), "--workers", "1")
    assert run_cli(*args) == 0
    assert load(output / "p.json")["results"]["total"] == 6
    time.sleep(SETTLED_NS / 1e9 + 0.2)  # only settled files are remembered
    assert run_cli(*args) == 0  # no change: hashes the data file and remembers it
    capsys.readouterr()
    remembered = json.loads((output / MEMO_FILE).read_text(encoding="utf-8"))["entries"]
    hashes = {key: value for key, value in remembered.items() if key.startswith("sha256:")}
    assert len(hashes) >= 3  # library files, notebook, data
    assert str(probe_copy) not in json.dumps(hashes)  # paths only as digests (records keep their own locations)
    assert run_cli(*args) == 0
    assert "1 unchanged" in capsys.readouterr().out

    before = data.stat()
    text = data.read_text(encoding="utf-8")
    edited = text.replace("1", "7", 1)
    assert len(edited) == len(text) and edited != text
    data.write_text(edited, encoding="utf-8")
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = data.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    assert run_cli(*args) == 0
    assert "1 ran" in capsys.readouterr().out
    assert load(output / "p.json")["results"]["total"] == 12  # 7 + 2 + 3


def test_preflights_run_only_for_reports_about_to_run(tmp_path, probe_copy, capsys, monkeypatch):
    """A notebook's preflight (metadata dictamen.preflight) runs before any kernel, for the reports
    that will run; an up-to-date report is not checked again (a preflight may import pandas)."""
    from dictamen.errors import ParameterError
    from dictamen.votes import checks

    notebook = probe_copy / "probe.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["dictamen"] = {"preflight": "dictamen.votes.checks:preflight"}
    nbformat.write(nb, notebook)
    checked: list[int] = []
    real = checks.preflight

    def watched(parameters, supplied=()):
        checked.append(parameters["scale"])
        if parameters["scale"] == 4:
            raise ParameterError("Parameter 'scale' is 4; this test's preflight refuses it.")
        real(parameters, supplied)

    monkeypatch.setattr(checks, "preflight", watched)
    output = tmp_path / "out"
    config = write_config(tmp_path, f'[reports.p]\nnotebook = "{notebook}"\n[reports.p.grid]\nscale = [1, 2]\n')
    args = ("--config", str(config), "--output-dir", str(output), "--workers", "1")
    assert run_cli(*args) == 0
    assert sorted(checked) == [1, 2]
    checked.clear()
    assert run_cli(*args) == 0
    assert "0 ran, 2 unchanged" in capsys.readouterr().out
    assert checked == []
    config.write_text(config.read_text().replace("[1, 2]", "[1, 3]"), encoding="utf-8")
    assert run_cli(*args) == 0
    assert checked == [3] and "1 ran, 1 unchanged" in capsys.readouterr().out
    checked.clear()
    config.write_text(config.read_text().replace("[1, 3]", "[1, 3, 4]"), encoding="utf-8")
    written = (output / "p-1.html").stat().st_mtime_ns
    assert run_cli(*args) == 2
    error = capsys.readouterr().err
    assert checked == [4] and "Report 'p-4'" in error and "this test's preflight refuses it" in error
    assert "Nothing was run" in error
    assert not (output / "p-4.html").exists() and not (output / "p-4.failed.json").exists()
    assert (output / "p-1.html").stat().st_mtime_ns == written


def test_a_failing_notebook_does_not_stop_the_others(tmp_path, capsys):
    output = tmp_path / "out"
    config = write_config(tmp_path, f'[reports.p]\nnotebook = "{PROBE}"\n'
                                    f'[reports.p.grid]\nbehaviour = ["ok", "raise"]\n')
    assert run_cli("--config", str(config), "--output-dir", str(output)) == 1
    out = capsys.readouterr().out
    assert "FAILED p-raise: cell 6: ValueError: the probe was asked to fail" in out
    assert load(output / "p-ok.json")["status"] == "ok"
    failure = load(output / "p-raise.failed.json")
    assert failure["status"] == "failed" and failure["error"]["ename"] == "ValueError"
    assert not (output / "p-raise.html").exists()
    executed = nbformat.read(next((output / "runs").glob("*/p-raise.ipynb")), as_version=4)
    assert any(output.get("ename") == "ValueError" for cell in executed.cells for output in cell.get("outputs", []))
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "p-raise" in index and "p-ok" in index
    capsys.readouterr()
    assert main(["list", "--config", str(config), "--output-dir", str(output)]) == 0
    listing = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert " ok " in listing["p-ok"] and " failed " in listing["p-raise"]


def test_a_killed_kernel_and_a_timeout_are_failures_and_the_next_run_completes(tmp_path, capsys):
    output = tmp_path / "out"
    assert run_cli(PROBE, "-p", "behaviour", "die", "--name", "dies", "--output-dir", str(output)) == 1
    assert "FAILED dies: cell 6: DeadKernelError" in capsys.readouterr().out
    assert run_cli(PROBE, "-p", "behaviour", "sleep", "-p", "seconds", "60", "--name", "slow", "--timeout", "3",
                   "--output-dir", str(output)) == 1
    assert "FAILED slow: cell 6: CellTimeoutError" in capsys.readouterr().out
    assert run_cli(PROBE, "--name", "dies", "--output-dir", str(output)) == 0
    assert load(output / "dies.json")["status"] == "ok"
    assert not (output / "dies.failed.json").exists()
    assert not list(output.glob(".*.tmp-*"))


def test_a_failed_rerun_leaves_the_last_good_report_in_place(tmp_path):
    output = tmp_path / "out"
    assert run_cli(PROBE, "--name", "keep", "--output-dir", str(output)) == 0
    good_html = (output / "keep.html").read_bytes()
    good_record = (output / "keep.json").read_bytes()
    assert run_cli(PROBE, "-p", "behaviour", "raise", "--name", "keep", "--output-dir", str(output)) == 1
    assert (output / "keep.html").read_bytes() == good_html
    assert (output / "keep.json").read_bytes() == good_record
    assert load(output / "keep.failed.json")["previous_success"] == load(output / "keep.json")["finished"]


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_leaves_no_partial_file_and_the_last_good_report(tmp_path):
    """A file-size limit of half the report makes the write fail midway (EFBIG), as a full disk does (ENOSPC)."""
    output = tmp_path / "out"
    assert run_cli(PROBE, "--name", "full", "--output-dir", str(output)) == 0
    good_html = (output / "full.html").read_bytes()
    result = subprocess.run([*DICTAMEN, "run", PROBE, "-p", "scale", "5", "--name", "full",
                             "--output-dir", str(output)], cwd=ROOT, capture_output=True, text=True,
                            preexec_fn=lambda: _limit_file_size(len(good_html) // 2), timeout=300)
    assert result.returncode != 0
    assert (output / "full.html").read_bytes() == good_html
    assert load(output / "full.json")["results"]["total"] == 6
    assert not list(output.rglob(".*.tmp-*"))
    assert run_cli(PROBE, "-p", "scale", "5", "--name", "full", "--output-dir", str(output)) == 0
    assert load(output / "full.json")["results"]["total"] == 30


def test_two_runs_at_once_take_turns(tmp_path):
    output = tmp_path / "out"
    command = [*DICTAMEN, "run", PROBE, "-p", "behaviour", "sleep", "-p", "seconds", "2", "--name", "turns",
               "--output-dir", str(output), "--force"]
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    second = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [process.communicate(timeout=300) for process in (first, second)]
    assert first.returncode == 0 and second.returncode == 0
    waited = [err for _, err in results if "Another dictamen run is writing to" in err]
    assert len(waited) == 1, "exactly one of the two runs waits for the other"
    assert load(output / "turns.json")["status"] == "ok"
    assert len(list((output / "runs").iterdir())) == 2


def test_a_run_that_finds_the_lock_taken_can_give_up_clearly(tmp_path, capsys):
    from filelock import FileLock

    output = tmp_path / "out"
    output.mkdir()
    with FileLock(str(output / ".dictamen.lock")):
        assert run_cli(PROBE, "--output-dir", str(output), "--lock-wait", "0.5") == 3
    assert "still holds" in capsys.readouterr().err
    assert not list(output.glob("*.html"))


def test_ctrl_c_leaves_no_partial_files_and_the_next_run_completes(tmp_path):
    output = tmp_path / "out"
    assert run_cli(PROBE, "--name", "stop", "--output-dir", str(output)) == 0
    good_html = (output / "stop.html").read_bytes()
    process = subprocess.Popen([*DICTAMEN, "run", PROBE, "-p", "behaviour", "sleep", "-p", "seconds", "60",
                                "--name", "stop", "--output-dir", str(output)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert (output / "stop.html").read_bytes() == good_html
    assert not list(output.rglob(".*.tmp-*"))
    assert run_cli(PROBE, "-p", "scale", "2", "--name", "stop", "--output-dir", str(output)) == 0
    assert load(output / "stop.json")["results"]["total"] == 12


def test_a_batch_runs_on_a_dask_local_cluster(tmp_path):
    from distributed import LocalCluster

    output = tmp_path / "out"
    config = write_config(tmp_path, f'[reports.d]\nnotebook = "{PROBE}"\n[reports.d.grid]\nscale = [1, 2, 3]\n')
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = run_cli("--config", str(config), "--output-dir", str(output), "--scheduler", cluster.scheduler_address)
    assert code == 0
    assert [load(output / f"d-{scale}.json")["results"]["total"] for scale in (1, 2, 3)] == [6, 12, 18]


def test_data_paths_typed_on_the_command_line_are_relative_to_where_they_were_typed(tmp_path, monkeypatch):
    (tmp_path / "mine.csv").write_text("value\n10\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "out"
    assert run_cli(str(ROOT / PROBE), "-p", "numbers_path", "mine.csv", "--name", "mine", "--output-dir", str(output)) == 0
    assert load(output / "mine.json")["results"]["total"] == 10


# -- warm kernels: isolation, failures, lifetime -------------------------------------------------

ISOLATION = "tests/fixtures/pipeline/isolation.ipynb"


@pytest.mark.parametrize("fresh", [False, True], ids=["warm", "fresh-kernels"])
def test_two_reports_in_one_worker_do_not_leak_into_each_other(tmp_path, fresh):
    """The first report changes every kind of state a reused kernel could carry; the second, run next
    in the same (only) worker, finds all of it pristine, warm or fresh."""
    import matplotlib

    output = tmp_path / "out"
    config = write_config(tmp_path, f'[reports.iso]\nnotebook = "{ISOLATION}"\n'
                                    f'[reports.iso.grid]\nmode = ["leave", "look"]\n')
    extra = ["--fresh-kernels"] if fresh else []
    assert run_cli("--config", str(config), "--output-dir", str(output), "--workers", "1", *extra) == 0
    left, looked = load(output / "iso-leave.json"), load(output / "iso-look.json")
    assert left["results"]["left_behind"] is True
    assert looked["timings"]["kernel"] == left["timings"]["kernel"] == ("fresh" if fresh else "warm")
    assert looked["results"]["warm_kernel"] is (not fresh)
    assert looked["results"]["kernel_pid"] != left["results"]["kernel_pid"]
    seen = {key: value for key, value in looked["results"].items() if key not in ("warm_kernel", "kernel_pid")}
    assert seen == {
        "global": False,
        "linewidth": matplotlib.rcParamsDefault["lines.linewidth"],
        "open_figures": 0,
        "recorded_before": ["kernel_pid", "warm_kernel"],
        "verdict_before": False,
        "language": "en",
        "cwd_is_notebook_folder": True,
        "env": None,
        "module": False,
        "warnings_are_errors": False,
        "pandas_patched": False,
        "pandas_max_rows": 60,
        "user_module_imports": 1,
    }


def test_a_cell_error_a_killed_kernel_and_a_timeout_in_one_worker_fail_only_their_report(tmp_path, capsys):
    output = tmp_path / "out"
    config = write_config(tmp_path, f'[reports.f]\nnotebook = "{PROBE}"\nparameters = {{ seconds = 60 }}\n'
                                    f'[reports.f.grid]\nbehaviour = ["raise", "die", "sleep", "ok"]\n')
    assert run_cli("--config", str(config), "--output-dir", str(output), "--workers", "1", "--timeout", "5") == 1
    out = capsys.readouterr().out
    assert "FAILED f-raise: cell 6: ValueError" in out
    assert "FAILED f-die: cell 6: DeadKernelError" in out
    assert "FAILED f-sleep: cell 6: CellTimeoutError" in out
    healthy = load(output / "f-ok.json")
    assert healthy["status"] == "ok" and healthy["results"]["total"] == 6
    assert healthy["timings"]["kernel"] == "warm"


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="warm kernels are Linux only")
def test_a_killed_worker_takes_its_warm_kernel_parent_and_kernel_with_it(tmp_path):
    output = tmp_path / "out"
    run = subprocess.Popen([*DICTAMEN, "run", PROBE, "-p", "behaviour", "sleep", "-p", "seconds", "60",
                            "--name", "orphan", "--output-dir", str(output), "--workers", "1"], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        worker = parent = kernel = None
        while time.monotonic() < deadline and kernel is None:
            time.sleep(0.5)
            for candidate in _children(run.pid):
                for child in _children(candidate):
                    if "kernels import serve" in _command_line(child):
                        worker, parent = candidate, child
                        kernel = next(iter(_children(child)), None)
        assert kernel is not None, "no warm kernel appeared"
        os.kill(worker, signal.SIGKILL)
        _, err = run.communicate(timeout=120)
        gone = time.monotonic() + 10
        while time.monotonic() < gone and (_alive(parent) or _alive(kernel)):
            time.sleep(0.2)
        assert not _alive(parent) and not _alive(kernel)
        assert run.returncode == 1, err
        assert load(output / "orphan.failed.json")["status"] == "failed"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()


def test_a_no_change_run_imports_nothing_heavy_and_leaves_the_index_alone(tmp_path):
    output = tmp_path / "out"
    command = [*DICTAMEN, "run", PROBE, "--name", "still", "--output-dir", str(output)]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    index = output / "index.html"
    written = index.stat().st_mtime_ns
    again = subprocess.run([sys.executable, "-X", "importtime", *command[1:]], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0 and "0 ran, 1 unchanged" in again.stdout
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    heavy = {"pandas", "numpy", "matplotlib", "statsmodels", "nbformat", "nbconvert", "papermill", "jinja2",
             "jupyter_client", "zmq", "multiprocessing", "concurrent.futures", "filelock"}
    assert imported and not heavy & imported
    assert index.stat().st_mtime_ns == written
    (output / "still.json").touch()  # a record newer than the index: the index is rewritten
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    assert index.stat().st_mtime_ns > written
