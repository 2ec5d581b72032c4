"""A chart saved as PNG or SVG says where it comes from (and that synthetic data is synthetic)."""

from __future__ import annotations

import vl_convert

from analytics import exports
from pages import common

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"year": 2020, "total": 50.0}, {"year": 2021, "total": 55.5}]},
    "mark": "line",
    "encoding": {
        "x": {"field": "year", "type": "ordinal"},
        "y": {"field": "total", "type": "quantitative"},
    },
}


def test_real_chart_names_its_source_and_page():
    about = exports.About(
        what="history",
        programme="tc-transparency",
        methodology="tc-transparency-2019",
        organisation="TI Ukraine",
        source_url="https://transparentcities.in.ua/en/x",
    )
    lines = common.source_line(about)
    assert lines == [
        "Source: TI Ukraine · tc-transparency-2019 · Open Cities Monitor",
        "https://transparentcities.in.ua/en/x",
    ]
    svg = vl_convert.vegalite_to_svg(common.with_source_line(SPEC, lines))
    assert "Source: TI Ukraine" in svg and "transparentcities.in.ua/en/x" in svg


def test_synthetic_chart_says_so_and_keeps_its_title():
    about = exports.About(what="history", programme="demo-index", synthetic=True)
    lines = common.source_line(about)
    assert lines == ["SYNTHETIC demo data, not a real assessment · Open Cities Monitor"]
    spec = common.with_source_line({**SPEC, "title": "History"}, lines)
    assert spec["title"] == {"text": "History", "subtitle": lines}
    assert "SYNTHETIC demo data" in vl_convert.vegalite_to_svg(spec)
