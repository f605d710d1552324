"""Articles from the web, against a real HTTP server on 127.0.0.1 (port 0): a blog page around a
post, a redirect, a 404, a timeout, a non-HTML answer, an oversized page, a redirect to another
host; the cache makes a re-run reproducible; the URL path end to end through ``dictamen run``."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import time

import pytest

from dictamen import sources
from dictamen.catalog import project_root
from dictamen.errors import InputError
from dictamen.sources import fetch

ROOT = project_root()
BLOG = (ROOT / "tests" / "fixtures" / "sources" / "blog_page.html").read_bytes()


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, code: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        port = self.server.server_address[1]
        if self.path.startswith("/blog/post.html"):
            self._send(200, BLOG)
        elif self.path == "/moved":
            self._send(301, b"", headers={"Location": "/blog/post.html?from=moved"})
        elif self.path == "/away":
            self._send(302, b"", headers={"Location": f"http://localhost:{port}/blog/post.html"})
        elif self.path == "/slow":
            time.sleep(2)
            self._send(200, BLOG)
        elif self.path == "/data.json":
            self._send(200, b'{"not": "html"}', "application/json")
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must hold while reading
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            try:
                for _ in range(fetch.MAX_BYTES // len(chunk) + 2):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404, b"<h1>Not found</h1>")


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client that gave up (timeout test)
        pass


@pytest.fixture(scope="module")
def server():
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def page_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DICTAMEN_PAGE_CACHE", str(tmp_path / "pages"))
    return tmp_path / "pages"


def test_blog_page_main_text_only_links_and_list_are_the_sources(server):
    report = sources.analyse(f"{server}/blog/post.html")
    article = report.articles[0]
    assert not article.problem
    assert article.title == "Mexico's foreign-agents law, two years on"
    assert article.date == "2022-12-19" and article.date_note == "from the page's metadata"
    got = [(entry.style, entry.outlet_name) for entry in article.entries]
    assert got == [("quoted title", "The Washington Post"), ("quoted title", "Los Angeles Times"),
                   ("hyperlink", "InSight Crime"), ("hyperlink", "Brookings"),
                   ("hyperlink", "Senado de la República")]
    assert article.entries[0].language == "es" and article.entries[4].language == "es"
    for furniture in ("cookies", "Related posts", "Leave a Reply", "cheap pills", "Terms",
                      "The Guardian", "Reuters feed", "injected", "alert"):
        assert furniture not in article.text
    voices = [attribution.voice for attribution in article.attributions]
    assert "Reuters" in voices and "Vanda Felbab-Brown" in voices
    assert "The Guardian" not in voices  # said in a comment, not in the post
    assert article.fetched["url"] == f"{server}/blog/post.html"
    assert len(article.fetched["sha256"]) == 64 and article.fetched["redirects"] == []


def test_cache_makes_a_rerun_reproducible(server, page_cache):
    address = f"{server}/blog/post.html?cache=1"
    first = sources.analyse(address).articles[0]
    hits = _Handler.hits[address.removeprefix(server)]
    second = sources.analyse(address).articles[0]
    assert _Handler.hits[address.removeprefix(server)] == hits  # no second request
    assert second.fetched["from_cache"] and not first.fetched["from_cache"]
    assert second.fetched["fetched_at"] == first.fetched["fetched_at"]
    assert second.text == first.text
    assert len(list(page_cache.glob("*.json"))) == 1 and not list(page_cache.glob("*.part"))


def test_same_host_redirect_is_followed_and_recorded(server):
    article = sources.analyse(f"{server}/moved").articles[0]
    assert not article.problem and len(article.entries) == 5
    assert article.fetched["redirects"] == [f"301 {server}/blog/post.html?from=moved"]
    assert article.fetched["final_url"] == f"{server}/blog/post.html?from=moved"


@pytest.mark.parametrize(("path", "expected"), [
    ("/missing", "the server answered 404"),
    ("/data.json", "it is not an HTML page (the server says application/json)"),
    ("/huge", "over the 5,000,000-byte limit"),
    ("/away", "redirects (302) to another host"),
])
def test_bad_addresses_raise_one_paragraph_naming_the_url(server, path, expected):
    with pytest.raises(InputError) as raised:
        sources.analyse(f"{server}{path}")
    message = str(raised.value)
    assert f"{server}{path}" in message and expected in message and "\n" not in message


def test_timeout_and_refused_connection(server, monkeypatch):
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    with pytest.raises(InputError, match=r"no answer within 0.5 seconds \(timeout\)"):
        sources.analyse(f"{server}/slow")
    with pytest.raises(InputError, match="could not be reached"):
        sources.analyse("http://127.0.0.1:9/nothing-listens-here")


def test_url_list_corpus_lists_failures_and_refuses_bad_lines(server, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# articles to compare\n{server}/blog/post.html\n\n{server}/missing\n"
                       f"{server}/moved\n", encoding="utf-8")
    report = sources.analyse(str(listing))
    assert report.corpus and [a.path for a in report.articles] == [
        f"{server}/blog/post.html", f"{server}/missing", f"{server}/moved"]
    assert [bool(a.problem) for a in report.articles] == [False, True, False]
    assert "404" in report.articles[1].problem
    listing.write_text(f"{server}/blog/post.html\nnot a url\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Line 2 of the URL list is not a web address: 'not a url'"):
        sources.analyse(str(listing))


@pytest.mark.slow
def test_url_end_to_end_through_dictamen_run(server, tmp_path, page_cache):
    output = tmp_path / "out"
    env = {**__import__("os").environ, "DICTAMEN_PAGE_CACHE": str(page_cache)}
    command = [sys.executable, "-m", "dictamen.pipeline.cli", "run", "notebooks/source_diversity.ipynb",
               "-p", "article_path", f"{server}/blog/post.html", "--name", "web-article",
               "--output-dir", str(output), "--workers", "1"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads((output / "web-article.json").read_text(encoding="utf-8"))
    assert record["results"]["n_entries"] == 5
    page = next(item for item in record["data"] if item["path"] == f"{server}/blog/post.html")
    html = (output / "web-article.html").read_text(encoding="utf-8")
    assert "fetched" in html and page["sha256"] in html
    assert "cheap pills" not in html and "<script>fetch" not in html

    command[7] = f"{server}/missing"
    command[9] = "web-missing"
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 2, done.stdout + done.stderr  # refused before any kernel starts
    assert f"The article at {server}/missing could not be read: the server answered 404" in done.stderr
    assert not (output / "web-missing.html").exists() and not (output / "web-missing.failed.json").exists()
