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


SMALL_TARGETS = """() => [...document.querySelectorAll(
    '[data-testid=stMain] button, [data-testid=stSidebar] button, [data-testid=stSidebarNav] a')]
  .filter(e => !e.closest('[data-testid=stElementToolbar]'))
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden')
  .filter(([e, r]) => r.height < 44)
  .map(([e, r]) => (e.innerText || e.getAttribute('aria-label') || '?').trim().slice(0, 30)
       + ' ' + Math.round(r.height) + 'px')"""


@pytest.mark.parametrize("name", ["overview", "rankings", "city"])
def test_tap_targets_are_at_least_44_px(server, phone, name):
    """On a phone every button and navigation link is at least 44 px high (a finger, not a
    mouse pointer; WCAG 2.5.5). Links inside sentences are words, not targets."""
    path = PAGES[name]
    sep = "&" if "?" in path else "?"
    phone.goto(f"{server['url']}/{path}{sep}lang=uk", timeout=180_000)
    settle(phone, timeout=180_000)
    small = phone.evaluate(SMALL_TARGETS)
    for _ in range(20):  # the settled page: a rerun redraws the page-wide style last
        if not small:
            break
        phone.wait_for_timeout(500)
        small = phone.evaluate(SMALL_TARGETS)
    assert small == []
