"""Articles from the web: one ``http(s)://`` address, or a file listing addresses (corpus mode).

Fetching is careful and reproducible:

* a timeout (``TIMEOUT`` seconds; ``DICTAMEN_FETCH_TIMEOUT`` to change it) and a size cap
  (``read.MAX_BYTES``) on every page; only HTML (``text/html``, ``application/xhtml+xml``) is
  accepted; nothing on the page is executed (trafilatura parses the markup; no script, frame or
  stylesheet is fetched);
* redirects are followed and recorded; a redirect to another host is refused (an article that
  moved off its site is not silently replaced by another site's page);
* every page fetched is cached with its fetch time, final address, redirects and sha256, in
  ``.cache/pages/`` under the project (``DICTAMEN_PAGE_CACHE`` to put it elsewhere): a re-run reads
  the cache and reports the same text and the same fetch time, with no network;
* a list is fetched concurrently (``WORKERS`` at a time) with a progress bar on a terminal.

A single address that cannot be read raises :class:`~dictamen.errors.InputError` naming it; in a
list, an address that cannot be read becomes an article with a ``problem`` (listed as not read),
and a line that is not an address stops the run with its line number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dictamen.errors import InputError
from dictamen.sources.read import MAX_BYTES, ArticleText

TIMEOUT = 20.0
"""Seconds allowed for connecting to a server and for each read from it."""
WORKERS = 8
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "dictamen (source-diversity report) python-urllib"
_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)


def is_address(text: str) -> bool:
    """Whether a parameter value is a web address rather than a path."""
    return bool(_ADDRESS.match(str(text).strip()))


@dataclass
class FetchedArticle(ArticleText):
    """An article read from the web, with what the report's provenance needs."""

    url: str = ""
    final_url: str = ""
    fetched_at: str = ""
    sha256: str = ""
    redirects: list[str] = field(default_factory=list)
    from_cache: bool = False
    metadata: dict[str, str] = field(default_factory=dict)


class FetchError(Exception):
    """Why one address could not be read (one sentence, no traceback)."""


def timeout_seconds() -> float:
    """TIMEOUT, or DICTAMEN_FETCH_TIMEOUT (seconds above 0) for a slow network or a test server."""
    configured = os.environ.get("DICTAMEN_FETCH_TIMEOUT", "").strip()
    try:
        seconds = float(configured)
    except ValueError:
        return TIMEOUT
    return seconds if 0 < seconds < float("inf") else TIMEOUT


def cache_folder() -> Path:
    """Where fetched pages are kept: DICTAMEN_PAGE_CACHE, else .cache/pages under the project."""
    from dictamen.catalog import project_root

    configured = os.environ.get("DICTAMEN_PAGE_CACHE", "").strip()
    return Path(configured) if configured else project_root() / ".cache" / "pages"


def addresses_in_list(path: Path, shown: str) -> list[str]:
    """The addresses of a URL-list file: one a line; blank lines and '#' comments skipped."""
    addresses = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"The URL list is not valid UTF-8 (byte {error.start})", path=shown,
                         expected="one http(s) address a line, saved as UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not is_address(stripped):
            raise InputError(f"Line {number} of the URL list is not a web address: {stripped[:120]!r}",
                             path=shown, row=number,
                             expected="one http:// or https:// address a line ('#' starts a comment)")
        addresses.append(stripped)
    if not addresses:
        raise InputError("The URL list holds no address", path=shown,
                         expected="one http:// or https:// address a line")
    return addresses


def looks_like_address_list(path: Path) -> bool:
    """A text file whose first meaningful line is a web address is a URL list."""
    if path.suffix.lower() not in (".txt", ".urls", ".list", ""):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    for line in head.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return is_address(stripped)
    return False


def listed_addresses(files: list[Path]) -> list[str] | None:
    """The addresses of the URL list when ``files`` is one (a single file listing web addresses),
    else None. InputError for a line that is no address."""
    from dictamen import catalog

    if len(files) != 1 or not looks_like_address_list(files[0]):
        return None
    opened = catalog.open_data(files[0], parameter="article_path")
    return addresses_in_list(opened, catalog.display_path(opened))


def unreadable_address(url: str, error: FetchError) -> InputError:
    """The one-paragraph error for a single article address that could not be read."""
    return InputError(f"The article at {url} could not be read: {error}",
                      expected=f"a reachable http(s) address of an HTML page of at most {MAX_BYTES:,} bytes")


def fetch_articles(addresses: list[str], *, single: bool) -> list[FetchedArticle]:
    """Fetch (or read from the cache) every address; in a list, failures become problems."""
    if single:
        try:
            return [fetch_article(addresses[0])]
        except FetchError as error:
            raise unreadable_address(addresses[0], error) from None
    results: list[FetchedArticle | None] = [None] * len(addresses)

    def one(index: int) -> None:
        try:
            results[index] = fetch_article(addresses[index])
        except FetchError as error:
            results[index] = FetchedArticle(addresses[index], "", "html", problem=str(error),
                                            url=addresses[index])

    with ThreadPoolExecutor(max_workers=min(WORKERS, len(addresses))) as pool:
        futures = [pool.submit(one, index) for index in range(len(addresses))]
        _progress(futures)
    return [result for result in results if result is not None]


