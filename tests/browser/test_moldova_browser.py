"""Moldova's and Georgia's programmes in real Chromium: the rankings of localities and of
district councils, a Moldovan city profile, in English and Russian, with their notes."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

PAGES = {
    "md-rankings-en": ("rankings?programme=md-idis-localities&year=2024", "Localities only"),
    "md-rankings-ru": (
        "rankings?programme=md-idis-localities&year=2024&lang=ru",
        "Только населённые пункты",
    ),
    "md-districts-en": ("rankings?programme=md-idis-districts&year=2024", "District councils"),
    "md-city-en": ("city?city=md-balti&programme=md-idis-localities&year=2024", "Localities"),
    "md-city-ru": (
        "city?city=md-balti&programme=md-idis-localities&year=2024&lang=ru",
        "Только населённые пункты",
    ),
    "md-rankings-2020-en": ("rankings?programme=md-idis-localities&year=2020", "derived"),
    "md-overview-en": ("?programme=md-idis-localities&year=2024", "Localities only"),
    "ge-overview-en": ("?programme=ge-lsg-index&year=2021", "Partial coverage"),
    "ge-rankings-en": ("rankings?programme=ge-lsg-index&year=2021", "Partial coverage"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_moldova_and_georgia_pages(server, tall, name):
    path, note = PAGES[name]
    tall.goto(f"{server['url']}/{path}")
    settle(tall)
    if name.endswith("overview-en"):  # the map: the SVG made on the server, with its cities
        svg = tall.locator("[data-testid=stMain] svg[role=img]").first
        svg.wait_for(timeout=60_000)
        assert svg.locator("a circle").count() > 0
    no_exception(tall)
    assert tall.get_by_text(note).count() > 0
    screenshot(tall, name)
