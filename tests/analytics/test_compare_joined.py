"""The compare page's "who meets what" matrix joined from each city's own matrix is the matrix
of the whole set, row for row and cell for cell (a new combination of cities already seen
then costs a join, not a query and a pivot)."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from analytics import compare, storage
from tests.analytics.test_engine import FULL, ind, make


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.columns) == list(b.columns)
    # missing stays missing of the same kind (None is not NaN), value for value
    assert a.map(repr).equals(b.map(repr))


def test_joined_equals_whole_on_random_sets_of_the_demo(built_db):
    con = storage.cursor(storage.connect_read_only(built_db))
    rows = con.execute(
        "SELECT DISTINCT methodology, year FROM indices WHERE programme = 'demo-index' "
        "ORDER BY 1, 2"
    ).fetchall()
    cities = [c for (c,) in con.execute("SELECT code FROM cities ORDER BY code").fetchall()]
    rnd = random.Random(16)
    checked = 0
    for methodology, year in rows:
        for _ in range(4):
            chosen = rnd.sample(cities, rnd.randint(2, compare.MAX_COMPARED))
            lang = rnd.choice(["en", "uk", "ru"])
            whole = compare.indicator_matrix(con, methodology, year, chosen, lang)
            parts = [compare.indicator_matrix(con, methodology, year, [c], lang) for c in chosen]
            _same(compare.joined_matrix(parts, chosen), whole)
            checked += 1
    assert checked >= 20


def test_joined_equals_whole_with_missing_cities(tmp_path):
    rows = ind("x", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": "na", "b2": "nx"}) + ind(
        "y", 2020, FULL
    )
    con = make(tmp_path / "t.duckdb", rows)
    for chosen in (["x", "y", "z"], ["z", "x"], ["y", "z", "x"]):
        whole = compare.indicator_matrix(con, "t-1", 2020, chosen)
        parts = [compare.indicator_matrix(con, "t-1", 2020, [c]) for c in chosen]
        joined = compare.joined_matrix(parts, chosen)
        _same(joined, whole)
        assert joined["z"].isna().all()
    none = compare.indicator_matrix(con, "t-9", 2020, ["x", "y"])  # no such methodology
    assert none.empty
    parts = [compare.indicator_matrix(con, "t-9", 2020, [c]) for c in ("x", "y")]
    assert compare.joined_matrix(parts, ["x", "y"]).empty
    with pytest.raises(ValueError):
        compare.joined_matrix(parts[:1], ["x", "y"])
