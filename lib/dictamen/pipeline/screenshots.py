"""Screenshots of every report and the index at desktop and phone widths, for review.

    python -m dictamen.pipeline.screenshots --output-dir screenshots [--reports-dir reports] [--no-run]

First brings the reports up to date with ``dictamen run`` (unchanged reports come from the cache),
then opens each page (reports in English and Spanish, ``index.html`` and ``index.es.html``) in
Debian's Chromium through Playwright and writes full-page PNGs named ``NAME-desktop.png`` (1280 px
wide) and ``NAME-phone.png`` (390 px wide), and ``NAME-desktop-first-screen.png``: what a reader sees
before scrolling (the title and the verdict block), the kind of picture a README shows.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CHROMIUM = os.environ.get("DICTAMEN_CHROMIUM", "/usr/bin/chromium")
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


def pages(reports_dir: Path) -> list[Path]:
    """The indexes first, then every report page in the folder."""
    indexes = sorted(reports_dir.glob("index*.html"))
    return indexes + sorted(path for path in reports_dir.glob("*.html") if path not in indexes)


def shoot(reports_dir: Path, output_dir: Path) -> list[Path]:
    """Write a desktop and a phone screenshot of each page; returns the files written."""
    from playwright.sync_api import sync_playwright

    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_FLAGS)
        try:
            for page_path in pages(reports_dir):
                for label, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  device_scale_factor=1, reduced_motion="reduce")
                    page = context.new_page()
                    page.goto(page_path.resolve().as_uri(), wait_until="load")
                    target = output_dir / f"{page_path.stem}-{label}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                    if label == "desktop":
                        first = output_dir / f"{page_path.stem}-desktop-first-screen.png"
                        page.screenshot(path=str(first), full_page=False)
                        written.append(first)
                    context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dictamen.pipeline.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default="screenshots", help="where the PNGs go (default: screenshots/)")
    parser.add_argument("--reports-dir", default="reports", help="the reports folder (default: reports/)")
    parser.add_argument("--no-run", action="store_true", help="use the reports as they are; do not run them first")
    arguments = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"screenshots: Chromium is missing at {CHROMIUM}; install it with "
              "`apt-get update && apt-get install -y chromium` (or `make browser` as root).", file=sys.stderr)
        return 2
    reports_dir = Path(arguments.reports_dir)
    if not arguments.no_run:
        from dictamen.pipeline.cli import main as dictamen

        status = dictamen(["run", "--output-dir", str(reports_dir)])
        if status not in (0, 1):
            return status
    if not pages(reports_dir):
        print(f"screenshots: no HTML pages in {reports_dir}/", file=sys.stderr)
        return 1
    written = shoot(reports_dir, Path(arguments.output_dir))
    print(f"{len(written)} screenshots in {arguments.output_dir}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
