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


# -- names, folders and numbers are refused before anything runs ------------------------------------

@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--name", "../escape"], "report name '../escape' is not usable"),
        (["--name", "sub/dir"], "report name 'sub/dir' is not usable"),
        (["--name", ".hidden"], "is not usable"),
        (["--name", "index"], "report name 'index' is reserved"),
        (["--name", "runs"], "report name 'runs' is reserved"),
        (["--name", "other.failed"], "is reserved"),
        (["--output-dir", ""], "--output-dir is empty"),
        (["--output-dir", "   "], "--output-dir is empty"),
        (["--keep", "0"], "--keep 0: expected 1 or more"),
        (["--lock-wait", "-5"], "--lock-wait -5: expected a number of seconds, 0 or more"),
        (["--lock-wait", "nan"], "--lock-wait nan"),
        (["--timeout", "0"], "--timeout 0: expected"),
        (["--timeout", "-1"], "--timeout -1: expected"),
        (["--timeout", "soon"], "--timeout soon: expected"),
        (["--workers", "0"], "--workers 0: expected"),
    ],
)
def test_bad_names_folders_and_numbers_are_refused_before_anything_runs(tmp_path, arguments, expected):
    result = dictamen("run", PROBE, *(["--output-dir", str(tmp_path / "out")] if "--output-dir" not in arguments else []),
                      *arguments, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    one_paragraph(result.stderr)
    assert not (tmp_path / "out").exists() and not (tmp_path / "escape.html").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_an_output_folder_that_is_a_file_or_under_one_or_holds_a_foreign_index_is_refused(tmp_path):
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>my own site</p>", encoding="utf-8")
    for folder, expected in ((tmp_path / "file", "is a file"), (tmp_path / "file" / "below", "which is a file"),
                             (tmp_path / "site", "already holds an index.html that dictamen did not write")):
        result = dictamen("run", PROBE, "--output-dir", str(folder))
        assert result.returncode == 2 and expected in result.stderr, result.stderr
        one_paragraph(result.stderr)
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "<p>my own site</p>"
    assert sorted(path.name for path in (tmp_path / "site").iterdir()) == ["index.html"]


def test_settings_workers_is_honoured_and_keep_keeps_the_current_run(tmp_path):
    config = tmp_path / "reports.toml"
    config.write_text(f'[settings]\nworkers = 1\nkeep = 1\n[reports.w]\nnotebook = "{PROBE}"\ngrid = {{ scale = [1, 2] }}\n',
                      encoding="utf-8")
    output = tmp_path / "out"
    result = dictamen("run", "--config", str(config), "--output-dir", str(output), "--force")
    assert result.returncode == 0, result.stderr
    starts = [line for line in result.stderr.splitlines() if " start " in line or " ok " in line]
    assert [line.split()[2] for line in starts] == ["start", "ok", "start", "ok"], starts  # one at a time
    result = dictamen("run", "--config", str(config), "--output-dir", str(output), "--force", "--keep", "1")
    assert result.returncode == 0
    runs = list((output / "runs").iterdir())
    assert len(runs) == 1 and sorted(path.name for path in runs[0].iterdir()) == ["w-1.ipynb", "w-2.ipynb"]


# -- faults of the environment are messages --------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (root only); skipped where mounting is not allowed (the file-size-limit variant in
    test_runner.py covers a full disk there)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_fails_clearly_and_keeps_the_last_good_report(small_disk):
    output = small_disk / "out"
    assert dictamen("run", PROBE, "--name", "full", "--output-dir", str(output)).returncode == 0
    good = snapshot(output, ["full"])
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:  # fill the disk to the last block
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    result = dictamen("run", PROBE, "-p", "scale", "5", "--name", "full", "--output-dir", str(output))
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stdout + result.stderr or "disk is full" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output, ["full"]) == good
    assert not list(output.rglob(".*.tmp-*"))
    assert f"cannot write {output / 'index.html'}: the disk is full" in result.stderr, result.stderr
    debug = dictamen("run", PROBE, "-p", "scale", "5", "--name", "full", "--output-dir", str(output), "--debug")
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "OSError" in debug.stderr
    filler.unlink()
    result = dictamen("run", PROBE, "-p", "scale", "5", "--name", "full", "--output-dir", str(output))
    assert result.returncode == 0, result.stderr
    assert load(output / "full.json")["results"]["total"] == 30


