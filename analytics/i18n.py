"""Interface languages: English (the source texts), Ukrainian and Russian.

Texts are looked up by their English wording in ``analytics/locales/<lang>.json``; a text
without a translation falls back to English (and a test fails when a text used by the
dashboard lacks one). Lives here, not in pages/, because reports made from the command line
(scorecards) use the same texts.
"""
from __future__ import annotations

import json
import string
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "uk", "ru")
NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}
LOCALES = Path(__file__).with_name("locales")


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """The translations of one language (empty for English)."""
    path = LOCALES / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang``, or ``text`` itself when there is no translation."""
    return catalog(lang).get(text, text) if lang != "en" else text


def choose(url_value: str | None, browser_locale: str | None) -> str:
    """The language to show: the URL's ``lang`` if valid, else the browser's, else English."""
    if url_value in LANGUAGES:
        return url_value
    prefix = (browser_locale or "").split("-")[0].split("_")[0].lower()
    return prefix if prefix in LANGUAGES else "en"


def placeholders(text: str) -> set[str]:
    """The ``{field}`` names a text formats."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}
