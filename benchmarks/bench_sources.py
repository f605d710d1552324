"""Extraction throughput of dictamen.sources on a corpus of seed-sized articles, per core.

The founding article (11 KB, 16 entries, 16 attributions) is copied N times (default 2,000) into
a temporary folder; each copy gets a distinct number inside every cited title, so the title
language cache cannot make copies free. Timed in one process (one core):

* baseline 1 - just reading the files (bytes, UTF-8 decode);
* baseline 2 - a naive per-entry regex loop (find "Sources", one regex per line for
  'Author. "Title." Outlet. Date.'), no registry, language, attributions or checks;
* dictamen - ``sources.analyse(folder)``: catalogue hashing, encoding checks, sources section,
  entry parsing, registry matching, title language, attributions, cross-check.

Target: at least 200 articles per second per core for dictamen (articles / CPU seconds of the
single process; wall-clock rates are printed too and suffer when other work shares the cores).
The load average before and after the timed run is printed: on a loaded machine CPU seconds
also grow (shared caches, frequency), so read rates together with it.
A second corpus is built from the hand-counted evaluation set (data/eval/sources/articles: real
blog posts, news items, lessons, reference lists in many styles and both languages, HTML
included), each article copied ``--eval-copies`` times (default 50) with a number added inside
its titles and link texts, and timed the same way.
Usage: python benchmarks/bench_sources.py [--copies 10000] [--eval-copies 50]
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from dictamen import sources
from dictamen.catalog import project_root

SEED = project_root() / "data" / "articles" / "000_844dcaef5a0c3383.txt"
TARGET = 200.0


def make_corpus(folder: Path, copies: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\nSources\n")
    for index in range(copies):
        varied = tail.replace(".”", f" {index}.”").replace("?”", f" {index}?”")
        (folder / f"article_{index:05d}.txt").write_text(head + sep + varied, encoding="utf-8")


EVAL_ARTICLES = project_root() / "data" / "eval" / "sources" / "articles"


def make_eval_corpus(folder: Path, copies: int) -> None:
    for article in sorted(EVAL_ARTICLES.iterdir()):
        text = article.read_text(encoding="utf-8")
        for index in range(copies):
            varied = (text.replace(".”", f" {index}.”").replace("](", f" {index}](")
                      .replace('."', f' {index}."'))
            (folder / f"{article.stem}_{index:04d}{article.suffix}").write_text(varied, encoding="utf-8")


def warm_up() -> None:
    """One-time costs, not timed: imports, language model, registry; and the HTML reader
    (trafilatura and lxml load on the first HTML article, some 0.2 s, which fell inside the
    timed evaluation-set run when only the plain-text seed warmed up)."""
    sources.analyse(str(SEED))
    html = sorted(EVAL_ARTICLES.glob("*.htm*")) if EVAL_ARTICLES.is_dir() else []
    if html:
        sources.analyse(str(html[0]))


def timed(folder: Path) -> tuple[float, float, object]:
    clock, cpu = time.perf_counter(), time.process_time()
    report = sources.analyse(str(folder))
    return time.perf_counter() - clock, time.process_time() - cpu, report


def read_only(files: list[Path]) -> int:
    return sum(len(path.read_bytes().decode("utf-8")) for path in files)


NAIVE = re.compile(r"^(?P<authors>[^“\"]+?)\.\s*[“\"](?P<title>[^”\"]+)[”\"]\s*(?P<outlet>[^.]+)\.\s*"
                   r"(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})")


def naive_loop(files: list[Path]) -> int:
    found = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        section = text.split("\nSources\n", 1)[-1]
        for line in section.splitlines():
            if NAIVE.match(line.strip()):
                found += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10_000)
    parser.add_argument("--eval-copies", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        make_corpus(folder, args.copies)
        files = sorted(folder.glob("*.txt"))
        warm_up()

        clock = time.perf_counter()
        read_only(files)
        read_seconds = time.perf_counter() - clock

        clock = time.perf_counter()
        naive_entries = naive_loop(files)
        naive_seconds = time.perf_counter() - clock

        load_before = os.getloadavg()[0]
        clock, cpu = time.perf_counter(), time.process_time()
        report = sources.analyse(str(folder))
        full_seconds = time.perf_counter() - clock
        full_cpu = time.process_time() - cpu
        load_after = os.getloadavg()[0]

    entries = sum(len(a.entries) for a in report.articles)
    attributions = sum(len(a.attributions) for a in report.articles)
    rate = len(files) / full_cpu  # one process: CPU seconds are seconds of one core
    print(f"corpus: {len(files):,} copies of the seed article ({SEED.stat().st_size:,} bytes each), "
          "one process = one core")
    print(f"machine: {os.cpu_count()} cores, 1-minute load average {load_before:.2f} before and "
          f"{load_after:.2f} after the timed run")
    print(f"baseline 1, read files only:      {read_seconds:8.3f} s  "
          f"{len(files) / read_seconds:10,.0f} articles/s")
    print(f"baseline 2, naive regex per entry: {naive_seconds:8.3f} s  "
          f"{len(files) / naive_seconds:10,.0f} articles/s  ({naive_entries:,} entries matched)")
    print(f"dictamen sources.analyse:          {full_seconds:8.3f} s  "
          f"{len(files) / full_seconds:10,.0f} articles/s wall  ({entries:,} entries, "
          f"{attributions:,} attributions)")
    print(f"                                   {full_cpu:8.3f} s CPU  {rate:6,.0f} articles/s/core")
    print(f"ratio dictamen / read-only time:   {full_seconds / read_seconds:8.1f}x")
    print(f"ratio dictamen / naive-loop time:  {full_seconds / naive_seconds:8.1f}x")
    print(f"target >= {TARGET:.0f} articles/s/core: {'met' if rate >= TARGET else 'NOT met'} "
          f"({rate:,.0f})")
    if EVAL_ARTICLES.is_dir() and args.eval_copies > 0:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            make_eval_corpus(folder, args.eval_copies)
            count = sum(1 for _ in folder.iterdir())
            load_before = os.getloadavg()[0]
            wall, cpu_seconds, report = timed(folder)
            load_after = os.getloadavg()[0]
        eval_rate = count / cpu_seconds
        print(f"evaluation set: {count:,} files ({args.eval_copies} copies of each real article), "
              f"load average {load_before:.2f} before and {load_after:.2f} after")
        print(f"dictamen sources.analyse:          {wall:8.3f} s  {count / wall:10,.0f} articles/s wall  "
              f"({sum(len(a.entries) for a in report.articles):,} entries)")
        print(f"                                   {cpu_seconds:8.3f} s CPU  {eval_rate:6,.0f} articles/s/core")
        print(f"target >= {TARGET:.0f} articles/s/core on the evaluation set: "
              f"{'met' if eval_rate >= TARGET else 'NOT met'} ({eval_rate:,.0f})")


if __name__ == "__main__":
    main()
