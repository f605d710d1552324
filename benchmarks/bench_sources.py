"""Extraction throughput of dictamen.sources on a corpus of seed-sized articles, per core.

The founding article (11 KB, 16 entries, 16 attributions) is copied N times (default 10,000) into
a temporary folder; each copy gets a distinct number inside every cited title, so the title
language cache cannot make copies free. Timed in one process (one core):

* baseline 1 - just reading the files (bytes, UTF-8 decode);
* baseline 2 - a naive per-entry regex loop (find "Sources", one regex per line for
  'Author. "Title." Outlet. Date.'), no registry, language, attributions or checks;
* dictamen - ``sources.analyse(folder)``: catalogue hashing, encoding checks, sources section,
  entry parsing, registry matching, title language, attributions, cross-check.

Target: at least 200 articles per second per core for dictamen (articles / CPU seconds of the
single process; wall-clock rates are printed too and suffer when other work shares the cores).
On a shared machine one run says little (the same code has given rates a quarter apart), so the
corpus is analysed ``--repeat`` times (default 3), each time a fresh corpus whose numbers no
earlier run has seen (nothing one run caches makes the next cheaper); every run's rate is printed
with the load average before and after it, and the target is judged on the median run.
The interpreter's version and build are printed too: builds of the same Python version differ
by a quarter on this code (with or without profile-guided optimisation).
A second corpus is built from the hand-counted evaluation set (data/eval/sources/articles: real
blog posts, news items, lessons, reference lists in many styles and both languages, HTML
included), each article copied ``--eval-copies`` times (default 50) with a number added inside
its titles and link texts, and timed the same way.
Usage: python benchmarks/bench_sources.py [--copies 10000] [--repeat 3] [--eval-copies 50]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dictamen import sources
from dictamen.catalog import project_root

SEED = project_root() / "data" / "articles" / "000_844dcaef5a0c3383.txt"
TARGET = 200.0


def make_corpus(folder: Path, copies: int, first: int = 0) -> None:
    """``copies`` copies of the seed, numbered from ``first`` (a repeat gets numbers of its own)."""
    text = SEED.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\nSources\n")
    for index in range(first, first + copies):
        varied = tail.replace(".”", f" {index}.”").replace("?”", f" {index}?”")
        (folder / f"article_{index:05d}.txt").write_text(head + sep + varied, encoding="utf-8")


EVAL_ARTICLES = project_root() / "data" / "eval" / "sources" / "articles"


def make_eval_corpus(folder: Path, copies: int, first: int = 0) -> None:
    for article in sorted(EVAL_ARTICLES.iterdir()):
        text = article.read_text(encoding="utf-8")
        for index in range(first, first + copies):
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


def timed_runs(build, repeat: int, label: str) -> tuple[list[float], int, int]:
    """Analyse a fresh corpus (``build(folder, run)``) ``repeat`` times; print each run's rates and
    load; return the CPU rates, the files per run and the entries of the last run."""
    rates, count, entries = [], 0, 0
    for run in range(repeat):
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            build(folder, run)
            count = sum(1 for _ in folder.iterdir())
            load_before = os.getloadavg()[0]
            wall, cpu_seconds, report = timed(folder)
            load_after = os.getloadavg()[0]
        entries = sum(len(article.entries) for article in report.articles)
        del report
        rates.append(count / cpu_seconds)
        print(f"{label} run {run + 1}/{repeat}: {wall:8.3f} s wall {count / wall:6,.0f} articles/s, "
              f"{cpu_seconds:8.3f} s CPU {count / cpu_seconds:6,.0f} articles/s/core "
              f"(load {load_before:.2f} before, {load_after:.2f} after)")
    return rates, count, entries


def verdict(rates: list[float], what: str) -> None:
    median = statistics.median(rates)
    print(f"{what}: median {median:,.0f}, best {max(rates):,.0f}, worst {min(rates):,.0f} articles/s/core "
          f"over {len(rates)} run{'s' if len(rates) > 1 else ''}")
    print(f"target >= {TARGET:.0f} articles/s/core {what}: {'met' if median >= TARGET else 'NOT met'} "
          f"(median {median:,.0f})")


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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--eval-copies", type=int, default=50)
    args = parser.parse_args()
    if args.copies < 1 or args.repeat < 1 or args.eval_copies < 0:
        parser.error("--copies and --repeat need at least 1, --eval-copies at least 0")
    print(f"interpreter: {platform.python_implementation()} {sys.version.split()[0]} "
          f"({', '.join(platform.python_build())}; {platform.python_compiler()})")
    print(f"machine: {os.cpu_count()} cores; one process = one core")
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
    print(f"corpus: {args.copies:,} copies of the seed article ({SEED.stat().st_size:,} bytes each)")
    print(f"baseline 1, read files only:       {read_seconds:8.3f} s {args.copies / read_seconds:10,.0f} articles/s")
    print(f"baseline 2, naive regex per entry: {naive_seconds:8.3f} s {args.copies / naive_seconds:10,.0f} "
          f"articles/s  ({naive_entries:,} entries matched)")
    rates, count, entries = timed_runs(
        lambda folder, run: make_corpus(folder, args.copies, first=run * args.copies), args.repeat, "dictamen")
    median_seconds = count / statistics.median(rates)
    print(f"dictamen: {entries:,} entries in the last run; median run / read-only time "
          f"{median_seconds / read_seconds:.1f}x, / naive-loop time {median_seconds / naive_seconds:.1f}x (CPU)")
    verdict(rates, "on the seed corpus")
    if EVAL_ARTICLES.is_dir() and args.eval_copies > 0:
        print(f"evaluation set: {args.eval_copies} copies of each real article")
        rates, count, entries = timed_runs(
            lambda folder, run: make_eval_corpus(folder, args.eval_copies, first=run * args.eval_copies),
            args.repeat, "evaluation set")
        print(f"evaluation set: {count:,} files, {entries:,} entries in the last run")
        verdict(rates, "on the evaluation set")


if __name__ == "__main__":
    main()
