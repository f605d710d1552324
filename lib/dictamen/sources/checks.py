"""Bad input refused before any kernel starts: the source-diversity notebook's preflight.

Named in the notebook's metadata (``dictamen.check_inputs``), so ``dictamen run`` calls it for a report
that is about to run:

* ``article_path`` a web address: the page is fetched here, with the checks of
  :mod:`dictamen.sources.fetch` (timeout, size cap, HTML only, no redirect to another host), into the
  page cache the kernel then reads (one fetch per run, none on a re-run); an address that cannot be
  read refuses the run with one paragraph naming it (exit 2, nothing written);
* a file listing web addresses (corpus mode): a line that is no address refuses the run, naming the
  file and the line; an address that cannot be read is not an error but an article listed as not
  read, with its reason, so the addresses are fetched by the kernel only (a failed one would be
  tried twice otherwise);
* article files are left to the kernel: an empty, binary, non-UTF-8 or oversized article is a failed
  report (exit 1, ``NAME.failed.json``), as issue 10 made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def preflight(parameters: dict[str, Any], supplied: Iterable[str] = ()) -> None:
    """Fetch a single article address into the page cache, or check a URL list's lines; InputError
    (one paragraph naming the address, or the file and line) when the input cannot be used."""
    from dictamen.sources import fetch
    from dictamen.sources.read import article_files

    article_path = str(parameters.get("article_path", "") or "").strip()
    if fetch.is_address(article_path):
        if not fetch.is_cached(article_path):
            try:
                fetch.fetch_to_cache(article_path)
            except fetch.FetchError as error:
                raise fetch.unreadable_address(article_path, error) from None
        return
    fetch.listed_addresses(article_files(article_path))
