"""The index workbench in real Chromium: a weight control moved on the rankings page moves
ranks, says "your weights — not the official index", goes into the URL and into the download;
the why-the-rank-moved waterfall renders in Ukrainian."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

LABEL = "Your weights — not the official index"
UP, DOWN = (0x45, 0x75, 0xB4), (0xD7, 0x30, 0x27)


def _download_rows(page) -> list[dict]:
    with page.expect_download(timeout=60_000) as dl:
        page.locator(".st-key-csv_wb button").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert "your-weights-not-official" in dl.value.suggested_filename
    return list(csv.DictReader(io.StringIO(text)))


def test_moving_a_weight_moves_ranks_and_is_labelled(server, page):
    page.goto(f"{server['url']}/rankings?programme=demo-index&year=2025")
    settle(page)
    panel = page.locator(".st-key-wb_weights")
    panel.wait_for(timeout=60_000)
    panel.scroll_into_view_if_needed()
    assert panel.get_by_text(LABEL).count() >= 1
    before = _download_rows(page)
    assert before and all(r["move"] in ("0", "0.0") for r in before)  # official to start with

    # the first area's slider all the way down: that area no longer counts
    thumb = panel.get_by_role("slider").first
    thumb.focus()
    page.keyboard.press("Home")
    time.sleep(1.0)
    settle(page)
    no_exception(page)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("w") == ["info:0"], page.url
    assert panel.get_by_text(LABEL).count() >= 1
    screenshot(page, "workbench-weights")

    after = _download_rows(page)
    moves = [float(r["move"]) for r in after]
    assert any(m != 0 for m in moves)  # ranks moved
    assert {r["note"] for r in after} == {LABEL}
    assert all("info=0" in r["weights"] for r in after)
    # official ranks are kept beside the chosen ones, never replaced
    assert [r["official_rank"] for r in sorted(after, key=lambda r: r["city"])] == [
        r["official_rank"] for r in sorted(before, key=lambda r: r["city"])
    ]

    # the link reproduces the view; reset returns to official
    page.goto(page.url)
    settle(page)
    panel = page.locator(".st-key-wb_weights")
    panel.wait_for(timeout=60_000)
    value = panel.locator("[data-testid=stSliderThumbValue]").first.inner_text()
    assert float(value.replace(",", ".")) == 0.0
    panel.get_by_text("Reset to the official weights").click()
    time.sleep(1.0)
    settle(page)
    assert "w" not in parse_qs(urlparse(page.url).query)


def test_rank_ranges_are_drawn(server, page):
    page.goto(f"{server['url']}/rankings?programme=demo-index&year=2025")
    settle(page)
    chart = page.locator(".st-key-wb_ranges [data-testid=stVegaLiteChart]")
    chart.wait_for(timeout=60_000)
    chart.scroll_into_view_if_needed()
    time.sleep(1.5)
    assert page.get_by_text("cannot be told apart", exact=False).count() == 1
    img = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    assert _has_colour(img, UP) and _has_colour(img, DOWN)


def _has_colour(img: Image.Image, rgb: tuple[int, int, int], tol: int = 50) -> bool:
    px = np.asarray(img, dtype=int)
    return bool((np.abs(px - np.array(rgb)).max(axis=2) <= tol).sum() >= 10)


@pytest.mark.parametrize(
    "programme, year, city, sentence",
    [
        ("demo-index", 2025, "ua-kyiv", "З балом 2024 року"),
        ("tc-transparency", 2018, "ua-mariupol", "З балом 2017 року"),  # real: TI Ukraine
    ],
)
def test_waterfall_renders_in_ukrainian(server, tall, programme, year, city, sentence):
    tall.goto(f"{server['url']}/city?programme={programme}&year={year}&city={city}&lang=uk")
    settle(tall)  # the first page run builds the database
    no_exception(tall)
    if programme == "tc-transparency":
        import duckdb

        con = duckdb.connect(str(server["db"]), read_only=True)
        n = con.execute(
            "SELECT count(computed_total) FROM indices WHERE programme = ? AND year = ?",
            [programme, year],
        ).fetchall()[0][0]
        con.close()
        if n < 100:
            pytest.skip("TI Ukraine's 2018 indicator scores (branch tc) are not in this build yet")
    box = tall.locator(f".st-key-wb_why_{city}")
    box.wait_for(timeout=60_000)
    assert tall.get_by_text("Чому змінилося місце").count() == 1
    assert box.get_by_text(sentence, exact=False).count() == 1
    chart = box.locator("[data-testid=stVegaLiteChart]")
    chart.wait_for(timeout=60_000)
    chart.scroll_into_view_if_needed()
    time.sleep(1.5)
    img = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    assert _has_colour(img, UP)  # the areas' gains, drawn
    screenshot(tall, f"workbench-waterfall-uk-{programme}")
