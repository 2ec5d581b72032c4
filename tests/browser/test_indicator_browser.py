"""The indicator page opens from where an indicator is mentioned (issue 15 item 4 and its
done-when), clicked in real Chromium: an indicator's code in the city profile's table and in
the compare page's who-meets-what matrix opens the indicator's page with the same programme,
year and language, its wording, and the cities that meet it.

Tables are drawn on a canvas: the test reads the data behind them (the grid's accessible
cells), finds the link's text by its colour in the row, and checks the page it lands on
against the database."""

from __future__ import annotations

import io
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from analytics import storage
from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

HEADER, ROW = 35, 35  # the grid's header and row heights, px


def params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def grid_with(page, *headers: str):
    """The first table whose column headers include ``headers``, once its rows are there
    (tables draw one after another: look again until that one is drawn)."""
    deadline = time.monotonic() + 45
    while True:
        grids = page.locator("[data-testid=stDataFrame]")
        for i in range(grids.count()):
            grid = grids.nth(i)
            names = grid.locator("[role=columnheader]").all_inner_texts()
            if all(h in names for h in headers) and grid.locator("[role=row]").count() > 1:
                return grid, names
        if time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    raise AssertionError(f"no table with the columns {headers}")


def cell(grid, col: int, row: int) -> str:
    return grid.get_by_test_id(f"glide-cell-{col}-{row}").inner_text()


def link_x(grid, row: int) -> float:
    """Where the first link of ``row`` is drawn: the left of its link-coloured (blue) text."""
    img = Image.open(io.BytesIO(grid.screenshot())).convert("RGB")
    y = HEADER + ROW * row + ROW // 2
    for x in range(img.width):
        for yy in range(y - 4, y + 5):
            r, g, b = img.getpixel((x, yy))
            if b > r + 60 and b > g + 20:
                return x
    raise AssertionError(f"no link drawn in row {row}")


def open_link(page, grid, row: int):
    """Click the first link of ``row`` (a link opens in a new tab) and return that tab."""
    grid.scroll_into_view_if_needed()
    time.sleep(0.5)
    x = link_x(grid, row)
    box = grid.bounding_box()
    at = (box["x"] + x + 8, box["y"] + HEADER + ROW * row + ROW // 2)
    for attempt in range(2):  # a click on a canvas still laid out is lost: a person clicks again
        page.mouse.move(*at)  # the grid acts on a link under the pointer
        time.sleep(0.5)
        try:
            with page.context.expect_page(timeout=15_000) as opened:
                page.mouse.click(*at)
            break
        except Exception:
            if attempt:
                raise
            screenshot(page, "indicator-link-first-click-lost")
    tab = opened.value
    settle(tab)
    no_exception(tab)
    return tab


def meeting_it(db, methodology: str, year: int, code: str) -> set[str]:
    """The cities (names in Ukrainian) that meet the indicator fully, from the database."""
    con = storage.connect_read_only(db)
    try:
        rows = con.execute(
            """SELECT coalesce(c.name_uk, c.name_en) FROM current_scores s
               JOIN indicators i ON i.methodology = s.methodology AND i.code = s.item
               JOIN cities c ON c.code = s.city
               WHERE s.methodology = ? AND s.year = ? AND s.item = ? AND s.level = 'indicator'
                 AND s.status = 'scored' AND s.score >= i.max_points - 1e-9""",
            [methodology, year, code],
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def test_indicator_page_opens_from_the_city_profile(server, page):
    page.goto(f"{server['url']}/city?city=ua-lviv&programme=tc-transparency&year=2018&lang=uk")
    settle(page)
    grid, names = grid_with(page, "Код", "Індикатор", "Бали")
    row = 2  # the third indicator of the table
    link = cell(grid, names.index("Код"), row)
    wording = cell(grid, names.index("Індикатор"), row)
    code = params(link)["indicator"]
    tab = open_link(page, grid, row)
    # the same programme, year and language, on the indicator clicked
    assert params(tab.url) == {
        "lang": "uk",
        "programme": "tc-transparency",
        "year": "2018",
        "indicator": code,
    }
    assert urlsplit(tab.url).path.endswith("/indicator")
    assert tab.locator("h1").first.inner_text() == f"Індикатор {code}"
    assert tab.locator("h3").first.inner_text() == wording  # its wording, in Ukrainian
    # the cities that meet it: as many as the database says, the first to learn from among them
    met = meeting_it(server["db"], "tc-transparency-2017", 2018, code)
    assert met, "pick an indicator some city meets"
    metrics = dict(m.split("\n\n") for m in tab.locator("[data-testid=stMetric]").all_inner_texts())
    assert metrics["Виконують повністю"] == str(len(met))
    best, best_names = grid_with(tab, "Місто", "Підтвердження", "Індекс")
    rows = int(best.locator("[role=grid]").first.get_attribute("aria-rowcount")) - 1
    assert rows == min(10, len(met))
    assert cell(best, best_names.index("Місто"), 0) in met
    screenshot(tab, "indicator-from-city-uk")


def test_indicator_page_opens_from_the_compare_matrix(server, page):
    page.goto(
        f"{server['url']}/compare?programme=tc-transparency&year=2018&lang=uk"
        "&cities=ua-lviv&cities=ua-kyiv"
    )
    settle(page)
    page.get_by_text("Хто що виконує").wait_for(timeout=30_000)
    grid, names = grid_with(page, "Код", "Індикатор", "Тип")
    link = cell(grid, names.index("Код"), 0)
    code = params(link)["indicator"]
    tab = open_link(page, grid, 0)
    assert params(tab.url) == {
        "lang": "uk",
        "programme": "tc-transparency",
        "year": "2018",
        "indicator": code,
    }
    assert tab.locator("h1").first.inner_text() == f"Індикатор {code}"
    assert tab.get_by_text("Оцінено міст").count() == 1
