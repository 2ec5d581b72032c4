"""The real projects page and the country backdrop in real Chromium, in English and
Ukrainian: money counted once, the non-EU flag, the reason an estimate is missing, the
backdrop's table, chart and attribution (screenshots in screenshots/)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser


@pytest.fixture()
def tall(browser):
    """A very tall tab: Streamlit scrolls inside the page, so only a tall viewport shows the
    lower sections in one screenshot."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 5200})
    yield ctx.new_page()
    ctx.close()


def open_page(tall, server, path: str, name: str):
    tall.goto(f"{server['url']}/{path}")
    settle(tall)
    tall.get_by_text("Country backdrop").or_(tall.get_by_text("Контекст країни")).or_(
        tall.get_by_text("Did the project").or_(tall.get_by_text("Чи покращилися"))
    ).first.wait_for(timeout=60_000)
    settle(tall)
    no_exception(tall)
    text = tall.locator("body").inner_text().replace("\u00a0", " ").replace("\u202f", " ")
    return screenshot(tall, name), text


def test_projects_page_in_english(server, tall):
    _, text = open_page(tall, server, "projects?project=euaci-2", "projects-real-en")
    assert "276,440,186" in text
    assert "several countries, not split" in text or "EU contribution, counted once" in text


def test_projects_page_in_ukrainian_with_a_reason(server, tall):
    _, text = open_page(tall, server, "projects?project=euaci-1&lang=uk", "projects-real-uk")
    assert "276 440 186" in text
    assert "Немає оціненого року до початку проєкту в 2017" in text


def test_comparator_is_flagged(server, tall):
    _, text = open_page(
        tall, server, "projects?project=undef-building-transparent-cities", "projects-comparator"
    )
    assert "Not EU-funded" in text


def test_backdrop_on_overview_in_ukrainian(server, tall):
    _, text = open_page(
        tall, server, "?programme=tc-transparency&year=2021&lang=uk", "backdrop-overview-uk"
    )
    assert "Контекст країни" in text and "WGI: оцінка від −2,5 до +2,5" in text
    assert "Transparency International, Corruption Perceptions Index 2024" in text


def test_backdrop_on_a_city_in_english(server, tall):
    _, text = open_page(
        tall,
        server,
        "city?city=ua-vinnytsia&programme=tc-transparency&year=2021",
        "backdrop-city-en",
    )
    assert "this city: OGP Local member since 2020" in text
    assert "CC BY-ND 4.0" in text
