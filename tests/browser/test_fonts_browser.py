"""Fonts through the documented reverse proxy (issue 20 item 3): a phone's first view gets the
app's cuts (static/: the 13 KB icon font instead of Streamlit's 0.37 MB Material Symbols, the
97 KB OCM Sans instead of the 170 KB Source Sans) and nothing else, every icon still draws as
an icon, and icons and text are the same pixels as with Streamlit's own fonts."""

from __future__ import annotations

import importlib.util
import io

import pytest
from PIL import Image, ImageChops

from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.browser.test_dashboard_browser import settle
from tests.conftest import ROOT
from tests.proxy import nginx

pytestmark = pytest.mark.browser

SUBSET = (ROOT / "static" / "material-symbols-rounded.woff2").read_bytes()
OURS = {p.name: p.read_bytes() for p in (ROOT / "static").glob("*.woff2")}
WHOLE_FONT_BYTES = 300_000  # Streamlit 1.67's file is 374,740 bytes
#: Every icon on screen: its text (the ligature's name), its width and its font size. A drawn
#: icon is one glyph, 1 em wide; an icon whose ligature is missing is its name in letters.
ICONS = """() => [...document.querySelectorAll('[data-testid=stIconMaterial]')]
  .filter(e => e.getClientRects().length)
  .map(e => ({name: e.textContent, width: e.getBoundingClientRect().width,
              size: parseFloat(getComputedStyle(e).fontSize)}))"""
ALL_ICONS = """() => [...document.querySelectorAll('[data-testid=stIconMaterial]')]
  .map(e => e.textContent)"""
FONT_STATUS = """() => [...document.fonts].filter(f => f.family.includes('Material Symbols'))
  .map(f => f.status)"""


@pytest.fixture(scope="module")
def proxy(server, tmp_path_factory):
    port = int(server["url"].rsplit(":", 1)[1])
    front = nginx.start([port], tmp_path_factory.mktemp("icon-proxy"))
    yield front.url
    front.stop()


def _open(browser, url: str):
    """A phone tab with an empty cache on ``url``, its sidebar opened (the page icons), and the
    font files it fetched (URL → body)."""
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, ignore_https_errors=True
    )
    page = ctx.new_page()
    fonts: dict[str, bytes] = {}
    page.on(
        "response",
        lambda r: fonts.__setitem__(r.url, r.body()) if ".woff" in r.url else None,
    )
    page.goto(url, timeout=180_000)
    settle(page, timeout=180_000)
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebarNav").wait_for()
    page.wait_for_function(
        f"() => document.fonts.status === 'loaded' && ({FONT_STATUS})().every(s => s === 'loaded')"
    )
    page.wait_for_timeout(500)
    return ctx, page, fonts


def _ligatures(font: bytes) -> set[str]:
    from fontTools.ttLib import TTFont

    spec = importlib.util.spec_from_file_location(
        "subset_icon_font", ROOT / "scripts" / "subset_icon_font.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return set(script.ligatures(TTFont(io.BytesIO(font))))


def _drawn(page, font: bytes) -> list[dict]:
    """Every icon on the page is a ligature of the font the browser got (a name missing from
    it draws as nothing or as clipped letters) and is laid out as one glyph of about 1 em."""
    every = page.evaluate(ALL_ICONS)
    missing = sorted(set(every) - _ligatures(font))
    assert not missing, f"icons the served font cannot draw: {missing}"
    icons = page.evaluate(ICONS)
    odd = [i for i in icons if not 0.7 * i["size"] <= i["width"] <= 1.3 * i["size"]]
    assert not odd, f"icons not laid out as one glyph: {odd}"
    return icons


@pytest.mark.parametrize("path", ["rankings", "city?city=ua-lviv"])
def test_the_proxy_sends_the_subset_and_icons_draw(browser, proxy, path):
    ctx, page, fonts = _open(browser, f"{proxy}/{path}")
    try:
        icon_fonts = {u: b for u, b in fonts.items() if "MaterialSymbols" in u}
        assert icon_fonts, f"no icon font fetched at all: {list(fonts)}"
        icons = _drawn(page, next(iter(icon_fonts.values())))
        names = {i["name"] for i in icons}
        # the sidebar's collapse button and the page icons of the navigation at least
        assert {"leaderboard", "location_city", "map"} <= names, names
        assert all(b == SUBSET for b in icon_fonts.values()), {
            u: len(b) for u, b in icon_fonts.items()
        }
        # every font file the phone got is one of our cuts (the text font's among them)
        got = {u.rsplit("/", 1)[-1]: next((n for n, b in OURS.items() if b == body), None)
               for u, body in fonts.items()}  # fmt: skip
        assert None not in got.values(), got
        assert "ocm-sans.woff2" in got.values(), got
        screenshot(page, f"icons-proxy-{path.split('?')[0]}")
    finally:
        ctx.close()


def test_icons_and_text_look_the_same_as_with_streamlits_fonts(browser, server, proxy):
    """The navigation in Ukrainian (its icons and Cyrillic labels), pixel for pixel: directly
    from Streamlit (its own fonts) and through the proxy (our cuts)."""
    shots = {}
    for mode, base in (("direct", server["url"]), ("proxy", proxy)):
        ctx, page, fonts = _open(browser, f"{base}/rankings?lang=uk")
        try:
            font = next(b for u, b in fonts.items() if "MaterialSymbols" in u)
            assert (len(font) > WHOLE_FONT_BYTES) == (mode == "direct"), (mode, len(font))
            _drawn(page, font)
            nav = page.get_by_test_id("stSidebarNav")
            shots[mode] = Image.open(io.BytesIO(nav.screenshot())).convert("RGB")
        finally:
            ctx.close()
    SCREENSHOTS.mkdir(exist_ok=True)
    for mode, image in shots.items():
        image.save(SCREENSHOTS / f"icons-nav-{mode}.png")
    assert shots["direct"].size == shots["proxy"].size
    assert ImageChops.difference(shots["direct"], shots["proxy"]).getbbox() is None
