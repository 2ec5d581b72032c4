"""The home page in a real browser, on a server started with no database."""
from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_first_start_builds_and_shows_the_home_page(server, page):
    page.goto(server["url"])
    page.get_by_role("heading", name="Open Cities Monitor").wait_for(timeout=60_000)
    page.get_by_text("Scores in force").wait_for()
    page.locator("[data-testid=stDataFrame]").first.wait_for()
    assert page.locator("[data-testid=stDataFrame]").count() == 4
    assert page.locator("[data-testid=stException]").count() == 0
    assert server["db"].exists()
    assert page.get_by_text("synthetic demo data", exact=False).count() >= 1
    path = screenshot(page, "home")
    assert path.stat().st_size > 20_000


def test_city_search_in_the_browser(server, page):
    page.goto(server["url"])
    box = page.get_by_placeholder("Name in English, Ukrainian or Russian")
    box.wait_for(timeout=60_000)
    box.fill("Atlantis")
    box.press("Enter")
    page.get_by_text("No city matches").wait_for(timeout=15_000)
    assert page.locator("[data-testid=stException]").count() == 0
