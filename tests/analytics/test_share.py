"""Sharing a view: the link, a QR code that decodes to it, an embed snippet (issue 15 item 3)."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from analytics import share


def test_view_url_keeps_the_selection_and_drops_screen_only_parameters():
    params = {"programme": ["tc-transparency"], "cities": ["ua-lviv", "ua-kyiv"], "present": ["1"]}
    assert (
        share.view_url("http://127.0.0.1:8501/", "compare", params)
        == "http://127.0.0.1:8501/compare?programme=tc-transparency&cities=ua-lviv&cities=ua-kyiv"
    )
    assert share.view_url("https://m.example.org", "", {}) == "https://m.example.org"
    # values are escaped: an apostrophe or a space cannot break the link
    assert share.view_url("http://h", "city", {"q": ["Кам'янець Под"]}).endswith(
        "q=%D0%9A%D0%B0%D0%BC%27%D1%8F%D0%BD%D0%B5%D1%86%D1%8C+%D0%9F%D0%BE%D0%B4"
    )


def test_qr_code_decodes_to_the_link():
    url = "http://127.0.0.1:8501/rankings?programme=tc-transparency&year=2018&lang=uk"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(share.qr_png(url))))
    assert [d.text for d in decoded] == [url]
    matrix = share.qr_matrix(url)
    assert len(matrix) == len(matrix[0]) and len(matrix) % 4 == 1  # 21, 25, 29 … modules


def test_embed_snippet_is_escaped_and_in_embed_mode():
    snippet = share.embed_snippet('http://h/city?q="x"&lang=uk')
    assert snippet.startswith(
        '<iframe src="http://h/city?q=&quot;x&quot;&amp;lang=uk&amp;embed=true"'
    )
    assert 'title="Open Cities Monitor"' in snippet
