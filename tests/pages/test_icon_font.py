"""The icon font's subset (static/material-symbols-rounded.woff2): it holds every icon the code
draws, it is what scripts/subset_icon_font.py makes from the installed Streamlit, and it stays
small. The browser side (the proxy sends it, icons draw, the whole font is not fetched) is in
tests/browser/test_icon_font_browser.py."""

from __future__ import annotations

import hashlib
import importlib.util
import json

from tests.conftest import ROOT

FONT = ROOT / "static" / "material-symbols-rounded.woff2"
MANIFEST = json.loads((ROOT / "assets" / "material-symbols.json").read_text())


def _script():
    spec = importlib.util.spec_from_file_location(
        "subset_icon_font", ROOT / "scripts" / "subset_icon_font.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_icon_of_the_code_is_in_the_subset():
    script = _script()
    used = script.names_in(script.our_files())
    assert {"map", "leaderboard", "info", "download"} <= used  # the scan finds them
    assert used - set(MANIFEST["names"]) == set(), "run scripts/subset_icon_font.py"


def test_the_subset_draws_each_kept_name_as_one_glyph():
    from fontTools.ttLib import TTFont

    font = TTFont(FONT)
    ligatures = _script().ligatures(font)
    assert set(MANIFEST["names"]) <= set(ligatures)
    # only the kept icons (and the aliases drawing the same glyphs), not the font's 3,800
    assert len(font.getGlyphOrder()) < 2 * len(MANIFEST["names"]) + 50
    assert FONT.stat().st_size < 40_000


def test_the_committed_subset_is_what_the_script_makes():
    """Same bytes and manifest from the installed Streamlit's font (fails after an upgrade of
    Streamlit or a new icon until the script is run again)."""
    script = _script()
    source = script.source_font()
    assert MANIFEST["source_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    names = set(MANIFEST["names"]) | set(MANIFEST["streamlit_names_not_in_font"])
    data, _ = script.subset(source, names)
    assert data == FONT.read_bytes()
