"""Averages of the same cities, like-for-like within one methodology, and missing years in the
ranking's history — numbers worked out by hand from tiny.py."""

from __future__ import annotations

import base64
import re

import pytest

from analytics import dashboard, trends
from tests.analytics.tiny import ind, make

FULL = {"a1": 20, "a2": 20, "a3": 20, "b1": 20, "b2": 20}  # 100


@pytest.fixture()
def con(tmp_path):
    rows = (
        ind("x", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": 20, "b2": 20})  # 70
        + ind("x", 2021, {"a1": 20, "a2": 20, "a3": 0, "b1": 20, "b2": 20})  # 80
        + ind("x", 2022, {"a1": 20, "a2": 30, "c1": 0}, methodology="t-2")  # 50
        + ind("y", 2020, {"a1": 20, "a2": "na", "a3": 10, "b1": 0, "b2": 20})  # 65
        + ind("y", 2021, FULL)  # 100
        + ind("z", 2020, {"a1": "na", "a2": "na", "a3": "na", "b1": 20, "b2": 10})  # 75
        + ind("g", 2020, FULL)  # 100 (GE), not assessed in 2021
    )
    return make(tmp_path / "t.duckdb", rows)


def rows(df, by="all"):
    return [(int(r.year), getattr(r, by), round(r.mean, 4), int(r.n)) for r in df.itertuples()]


def test_balanced_panel_by_hand(con):
    # t-1 shows 2020 and 2021: only x and y have a total in both.
    # 2020: (70 + 65) / 2 = 67.5; 2021: (80 + 100) / 2 = 90. t-2 (2022): x alone, 50.
    got = trends.panel_means(con, "t", "all")
    assert rows(got) == [(2020, "all", 67.5, 2), (2021, "all", 90.0, 2), (2022, "all", 50.0, 1)]
    assert set(got["panel"]) == {"balanced"}


def test_all_available_mean_is_the_labelled_alternative(con):
    # 2020: (70 + 65 + 75 + 100) / 4 = 77.5 over 4 cities; 2021: 90 over 2; 2022: 50 over 1
    got = trends.panel_means(con, "t", "all", panel="all")
    assert rows(got) == [(2020, "all", 77.5, 4), (2021, "all", 90.0, 2), (2022, "all", 50.0, 1)]


def test_balanced_panel_per_group_uses_the_years_shown(con):
    # Georgia's g has 2020 only, so it is in no panel of 2020–2021; Ukraine as above.
    got = trends.panel_means(con, "t", "country", years=(2020, 2021))
    assert rows(got, "country") == [(2020, "UA", 67.5, 2), (2021, "UA", 90.0, 2)]
    # with 2020 alone shown, every city of 2020 is in the panel: (70 + 65 + 75) / 3, g alone
    got = trends.panel_means(con, "t", "country", years=(2020,))
    assert rows(got, "country") == [(2020, "GE", 100.0, 1), (2020, "UA", 70.0, 3)]


def test_panel_sizes(con):
    sizes = trends.panel_sizes(trends.panel_means(con, "t", "all"))
    assert [(d["first"], d["last"], d["n"]) for d in sizes] == [(2020, 2021, 2), (2022, 2022, 1)]
    sizes = trends.panel_sizes(trends.panel_means(con, "t", "all", panel="all"))
    assert [(d["first"], d["n"]) for d in sizes] == [(2020, 4), (2021, 2), (2022, 1)]


def test_unknown_panel_is_refused(con):
    with pytest.raises(ValueError):
        trends.panel_means(con, "t", "all", panel="some")


def test_like_for_like_within_one_methodology_uses_the_totals(tmp_path):
    """Published totals only (no indicators, no areas), two years of one methodology: the
    totals compare as they are — x 40 → 52 (+12); y has 2020 only and is left out."""
    rows = [
        ("x", 2020, "t-1", "total", "total", 40.0, "scored"),
        ("x", 2021, "t-1", "total", "total", 52.0, "scored"),
        ("y", 2020, "t-1", "total", "total", 60.0, "scored"),
    ]
    con = make(tmp_path / "t.duckdb", rows)
    got = trends.like_for_like(con, "t", 2020, 2021)
    assert list(zip(got["city"], got["total_a"], got["total_b"], got["change"])) == [
        ("x", 40.0, 52.0, 12.0)
    ]
    assert list(got["basis"]) == ["totals"]


def test_ranking_history_keeps_a_missing_year_missing(con):
    table = dashboard.ranking(con, "t", 2022)
    x = table.set_index("city").loc["x"]
    assert list(x["history"]) == [70.0, 80.0, 50.0]
    table = dashboard.ranking(con, "t", 2020)
    g = table.set_index("city").loc["g"]
    assert list(g["history"])[1] is None  # not assessed in 2021: None, not 0
    svg = base64.b64decode(g["sparkline"].split(",", 1)[1]).decode()
    assert "<path" not in svg and len(re.findall("<circle", svg)) == 1  # one dot, no line


def test_like_for_like_starts_from_years_that_compare(con):
    # t-1 has totals in 2020 and 2021; t-2 only 2022
    assert trends.comparable_pair(con, "t") == (2020, 2021)
