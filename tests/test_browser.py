"""The reports and the index opened in a real browser (Debian's Chromium through Playwright).

Checked on every page: nothing is requested beyond the page's own file, the console stays free of
errors, every image has real alt text (in the page's language); on reports the table of contents
lands and the code toggle works; a report built from hostile titles runs no script; axe-core finds no
serious or critical accessibility violation. The default reports, in English and Spanish, at desktop
and phone widths: the verdict block is the first thing under the title, above the parameters, and a
Spanish page shows no English furniture. Pages: the fixture notebook's reports (always) and, once reports.toml
names reports, every configured report run by the real ``dictamen run`` into a temporary folder.

Set DICTAMEN_SKIP_BROWSER=1 to skip; without Chromium at /usr/bin/chromium (or $DICTAMEN_CHROMIUM)
these tests fail and say how to install it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from export_fixtures import configured_reports, fixture_site, hostile_article_site, real_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("DICTAMEN_CHROMIUM", "/usr/bin/chromium")
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions"]
PLACEHOLDER_ALTS = {"", "no description has been provided for this image", "image", "figure", "chart", "plot",
                    "figure without a description"}

FIXTURE_PAGES = ["fixture:fixture-sample.html", "fixture:fixture-hostile.html", "fixture:fixture-spanish.html",
                 "fixture:index.html", "fixture:index.es.html", "hostile:hostile-article.html"]
REAL_PAGES = [f"real:{name}.html" for name in configured_reports()] + (
    ["real:index.html", "real:index.es.html"] if configured_reports() else [])
DEFAULTS = ["mx-lsn-2020", "border-trucks-2020", "seed-article", "dossier-mx-lsn-2020"]
"""The Mexican defaults; each has a Spanish twin NAME-es once its notebook speaks Spanish (reports.toml)."""
DEFAULT_PAGES = [f"real:{name}{suffix}.html" for name in DEFAULTS for suffix in ("", "-es")
                 if f"{name}{suffix}" in configured_reports()]
PAGES = FIXTURE_PAGES + REAL_PAGES
REPORT_PAGES = [page for page in PAGES if not re.search(r":index(\.\w+)?\.html$", page)]


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("DICTAMEN_SKIP_BROWSER") == "1":
        pytest.skip("browser tests skipped: DICTAMEN_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}. Install it with `apt-get update && apt-get install -y "
                    "chromium` (as root; `make browser` does this), or set DICTAMEN_SKIP_BROWSER=1 to skip the "
                    "browser tests.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def folders():
    cache: dict[str, Path] = {}

    def folder(kind: str) -> Path:
        if kind not in cache:
            if kind == "hostile":
                site = hostile_article_site()
                if site is None:
                    pytest.skip("the sources notebook or its hostile test article is not in the project")
                cache[kind] = site
            else:
                cache[kind] = fixture_site() if kind == "fixture" else real_site()
        return cache[kind]

    return folder


class Visit:
    """A page opened in a fresh context, with every request, console error and dialog recorded."""

    def __init__(self, browser, path: Path, width: int = 1280) -> None:
        self.path = path
        self.context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        own = path.resolve().as_uri()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(own, wait_until="load")
        self.own = own

    def language(self) -> str:
        return self.page.evaluate("() => document.documentElement.lang")

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if url != self.own and not url.startswith("data:")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, folders):
    opened: list[Visit] = []

    def open_page(spec: str, width: int = 1280) -> Visit:
        kind, filename = spec.split(":", 1)
        path = folders(kind) / filename
        assert path.exists(), f"{filename} was not written into {folders(kind)}"
        opened.append(Visit(browser, path, width))
        return opened[-1]

    yield open_page
    for item in opened:
        item.close()


@pytest.mark.parametrize("spec", PAGES)
def test_page_requests_nothing_and_logs_no_errors(visit, spec):
    page = visit(spec)
    page.page.wait_for_timeout(200)
    assert page.outside_requests() == [], "the page must not load anything but itself"
    assert page.errors == [], "console errors (a CSP violation shows up here too)"
    assert page.dialogs == []


@pytest.mark.parametrize("spec", PAGES)
def test_every_image_has_real_alt_text(visit, spec):
    page = visit(spec)
    alts = page.page.eval_on_selector_all("img", "images => images.map(image => image.getAttribute('alt'))")
    assert all(alt is not None and alt.strip().lower() not in PLACEHOLDER_ALTS for alt in alts), alts
    broken = page.page.eval_on_selector_all("img", "images => images.filter(i => !i.complete || i.naturalWidth === 0)"
                                                   ".map(i => i.alt)")
    assert broken == [], "every embedded image decodes"


WIDTHS = [(spec, 1280) for spec in PAGES] + [(spec, 390) for spec in FIXTURE_PAGES + DEFAULT_PAGES + REAL_PAGES[-2:]]
"""Every page at desktop width; the phone layout on the fixture pages, the default reports in both languages
and the real indexes."""


@pytest.mark.parametrize("spec, width", [(spec, width) for spec, width in WIDTHS if spec in REPORT_PAGES])
def test_table_of_contents_links_land(visit, spec, width):
    page = visit(spec, width)
    targets = page.page.eval_on_selector_all("nav.toc a", "links => links.map(link => link.getAttribute('href'))")
    assert len(targets) >= 3
    for target in targets:
        assert target.startswith("#")
        page.page.click(f'nav.toc a[href="{target}"]')
        assert page.page.evaluate("() => location.hash") == target
        landed = page.page.evaluate(
            """id => { const element = document.getElementById(id);
                       if (!element) return 'missing';
                       const box = element.getBoundingClientRect();
                       return box.top >= -1 && box.top < window.innerHeight ? 'in view' : 'top at ' + box.top; }""",
            target[1:])
        assert landed == "in view", f"{target}: {landed}"


@pytest.mark.parametrize("spec", REPORT_PAGES)
def test_code_toggle_shows_and_hides_code(visit, spec):
    page = visit(spec)
    code = page.page.locator("pre.code")
    assert code.count() >= 1
    assert not code.first.is_visible(), "code is hidden for readers"
    toggle = page.page.locator("label[for=show-code]")
    show, hide = ("Mostrar código", "Ocultar código") if page.language() == "es" else ("Show code", "Hide code")
    assert toggle.inner_text().strip() == show
    toggle.click()
    assert code.first.is_visible()
    assert toggle.inner_text().strip() == hide
    toggle.click()
    assert not code.first.is_visible()
    page.page.focus("#show-code")
    page.page.keyboard.press("Space")
    assert code.first.is_visible(), "the toggle works from the keyboard"
    page.page.emulate_media(media="print")
    assert not code.first.is_visible(), "code never prints"


@pytest.mark.parametrize("spec", ["fixture:fixture-hostile.html", "hostile:hostile-article.html"])
def test_hostile_titles_run_no_script(visit, spec):
    page = visit(spec)
    assert "<script>alert(1)</script>" in page.page.locator("h1").inner_text()
    page.page.mouse.move(10, 10)
    for element in page.page.locator("main p, main img, main b").all():
        element.hover()
        element.click(trial=True)
    page.page.wait_for_timeout(200)
    assert page.dialogs == []
    assert page.page.evaluate("() => window.__pwned") is None
    assert page.page.evaluate("() => document.scripts.length") == 0
    handlers = page.page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
        ".filter(name => name.startsWith('on'))")
    assert handlers == []
    assert page.errors == []


@pytest.mark.parametrize("spec", PAGES)
def test_index_links_and_report_links_resolve_in_the_folder(visit, spec):
    page = visit(spec)
    hrefs = page.page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))")
    for href in hrefs:
        if href.startswith(("#", "https://", "http://", "mailto:")):
            continue
        assert not href.startswith(("/", "file:")), f"absolute link {href}"
        assert (page.path.parent / href).exists(), f"link {href} does not resolve next to {page.path.name}"


def test_index_opens_each_report(visit):
    page = visit("fixture:index.html")
    page.page.click("text=Sample vote")
    assert page.page.url.endswith("/fixture-sample.html")
    assert page.page.locator("h1").inner_text() == "Sample vote"


AXE_PAGES = ["fixture:fixture-sample.html", "fixture:fixture-spanish.html", "fixture:index.html",
             "hostile:hostile-article.html"] + REAL_PAGES


@pytest.mark.parametrize("spec, width", [(spec, width) for spec, width in WIDTHS if spec in AXE_PAGES])
def test_no_serious_accessibility_violations(visit, spec, width):
    from axe_playwright_python.sync_playwright import Axe

    page = visit(spec, width)
    result = Axe().run(page.page)
    serious = [(violation["id"], violation["impact"], len(violation["nodes"]),
                [node["target"] for node in violation["nodes"][:3]])
               for violation in result.response["violations"] if violation["impact"] in ("serious", "critical")]
    assert serious == []


ENGLISH_WORDS = re.compile(r"\b(the|and|of|with|from|between|dated|to)\b", re.IGNORECASE)
SPANISH_WORDS = re.compile(r"\b(el|la|los|las|y|de|del|con|entre|fechada|etapas?)\b", re.IGNORECASE)
ENGLISH_FURNITURE = ["Show code", "Contents", "How this was made", "Data sources", "Parameters",
                     "Reproduce this report", "Software versions", "Recorded results", "In short", "Succeeded"]


def _record(page) -> dict:
    return json.loads(page.path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec, width", [(spec, width) for spec, width in WIDTHS if spec in DEFAULT_PAGES])
def test_default_reports_answer_first(visit, spec, width):
    page = visit(spec, width)
    record = _record(page)
    assert page.language() == record["parameters"].get("language", "en")
    if not record.get("verdict"):
        pytest.skip(f"{record['notebook']} gives no verdict yet (issue 13, its domain branch)")
    boxes = page.page.evaluate("""() => Object.fromEntries(['verdict', 'parameters', 'content'].map(id => {
        const box = document.getElementById(id).getBoundingClientRect(); return [id, box.top + window.scrollY]; }))""")
    assert boxes["verdict"] < boxes["content"] < boxes["parameters"], boxes
    assert boxes["verdict"] < page.page.viewport_size["height"], "the answer is on the first screen"
    shown = page.page.locator("#verdict .answer").all_inner_texts()
    assert len(shown) == len(record["verdict"]["sentences"])
    values = page.page.locator("#verdict .figure dd").all_inner_texts()
    assert [value.split("\n")[0] for value in values] == [figure["value"] for figure in record["verdict"]["figures"]]
    assert page.outside_requests() == [] and page.errors == []


@pytest.mark.parametrize("spec", DEFAULT_PAGES)
def test_alt_text_and_furniture_are_in_the_page_language(visit, spec):
    page = visit(spec)
    language = page.language()
    alts = page.page.eval_on_selector_all("img", "images => images.map(image => image.alt)")
    for alt in alts:  # names from the data (Senado de la República, US-Mexico Border) may be in either language
        if language == "es":
            assert len(SPANISH_WORDS.findall(alt)) > len(ENGLISH_WORDS.findall(alt)), alt
        else:
            assert ENGLISH_WORDS.search(alt), alt
    if language == "es":
        furniture = page.page.evaluate("""() => [...document.querySelectorAll(
            'header .eyebrow, header .meta, .tools, nav.toc h2, footer h2, footer h3, footer summary, footer th, #verdict h2')]
            .map(element => element.innerText).join(' | ')""")
        leaked = [words for words in ENGLISH_FURNITURE if words in furniture]
        assert leaked == [], furniture


def test_spanish_index_links_twins_and_reports(visit):
    page = visit("real:index.es.html")
    assert page.language() == "es"
    assert page.page.locator("h1").inner_text() == "Informes"
    names = page.page.locator("dd.name code").all_inner_texts()
    assert "dossier-mx-lsn-2020-es" in names and "dossier-mx-lsn-2020" not in names
    card = page.page.locator("li.card", has_text="dossier-mx-lsn-2020-es")
    assert card.locator(".verdict-line").inner_text().startswith("Cámara de Diputados: aprobada el 15 de diciembre de 2020")
    card.locator(".twins a", has_text="English").click()
    assert page.page.url.endswith("/dossier-mx-lsn-2020.html")
    assert page.language() == "en"
