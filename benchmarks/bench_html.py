"""HTML size of each default report: dictamen's page next to nbconvert's default lab template.

For every report in reports.toml, the executed notebook (run by ``dictamen run`` into
benchmarks/out/html/, so later runs come from the runner's cache) is exported twice in this run:
by :func:`dictamen.pipeline.export.render_report` and by nbconvert's ``HTMLExporter`` with its default
``lab`` template. "Furniture" is the page minus the report's own figures and tables (embedded
images, <table> elements): the template's CSS and markup plus narrative and (hidden) code; the
issue's budget for ours is about 150 KB.

    .venv/bin/python benchmarks/bench_html.py [--output-dir benchmarks/out/html] [--no-run]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from dictamen.pipeline.export import render_report

ROOT = Path(__file__).resolve().parents[1]
warnings.filterwarnings("ignore", message="Your element with mimetype", category=UserWarning)
IMAGE = re.compile(r"data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=\s]+")
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
REMOTE = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)


def content_bytes(page: str) -> int:
    """Bytes of the report's own figures and tables in a page."""
    images = sum(len(match.group(0)) for match in IMAGE.finditer(page))
    tables = sum(len(IMAGE.sub("", match.group(0))) for match in TABLE.finditer(page))
    return images + tables


def measure(name: str, executed: nbformat.NotebookNode, record: dict) -> dict:
    clock = time.perf_counter()
    ours = render_report(executed, record)
    ours_s = time.perf_counter() - clock
    clock = time.perf_counter()
    theirs, _ = HTMLExporter(template_name="lab").from_notebook_node(executed)
    theirs_s = time.perf_counter() - clock
    ours_bytes, theirs_bytes = len(ours.encode()), len(theirs.encode())
    return {
        "name": name,
        "ours": ours_bytes, "ours_furniture": ours_bytes - content_bytes(ours), "ours_s": ours_s,
        "lab": theirs_bytes, "lab_furniture": theirs_bytes - content_bytes(theirs), "lab_s": theirs_s,
        "lab_remote": len(REMOTE.findall(theirs)), "ours_remote": len(REMOTE.findall(ours)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default=str(ROOT / "benchmarks" / "out" / "html"))
    parser.add_argument("--no-run", action="store_true", help="measure what is already in the output folder")
    arguments = parser.parse_args()
    folder = Path(arguments.output_dir)
    if not arguments.no_run:
        from dictamen.pipeline.cli import main as dictamen

        print(f"running the default reports into {folder} (cached after the first time)...", flush=True)
        dictamen(["run", "--output-dir", str(folder)])
    rows = []
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".failed.json"):
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        notebook = folder / "runs" / str(record.get("run_id")) / f"{record['name']}.ipynb"
        if not notebook.exists():
            print(f"skipping {record['name']}: executed notebook {notebook.name} was pruned", file=sys.stderr)
            continue
        rows.append(measure(record["name"], nbformat.read(notebook, as_version=4), record))
    if not rows:
        print("no executed reports to measure", file=sys.stderr)
        return 1
    header = (f"{'report':32} {'ours KB':>8} {'lab KB':>8} {'ratio':>6} {'our furniture KB':>17} "
              f"{'lab furniture KB':>17} {'remote refs ours/lab':>21} {'export s ours/lab':>18}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['name'][:32]:32} {row['ours'] / 1024:8.1f} {row['lab'] / 1024:8.1f} "
              f"{row['ours'] / row['lab']:6.2f} {row['ours_furniture'] / 1024:17.1f} {row['lab_furniture'] / 1024:17.1f} "
              f"{row['ours_remote']:>10}/{row['lab_remote']:<10} {row['ours_s']:8.2f}/{row['lab_s']:<8.2f}")
    total_ours, total_lab = sum(row["ours"] for row in rows), sum(row["lab"] for row in rows)
    furniture = max(row["ours_furniture"] for row in rows)
    print(f"\n{len(rows)} reports: ours {total_ours / 1024:.0f} KB vs lab {total_lab / 1024:.0f} KB in all "
          f"(ratio {total_ours / total_lab:.2f}); largest furniture of ours {furniture / 1024:.1f} KB "
          f"(budget 150 KB) vs lab {max(row['lab_furniture'] for row in rows) / 1024:.1f} KB")
    return 0 if furniture <= 150 * 1024 else 1


if __name__ == "__main__":
    raise SystemExit(main())
