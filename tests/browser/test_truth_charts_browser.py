"""Ranks, gaps, breaks and averages as a Ukrainian-speaking user sees them in Chromium: each
view opens without an exception, says what its rank and its average are of, and is saved as
a screenshot (screenshots/truth-*.png) to look at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

VIEWS = {
    # published ranks of 100 in the order of the index; a city without one shows "—"
    "rankings": (
        "rankings?programme=tc-transparency&year=2021&lang=uk",
        ["Місця з опублікованого рейтингу самої програми"],
    ),
    # rank 2 "of 100 in the programme's published ranking"; history in segments with breaks
    "city": (
        "city?city=ua-lviv&programme=tc-transparency&year=2021&lang=uk",
        ["з 100 в опублікованому рейтингу програми"],
    ),
    "compare": (
        "compare?programme=tc-transparency&year=2021&cities=ua-lviv&cities=ua-mariupol"
        "&cities=ua-dnipro&lang=uk",
        [],
    ),
    # the balanced panel by default, with n per methodology
    "trends": (
        "trends?programme=tc-transparency&year=2021&by=all&lang=uk",
        ["(збалансована панель)", "2019–2021: міст — 6"],
    ),
    "trends-all": (
        "trends?programme=tc-transparency&year=2021&by=all&panel=all&lang=uk",
        ["2017: міст — 100"],
    ),
    # classes only: coloured by class, class shares instead of a placeholder average
    "overview-classes": (
        "?programme=tc-wartime&year=2022&lang=uk",
        ["дала лише класи, без підсумків"],
    ),
    "present-trend": (
        "?present=1&programme=tc-transparency&year=2021&slide=trend&lang=uk",
        ["Ті самі міста в кожному році кожної методології"],
    ),
    "present-story": ("?present=1&programme=tc-transparency&year=2021&slide=city&lang=uk", []),
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_truthful_views_in_ukrainian(server, tall, name):
    path, phrases = VIEWS[name]
    tall.goto(f"{server['url']}/{path}")
    settle(tall)
    # charts and table images draw after the run ends: wait for them before looking
    tall.wait_for_function(
        "() => !document.querySelector('[data-testid=stSkeleton]')", timeout=60_000
    )
    tall.wait_for_timeout(3000)
    no_exception(tall)
    body = tall.locator("body").inner_text()
    for phrase in phrases:
        assert phrase in body, phrase
    assert "Average index" not in body and "not assessed" not in body
    screenshot(tall, f"truth-{name}")
