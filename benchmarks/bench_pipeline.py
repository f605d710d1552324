"""dictamen run on the default suite against the papermill CLI then the jupyter nbconvert CLI,
one report after another (the way a shell script would do it), cold and as a no-change re-run.

Targets: cold at least 3x faster than that baseline; a no-change re-run under 1 s.
Usage: python benchmarks/bench_pipeline.py [--reports NAME ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dictamen.catalog import project_root
from dictamen.pipeline.config import load_config, select

ROOT = project_root()
BIN = Path(sys.executable).parent


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", nargs="*", default=[])
    arguments = parser.parse_args()
    specs = select(load_config(), arguments.reports)
    names = [spec.name for spec in specs]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        print(f"{len(specs)} reports: {', '.join(names)}")
        (folder / "baseline").mkdir()
        base = baseline(specs, folder / "baseline")
        cold = dictamen_run(names, folder / "reports", "--force")
        warm = dictamen_run(names, folder / "reports")
    print(f"baseline (papermill CLI + nbconvert CLI, sequential): {base:8.2f} s")
    print(f"dictamen run, cold:                                 {cold:8.2f} s   speed-up {base / cold:5.2f}x (target >= 3x)")
    print(f"dictamen run, no change (whole command):            {warm:8.2f} s   target < 1 s")
    status = "PASS" if base / cold >= 3 and warm < 1 else "MISS"
    print(f"{status}: cold {base / cold:.2f}x, no-change {warm:.2f} s")


if __name__ == "__main__":
    main()