def _progress(futures) -> None:
    """Wait for the fetches, with a progress bar when stderr is a terminal (none in reports)."""
    from concurrent.futures import as_completed

    from tqdm import tqdm

    for _ in tqdm(as_completed(futures), total=len(futures), desc="fetching articles",
                  unit="page", file=sys.stderr, disable=None, leave=False):
        pass


def fetch_article(url: str) -> FetchedArticle:
    """One page, from the cache when it was fetched before, else from the network (then cached)."""
    cached = _from_cache(url)
    if cached is not None:
        return cached
    body, meta = fetch_to_cache(url)
    return _article(url, body, meta["final_url"], meta["redirects"], meta["fetched_at"], meta["sha256"],
                    meta["content_type"], False)


def fetch_to_cache(url: str) -> tuple[bytes, dict]:
    """Download one page and cache it (body, and its fetch time, address, redirects and sha256);
    FetchError when it cannot be read. :mod:`dictamen.sources.checks` calls it before the run's
    kernel starts, which then reads the cached copy."""
    body, final_url, redirects, content_type = download(url)
    fetched_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    meta = {"url": url, "final_url": final_url, "redirects": redirects, "fetched_at": fetched_at,
            "sha256": hashlib.sha256(body).hexdigest(), "content_type": content_type}
    _to_cache(url, body, meta)
    return body, meta


def is_cached(url: str) -> bool:
    """Whether a sound copy of the page is in the cache (a damaged or foreign entry is not)."""
    return _cached_entry(url) is not None


class _RecordingRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects on the same host, records each hop, refuses one to another host."""

    def __init__(self) -> None:
        self.hops: list[str] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _host(newurl) != _host(req.full_url):
            raise FetchError(f"it redirects ({code}) to another host, {newurl}; give that address "
                             "itself if it is the article")
        self.hops.append(f"{code} {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def download(url: str, timeout: float | None = None, max_bytes: int | None = None
             ) -> tuple[bytes, str, list[str], str]:
    """(body, final address, redirects, content type) of an HTML page; FetchError otherwise.

    ``timeout`` and ``max_bytes`` default to the module's TIMEOUT and MAX_BYTES at call time."""
    timeout = timeout_seconds() if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    redirects = _RecordingRedirects()
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "text/html,application/xhtml+xml"})
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in HTML_TYPES:
                raise FetchError(f"it is not an HTML page (the server says {content_type})")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"the page is {int(declared):,} bytes, over the {max_bytes:,}-byte "
                                 "limit for one article")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"the page is over the {max_bytes:,}-byte limit for one article")
            return body, response.geturl(), redirects.hops, content_type
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        raise FetchError(f"the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchError(f"no answer within {timeout:g} seconds (timeout)") from None
        raise FetchError(f"the server could not be reached ({reason})") from None
    except TimeoutError:
        raise FetchError(f"no answer within {timeout:g} seconds (timeout)") from None
    except (OSError, ValueError) as error:
        raise FetchError(f"the page could not be read ({error})") from None


def _cache_paths(url: str) -> tuple[Path, Path]:
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    folder = cache_folder()
    return folder / f"{key}.html", folder / f"{key}.json"


def _cached_entry(url: str) -> tuple[bytes, dict] | None:
    body_path, meta_path = _cache_paths(url)
    if not (body_path.is_file() and meta_path.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = body_path.read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(body).hexdigest() != meta.get("sha256") or meta.get("url") != url:
        return None  # a damaged or foreign cache entry is fetched again
    return body, meta


def _from_cache(url: str) -> FetchedArticle | None:
    entry = _cached_entry(url)
    if entry is None:
        return None
    body, meta = entry
    return _article(url, body, meta["final_url"], meta.get("redirects", []), meta["fetched_at"],
                    meta["sha256"], meta.get("content_type", "text/html"), True)


def _to_cache(url: str, body: bytes, meta: dict) -> None:
    body_path, meta_path = _cache_paths(url)
    body_path.parent.mkdir(parents=True, exist_ok=True)
    for path, data in ((body_path, body), (meta_path, json.dumps(meta, indent=1).encode())):
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(path)  # never a half-written cache entry


def _article(url: str, body: bytes, final_url: str, redirects: list[str], fetched_at: str,
             digest: str, content_type: str, from_cache: bool) -> FetchedArticle:
    from dictamen import record
    from dictamen.sources.webpage import page_text

    record.note_data_read(url, digest, str(_cache_paths(url)[0]))
    article = FetchedArticle(url, "", "html", url=url, final_url=final_url, fetched_at=fetched_at,
                             sha256=digest, redirects=list(redirects), from_cache=from_cache)
    if b"\x00" in body[:8192]:
        article.problem = "the page looks binary (it contains NUL bytes)"
        return article
    markup = body.decode(_charset(body, content_type), errors="replace")
    page = page_text(markup, final_url)
    if page is None or not page.text.strip():
        article.problem = "the page holds no main text that could be read"
        return article
    article.text = page.text
    article.metadata = {"title": page.title, "author": page.author, "date": page.date,
                        "site": page.sitename}
    return article


def _charset(body: bytes, content_type: str) -> str:
    found = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
    name = found.group(1).decode("ascii", "replace") if found else "utf-8"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name
