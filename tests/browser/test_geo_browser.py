"""The overview map is drawn with Vega-Lite (no deck.gl): the region choropleth and the cities
on top, in English, Ukrainian and Russian. Screenshots: screenshots/geo-overview-<lang>.png."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle, wait_map_drawn

pytestmark = pytest.mark.browser

TITLES = {"en": "Overview", "uk": "Огляд", "ru": "Обзор"}
#: viridis colours of region means between 20 and 70 (the Ukrainian oblasts of 2018)
VIRIDIS_MID = [(0x41, 0x44, 0x87), (0x35, 0x5F, 0x8D), (0x2A, 0x78, 0x8E), (0x21, 0x91, 0x8C)]


def near(c, ref, tol=40):
    return sum(abs(a - b) for a, b in zip(c, ref)) <= tol


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
def test_choropleth_is_drawn(server, browser, lang):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1500})
    page = ctx.new_page()
    page.goto(f"{server['url']}/?programme=tc-transparency&year=2018&lang={lang}")
    settle(page, timeout=180_000)  # the first visit may build the database
    assert page.locator("h1").first.inner_text() == TITLES[lang]
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    wait_map_drawn(chart)
    no_exception(page)
    assert page.locator("[data-testid=stDeckGlJsonChart]").count() == 0
    img = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "the map is blank"
    non_white = sum(n for n, c in colours if c != (255, 255, 255))
    assert non_white > 0.05 * img.width * img.height
    # the regions are filled with the index scale (viridis), not only outlines and dots
    filled = sum(n for n, c in colours if any(near(c, v) for v in VIRIDIS_MID))
    assert filled > 0.01 * img.width * img.height, "no region filled by its mean index"
    screenshot(page, f"geo-overview-{lang}")
    ctx.close()
