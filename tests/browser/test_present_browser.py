"""The presentation mode on a 1920×1080 projector in Ukrainian: every slide has content on
the default programme-year (no empty state), no text under 28 px in its main area (measured
from computed styles, the charts' SVG text included, scaled as drawn), headline numbers of
64 px or more, a year player that steps the map through the years, choices kept on entering,
and Esc to leave. Screenshots: screenshots/present-uk-*.png."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

# Every text node of the main area outside the navigation and the corner QR code, with its
# font size as drawn: the computed size times the scale of the SVG it sits in (if any).
SMALL_TEXT = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const skip = '.st-key-present_nav, .st-key-present_qr';
  const out = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (el.closest(skip)) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let px = parseFloat(style.fontSize);
    if (el.closest('svg')) {
      const m = el.getScreenCTM();
      if (m) px = px * Math.sqrt(m.a * m.a + m.b * m.b);
    }
    if (px < 27.95) out.push([text.slice(0, 50), Math.round(px * 10) / 10]);
  }
  return out;
}"""

EMPTY_STATES = [
    "Немає порівнюваного попереднього року.",
    "Жодне місто не має індексу в цій програмі.",
]


def open_slide(page, url: str, timeout: int = 60_000) -> None:
    page.goto(url)
    settle(page, timeout=timeout)
    # charts draw after the run ends: wait for their SVG before measuring
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
        ".every(c => c.querySelector('svg text'))",
        timeout=60_000,
    )
    page.wait_for_timeout(800)


@pytest.fixture()
def projector(browser):
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield ctx.new_page()
    ctx.close()


def slide_count(page) -> int:
    nav = page.locator(".st-key-present_nav").inner_text()
    return int(re.search(r"\d+ / (\d+)", nav).group(1))


def test_every_slide_is_full_and_readable_in_ukrainian(server, projector):
    # the first page of a fresh server builds its database (a minute on a busy machine)
    open_slide(projector, f"{server['url']}/?present=1&lang=uk", timeout=240_000)
    n = slide_count(projector)
    assert n >= 6
    seen = []
    for i in range(n):
        open_slide(projector, f"{server['url']}/?present=1&lang=uk&slide={i}")
        no_exception(projector)
        assert projector.locator("[data-testid=stSidebar]").is_hidden()
        body = projector.locator("[data-testid=stMain]").inner_text()
        for phrase in EMPTY_STATES:
            assert phrase not in body, (i, phrase)
        content = projector.locator(
            ".big-num, .slide-list, [data-testid=stVegaLiteChart] svg text"
        ).count()
        assert content > 0, f"slide {i} is empty"
        small = projector.evaluate(SMALL_TEXT)
        assert not small, (i, small[:10])
        sizes = projector.evaluate(
            "() => [...document.querySelectorAll('.big-num')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert all(s >= 64 for s in sizes), (i, sizes)
        title = projector.locator("h1").first.inner_text()
        seen.append(title)
        screenshot(projector, f"present-uk-{i + 1}")
        # a corner QR code opens the same view on a phone
        assert projector.locator(".st-key-present_qr img").count() == 1
    assert len(set(seen)) == n  # every slide is a different view


def test_play_steps_the_map_through_the_years(server, projector):
    open_slide(projector, f"{server['url']}/?present=1&lang=uk&slide=play")
    year = projector.locator(".big-num").first
    years = [year.inner_text()]
    projector.get_by_role("button", name=re.compile("Відтворити")).click()
    deadline = time.time() + 40
    while time.time() < deadline:
        now = year.inner_text()
        if now != years[-1]:
            years.append(now)
        if (
            projector.get_by_role("button", name=re.compile("Відтворити")).count()
            and len(years) > 3
        ):
            break
        time.sleep(0.4)
    assert len(years) >= 4, years  # the start and at least three steps
    assert [int(y) for y in years] == sorted(int(y) for y in years)
    time.sleep(4)
    assert year.inner_text() == years[-1]  # stopped at the last year
    screenshot(projector, "present-uk-play-end")


def test_choices_are_kept_and_esc_leaves(server, projector):
    open_slide(
        projector,
        f"{server['url']}/?present=1&lang=uk&programme=tc-transparency&year=2018"
        "&city=ua-lviv&slide=city",
    )
    assert "Львів" in projector.locator("h1").first.inner_text()
    projector.keyboard.press("Escape")
    projector.wait_for_function("() => !location.search.includes('present=1')", timeout=30_000)
    settle(projector)
    assert "programme=tc-transparency" in projector.url and "city=ua-lviv" in projector.url
    assert projector.locator("[data-testid=stSidebar]").is_visible()


def test_a_clicker_steps_the_slides(server, projector):
    """Presentation clickers send Page Down / Page Up: the slides step with them although
    their buttons are out of sight."""
    open_slide(projector, f"{server['url']}/?present=1&lang=uk&programme=tc-transparency&year=2018")
    assert projector.locator(".st-key-next_pg").is_hidden()
    projector.keyboard.press("PageDown")
    projector.wait_for_function("() => location.search.includes('slide=1')", timeout=30_000)
    settle(projector)
    projector.keyboard.press("PageUp")
    projector.wait_for_function("() => location.search.includes('slide=0')", timeout=30_000)
