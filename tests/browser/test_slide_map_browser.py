"""The presentation's map slide on a 1920×1080 projector in Ukrainian: the top and bottom five
are all named, and no name covers another (measured on the text Chromium drew, not on the
widths the placement estimated)."""

from __future__ import annotations

import pytest

from analytics import slides, storage
from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import no_exception, settle

pytestmark = pytest.mark.browser

DRAWN_LABELS = """svg => Array.from(svg.querySelectorAll('g.mark-text.role-mark text'))
    .filter(t => t.getAttribute('stroke') !== 'white')  // the halos under the names
    .map(t => { const r = t.getBoundingClientRect();
                return [t.textContent, r.left, r.top, r.right, r.bottom]; })"""


@pytest.fixture()
def projector(browser):
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield ctx.new_page()
    ctx.close()


def extremes_2018(db) -> set[str]:
    from analytics import dashboard

    con = storage.connect_read_only(db)
    try:
        points = dashboard.map_points(con, "tc-transparency", 2018, lang="uk")
    finally:
        con.close()
    ext = slides.extremes(points[points["total"].notna()], 5)
    return set(ext.loc[ext["extreme"] != "", "name"])


def test_map_slide_names_the_top_and_bottom_five_without_overlap(server, projector):
    page = projector
    page.goto(f"{server['url']}/?present=1&lang=uk&programme=tc-transparency&year=2018&slide=map")
    settle(page)
    no_exception(page)
    svg = page.locator("[data-testid=stVegaLiteChart] svg").first
    svg.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stVegaLiteChart] g.mark-text.role-mark text')"
        ".length >= 20",
        timeout=30_000,
    )
    drawn = svg.evaluate(DRAWN_LABELS)
    assert {d[0] for d in drawn} == extremes_2018(server["db"])
    for i, (a, *p) in enumerate(drawn):
        for b, *q in drawn[i + 1 :]:
            apart = p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1]
            assert apart, f"{a} {p} overlaps {b} {q}"
    screenshot(page, "present-map-labels-uk")
