"""The walk of issue 12's "Done when": every page × three languages × each kind of programme
(real: tc-transparency; synthetic: demo-index; classes only: tc-wartime), in one server and one
reused tab, fails on a "None"/"nan"/"NaN" text, an ISO region code shown as a label, an English
interface word in Ukrainian or Russian, an exception, a "Page not found" dialog, or any request
to an address outside 127.0.0.1 (the app must work with no internet).

Canvas tables (``st.dataframe``) hold their cells outside the DOM: tests/pages/test_truth_walk.py
checks the data behind them for the same pages.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import settle
from tests.browser.test_languages_browser import english_words

pytestmark = pytest.mark.browser

PROGRAMMES = {
    "real": ("tc-transparency", 2021),
    "demo": ("demo-index", 2025),
    "classes": ("tc-wartime", 2023),
}
PER_PROGRAMME = [
    "overview?",
    "rankings?",
    "city?city=ua-lviv&",
    "compare?cities=ua-lviv&cities=ua-kyiv&cities=ua-vinnytsia&",
    "trends?by=region&",
    "methodology?",
    "?present=1&slide=1&",
]
ONCE = ["projects?project=transparent-cities-e-platform&", "data?"]
RAW = re.compile(r"(?<![\w-])(None|nan|NaN)(?![\w-])")
REGION_CODE = re.compile(r"\b(UA|GE|AM|AZ|MD|BY)-\d{2}\b")
# Words that stay as they are in every language (codes, formats, proper names).
ALSO_ALLOWED = {"Parquet", "GeoJSON", "SYNTHETIC", "Synthetic", "demo", "Open", "link"}
LOCAL = {"127.0.0.1"}


def urls(lang: str) -> list[str]:
    out = []
    for code, year in PROGRAMMES.values():
        out += [f"{p}programme={code}&year={year}&lang={lang}" for p in PER_PROGRAMME]
    return out + [f"{p}lang={lang}" for p in ONCE]


def problems_on(page, lang: str) -> list[str]:
    found = []
    if page.locator("[data-testid=stException]").count():
        found.append("exception: " + page.locator("[data-testid=stException]").first.inner_text())
    if page.get_by_text("Page not found").count():
        found.append("Page not found dialog")
    text = page.locator("[data-testid=stApp]").inner_text()
    found += [f"raw {m!r}" for m in sorted(set(RAW.findall(text)))]
    found += [f"region code {m.group(0)}" for m in REGION_CODE.finditer(text)]
    if lang != "en":
        words = english_words(page) - ALSO_ALLOWED
        if words:
            found.append(f"English words: {sorted(words)}")
    return found


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_walk_every_page(server, browser, lang):
    ctx = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = ctx.new_page()
    outside: list[str] = []

    def record(request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in LOCAL:
            outside.append(request.url)

    page.on("request", record)
    found: dict[str, list[str]] = {}
    for path in urls(lang):
        page.goto(f"{server['url']}/{path}")
        settle(page)
        time.sleep(0.5)
        problems = problems_on(page, lang)
        if problems:
            found[path] = problems
    if lang == "uk":  # the screenshots the issue asks for (real programme, first match)
        for name in ("rankings", "city", "compare", "trends", "projects", "?present"):
            path = next(u for u in urls(lang) if u.startswith(name))
            page.goto(f"{server['url']}/{path}")
            settle(page)
            screenshot(page, f"truth-walk-{name.strip('?')}-uk")
    ctx.close()
    assert outside == [], f"requests outside 127.0.0.1: {sorted(set(outside))[:10]}"
    assert found == {}


def test_bad_page_link_says_so_in_the_chosen_language(server, page):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if urlparse(r.url).hostname not in LOCAL and urlparse(r.url).scheme.startswith("http")
            else None
        ),
    )
    # Known limit: the very first request a fresh server answers is resolved by Streamlit
    # before the app has declared its pages, and Streamlit itself then shows its English
    # dialog; from then on the app's own notice replaces it. Warm the server as a user would.
    page.goto(f"{server['url']}/?lang=uk")
    settle(page)
    page.goto(f"{server['url']}/no-such-page?lang=uk")
    settle(page)
    assert page.get_by_text("Page not found").count() == 0
    page.get_by_text("Сторінки").first.wait_for(timeout=10_000)
    assert "no-such-page" in page.locator("[data-testid=stAlert]").first.inner_text()
    assert outside == []


def test_downloaded_synthetic_xlsx_says_what_it_is(server, page):
    import openpyxl

    page.goto(f"{server['url']}/rankings?programme=demo-index&year=2025&lang=uk")
    settle(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="XLSX").first.click()
    assert dl.value.suggested_filename == "SYNTHETIC-ranking-demo-index-2025.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert wb.sheetnames == ["data", "About"]
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Синтетичні"] == "так" and about["Рік"] == "2025"
    assert "Синтетичні демо-дані" in about["Дані"]
    header, *rows = list(wb["data"].iter_rows(values_only=True))
    assert header[0] == "synthetic" and all(r[0] is True for r in rows)
    assert {r[header.index("about_value_source")] for r in rows} == {"synthetic"}


def test_a_class_shown_as_a_metric_is_never_cut_short(server, page):
    """Lviv 2018 on a laptop screen in Ukrainian: the class metric read "частково п…"."""
    page.goto(f"{server['url']}/city?city=ua-lviv&programme=tc-transparency&year=2018&lang=uk")
    settle(page)
    value = page.locator("[data-testid=stMetric]", has_text="Клас").locator(
        "[data-testid=stMetricValue]"
    )
    value.first.wait_for(timeout=30_000)
    assert value.first.inner_text() == "частково прозоре"
    cut = value.first.evaluate(
        "el => [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)"
    )
    assert not cut, "the class metric is cut off"
