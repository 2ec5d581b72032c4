"""One figure, three views (Chart / Map / Table under a year player) on trends, city history
and rankings, and the source line every exported chart carries."""

from __future__ import annotations

import json

import pytest

from tests.pages.conftest import texts


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_ranking_chart_shows_only_cities_with_a_total(app):
    import pyarrow as pa

    at = app("rankings", programme="tc-transparency", year="2017")
    at.segmented_control(key="ranking_fig_view").set_value("chart").run()
    el = at.get("vega_lite_chart")[0]  # the figure (the workbench charts follow below)
    (frame,) = [pa.ipc.open_stream(d.data.data).read_pandas() for d in el.proto.datasets]
    assert len(frame) == 100 and frame["total"].notna().all()
    assert list(frame["total"].head(2)) == [57.0, 56.0]  # Lviv, Kropyvnytskyi (TI 2017)


@pytest.mark.parametrize(
    "page, query, key",
    [
        ("trends", {"programme": "tc-transparency", "year": "2018"}, "trends_fig"),
        ("city", {"programme": "tc-transparency", "year": "2018", "city": "ua-lviv"}, "city_fig"),
        ("rankings", {"programme": "tc-transparency", "year": "2018"}, "ranking_fig"),
    ],
)
def test_three_views_of_one_selection_with_a_player(app, page, query, key):
    at = app(page, **query)
    assert at.button(key=f"{key}_button").label == "Play"
    assert at.select_slider(key=f"{key}_year").value == 2018
    at.segmented_control(key=f"{key}_view").set_value("map").run()
    assert not at.exception
    geo = [s for s in specs(at) if "geoshape" in json.dumps(s)]
    assert geo, "the map view draws the programme-year on the map"
    at.segmented_control(key=f"{key}_view").set_value("table").run()
    assert at.dataframe, "the table view lists the year's figures"
    # stepping the year moves the figure: 2019 starts a new methodology and says so
    at.select_slider(key=f"{key}_year").set_value(2019).run()
    assert "2019: a new methodology" in texts(at)


def test_every_exported_chart_carries_its_source(app):
    at = app("trends", programme="tc-transparency", year="2018")
    charts = specs(at)
    assert charts
    firsts = []
    for spec in charts:
        title = spec["title"]
        lines = title.get("subtitle") or title["text"]  # a chart's own title keeps its place
        lines = lines if isinstance(lines, list) else [lines]
        firsts.append(lines[0])
    # the programme's figures name the programme's source; the country backdrop its own (CPI)
    programme = [x for x in firsts if x.startswith("Source: Transparency International Ukraine")]
    backdrop = [x for x in firsts if x.startswith("Source: Transparency International, Corrupt")]
    assert programme and len(programme) + len(backdrop) == len(firsts), firsts
    labels = {b.label for b in at.get("download_button")}
    assert {"SVG", "PDF"} <= labels
    from pages.common import _pdf, _svg

    svg = _svg(charts[0]).decode()
    said = charts[0]["title"].get("subtitle") or charts[0]["title"]["text"]
    assert "Transparency International Ukraine" in svg
    assert all(line in svg for line in said)  # the source and its page, printed in
    assert _pdf(charts[0]).startswith(b"%PDF")


def test_synthetic_chart_says_so_in_its_source_line(app):
    at = app("trends", programme="demo-index", year="2025")

    def lines(spec):
        found = spec["title"].get("subtitle") or spec["title"]["text"]
        return " ".join(found if isinstance(found, list) else [found])

    said = [lines(s) for s in specs(at)]
    # the demo's figures say they are synthetic; the country backdrop is real (CPI) and says so
    demo = [x for x in said if "SYNTHETIC demo data" in x]
    real = [x for x in said if x.startswith("Source: Transparency International, Corrupt")]
    assert demo and len(demo) + len(real) == len(said), said
