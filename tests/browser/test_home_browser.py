"""First start in a real browser: the database is built, with progress, and the app opens."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_first_start_builds_the_database_and_opens_the_overview(fresh_server, page):
    assert not fresh_server["db"].exists()
    page.goto(fresh_server["url"])
    page.get_by_text("Database ready").wait_for(timeout=90_000)
    page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
    assert fresh_server["db"].exists()
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "first-start")


def test_data_inventory_and_city_search(server, page):
    page.goto(f"{server['url']}/data")
    box = page.get_by_placeholder("Name in English, Ukrainian or Russian")
    box.wait_for(timeout=90_000)
    assert page.locator("[data-testid=stDataFrame]").count() == 4
    box.fill("Atlantis")
    box.press("Enter")
    page.get_by_text("No city matches").wait_for(timeout=15_000)
    assert page.locator("[data-testid=stException]").count() == 0
