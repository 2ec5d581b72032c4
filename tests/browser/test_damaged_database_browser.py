"""A truncated database file in a real browser: the dashboard still opens, from the last good
version, with the calm notice (issue 13)."""

from __future__ import annotations

import pytest

from analytics import importer, storage
from tests.browser.conftest import screenshot
from tests.server import start, stop

pytestmark = pytest.mark.browser

GOOD = b"programme,year,city,level,code,score\ntc-transparency,2021,Konotop,area,info,4.3\n"


def test_truncated_database_serves_the_last_good_version(db, page):
    importer.import_bytes(db, GOOD, "konotop.csv")  # the built file is kept as a version
    with open(db, "r+b") as fh:
        fh.truncate(db.stat().st_size // 2)
    kept_at = storage.version_list(db)[0]["replaced_at_utc"][:16]
    url, proc = start(db, db.with_name("streamlit.log"))
    try:
        for path, heading in (("/", "Overview"), ("/rankings", "Rankings")):
            page.goto(url + path)
            page.get_by_role("heading", name=heading).wait_for(timeout=90_000)
            page.get_by_text(f"Showing data as of {kept_at} UTC.").wait_for(timeout=30_000)
            page.locator("[data-testid=stDataFrame], [data-testid=stMetric]").first.wait_for(
                timeout=60_000
            )
            assert page.locator("[data-testid=stException]").count() == 0
            assert page.locator("a[href*='google'], a[href*='chatgpt']").count() == 0
        screenshot(page, "damaged-database-rankings")
    finally:
        stop(proc)
    log = db.with_name("streamlit.log").read_text()
    assert "is damaged (the file is cut short" in log