def test_a_read_only_output_folder_is_refused(small_disk):
    output = small_disk / "out"
    assert dictamen("run", PROBE, "--name", "ro", "--output-dir", str(output)).returncode == 0
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode == 0
    result = dictamen("run", PROBE, "--name", "ro", "--output-dir", str(output), "--force")
    assert result.returncode == 2, result.stderr
    assert "is not writable" in result.stderr and "Nothing was run" in result.stderr
    one_paragraph(result.stderr)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda out: (out / "runs").write_text("x"), "runs should be a folder but is a file"),
        (lambda out: (out / "index.html").mkdir(), "index.html should be a file but is a folder"),
        (lambda out: (out / ".dictamen.lock").mkdir(), ".dictamen.lock should be a file but is a folder"),
    ],
)
def test_parts_of_the_output_folder_of_the_wrong_type_are_refused(tmp_path, make, expected):
    output = tmp_path / "out"
    output.mkdir()
    make(output)
    result = dictamen("run", PROBE, "--output-dir", str(output))
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    one_paragraph(result.stderr)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[reports.caf\xe9]\n".encode("latin-1"), "looks like Latin-1"),
        (None, "is a folder, not a file"),
        (f'[reports.a]\nnotebook = "{PROBE}"\nafter = ["b"]\n[reports.b]\nnotebook = "{PROBE}"\nafter = ["a"]\n'.encode(),
         "reports wait for each other in a cycle (a -> b -> a)"),
        (f'[reports.index]\nnotebook = "{PROBE}"\n'.encode(), "report name 'index' is reserved"),
    ],
)
def test_an_unusable_reports_toml_is_one_message(tmp_path, content, expected):
    config = tmp_path / "reports.toml"
    config.mkdir() if content is None else config.write_bytes(content)
    result = dictamen("run", "--config", str(config), "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    one_paragraph(result.stderr)
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_message(tmp_path):
    result = dictamen("run", PROBE, "--scheduler", "tcp://127.0.0.1:9", "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    one_paragraph(result.stderr)


# -- a corrupt record is set aside; a failed report is retried; list and index agree ----------------

@pytest.mark.parametrize("content", [os.urandom(200), b"[1, 2, 3]", b'"a string"', b'{"no": "name"}'])
def test_a_corrupt_record_is_set_aside_and_its_report_re_run(tmp_path, content):
    config = tmp_path / "reports.toml"
    config.write_text(f'[reports.c]\nnotebook = "{PROBE}"\ngrid = {{ scale = [1, 2] }}\n', encoding="utf-8")
    output = tmp_path / "out"
    arguments = ("--config", str(config), "--output-dir", str(output))
    assert dictamen("run", *arguments).returncode == 0
    (output / "c-1.json").write_bytes(content)
    listing = dictamen("list", *arguments)
    assert listing.returncode == 0 and "record unreadable" in listing.stdout, listing.stderr
    result = dictamen("run", *arguments)
    assert result.returncode == 0, result.stderr
    assert "c-1.json is not a readable run record" in result.stderr and "c-1.json.corrupt" in result.stderr
    assert "2 reports: 1 ran, 1 unchanged, 0 failed" in result.stdout
    assert (output / "c-1.json.corrupt").read_bytes() == content
    assert load(output / "c-1.json")["status"] == "ok"


def test_a_failed_report_is_retried_on_the_next_plain_run_and_list_and_index_agree(tmp_path):
    data = tmp_path / "numbers.csv"
    data.write_text("value\n1\n2\n", encoding="utf-8")
    config = tmp_path / "reports.toml"
    config.write_text(f'[reports.r]\nnotebook = "{PROBE}"\nparameters = {{ numbers_path = "{data}" }}\n'
                      f'[reports.fine]\nnotebook = "{PROBE}"\n', encoding="utf-8")
    output = tmp_path / "out"
    arguments = ("--config", str(config), "--output-dir", str(output))
    assert dictamen("run", *arguments).returncode == 0
    data.write_text("value\n1\nnot-a-number\n", encoding="utf-8")  # a transient fault in the data
    first = dictamen("run", *arguments)
    assert first.returncode == 1 and "2 reports: 0 ran, 1 unchanged, 1 failed" in first.stdout, first.stdout
    listing = dictamen("list", *arguments).stdout
    rows = {line.split()[0]: line for line in listing.splitlines()[1:]}
    assert " failed " in rows["r"] and " ok " in rows["fine"]
    assert "failed" in (output / "index.html").read_text(encoding="utf-8")
    data.write_text("value\n1\n2\n", encoding="utf-8")  # back as it was: same hash as the last success
    second = dictamen("run", *arguments)
    assert second.returncode == 0 and "2 reports: 1 ran, 1 unchanged, 0 failed" in second.stdout, second.stdout
    assert not (output / "r.failed.json").exists()
    rows = {line.split()[0]: line for line in dictamen("list", *arguments).stdout.splitlines()[1:]}
    assert " ok " in rows["r"] and " ok " in rows["fine"]


# -- quiet kernels -----------------------------------------------------------------------------------

def test_kernels_keep_their_noise_out_of_the_log_but_not_their_errors(tmp_path):
    output = tmp_path / "out"
    timed_out = dictamen("run", PROBE, "-p", "behaviour", "sleep", "-p", "seconds", "30", "--timeout", "2",
                         "--name", "slow", "--output-dir", str(output))
    assert timed_out.returncode == 1 and "CellTimeoutError" in timed_out.stdout
    for noise in ("TCP", "Traceback", "KeyboardInterrupt", "ZMQError", "Timeout waiting"):
        assert noise not in timed_out.stderr, timed_out.stderr
    talking = dictamen("run", PROBE, "-p", "behaviour", "stderr", "--name", "talk", "--output-dir", str(output))
    assert talking.returncode == 0
    assert "kernel (talk): probe: a message on the kernel's own stderr" in talking.stderr
    assert "TCP" not in talking.stderr


def test_the_noise_filter_drops_shutdown_tracebacks_and_keeps_other_lines():
    from dictamen.pipeline.quiet import without_noise

    log = ["[IPKernelApp] WARNING | Kernel is running over TCP without encryption. ...",
           "[IPKernelApp] ERROR | Exception in message handler:",
           "Traceback (most recent call last):",
           '  File "kernelbase.py", line 508, in dispatch_shell',
           "    await result",
           "zmq.error.ZMQError: Socket operation on non-socket",
           "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.",
           "Fatal Python error: Segmentation fault",
           "Traceback (most recent call last):",
           '  File "x.py", line 1, in <module>',
           "MemoryError: out of memory"]
    assert without_noise(log) == ["Fatal Python error: Segmentation fault", "Traceback (most recent call last):",
                                  '  File "x.py", line 1, in <module>', "MemoryError: out of memory"]


# -- helpful errors ----------------------------------------------------------------------------------

def test_a_mistyped_report_name_gets_the_closest_configured_names(tmp_path):
    result = dictamen("run", "mx-lsn-202", "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "no report named 'mx-lsn-202' in reports.toml (did you mean 'mx-lsn-2020'" in result.stderr, result.stderr
    assert "configured: mx-lsn-2020," in result.stderr and "dictamen list shows them all" in result.stderr


def test_close_units_come_first_and_numbers_read_as_numbers():
    import numpy as np

    from dictamen.errors import InputError
    from dictamen.impact.load import load_tidy, select

    tidy = load_tidy(SESNSP)
    with pytest.raises(InputError) as raised:
        select(tidy, "homicidio_doloso", "Michoacan")
    message = str(raised.value)
    assert "(did you mean 'Michoacán'?)" in message and "expected one of: Michoacán," in message
    with pytest.raises(InputError, match=r"did you mean 'homicidio_doloso'"):
        select(tidy, "homicidio doloso", "Nacional")
    assert str(InputError(f"Value {np.float64(12.0)!r} is not valid")) == "Value 12.0 is not valid."
