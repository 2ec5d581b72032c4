"""Every interface text has its Ukrainian and Russian translation, with the same fields."""

from __future__ import annotations

import ast

import pytest

from analytics import i18n
from tests.conftest import ROOT


def interface_texts() -> set[str]:
    """The literal texts passed to t(…) in app.py and pages/."""
    found = set()
    for path in [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        ROOT / "analytics" / "scorecard.py",
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("t", "tr")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_texts_are_found():
    texts = interface_texts()
    assert len(texts) > 150 and "Overview" in texts


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_every_interface_text_is_translated(lang):
    missing = sorted(interface_texts() - set(i18n.catalog(lang)))
    assert missing == [], f"{len(missing)} texts lack a {lang} translation: {missing[:10]}"


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_translations_keep_their_fields(lang):
    bad = {
        k: v for k, v in i18n.catalog(lang).items() if i18n.placeholders(k) != i18n.placeholders(v)
    }
    assert bad == {}


@pytest.mark.parametrize(
    "url, locale, expected",
    [
        ("uk", "en-US", "uk"),
        ("ru", None, "ru"),
        (None, "uk-UA", "uk"),
        (None, "ru_RU", "ru"),
        (None, "de-DE", "en"),
        ("xx", None, "en"),
        (None, None, "en"),
    ],
)
def test_language_choice(url, locale, expected):
    assert i18n.choose(url, locale) == expected


def test_fallback_is_english():
    assert i18n.translate("A text nobody translated", "uk") == "A text nobody translated"
    assert i18n.translate("Overview", "uk") == "Огляд"


TEMPLATES = (
    "unknown city",
    "closest known: {names}",
    "the file is {size} MB; the limit is {limit} MB",
    "above the maximum of {maximum} points for this item",
    "required",
    "required column is missing",
)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("unknown city", "uk", "невідоме місто"),
        ("required", "ru", "обязательное значение"),
        ("required column is missing", "uk", "бракує обов'язкового стовпця"),  # not "required"
        # the fields keep their values
        (
            "above the maximum of 7.0 points for this item",
            "ru",
            "больше максимума этого пункта (7.0 баллов)",
        ),
        # a whole template with "; " in it wins over translating part by part
        ("the file is 50.0 MB; the limit is 20 MB", "uk", "файл має 50.0 МБ; межа — 20 МБ"),
        # parts joined by "; ", each from a template
        (
            "unknown city; closest known: Konotop, Kotovsk",
            "uk",
            "невідоме місто; найближчі відомі: Konotop, Kotovsk",
        ),
        # no template for one part: all English rather than half translated
        ("unknown city; ask the coordinator", "uk", "unknown city; ask the coordinator"),
        ("a text no template fits", "ru", "a text no template fits"),
        ("unknown city", "en", "unknown city"),
    ],
)
def test_translate_filled(text, lang, expected):
    assert i18n.translate_filled(text, lang, TEMPLATES) == expected


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_every_import_problem_is_translated(lang):
    from analytics import importer

    missing = [m for m in importer.MESSAGES if m not in i18n.catalog(lang)]
    assert missing == []


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "65.4 · +3.2 · 12,345 · 2021 · 39% · 0.912"),
        ("uk", "65,4 · +3,2 · 12\u00a0345 · 2021 · 39% · 0,912"),
        ("ru", "65,4 · +3,2 · 12\u00a0345 · 2021 · 39% · 0,912"),
    ],
)
def test_numbers_in_sentences_follow_the_language(lang, expected):
    text = "{a:.1f} · {d:+.1f} · {n:,} · {y} · {p:.0%} · {r:.3f}"
    got = i18n.format_text(text, lang, a=65.43, d=3.21, n=12345, y=2021, p=0.39, r=0.91234)
    assert got == expected
