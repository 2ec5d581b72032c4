"""Interface translations in gettext catalogs (Babel), for translators' usual tools.

    python scripts/i18n.py extract   # texts of t(…)/tn(…) in app.py, pages/, analytics/ → messages.pot
    python scripts/i18n.py update    # merge messages.pot into uk and ru messages.po (new texts empty,
                                     # none dropped)
    python scripts/i18n.py compile   # messages.po → messages.mo (what the dashboard reads)
    python scripts/i18n.py import-json FILE.json LANG   # add {English: translation} pairs to a .po

The same as Babel's ``pybabel extract -F babel.cfg -k t -k tn:1,2 -k tr``, ``pybabel update``
and ``pybabel compile -d analytics/locales`` (see babel.cfg); the catalogs live in
``analytics/locales/<lang>/LC_MESSAGES/messages.po``. A translator edits the .po file (Poedit,
Weblate, Lokalize …), then ``compile``; tests fail on a text without translation, on fields that
differ between a text and its translation, and on a .mo that is older than its .po.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "analytics" / "locales"
POT = LOCALES / "messages.pot"
LANGS = ("uk", "ru")
KEYWORDS = {"t": None, "tr": None, "tn": (1, 2)}
METHOD_MAP = [("app.py", "python"), ("pages/**.py", "python"), ("analytics/**.py", "python")]


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        cat = read_po(fh, locale=lang)
    cat.fuzzy = False  # the header is reviewed: its Plural-Forms must reach the .mo
    return cat


def write(catalog: Catalog, path: Path) -> None:
    """Sorted, without source locations: the catalogs in the repository carry none, and line
    numbers would change the file with every edit of the code (merge conflicts between
    branches that each add a text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, omit_header=False, no_location=True)


def extract() -> Catalog:
    pot = Catalog(project="Open Cities Monitor", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, comment_tags=("i18n:",)
    ):
        if filename.startswith(("tests", "scripts")):
            continue
        pot.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return pot


def merged(cat: Catalog, pot: Catalog) -> Catalog:
    """``cat`` with the texts of ``pot`` added (new ones untranslated), keeping every text it
    already translates: a text looked up through a variable (a column label, a problem
    message, a status name) is not a ``t("…")`` literal, so extraction does not find it, and
    Babel's update would mark it obsolete — dropping it would lose its translation (223 of
    them in December 2026)."""
    cat.update(pot, no_fuzzy_matching=True)
    for message in list(cat.obsolete.values()):
        translated = message.string and (
            not isinstance(message.string, tuple) or all(message.string)
        )
        if not translated:  # an untranslated leftover: nothing to keep
            continue
        cat.add(
            message.id,
            message.string,
            auto_comments=message.auto_comments,
            user_comments=message.user_comments,
            flags=message.flags,
            context=message.context,
        )
    cat.obsolete.clear()
    return cat


def update(pot: Catalog) -> None:
    """Merge the extracted texts into each language's catalog. A translated text that the
    extraction does not find stays: many are looked up by value (``t(label)`` of a status,
    a country or a donor from the data), which no extraction can see — dropping them as
    obsolete once removed about 215 translations in one go."""
    for lang in LANGS:
        write(merged(read(lang), pot), po_path(lang))


def compile_all() -> None:
    for lang in LANGS:
        cat = read(lang)
        with po_path(lang).with_suffix(".mo").open("wb") as fh:
            write_mo(fh, cat, use_fuzzy=False)


def new_catalog(lang: str) -> Catalog:
    return Catalog(
        locale=lang,
        project="Open Cities Monitor",
        version="1",
        copyright_holder="Open Cities Monitor",
        msgid_bugs_address="",
        language_team=f"Open Cities Monitor ({lang})",
        fuzzy=False,
    )


def import_json(path: Path, lang: str) -> int:
    """Add the pairs of a flat {English: translation} JSON file (the catalog format before
    gettext) to the language's .po; returns how many were new."""
    pairs = json.loads(path.read_text(encoding="utf-8"))
    target = po_path(lang)
    cat = read(lang) if target.exists() else new_catalog(lang)
    new = 0
    for msgid, msgstr in pairs.items():
        if isinstance(msgstr, list):  # plural forms
            msgid = tuple(msgid.split("\x00"))
            msgstr = tuple(msgstr)
        if msgid not in cat:
            new += 1
        cat.add(msgid, msgstr)
    write(cat, target)
    return new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("command", choices=["extract", "update", "compile", "import-json"])
    ap.add_argument("args", nargs="*")
    a = ap.parse_args(argv)
    if a.command == "extract":
        write(extract(), POT)
    elif a.command == "update":
        update(extract())
    elif a.command == "compile":
        compile_all()
    else:
        print(import_json(Path(a.args[0]), a.args[1]), "new")
    return 0


if __name__ == "__main__":
    sys.exit(main())
