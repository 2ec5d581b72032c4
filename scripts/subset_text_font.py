"""Make the dashboard's text font: Streamlit's Source Sans 3 cut to the scripts we show.

    python scripts/subset_text_font.py          # writes static/ocm-sans*.woff2
    python scripts/subset_text_font.py --check  # exit 1 when the committed files are out of date

Streamlit draws its text in Source Sans 3 (a variable font, weights 200–900) and every first
view fetches the upright file, 170 KB. Its Greek, Vietnamese and phonetic letters and its
small capitals and stylistic sets are never drawn here; without them the file is about half
as big. The cut keeps Latin (with every extended Latin letter, for Moldovan, Azerbaijani or
any city name), Cyrillic, punctuation, figures, currency, arrows and mathematical signs, the
whole weight axis and the features text needs (kerning, ligatures, localised forms, figures,
fractions). A letter outside the cut falls back to the browser's sans-serif.

The font is under the SIL Open Font License 1.1 with the Reserved Font Name "Source": a
modified version must not be presented under that name, so the cut is renamed "OCM Sans"
(its copyright and trademark notices kept; static/README.md, static/LICENSE-OFL-1.1.txt). The
input is the copy inside the installed Streamlit package (no download). Streamlit's page
preloads its own file by its hashed name whatever the theme says, so the reverse proxy sends
the cut under that name (deploy/nginx-ocm.conf), as it does the icon font's. Run it again
after upgrading Streamlit.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAMILY = "OCM Sans"
#: Streamlit's file stem -> ours
FILES = {
    "SourceSansVF-Upright": ROOT / "static" / "ocm-sans.woff2",
    "SourceSansVF-Italic": ROOT / "static" / "ocm-sans-italic.woff2",
}
#: Left out: Greek and Coptic, Greek Extended, IPA and phonetic extensions (but the schwa of
#: Azerbaijani, U+0259), Latin Extended Additional (Vietnamese).
DROPPED = ((0x0370, 0x03FF), (0x1F00, 0x1FFF), (0x0250, 0x0258), (0x025A, 0x02AF),
           (0x1D00, 0x1DBF), (0x1E00, 0x1EFF))  # fmt: skip
#: Beside fontTools' defaults (kerning, ligatures, marks, localised forms, ...): figures.
FEATURES = ["case", "dnom", "frac", "numr", "onum", "ordn", "pnum", "sinf", "subs", "sups", "zero"]


def source(stem: str) -> Path:
    import streamlit

    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    found = sorted(media.glob(f"{stem}.ttf.*.woff2"))
    if len(found) != 1:
        raise SystemExit(f"expected one {stem} font in Streamlit, found {found}")
    return found[0]


def kept(codepoint: int) -> bool:
    return not any(lo <= codepoint <= hi for lo, hi in DROPPED)


def rename(font) -> None:
    """ "Source" (the Reserved Font Name) out of every name but the copyright and trademark
    notices (IDs 0 and 7), which the licence asks to keep."""
    for record in font["name"].names:
        if record.nameID in (0, 7):
            continue
        text = record.toUnicode()
        new = text.replace("SourceSans3", "OCMSans").replace("Source Sans 3", FAMILY)
        if new != text:
            record.string = new
    leftover = [
        r.toUnicode()
        for r in font["name"].names
        if r.nameID not in (0, 7) and "Source" in r.toUnicode()
    ]
    if leftover:
        raise SystemExit(f"names still saying Source: {leftover}")


def cut(path: Path) -> bytes:
    from fontTools import subset as ft
    from fontTools.ttLib import TTFont

    font = TTFont(path, recalcTimestamp=False)  # the same bytes on every run
    codepoints = [c for c in font.getBestCmap() if kept(c)]
    options = ft.Options()
    options.flavor = "woff2"
    options.layout_features = [*ft.Options().layout_features, *FEATURES]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = ft.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    rename(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check the committed files")
    args = ap.parse_args()
    stale = []
    for stem, target in FILES.items():
        data = cut(source(stem))
        if args.check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(target.name)
            continue
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(data)
        print(
            f"{target.relative_to(ROOT)}: {len(data):,} bytes "
            f"(from {source(stem).stat().st_size:,})"
        )
    if stale:
        print(f"out of date: {', '.join(stale)}: run scripts/subset_text_font.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
