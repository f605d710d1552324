"""Bad input to the source-diversity notebook (issue 16) is refused before any kernel starts, through
the real ``dictamen run`` against a local HTTP server on 127.0.0.1 (port 0): an address that is
refused, times out, answers 404, is not HTML, is over the size cap or redirects to another host, and
a URL list with a line that is no address, each give one paragraph naming the address (or the file
and line), exit 2, and leave the last good report byte-identical. A good address is fetched once per
run (the check fetches it into the page cache, the kernel reads the cache); in corpus mode an address
that cannot be read is listed as not read, with its reason, and the report runs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dictamen.catalog import project_root
from dictamen.sources import fetch
from dictamen.sources.checks import preflight
from test_sources_fetch import _Handler, server  # noqa: F401 (the local server fixture)

ROOT = project_root()
SOURCES = "notebooks/source_diversity.ipynb"


def dictamen(cache: Path, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DICTAMEN_PAGE_CACHE": str(cache), "DICTAMEN_FETCH_TIMEOUT": "0.5"}
    return subprocess.run([sys.executable, "-m", "dictamen.pipeline.cli", "run", SOURCES, *arguments],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def snapshot(output: Path) -> dict[str, bytes]:
    """Every file of the output folder but the run lock, with its bytes."""
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*"))
            if path.is_file() and path.name != ".dictamen.lock"}


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound for a moment, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def last_good(server, tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:  # noqa: F811
    """A web article report that ran once and succeeded: (output folder, page cache, its files)."""
    folder = tmp_path_factory.mktemp("sources-errors")
    output, cache = folder / "out", folder / "pages"
    done = dictamen(cache, "-p", "article_path", f"{server}/blog/post.html?good", "--name", "web",
                    "--output-dir", str(output), "--workers", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    return output, cache, snapshot(output)


@pytest.mark.slow
def test_a_good_address_is_fetched_once_and_the_report_reads_the_cached_copy(server, last_good):  # noqa: F811
    output, cache, _ = last_good
    assert _Handler.hits[f"/blog/post.html?good"] == 1  # by the check; the kernel read the cache
    record = json.loads((output / "web.json").read_text(encoding="utf-8"))
    assert record["results"]["n_entries"] == 5
    page = next(item for item in record["data"] if item["path"] == f"{server}/blog/post.html?good")
    assert page["sha256"] in (output / "web.html").read_text(encoding="utf-8")
    assert len(list(cache.glob("*.html"))) == 1


BAD_ADDRESSES = [
    ("refused", None, "the server could not be reached"),
    ("timeout", "/slow", "no answer within 0.5 seconds (timeout)"),
    ("not-found", "/missing", "the server answered 404 Not Found"),
    ("not-html", "/data.json", "it is not an HTML page (the server says application/json)"),
    ("over-the-cap", "/huge", f"the page is over the {fetch.MAX_BYTES:,}-byte limit for one article"),
    ("other-host", "/away", "it redirects (302) to another host, http://localhost:"),
]


@pytest.mark.slow
@pytest.mark.parametrize("case, path, reason", BAD_ADDRESSES, ids=[case[0] for case in BAD_ADDRESSES])
def test_an_address_that_cannot_be_read_exits_2_and_writes_nothing(server, last_good, case, path, reason):  # noqa: F811
    output, cache, good = last_good
    url = f"http://127.0.0.1:{closed_port()}/article" if path is None else f"{server}{path}"
    done = dictamen(cache, "-p", "article_path", url, "--name", "web", "--output-dir", str(output), "--workers", "1")
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"dictamen: Report 'web' ({SOURCES}) cannot run: The article at {url} could not "
                               f"be read: {reason}"), lines[0]
    assert lines[0].endswith("Nothing was run."), lines[0]
    assert snapshot(output) == good  # no web.failed.json, no executed notebook, the same index
    assert len(list(cache.glob("*.html"))) == 1  # nothing cached for the bad address


@pytest.mark.slow
def test_a_url_list_with_a_bad_line_exits_2_naming_the_file_and_line(server, last_good, tmp_path):  # noqa: F811
    output, cache, good = last_good
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# to compare\n{server}/blog/post.html?good\n\nwww.example.org/no-scheme\n", encoding="utf-8")
    done = dictamen(cache, "-p", "article_path", str(listing), "--name", "web", "--output-dir", str(output),
                    "--workers", "1")
    assert done.returncode == 2, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert ("Line 4 of the URL list is not a web address: 'www.example.org/no-scheme' (in urls.txt, row 4)"
            in lines[0]), lines[0]
    assert str(tmp_path) not in lines[0] and lines[0].endswith("Nothing was run.")
    assert snapshot(output) == good


@pytest.mark.slow
def test_in_corpus_mode_an_unreadable_address_is_listed_as_not_read(server, tmp_path):  # noqa: F811
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server}/blog/post.html?corpus\n{server}/missing?corpus\n", encoding="utf-8")
    output = tmp_path / "out"
    done = dictamen(tmp_path / "pages", "-p", "article_path", str(listing), "--name", "corpus", "--output-dir",
                    str(output), "--workers", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    html = (output / "corpus.html").read_text(encoding="utf-8")
    assert f"{server}/missing?corpus" in html and "the server answered 404 Not Found" in html
    assert _Handler.hits["/blog/post.html?corpus"] == 1 and _Handler.hits["/missing?corpus"] == 1


def test_article_files_are_left_to_the_kernel(tmp_path):
    """Issue 10: an empty, binary, Latin-1 or oversized article is a failed report (exit 1), tested in
    tests/test_runner_faults.py; the check does not read article files."""
    for name, content in {"empty.txt": b"", "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00" * 20,
                          "latin1.txt": "Fuentes: Pérez".encode("latin-1")}.items():
        (tmp_path / name).write_bytes(content)
        preflight({"article_path": str(tmp_path / name)})


def test_the_notebook_names_its_input_check():
    metadata = json.loads((ROOT / SOURCES).read_text(encoding="utf-8"))["metadata"]["dictamen"]
    assert metadata == {"check_inputs": "dictamen.sources.checks:preflight"}


def test_a_page_cache_that_cannot_be_written_is_one_paragraph(server, tmp_path, monkeypatch):  # noqa: F811
    """A fault of the machine met by the check (the cache folder is a file) names the path, no traceback."""
    from dictamen.errors import ParameterError
    from dictamen.params import check_inputs, read_parameters

    blocker = tmp_path / "pages"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DICTAMEN_PAGE_CACHE", str(blocker))
    with pytest.raises(ParameterError, match=r"^Report 'x' \(notebooks/source_diversity.ipynb\) cannot run: checking "
                                             r"its input failed on .*pages \(File exists\)\. Nothing was run\.$"):
        check_inputs(read_parameters(ROOT / SOURCES, shown=SOURCES), {"article_path": f"{server}/blog/post.html?x"},
                     report="x")
