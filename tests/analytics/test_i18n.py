"""Every interface text has its Ukrainian and Russian translation, with the same fields."""

from __future__ import annotations

import ast

import pytest

from analytics import i18n
from tests.conftest import ROOT


def _calls(name: str):
    """Every call of ``name(…)`` or ``x.name(…)`` in app.py, pages/ and the scorecard."""
    for path in [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        ROOT / "analytics" / "scorecard.py",
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                fn = node.func
                called = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", None)
                if called == name:
                    yield node


def _literal(node: ast.Call, i: int) -> str | None:
    arg = node.args[i] if len(node.args) > i else None
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def interface_texts() -> set[str]:
    """The literal texts passed to t(…) (and tr(…)) in app.py and pages/."""
    return {text for name in ("t", "tr") for node in _calls(name) if (text := _literal(node, 0))}


def counted_texts() -> set[tuple[str, str]]:
    """The (singular, plural) pairs passed to tn(…)."""
    return {(_literal(n, 0), _literal(n, 1)) for n in _calls("tn") if _literal(n, 1)}


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


def test_counted_texts_are_found():
    assert ("{n} city", "{n} cities") in counted_texts()


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_every_counted_text_has_all_plural_forms(lang):
    missing = [
        pair
        for pair in sorted(counted_texts())
        if i18n.plural(*pair, 5, lang) == pair[1] or i18n.plural(*pair, 1, lang) == pair[0]
    ]
    assert missing == []


@pytest.mark.parametrize(
    "lang, forms",
    [
        ("uk", ["1 місто", "2 міста", "5 міст", "21 місто", "12 міст", "22 міста"]),
        ("ru", ["1 город", "2 города", "5 городов", "21 город", "12 городов", "22 города"]),
        ("en", ["1 city", "2 cities", "5 cities", "21 cities", "12 cities", "22 cities"]),
    ],
)
def test_plural_forms(lang, forms):
    counts = [1, 2, 5, 21, 12, 22]
    got = [i18n.plural("{n} city", "{n} cities", n, lang).format(n=n) for n in counts]
    assert got == forms


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_compiled_catalog_matches_its_po_file(lang):
    """The .mo the dashboard reads holds exactly the .po's translations (run
    ``python scripts/i18n.py compile`` after editing a .po)."""
    import io

    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    base = ROOT / "analytics" / "locales" / lang / "LC_MESSAGES"
    with (base / "messages.po").open("rb") as fh:
        po = read_po(fh, locale=lang)
    mo = read_mo(io.BytesIO((base / "messages.mo").read_bytes()))

    def as_dict(cat):
        tup = lambda v: tuple(v) if isinstance(v, (list, tuple)) else v  # noqa: E731
        return {tup(m.id): tup(m.string) for m in cat if m.id and m.string}

    assert as_dict(mo) == as_dict(po)
    assert "nplurals=3" in mo.plural_forms


def _i18n_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_extraction_finds_the_interface_texts():
    pot = _i18n_script().extract()
    assert "Overview" in pot and ("{n} city", "{n} cities") in [
        m.id for m in pot if isinstance(m.id, tuple)
    ]


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_update_keeps_the_shipped_catalogs_whole(lang):
    """Run over the real catalogs, the update keeps every translated text they hold."""
    from babel.messages.pofile import read_po

    script = _i18n_script()
    path = script.po_path(lang)
    before = {m.id: m.string for m in read_po(path.open("rb"), locale=lang) if m.id}
    after = script.merged(script.read(lang), script.extract())
    assert {m.id: m.string for m in after if m.id in before} == before


# ------------------------------------------------------------------------------ Babel, kept


@pytest.mark.parametrize(
    ("value", "lang", "pattern", "expected"),
    [
        (1234.5, "uk", "#,##0.0", "1\u00a0234,5"),
        (1234.5, "ru", "#,##0.0", "1\u00a0234,5"),
        (1234.5, "en", "#,##0.0", "1,234.5"),
        (12345, "uk", None, "12\u00a0345"),
        (-0.0, "en", "#,##0.0", "-0.0"),  # equal to 0.0, yet written with its sign
        (0.0, "en", "#,##0.0", "0.0"),
        (1, "en", "#,##0.00", "1.00"),
        (1.0, "en", None, "1"),
        # half up, as by hand (Babel alone: half to even, 63.85 -> "63,8" beside a bar's 63.9)
        (63.85, "uk", "#,##0.0", "63,9"),
        (76.35, "en", "#,##0.0", "76.4"),
        (-3.25, "ru", "#,##0.0", "-3,3"),
        (0.005, "en", "0.00", "0.01"),
    ],
)
def test_numbers_are_written_as_babel_writes_them(value, lang, pattern, expected):
    for _ in range(2):  # the second time from the kept texts
        assert i18n.format_decimal(value, lang, pattern) == expected


def test_kept_number_texts_equal_babel_for_every_language_and_pattern():
    import decimal

    import numpy as np
    from babel.numbers import format_decimal, format_percent

    values = [0, 0.0, -0.0, 1, 1.0, 2.675, -3.25, 0.005, 1234567.891, -0.04]
    values += [np.float64(2.5), np.float32(0.1), np.int64(12345), decimal.Decimal("1.50")]
    patterns = [None, "#,##0", "#,##0.0", "+#,##0.0;-#,##0.0", "0.00"]
    for lang, locale in i18n.BABEL_LOCALES.items():
        for value in values * 2:
            with decimal.localcontext() as ctx:  # ours round half up (see _format_now)
                ctx.rounding = decimal.ROUND_HALF_UP
                wants = [format_decimal(value, format=p, locale=locale) for p in patterns]
                want_pct = format_percent(value, locale=locale)
            for pattern, want in zip(patterns, wants):
                assert i18n.format_decimal(value, lang, pattern) == want, (value, lang, pattern)
            assert i18n.format_percent(value, lang) == want_pct


def test_bar_labels_and_texts_round_alike():
    """A bar's label is printf in the browser (binary: 76.35 -> "76.3", 63.85 -> "63.9"); the
    values it is given are rounded half up first, so it shows the digits of every other text."""
    for value, shown in [(76.35, "76.4"), (63.85, "63.9"), (0.05, "0.1"), (57.0, "57.0")]:
        assert f"{i18n.round_half_up(value, 1):.1f}" == shown == i18n.number(value, "en", 1)
    assert i18n.round_half_up(float("nan"), 1) != i18n.round_half_up(float("nan"), 1)  # stays nan


def test_a_value_python_cannot_hash_is_written_all_the_same():
    class Odd(float):
        __hash__ = None  # type: ignore[assignment]

    assert i18n.format_decimal(Odd(2.5), "uk", "#,##0.0") == "2,5"


def test_update_keeps_translations_of_texts_looked_up_by_value(tmp_path, monkeypatch):
    """``t(label)`` of a value from the data ("Austria", "Accept") has no place in the code
    for the extraction to find; ``update`` once dropped all of them (about 215) as obsolete."""
    import importlib.util

    from babel.messages.catalog import Catalog

    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "LOCALES", tmp_path)
    for lang in script.LANGS:
        cat = script.new_catalog(lang)
        cat.add("Austria", "Австрія")
        cat.add("Overview", "Огляд")
        cat.add("untranslated leftover", "")
        script.write(cat, script.po_path(lang))
    pot = Catalog()
    pot.add("Overview", None, [("app.py", 1)])
    pot.add("A new text", None, [("app.py", 2)])
    script.update(pot)
    kept = script.read("uk")
    assert kept.get("Austria").string == "Австрія" and kept.get("Overview").string == "Огляд"
    assert kept.get("A new text").string == "" and kept.get("untranslated leftover") is None
