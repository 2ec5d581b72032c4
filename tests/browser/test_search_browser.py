"""The city search that forgives spelling (issue 15 item 5), typed in real Chromium: old names,
transliterations, another language's spelling and typos find the city and open its profile;
nonsense says calmly that nothing was found and leaves the profile as it was."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from analytics import storage
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

START = "city?city=ua-kyiv&programme=tc-transparency&year=2018"
BOX = {"en": "Find a city by any spelling", "uk": "Знайти місто за будь-яким написанням"}


def city_name(db, code: str, lang: str) -> str:
    con = storage.connect_read_only(db)
    try:
        (name,) = con.execute(
            f"SELECT coalesce(name_{lang}, name_en) FROM cities WHERE code = ?", [code]
        ).fetchone()
    finally:
        con.close()
    return name


def url_city(page) -> str | None:
    return parse_qs(urlsplit(page.url).query).get("city", [None])[0]


def find(page, lang: str, query: str) -> None:
    box = page.get_by_label(BOX[lang], exact=True)
    box.fill(query)
    box.press("Enter")  # the box acts when the text is committed
    time.sleep(0.5)
    settle(page)


@pytest.mark.parametrize(
    "lang, query, city",
    [
        ("uk", "Lvov", "ua-lviv"),  # the Russian-era transliteration
        ("uk", "Lwiw", "ua-lviv"),  # the German spelling
        ("en", "Kharkov", "ua-kharkiv"),
        ("en", "Kishinev", "md-chisinau"),  # the historic Russian name
        ("uk", "Запорожжя", "ua-zaporizhzhia"),  # Ukrainian, with a typo
    ],
)
def test_a_spelling_finds_the_city_and_opens_its_profile(server, page, lang, query, city):
    page.goto(f"{server['url']}/{START}&lang={lang}")
    settle(page)
    assert url_city(page) == "ua-kyiv"
    find(page, lang, query)
    no_exception(page)
    name = city_name(server["db"], city, lang)
    page.wait_for_function(
        "(n) => document.querySelector('h1') && document.querySelector('h1').innerText === n",
        arg=name,
        timeout=30_000,
    )
    assert url_city(page) == city  # the profile shown is the city's, and its link says so
    found = page.get_by_text("Знайдено:" if lang == "uk" else "Found:").first.inner_text()
    assert name in found  # "Found: Lviv (Ukraine) (as “Lvov”)"


def test_nonsense_says_nothing_was_found_calmly(server, page):
    page.goto(f"{server['url']}/{START}&lang=uk")
    settle(page)
    title = page.locator("h1").first.inner_text()
    find(page, "uk", "qwxzzyvb")
    no_exception(page)
    page.get_by_text("Жодне місто не відповідає «qwxzzyvb».").wait_for(timeout=15_000)
    # a caption, not an alarm; the profile stays as it was
    assert page.locator("[data-testid=stAlertContainer]", has_text="qwxzzyvb").count() == 0
    assert page.locator("h1").first.inner_text() == title and url_city(page) == "ua-kyiv"


def test_compare_adds_the_city_found(server, page):
    page.goto(
        f"{server['url']}/compare?programme=tc-transparency&year=2018"
        "&cities=ua-kyiv&cities=ua-odesa"
    )
    settle(page)
    box = page.get_by_label(BOX["en"], exact=True)
    box.fill("Lvov")
    box.press("Enter")
    page.wait_for_function(
        "() => new URL(location.href).searchParams.getAll('cities').includes('ua-lviv')",
        timeout=30_000,
    )
    settle(page)
    no_exception(page)
    params = parse_qs(urlsplit(page.url).query)
    assert params["cities"] == ["ua-kyiv", "ua-odesa", "ua-lviv"]
    assert "Lviv (Ukraine)" in page.locator("[data-testid=stMultiSelect]").first.inner_text()
