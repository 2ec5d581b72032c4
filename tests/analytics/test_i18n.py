"""Every interface text has its Ukrainian and Russian translation, with the same fields."""
from __future__ import annotations

import ast

import pytest

from analytics import i18n
from tests.conftest import ROOT


def interface_texts() -> set[str]:
    """The literal texts passed to t(…) in app.py and pages/."""
    found = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
                 ROOT / "analytics" / "scorecard.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("t", "tr") and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
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
    bad = {k: v for k, v in i18n.catalog(lang).items()
           if i18n.placeholders(k) != i18n.placeholders(v)}
    assert bad == {}


@pytest.mark.parametrize("url, locale, expected", [
    ("uk", "en-US", "uk"), ("ru", None, "ru"), (None, "uk-UA", "uk"), (None, "ru_RU", "ru"),
    (None, "de-DE", "en"), ("xx", None, "en"), (None, None, "en")])
def test_language_choice(url, locale, expected):
    assert i18n.choose(url, locale) == expected


def test_fallback_is_english():
    assert i18n.translate("A text nobody translated", "uk") == "A text nobody translated"
    assert i18n.translate("Overview", "uk") == "Огляд"
