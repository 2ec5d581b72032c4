"""The one history-series builder: segments, breaks and sparklines, checked by hand."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analytics import series

YEARS = [2017, 2018, 2019, 2020, 2021, 2022]
METH = ["m1", "m1", "m1", "m2", "m2", "m2"]


def test_segments_split_at_a_missing_year_and_at_a_break():
    # 2017–2018 joined; 2019 (m1) missing; 2020 starts anew — after a gap and under a new
    # methodology (m2); 2020–2022 joined.
    values = [50.0, 55.0, None, 60.0, 62.0, 64.0]
    assert series.segment_ids(YEARS, values, METH) == [0, 0, None, 1, 1, 1]


def test_a_break_alone_splits_the_line():
    values = [50.0, 55.0, 57.0, 60.0, 62.0, 64.0]
    assert series.segment_ids(YEARS, values, METH) == [0, 0, 0, 1, 1, 1]


def test_a_missing_year_alone_splits_the_line():
    values = [50.0, 55.0, 57.0, 60.0, float("nan"), 64.0]
    assert series.segment_ids(YEARS, values) == [0, 0, 0, 0, None, 1]


def test_a_year_the_city_skipped_is_a_gap_even_without_a_row():
    # the city has rows for 2017 and 2019 only; the programme assessed 2018 too
    assert series.segment_ids([2017, 2019], [40.0, 45.0], None, [2017, 2018, 2019]) == [0, 1]
    # a programme that ran every other year: 2017 and 2019 are adjacent programme years
    assert series.segment_ids([2017, 2019], [40.0, 45.0], None, [2017, 2019]) == [0, 0]


def test_unsorted_input_keeps_its_order():
    assert series.segment_ids([2019, 2017, 2018], [3.0, 1.0, 2.0]) == [0, 0, 0]


def test_with_segments_per_group_drops_gaps_and_marks_lone_points():
    df = pd.DataFrame(
        {
            "city": ["a", "a", "a", "b", "b"],
            "year": [2017, 2018, 2019, 2017, 2019],
            "total": [10.0, None, 30.0, 5.0, 6.0],
            "methodology": ["m1"] * 5,
        }
    )
    out = series.with_segments(df, group="city", programme_years=[2017, 2018, 2019])
    assert list(zip(out["city"], out["year"], out["segment"], out["single"])) == [
        ("a", 2017, "a|0", True),
        ("a", 2019, "a|1", True),
        ("b", 2017, "b|0", True),
        ("b", 2019, "b|1", True),
    ]
    assert 0.0 not in list(out["total"])  # a gap is never drawn as zero


def test_break_positions_sit_between_years():
    breaks = [{"year": 2019, "methodology": "m2"}, {"year": 2024, "methodology": "m3"}]
    got = series.break_positions(breaks, [2017, 2018, 2019, 2020, 2021, 2024])
    assert [b["position"] for b in got] == [2018.5, 2022.5]
    # a break before the first year shown is not on the chart
    assert series.break_positions(breaks, [2019, 2020]) == []


def _paths(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, p.split(","))) for p in re.findall(r"[ML]([\d.]+,[\d.]+)", d)]
        for d in re.findall(r'<path d="([^"]+)"', svg)
    ]


def test_sparkline_with_a_gap_draws_two_pieces_and_no_zero():
    # 2017–2020 over width 120, y 0–100 over height 28, padding 5:
    # x(year) = 5 + (year - 2017) / 3 * 110, y(v) = 5 + (1 - v / 100) * 18
    svg = series.sparkline_svg(
        [2017, 2018, 2019, 2020], [50.0, 60.0, None, 80.0], span=(2017, 2020), width=120
    )
    paths = _paths(svg)
    assert paths == [[(5.0, 14.0), (41.7, 12.2)]]  # 2017–2018 joined, straight (no curve)
    dots = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert dots == [("115.0", "8.6")]  # 2020 alone: a dot, not joined across 2019
    assert "C" not in "".join(re.findall(r'd="([^"]+)"', svg))  # no Bézier smoothing
    assert "23.0" not in " ".join(f"{x},{y}" for p in paths for x, y in p)  # never at zero


def test_sparkline_keeps_a_missing_year_s_space():
    # with the span fixed, 2020 sits at the right end even if 2019 is missing
    svg = series.sparkline_svg([2019, 2020], [None, 40.0], span=(2017, 2020))
    assert re.findall(r'<circle cx="([\d.]+)"', svg) == ["115.0"]


def test_sparkline_breaks_at_a_methodology_change():
    svg = series.sparkline_svg(
        [2019, 2020, 2021, 2022], [40.0, 50.0, 45.0, 55.0], ["a", "a", "b", "b"]
    )
    assert len(_paths(svg)) == 2


def test_data_uri():
    assert series.data_uri("<svg/>") == "data:image/svg+xml;base64,PHN2Zy8+"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_every_kind_of_missing_is_a_gap(missing):
    assert series.segment_ids([2020, 2021, 2022], [1.0, missing, 3.0]) == [0, None, 1]
