"""The overview map in Chromium, en/uk/ru: the first view draws an SVG made on the server
(regions filled by their mean index, cities on top, each a link to its profile; no chart code
loaded), the interactive Vega-Lite map one switch away. Screenshots:
screenshots/geo-overview-<lang>.png, geo-overview-phone-<lang>.png, geo-interactive-en.png."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle, wait_map_drawn

pytestmark = pytest.mark.browser

TITLES = {"en": "Overview", "uk": "Огляд", "ru": "Обзор"}
LVIV = {"en": "Lviv", "uk": "Львів", "ru": "Львов"}
#: viridis colours of region means between 20 and 70 (the Ukrainian oblasts of 2018)
VIRIDIS_MID = [(0x41, 0x44, 0x87), (0x35, 0x5F, 0x8D), (0x2A, 0x78, 0x8E), (0x21, 0x91, 0x8C)]
SVG_MAP = "[data-testid=stMain] svg[role=img]"
URL = "?programme=tc-transparency&year=2018"


def near(c, ref, tol=40):
    return sum(abs(a - b) for a, b in zip(c, ref)) <= tol


def assert_filled_map(element) -> None:
    img = Image.open(io.BytesIO(element.screenshot())).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "the map is blank"
    non_white = sum(n for n, c in colours if c != (255, 255, 255))
    assert non_white > 0.05 * img.width * img.height
    # the regions are filled with the index scale (viridis), not only outlines and dots
    filled = sum(n for n, c in colours if any(near(c, v) for v in VIRIDIS_MID))
    assert filled > 0.01 * img.width * img.height, "no region filled by its mean index"


def loaded_scripts(page) -> list[str]:
    return page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop())"
    )


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_svg_map_is_the_first_view(server, browser, lang):
    for width, height, shot in ((1280, 1500, "geo-overview"), (390, 844, "geo-overview-phone")):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        page.goto(f"{server['url']}/{URL}&lang={lang}")
        settle(page, timeout=180_000)  # the first visit may build the database
        assert page.locator("h1").first.inner_text() == TITLES[lang]
        svg = page.locator(SVG_MAP).first
        svg.wait_for()
        no_exception(page)
        assert page.locator("[data-testid=stDeckGlJsonChart]").count() == 0
        assert page.locator("[data-testid=stVegaLiteChart]").count() == 0
        scripts = loaded_scripts(page)  # the chart and Arrow code stay on the server's disk
        assert not [s for s in scripts if s.startswith(("embed.", "arrowFormatUtils."))], scripts
        assert svg.locator("a").count() >= 100  # the cities, each a link
        assert svg.locator("title").count() >= 100 + 25  # and the oblasts, with tooltips
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        svg.scroll_into_view_if_needed()
        assert_filled_map(svg)
        screenshot(page, f"{shot}-{lang}")
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_click_a_city_on_the_svg_map_opens_its_profile(server, browser, lang):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1200})
    page = ctx.new_page()
    page.goto(f"{server['url']}/{URL}&lang={lang}")
    settle(page, timeout=180_000)
    lviv = page.locator(f'{SVG_MAP} a[href*="city=ua-lviv&"]')
    lviv.scroll_into_view_if_needed()
    lviv.locator("circle").click()
    page.wait_for_url("**/city?**", timeout=60_000)
    settle(page)
    no_exception(page)
    assert "city=ua-lviv" in page.url and "programme=tc-transparency" in page.url
    assert "year=2018" in page.url and f"lang={lang}" in page.url
    assert page.locator("h1").first.inner_text() == LVIV[lang]
    ctx.close()


def test_interactive_map_is_one_switch_away(server, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1500})
    page = ctx.new_page()
    page.goto(f"{server['url']}/{URL}")
    settle(page, timeout=180_000)
    page.get_by_text("Interactive map", exact=True).click()
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    wait_map_drawn(chart)
    no_exception(page)
    assert page.locator(SVG_MAP).count() == 0
    assert_filled_map(chart)
    screenshot(page, "geo-interactive-en")
    ctx.close()
