"""dictamen run on the default suite against the papermill CLI then the jupyter nbconvert CLI,
one report after another (the way a shell script would do it), cold and as a no-change re-run,
and where each report's time goes.

Targets (ratios and times measured in this one run, on this machine):
- cold suite at least 5x faster than the CLI baseline;
- a no-change re-run, the whole command, at most 0.3 s (the median of several, the machine is shared).
``--with-fresh`` also runs the suite cold with ``--fresh-kernels`` (a newly launched kernel per report).

Usage: python benchmarks/bench_pipeline.py [--reports NAME ...] [--with-fresh] [--no-change-runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dictamen.catalog import project_root
from dictamen.pipeline.config import load_config, select

ROOT = project_root()
BIN = Path(sys.executable).parent
COLD_TARGET, NO_CHANGE_TARGET = 5.0, 0.3
PHASES = ("kernel_start_s", "imports_s", "cells_s", "shutdown_s", "export_s")


def baseline(specs, folder: Path) -> float:
    """papermill CLI + nbconvert CLI per report, sequentially."""
    clock = time.perf_counter()
    for spec in specs:
        executed = folder / f"{spec.name}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(spec.notebook_path), str(executed), "-k", "dictamen",
                        "--cwd", str(spec.notebook_path.parent), "-y", json.dumps(spec.parameters),
                        "--no-progress-bar"], check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], check=True,
                       capture_output=True)
    return time.perf_counter() - clock


def dictamen_run(names: list[str], output: Path, *extra: str) -> float:
    clock = time.perf_counter()
    subprocess.run([str(BIN / "dictamen"), "run", *names, "--output-dir", str(output), *extra], check=True,
                   capture_output=True)
    return time.perf_counter() - clock


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def print_breakdown(label: str, output: Path, names: list[str], wall: float) -> None:
    """Each report's phases (seconds, from its run record) and what they add up to across reports."""
    print(f"\nWhere the time goes, {label} (seconds; the suite took {wall:.2f} s of wall time):")
    print(f"  {'report':28} {'kernel':6} {'start':>6} {'imports':>7} {'cells':>7} {'shutdown':>8} {'export':>7}")
    totals = dict.fromkeys(PHASES, 0.0)
    for name in names:
        timings = json.loads((output / f"{name}.json").read_text(encoding="utf-8")).get("timings", {})
        for phase in PHASES:
            totals[phase] += timings.get(phase, 0.0)
        print(f"  {name[:28]:28} {timings.get('kernel', '?'):6} " + " ".join(
            f"{timings.get(phase, 0.0):{width}.2f}" for phase, width in zip(PHASES, (6, 7, 7, 8, 7))))
    print(f"  {'sum over reports':28} {'':6} " + " ".join(
        f"{totals[phase]:{width}.2f}" for phase, width in zip(PHASES, (6, 7, 7, 8, 7))))
    if label.startswith("fresh"):
        print("  (a fresh kernel imports inside its cells: imports are counted in cells)")
    else:
        print("  (imports: the warm kernel parent importing ahead; each worker pays them once, its first "
              "report shows them)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", nargs="*", default=[])
    parser.add_argument("--with-fresh", action="store_true", help="also time a cold run with --fresh-kernels")
    parser.add_argument("--no-change-runs", type=int, default=5)
    arguments = parser.parse_args()
    specs = select(load_config(), arguments.reports)
    names = [spec.name for spec in specs]
    print(f"{len(specs)} reports: {', '.join(names)}")
    print(f"load average before: {load_average()}")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "baseline").mkdir()
        base = baseline(specs, folder / "baseline")
        cold = dictamen_run(names, folder / "reports", "--force")
        no_change_load = load_average()
        no_change = [dictamen_run(names, folder / "reports") for _ in range(max(1, arguments.no_change_runs))]
        print_breakdown("warm kernels", folder / "reports", names, cold)
        fresh = None
        if arguments.with_fresh:
            fresh = dictamen_run(names, folder / "fresh", "--force", "--fresh-kernels")
            print_breakdown("fresh kernels", folder / "fresh", names, fresh)
    still = statistics.median(no_change)
    print(f"\nload average after: {load_average()}")
    print(f"baseline (papermill CLI + nbconvert CLI, sequential): {base:8.2f} s")
    print(f"dictamen run, cold:                                 {cold:8.2f} s   speed-up {base / cold:5.2f}x "
          f"(target >= {COLD_TARGET:g}x)")
    if fresh is not None:
        print(f"dictamen run, cold, --fresh-kernels:                {fresh:8.2f} s   speed-up {base / fresh:5.2f}x")
    print(f"dictamen run, no change (whole command, median of {len(no_change)}): {still:5.2f} s   "
          f"target <= {NO_CHANGE_TARGET:g} s   (all: {', '.join(f'{value:.2f}' for value in no_change)}; "
          f"load average before them: {no_change_load})")
    status = "PASS" if base / cold >= COLD_TARGET and still <= NO_CHANGE_TARGET else "MISS"
    print(f"{status}: cold {base / cold:.2f}x, no-change {still:.2f} s")


if __name__ == "__main__":
    main()
