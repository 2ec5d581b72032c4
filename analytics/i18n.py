"""Interface languages: English (the source texts), Ukrainian and Russian.

Texts are looked up by their English wording in gettext catalogs,
``analytics/locales/<lang>/LC_MESSAGES/messages.mo`` (compiled from the ``.po`` files that
translators edit; ``scripts/i18n.py`` extracts, updates and compiles them with Babel). A text
without a translation falls back to English (and a test fails when a text used by the
dashboard lacks one). Counts use the language's plural forms ("1 місто, 2 міста, 5 міст").
Lives here, not in pages/, because reports made from the command line (scorecards) use the
same texts.
"""

from __future__ import annotations

import decimal
import gettext
import re
import string
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LANGUAGES = ("en", "uk", "ru")
NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}
LOCALES = Path(__file__).with_name("locales")


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of one language (English: none, texts are the English ones)."""
    mo = LOCALES / lang / "LC_MESSAGES" / "messages.mo"
    if lang == "en" or not mo.exists():
        return gettext.NullTranslations()
    with mo.open("rb") as fh:
        return gettext.GNUTranslations(fh)


@cache
def catalog(lang: str) -> dict[str, str]:
    """The translations of one language as {English text: translation} (empty for English)."""
    found = getattr(translations(lang), "_catalog", {})
    return {k: v for k, v in found.items() if isinstance(k, str) and k}


def plural(singular: str, plural_text: str, n: int, lang: str) -> str:
    """The form of a counted text for ``n`` in ``lang`` (Ukrainian and Russian have three)."""
    return translations(lang).ngettext(singular, plural_text, n)


BABEL_LOCALES = {"en": "en", "uk": "uk_UA", "ru": "ru_RU"}
_SPEC = re.compile(r"^(?P<sign>[+]?)(?P<group>,?)(?:\.(?P<dec>\d+))?(?P<kind>[f%]?)$")


@cache
def babel_locale(lang: str) -> Locale:
    """The Babel locale of an interface language, parsed once per process (parsing it on
    every number cost more than formatting the number)."""
    return Locale.parse(BABEL_LOCALES.get(lang, "en"))


@lru_cache(maxsize=256)
def _number_pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)  # a NumberPattern is read-only once parsed


def format_decimal(value: float, lang: str, pattern: str | None = None) -> str:
    """``babel.numbers.format_decimal(value, pattern, locale)`` for an interface language, with
    the locale and the pattern parsed once (``None``: the language's own decimal format).

    A page shows the same few hundred numbers on every rerun, so the texts are kept
    (``typed``: 1, 1.0 and a NumPy float each keep their own text, as Babel writes them; a
    zero is written each time, as -0.0 equals 0.0 but is written "-0")."""
    if not value:
        return _format_now(value, lang, pattern, "decimal")
    try:
        return _formatted(value, lang, pattern, "decimal")
    except TypeError:  # a value Python cannot hash
        return _format_now(value, lang, pattern, "decimal")


def format_percent(value: float, lang: str) -> str:
    """``babel.numbers.format_percent(value, locale=…)`` for an interface language, with the
    locale parsed once (and the texts kept, as ``format_decimal``)."""
    if not value:
        return _format_now(value, lang, None, "percent")
    try:
        return _formatted(value, lang, None, "percent")
    except TypeError:
        return _format_now(value, lang, None, "percent")


def _format_now(value: float, lang: str, pattern: str | None, kind: str) -> str:
    """Babel's text of ``value``, rounded half up as people round by hand (76.35 → 76.4,
    63.85 → 63.9): Babel's own default rounds half to even (63.85 → 63.8), and the same
    total then read 63.8 in one table and 63.9 in a bar label or a scorecard."""
    loc = babel_locale(lang)
    if pattern is not None:
        parsed = _number_pattern(pattern)
    else:
        parsed = (loc.decimal_formats if kind == "decimal" else loc.percent_formats)[None]
    with decimal.localcontext() as ctx:
        ctx.rounding = decimal.ROUND_HALF_UP
        return parsed.apply(value, loc)


def round_half_up(value: float, decimals: int) -> float:
    """``value`` rounded half up at ``decimals`` places of its decimal text (76.35 → 76.4),
    as Babel's texts here are; for figures a browser labels itself (a bar's printf label),
    so both show the same digits."""
    quantum = decimal.Decimal(1).scaleb(-decimals)
    exact = decimal.Decimal(repr(float(value)))
    return float(exact.quantize(quantum, rounding=decimal.ROUND_HALF_UP))


_formatted = lru_cache(maxsize=20_000, typed=True)(_format_now)


@lru_cache(maxsize=64)
def _decimal_pattern(decimals: int, sign: bool, group: bool) -> str:
    body = ("#,##0" if group else "0") + ("." + "0" * decimals if decimals else "")
    return f"+{body};-{body}" if sign else body


def number(
    value: float, lang: str, decimals: int = 1, sign: bool = False, group: bool = True
) -> str:
    """``value`` with ``decimals`` places in ``lang``'s notation (Babel): 65.4 / 65,4;
    12 345 grouped with the language's separator unless ``group`` is false."""
    return format_decimal(value, lang, _decimal_pattern(decimals, sign, group))


