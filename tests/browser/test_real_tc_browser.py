"""The city profile of a real 2018 city in Chromium: its 91 indicators, evidence links, the
analysts' working notes labelled as such, in English and in Ukrainian (TI's own wording)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

CITY = "city?city=ua-lviv&programme=tc-transparency&year=2018"


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", ["Indicators", "English and Russian are our translations", "working notes"]),
        ("uk", ["Індикатори", "наші переклади", "робочі нотатки аналітиків"]),
    ],
)
def test_real_2018_city_profile(server, tall, lang, expected):
    tall.goto(f"{server['url']}/{CITY}&lang={lang}")
    settle(tall)
    no_exception(tall)
    grid = tall.locator("[data-testid=stDataFrame]").first  # the indicator table
    grid.scroll_into_view_if_needed()
    text = tall.locator("[data-testid=stApp]").inner_text()
    for words in expected:
        assert words in text, words
    path = screenshot(tall, f"real-tc-2018-lviv-{lang}")
    assert path.stat().st_size > 50_000
    # the right-hand columns: evidence links, the analysts' comment and recommendation
    grid.hover()
    tall.mouse.wheel(3000, 0)
    tall.wait_for_timeout(500)
    grid.screenshot(path=str(path.with_name(f"real-tc-2018-lviv-{lang}-notes.png")))


def test_first_screen_is_real(server, page):
    page.goto(server["url"])
    settle(page)
    page.locator("[data-testid=stMetric]").first.wait_for(timeout=60_000)
    settle(page)
    no_exception(page)
    text = page.locator("[data-testid=stApp]").inner_text()
    assert "Synthetic demo data" not in text and "2018" in text
    assert "Cities assessed\n\n100" in text or "Cities assessed\n100" in text
    screenshot(page, "real-tc-first-screen")
