"""'Share this view' in real Chromium: the QR code on screen decodes to the page's own URL, and
the link it holds opens the same view (issue 15 item 3)."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
import zxingcpp
from PIL import Image

from tests.browser.conftest import screenshot
from tests.browser.test_dashboard_browser import settle

pytestmark = pytest.mark.browser


def _view(url: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    return parts.path.rstrip("/"), sorted(parse_qsl(parts.query))


def test_qr_code_decodes_to_the_pages_own_url(server, page):
    page.goto(f"{server['url']}/rankings?programme=tc-transparency&year=2021&lang=uk")
    settle(page, timeout=180_000)  # the first page of the session's server builds its database
    page.get_by_text("Поділитися цим видом").click()
    qr = page.locator("[data-testid=stSidebar] [data-testid=stImage] img").first
    qr.wait_for()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert len(decoded) == 1
    link = decoded[0].text
    assert _view(link) == _view(page.url)
    assert ("programme", "tc-transparency") in _view(link)[1]
    # the same link is written out to copy, and opens the same view in a new tab
    assert link in page.locator("[data-testid=stSidebar] [data-testid=stCode]").first.inner_text()
    screenshot(page, "share-uk")
    other = page.context.new_page()
    other.goto(link)
    settle(other)
    assert other.locator("h1").first.inner_text() == page.locator("h1").first.inner_text()
    other.close()
