"""Index axes run to the programme's own maximum: TI's 2018 investment ranking counts to 20,
and on an axis to 100 its leader (Ivano-Frankivsk, 15 of 20) sat in the bottom fifth."""

from __future__ import annotations

import json


def index_domains(at) -> list[list[float]]:
    """The scale domains of every index axis (``total`` or ``mean``) in the page's charts."""
    found: list[list[float]] = []

    def walk(node):
        if isinstance(node, dict):
            for channel in ("x", "y"):
                enc = node.get(channel)
                if isinstance(enc, dict) and enc.get("field") in ("total", "mean"):
                    domain = (enc.get("scale") or {}).get("domain")
                    if domain:
                        found.append(domain)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for chart in at.get("vega_lite_chart"):
        walk(json.loads(chart.proto.spec))
    return found


def test_investment_city_history_runs_to_twenty(app):
    at = app("city", programme="tc-investment", year="2018", city="ua-ivano-frankivsk")
    domains = index_domains(at)
    assert domains and all(d == [0, 20.0] for d in domains), domains


def test_transparency_axes_run_to_a_hundred(app):
    at = app("trends", programme="tc-transparency", year="2018")
    domains = index_domains(at)
    assert domains and all(d == [0, 100.0] for d in domains), domains


def test_investment_trends_run_to_twenty(app):
    at = app("trends", programme="tc-investment", year="2018")
    domains = index_domains(at)
    assert domains and all(d == [0, 20.0] for d in domains), domains


def test_investment_map_colours_to_twenty(app):
    """The overview's SVG map colours the investment ranking from 0 to 20: its legend ends at
    20, and a region's mean of 15 is the colour three quarters up the scale, not a quarter."""
    from analytics import svgmap
    from tests.pages.conftest import svg_map

    at = app("overview", programme="tc-investment", year="2018", lang="en")
    legend = next(m.value for m in at.markdown if "ocm-legend" in m.value or "gradient" in m.value)
    assert ">20<" in legend and ">100<" not in legend
    assert svgmap.index_colour(15, 20) == svgmap.index_colour(75)
    assert svgmap.index_colour(75) != svgmap.index_colour(15)
    assert svg_map(at) is not None


def test_compare_heat_leaves_an_unscored_area_empty(monkeypatch, built_db):
    """Moldova's district councils 2020: four criteria have no score; their cells stay empty
    (no rect) and no "null" or "NaN" is written into them."""
    import vl_convert

    from pages import charts

    monkeypatch.setenv("OCM_DB", str(built_db))
    cities = ("md-criuleni-district", "md-cahul-district")
    spec = charts.compare_heat("md-idis-districts-2020", 2020, cities, "en").to_dict()
    svg = vl_convert.vegalite_to_svg(spec)
    assert "Criuleni" in svg
    assert ">null<" not in svg and ">NaN<" not in svg


def test_class_shares_are_missing_where_a_year_has_no_such_class(monkeypatch, built_db):
    """TI's 2017 letter bands are no class of the 2018 methodology: their 2018 share is
    missing, not 0 %, in the figures (and downloads); the 2017 bands are drawn with colours
    of their own (their bars were left out of the chart: 2017 stood empty)."""
    from analytics import storage, trends
    from pages import charts

    con = storage.connect_read_only(built_db)
    agg = trends.aggregate(con, "tc-transparency", "all").set_index("year")
    assert agg.loc[2017, "share band I"] == 0.66 and pd_isna(agg.loc[2018, "share band I"])
    assert pd_isna(agg.loc[2017, "share transparent"])  # 2017 showed bands only
    assert agg.loc[2019, "share transparent"] == 0.0  # a class of the year, no city in it
    md = trends.aggregate(con, "md-idis-localities", "all").set_index("year")
    assert md.loc[2017, "share A"] == 0.0  # Moldova's grade scale has A every edition
    monkeypatch.setenv("OCM_DB", str(built_db))
    spec = charts.trends_classes("tc-transparency").to_dict()
    layer = spec["layer"][0]
    drawn = {r["class"] for d in spec["datasets"].values() for r in d if "class" in r}
    scale = layer["encoding"]["color"]["scale"]
    assert "band I" in scale["domain"] and "band I" in drawn
    colour = dict(zip(scale["domain"], scale["range"]))
    assert colour["band I"] not in {colour[c] for c in ("transparent", "non-transparent")}


def pd_isna(v) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


def test_ti_ukraine_scatter_only_beside_ti_ukraine_rankings(app):
    """Moldova's compare page drew TI Ukraine's transparency × accountability scatter under
    IDIS's source line; it belongs beside TI Ukraine's own rankings, with their source."""
    from tests.pages.conftest import texts

    md = app("compare", programme="md-idis-localities", year="2024",
             cities=["md-balti", "md-cahul"])  # fmt: skip
    assert "Transparency against accountability" not in texts(md)
    tc = app("compare", programme="tc-transparency", year="2021",
             cities=["ua-lviv", "ua-kyiv"])  # fmt: skip
    assert "Transparency against accountability" in [s.value for s in tc.subheader]
    scatter = [c.proto.spec for c in tc.get("vega_lite_chart") if "Accountability" in c.proto.spec]
    assert scatter and "Transparency International Ukraine" in scatter[0]
