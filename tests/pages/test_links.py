"""Bad links say so: an unknown city, programme, year, language or too many cities in a link
show a visible notice and the page shows something sensible, never an exception."""

from __future__ import annotations

import pytest

from analytics import compare


def notices(at) -> list[str]:
    return [str(w.value) for w in at.warning if "link_off" in str(w.proto.icon)]


def test_unknown_city_says_what_is_shown(app):
    at = app("city", city="atlantis", programme="demo-index", year="2025")
    assert notices(at) == ["There is no city `atlantis` here; showing Lviv (Ukraine)."]
    assert at.title[0].value == "Lviv"


def test_unknown_programme_and_year(app):
    at = app("rankings", programme="nope", year="1999")
    said = notices(at)
    assert any(n.startswith("There is no programme `nope`; showing ") for n in said), said
    assert any(n.startswith("No results for the year `1999`; showing ") for n in said), said
    at = app("overview", programme="demo-index", year="2031")
    # a programme opens on its richest year: the demo's is 2020 (from 2022 on, cities under
    # occupation or on the front line are not assessed, as in the real programme)
    assert notices(at) == ["No results for the year `2031`; showing 2020."]


def test_unknown_language_in_ukrainian_link(app):
    at = app("overview", lang="xx", programme="demo-index", year="2025")
    assert notices(at) == ["There is no language `xx`; showing English."]


@pytest.mark.parametrize("n", [7, 100])
def test_compare_with_too_many_cities(app, built_db, n):
    import duckdb

    con = duckdb.connect(str(built_db), read_only=True)
    codes = [c for (c,) in con.execute("SELECT code FROM cities ORDER BY code").fetchall()]
    con.close()
    chosen = (codes * 2)[:n]  # 100 repeats some: duplicates are dropped
    at = app("compare", programme="demo-index", year="2025", cities=chosen)
    assert len(at.multiselect[0].value) == compare.MAX_COMPARED
    assert at.multiselect[0].value == list(dict.fromkeys(chosen))[: compare.MAX_COMPARED]
    said = notices(at)
    assert any(f"at most {compare.MAX_COMPARED} can be shown together" in s for s in said), said


def test_unknown_cities_in_compare_are_named(app):
    at = app("compare", programme="demo-index", year="2025", cities=["ua-lviv", "x1", "ua-kyiv"])
    assert at.multiselect[0].value == ["ua-lviv", "ua-kyiv"]
    assert notices(at) == ["Left out of the link, not found here: `x1`."]


def test_long_empty_and_repeated_values(app):
    at = app("city", city="y" * 5000, programme="demo-index", year="2025")
    (said,) = notices(at)
    assert "`" + "y" * 39 + "…`" in said and len(said) < 120
    at = app("city", city="", programme="", year="")  # empty: the defaults, nothing to say
    assert notices(at) == [] and at.title[0].value == "Lviv"
    at = app("rankings", programme=["tc-transparency", "demo-index"], year=["2020", "2025"])
    assert at.sidebar.selectbox[0].value == "demo-index"  # the last of repeated values


def test_markdown_in_a_link_is_shown_as_text(app):
    at = app("city", city="[click](http://evil.example)**", programme="demo-index", year="2025")
    (said,) = notices(at)
    assert "`[click](http://evil.example)**`" in said


def test_notice_in_the_chosen_language(app):
    at = app("city", city="atlantis", programme="demo-index", year="2025", lang="uk")
    assert notices(at) == ["Міста `atlantis` тут немає; показано Львів (Україна)."]
