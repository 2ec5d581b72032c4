"""Make the small icon font served in place of Streamlit's whole Material Symbols font.

    python scripts/subset_icon_font.py          # writes static/ and assets/material-symbols.json
    python scripts/subset_icon_font.py --check  # exit 1 when the committed subset is out of date

Streamlit draws its icons (the sidebar's collapse button, expanders, page icons, every
``:material/…:`` icon of ours) with the "Material Symbols Rounded" font: each icon is a
ligature of its name's letters. Streamlit ships the whole font (0.37 MB of woff2, which does
not compress further) and its frontend loads it on every first visit. This script keeps only
the ligatures of the icons that can be drawn here:

- every ``:material/name:`` in our own code (app.py, pages/, analytics/);
- every ``:material/name:`` in the frontend of the installed Streamlit (its own controls).

The input is the font inside the installed Streamlit package (no download); the output is
``static/material-symbols-rounded.woff2`` (the reverse proxy sends it in place of Streamlit's
file, which Streamlit's page preloads by its hashed name: deploy/nginx-ocm.conf) and a manifest
``assets/material-symbols.json`` (the names kept, the source file and its SHA-256), which
tests/pages/test_fonts.py compares against the code. Run it again after adding an icon or
upgrading Streamlit. The font is Google's, under the Apache License 2.0 (static/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_FONT = ROOT / "static" / "material-symbols-rounded.woff2"
MANIFEST = ROOT / "assets" / "material-symbols.json"
ICON = re.compile(r":material/([a-z0-9_]+):")
#: Characters kept besides the ligatures: those icon names are made of, and the space, so
#: that text in this font never needs a character from another font file.
KEPT_TEXT = "abcdefghijklmnopqrstuvwxyz0123456789_ "
OUR_CODE = ("app.py", "pages", "analytics")


def streamlit_static() -> Path:
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "static"


def source_font() -> Path:
    found = sorted((streamlit_static() / "media").glob("MaterialSymbols-Rounded.*.woff2"))
    if len(found) != 1:
        raise SystemExit(f"expected one Material Symbols font in Streamlit, found {found}")
    return found[0]


def names_in(files: list[Path]) -> set[str]:
    names: set[str] = set()
    for path in files:
        names.update(ICON.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def our_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for entry in OUR_CODE:
        path = root / entry
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def streamlit_names() -> set[str]:
    return names_in(sorted((streamlit_static() / "js").glob("*.js")))


def ligatures(font) -> dict[str, str]:
    """Every ligature of the font's GSUB: the text it replaces -> its glyph name."""
    reverse = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    found: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for sub in lookup.SubTable:
            sub = sub.ExtSubTable if lookup.LookupType == 7 else sub
            for first, ligs in getattr(sub, "ligatures", {}).items():
                for lig in ligs:
                    glyphs = [first, *lig.Component]
                    if all(g in reverse for g in glyphs):
                        found["".join(reverse[g] for g in glyphs)] = lig.LigGlyph
    return found


def subset(source: Path, names: set[str]) -> tuple[bytes, list[str]]:
    """The woff2 bytes of ``source`` cut to the ligatures of ``names``; the names it lacks."""
    from fontTools import subset as ft
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
    known = ligatures(font)
    missing = sorted(n for n in names if n not in known)
    options = ft.Options()
    options.flavor = "woff2"
    options.layout_closure = False  # keep the named ligatures, not every word the letters make
    options.layout_features = ["rlig", "liga"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = ft.Subsetter(options)
    subsetter.populate(glyphs=sorted(known[n] for n in names if n in known), text=KEPT_TEXT)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue(), missing


def manifest(source: Path, names: set[str], ours: set[str], missing: list[str]) -> dict:
    import streamlit

    return {
        "what": "icons kept in static/material-symbols-rounded.woff2 "
        "(made by scripts/subset_icon_font.py)",
        "source": f"streamlit {streamlit.__version__}: static/static/media/{source.name}",
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "licence": "Apache-2.0 (Google's Material Symbols; see static/README.md)",
        "ours": sorted(ours),
        "names": sorted(set(names) - set(missing)),
        "streamlit_names_not_in_font": missing,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check the committed files")
    args = ap.parse_args()
    source = source_font()
    ours = names_in(our_files())
    names = ours | streamlit_names()
    data, missing = subset(source, names)
    if ours & set(missing):
        lacking = ", ".join(sorted(ours & set(missing)))
        print(
            f"not icons of Material Symbols (they would show as text): {lacking}", file=sys.stderr
        )
        return 1
    # Streamlit's own list holds a name or two that are no ligature of the font either (the
    # filled star of st.feedback): kept out, and listed in the manifest.
    wanted = json.dumps(manifest(source, names, ours, missing), indent=2) + "\n"
    if args.check:
        current = MANIFEST.read_text() if MANIFEST.exists() else ""
        if current != wanted or not OUT_FONT.exists() or OUT_FONT.read_bytes() != data:
            print(
                "the icon subset is out of date: run scripts/subset_icon_font.py", file=sys.stderr
            )
            return 1
        return 0
    OUT_FONT.parent.mkdir(exist_ok=True)
    OUT_FONT.write_bytes(data)
    MANIFEST.write_text(wanted)
    print(
        f"{OUT_FONT.relative_to(ROOT)}: {len(names)} icons, {len(data):,} bytes "
        f"(from {source.stat().st_size:,})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
