"""The cuts of Streamlit's fonts in static/: the icon font holds every icon the code draws, the
text font keeps Latin and Cyrillic and is renamed as its licence asks, both are what their
scripts make from the installed Streamlit, and both stay small. The browser side (the proxy
sends them, icons and text draw the same, the whole fonts are not fetched) is in
tests/browser/test_fonts_browser.py."""

from __future__ import annotations

import hashlib
import importlib.util
import json

from tests.conftest import ROOT

FONT = ROOT / "static" / "material-symbols-rounded.woff2"
MANIFEST = json.loads((ROOT / "assets" / "material-symbols.json").read_text())


def _script(name: str = "subset_icon_font"):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
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


def test_the_text_font_keeps_latin_and_cyrillic_under_its_own_name():
    from fontTools.ttLib import TTFont

    script = _script("subset_text_font")
    for target in script.FILES.values():
        font = TTFont(target)
        cmap = font.getBestCmap()
        # Ukrainian and Russian, Romanian (ș ț ă), Azerbaijani (ə ğ ı), Georgian city names in
        # Latin, figures and the signs the interface writes (– — · № € ≤ →)
        needed = "ЄєІіЇїҐґЁёЪъЫыЭэ ȘșȚțĂăÂâÎî ƏəĞğİıŞşÇçÖöÜü 0123456789 –—·№€≤≥→×"
        assert [c for c in needed if c != " " and ord(c) not in cmap] == []
        assert ord("α") not in cmap and ord("ạ") not in cmap  # Greek, Vietnamese left out
        names = [r.toUnicode() for r in font["name"].names if r.nameID not in (0, 7)]
        assert names and not [n for n in names if "Source" in n]
        assert "fvar" in font  # the whole weight axis
        assert target.stat().st_size < 110_000


def test_the_committed_text_fonts_are_what_the_script_makes():
    script = _script("subset_text_font")
    for stem, target in script.FILES.items():
        assert script.cut(script.source(stem)) == target.read_bytes(), target.name
