"""One indicator across cities and years (issue 15 item 4), on the tiny database."""

from __future__ import annotations

from analytics import indicator
from tests.analytics.tiny import make

# a1 (max 20) in t-1: x meets it, y partly (10), z does not (0), w not assessed in 2020;
# 2021 only x; t-2 (2022): x and y meet a1 again.
ROWS = [
    ("x", 2020, "t-1", "indicator", "a1", 20.0, "scored"),
    ("y", 2020, "t-1", "indicator", "a1", 10.0, "scored"),
    ("z", 2020, "t-1", "indicator", "a1", 0.0, "scored"),
    ("w", 2020, "t-1", "indicator", "a1", None, "not_assessed"),
    ("x", 2021, "t-1", "indicator", "a1", 20.0, "scored"),
    ("x", 2022, "t-2", "indicator", "a1", 20.0, "scored"),
    ("y", 2022, "t-2", "indicator", "a1", 20.0, "scored"),
]


def test_results_and_summary(tmp_path):
    con = make(tmp_path / "t.duckdb", ROWS)
    table = indicator.results(con, "t-1", "a1", 2020)
    states = dict(zip(table["city"], table["state"], strict=True))
    assert states == {"x": "met", "y": "partly", "z": "unmet", "w": "not_assessed"}
    assert list(table["city"])[:3] == ["x", "y", "z"]  # met first, then partly, then not
    assert indicator.summary(table) == {
        "met": 1,
        "partly": 1,
        "unmet": 1,
        "other": 1,
        "assessed": 4,
    }
    assert list(indicator.best_practice(table)["city"]) == ["x"]


def test_history_is_segmented_at_the_break_and_counts_only_the_assessed(tmp_path):
    con = make(tmp_path / "t.duckdb", ROWS)
    hist = indicator.history(con, "t", "a1")
    assert list(hist["year"]) == [2020, 2021, 2022]
    assert list(hist["assessed"]) == [3, 1, 2]  # w was not assessed: not counted as a 0
    assert list(hist["met"]) == [1, 1, 2]
    assert list(hist["segment"]) == [0, 0, 1]  # 2022 is another methodology


def test_segments_split_at_a_missing_year_too():
    assert indicator.segments([2017, 2018, 2020, 2021], ["m"] * 4) == [0, 0, 1, 1]
    assert indicator.segments([2019, 2020, 2021], ["a", "a", "b"]) == [0, 0, 1]


def test_detail_names_where_the_indicator_continues(tmp_path):
    con = make(tmp_path / "t.duckdb", ROWS)
    info = indicator.detail(con, "t-1", "a1")
    assert info["max_points"] == 20 and info["area"] == "A"
    assert list(info["versions"]["methodology"]) == ["t-1", "t-2"]
    assert list(info["versions"]["this_one"]) == [True, False]
    assert indicator.detail(con, "t-1", "nope") is None
    assert list(indicator.choices(con, "t", 2022)["code"]) == ["a1", "a2", "c1"]


def test_result_years_and_the_year_a_link_opens(tmp_path):
    con = make(tmp_path / "t.duckdb", ROWS)
    assert indicator.result_years(con, "t-1") == [2020, 2021]
    assert indicator.result_years(con, "t-2") == [2022]
    assert indicator.result_years(con, "t-9") == []
    # the year chosen where it has results, else the latest that has, never one without
    assert indicator.link_year([2020, 2021], (2020, 2021), 2020) == 2020
    assert indicator.link_year([2020, 2021], (2020, 2021), 2019) == 2021
    assert indicator.link_year([2018], (2017, 2018), 2017) == 2018  # TI 2017: areas only
    assert indicator.link_year([2022], (2020, 2021), 2020) is None
