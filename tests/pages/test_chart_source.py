"""A chart saved as PNG or SVG says where it comes from (and that synthetic data is synthetic)."""

from __future__ import annotations

import json

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
        programme_name="Transparency Ranking of Ukrainian cities",
        methodology="tc-transparency-2019",
        organisation="TI Ukraine",
        source_url="https://transparentcities.in.ua/en/x",
    )
    lines = common.source_line(about)
    assert lines == [
        # the programme's name, never a methodology code ("tc-transparency-2019")
        "Source: TI Ukraine · Transparency Ranking of Ukrainian cities · Open Cities Monitor",
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


def subtitles(at) -> dict[str, list[str]]:
    """Each chart's title (or its number) with the source lines printed into it."""
    out = {}
    for i, c in enumerate(at.get("vega_lite_chart")):
        title = json.loads(c.proto.spec).get("title") or {}
        if isinstance(title, dict) and isinstance(title.get("text"), list):  # lines only
            out[str(i)] = list(title["text"])
        elif isinstance(title, dict):
            out[str(title.get("text"))] = list(title.get("subtitle") or [])
    return out


def test_country_backdrop_charts_name_their_own_sources(app):
    """The CPI chart is Transparency International's CPI (CC BY-ND), not the page's programme:
    it once carried "Source: … (Transparent Cities) · tc-transparency-2017" and the
    ranking's page. Programme lines name the programme in the chosen language."""
    at = app("trends", programme="tc-transparency", year="2018", lang="uk")
    lines = subtitles(at)
    cpi = next(v for k, v in lines.items() if "корупції" in k)
    assert cpi[0].startswith("Джерело: Transparency International, Corruption Perceptions Index")
    assert "CC BY-ND 4.0" in cpi[0] and cpi[1] == "https://www.transparency.org/en/cpi/2024"
    assert not any("Transparent Cities" in x for x in cpi)
    everything = [x for v in lines.values() for x in v]
    assert not any("tc-transparency-20" in x for x in everything)
    assert (
        "Джерело: Transparency International Ukraine (Transparent Cities) · Рейтинг "
        "прозорості міст України · Open Cities Monitor"
    ) in everything


def test_city_beside_country_names_the_programme_and_the_country_sources(app):
    at = app("city", programme="tc-transparency", year="2018", city="ua-lviv")
    both = [v for v in subtitles(at).values() if any("Worldwide Governance" in x for x in v)]
    assert len(both) == 1
    (lines,) = both
    assert lines[0] == (
        "Source: Transparency International Ukraine (Transparent Cities) · Transparency "
        "Ranking of Ukrainian cities · Open Cities Monitor"
    )
    assert any(x.startswith("Source: Transparency International, Corruption") for x in lines)
    assert any(x.startswith("Source: Kaufmann & Kraay, Worldwide Governance") for x in lines)