class Number:
    """A number that formats itself in a language: ``"{x:.1f}".format(x=Number(65.43, "uk"))``
    gives "65,4". A format without a type (``{n}``) gives the plain number (years stay 2021)."""

    def __init__(self, value: float, lang: str) -> None:
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        found = _SPEC.match(spec)
        if not spec or not found or (not found["kind"] and not found["group"]):
            return format(self.value, spec)
        if found["kind"] == "%":
            return (
                number(self.value * 100, self.lang, int(found["dec"] or 0), bool(found["sign"]))
                + "%"
            )
        decimals = int(found["dec"]) if found["dec"] is not None else (6 if found["kind"] else 0)
        return number(self.value, self.lang, decimals, bool(found["sign"]))

    def __str__(self) -> str:
        return str(self.value)


def format_text(text: str, lang: str, **kwargs) -> str:
    """``text`` (already translated) filled with ``kwargs``; numbers with a format (``{x:.1f}``)
    in the language's notation."""
    if not kwargs:
        return text
    wrapped = {
        k: Number(v, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
        for k, v in kwargs.items()
    }
    return text.format(**wrapped)


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


@cache
def _pattern(template: str) -> re.Pattern:
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field:
            parts.append(f"(?P<{field}>[^;]+?)")  # a field never holds the "; " of parts
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


def _fill(text: str, lang: str, templates: tuple[str, ...]) -> str | None:
    for template in templates:
        found = _pattern(template).match(text)
        if found:
            translation = catalog(lang).get(template)
            return None if translation is None else translation.format(**found.groupdict())
    return None


@cache
def _ordered(templates: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(templates, key=lambda t: (len(placeholders(t)), -len(t))))


@lru_cache(maxsize=10_000)  # a refused file repeats the same few problems many times
def translate_filled(text: str, lang: str, templates: tuple[str, ...]) -> str:
    """A text made from one of ``templates`` (English, with ``{field}`` parts), in ``lang``.

    The text is matched against the templates (fewest fields first, so a fixed text wins over
    a pattern); the fields keep the values they had. A text of several parts joined by "; "
    that no template fits as a whole is translated part by part. Without a matching template
    or translation the text stays English.
    """
    if lang == "en":
        return text
    ordered = _ordered(templates)
    whole = _fill(text, lang, ordered)
    if whole is not None:
        return whole
    parts = [_fill(part, lang, ordered) for part in text.split("; ")]
    done = [p for p in parts if p is not None]
    return "; ".join(done) if len(parts) > 1 and len(done) == len(parts) else text
