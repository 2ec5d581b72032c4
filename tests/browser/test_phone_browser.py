"""Phones on the venue Wi-Fi (issue 20 item 4): every page at 390×844 in Ukrainian, on the real
default programme-year: no horizontal scrolling of the page, the headline figure within the
first two screens, and a screenshot of each for a person to look at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import settle

pytestmark = pytest.mark.browser

PAGES = {
    "overview": "",
    "rankings": "rankings",
    "city": "city?city=ua-lviv",
    "compare": "compare?cities=ua-lviv&cities=ua-kyiv",
    "indicator": "indicator",
    "trends": "trends",
    "projects": "projects",
    "methodology": "methodology",
    "data": "data",
}
# The presentation mode is drawn for a 1920×1080 projector; a phone in the room opens the
# slide's QR code, whose link leaves ``present`` out (analytics.share.PRIVATE): the page itself.
OVERFLOW = """() => {
  const doc = document.documentElement;
  const main = document.querySelector('[data-testid=stMain]') || doc;
  return {page: doc.scrollWidth - doc.clientWidth, main: main.scrollWidth - main.clientWidth,
          width: doc.clientWidth};
}"""


@pytest.fixture()
def phone(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True)  # fmt: skip
    yield ctx.new_page()
    ctx.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_scroll_on_a_phone(server, phone, name):
    path = PAGES[name]
    sep = "&" if "?" in path else "?"
    phone.goto(f"{server['url']}/{path}{sep}lang=uk", timeout=180_000)
    settle(phone, timeout=180_000)
    over = phone.evaluate(OVERFLOW)
    for _ in range(20):  # the settled layout: a chart may be drawn once at its natural width
        if over["page"] <= 1 and over["main"] <= 1:
            break
        phone.wait_for_timeout(500)
        over = phone.evaluate(OVERFLOW)
    screenshot(phone, f"phone-{name}-uk")
    assert over["page"] <= 1 and over["main"] <= 1, over


def test_the_headline_figure_is_within_two_screens(server, phone):
    phone.goto(f"{server['url']}/?lang=uk", timeout=180_000)
    settle(phone, timeout=180_000)
    metric = phone.locator("[data-testid=stMetricValue]").first
    metric.wait_for()
    box = metric.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 2 * 844, box
