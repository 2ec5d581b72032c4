"""Page parts of the spatial layer, run headless: the map's switch, distance peers, hromada
context, the context scatter."""

from __future__ import annotations

import pytest

from tests.pages.conftest import texts
from tests.pages.test_pages import map_chart


def layer_kinds(at) -> list[str]:
    spec, _ = map_chart(at)
    return [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]


def test_map_switch_cities_regions_both(app):
    at = app("overview", programme="tc-transparency", year="2018")
    assert layer_kinds(at) == ["geoshape", "point", "geoshape", "circle"]  # both by default
    at.button_group[0].set_value("cities").run()
    assert layer_kinds(at) == ["geoshape", "circle"]
    at.button_group[0].set_value("regions").run()
    assert layer_kinds(at) == ["geoshape", "point", "geoshape"]
    assert "pale: no data" in texts(at)


def test_region_tooltips_in_the_chosen_language(app):
    at = app("overview", programme="tc-transparency", year="2018", lang="uk")
    spec, _ = map_chart(at)
    regions = spec["layer"][0]
    values = regions["data"]["values"]
    names = {f["properties"]["region"]: f["properties"] for f in values}
    assert names["UA-LVIV"]["name"] == "Львівська область"
    assert names["UA-CRIMEA"]["shown"] == "немає даних: жодного оціненого міста"  # not 0
    assert [t["title"] for t in regions["encoding"]["tooltip"]][0] == "Регіон"


def test_city_profile_shows_distance_peers_and_hromada(app):
    at = app("city", city="ua-lviv", programme="tc-transparency", year="2018")
    t = texts(at)
    assert "Nearby cities" in t and "Hromada context" in t
    assert "KSE Local Data Hub" in t and "Hromada: Львівська." in t
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hromada population, 2022"] == "777,234"
    assert metrics["e-dem.ua tools, 2022"] == "2 / 4"


def test_kyiv_says_it_has_no_hromada_data(app):
    at = app("city", city="ua-kyiv", programme="tc-transparency", year="2018")
    assert "special status" in texts(at)


@pytest.mark.parametrize(
    "lang, word", [("en", "Association, not cause"), ("uk", "Зв'язок, а не причина")]
)
def test_context_scatter_says_association_with_r_and_n(app, lang, word):
    at = app("trends", programme="tc-transparency", year="2018", lang=lang)
    t = texts(at)
    assert word in t and "99" in t


@pytest.mark.parametrize(
    "programme, year, countries",
    [
        ("md-idis-localities", "2018", {"MD"}),
        ("tc-transparency", "2018", {"UA"}),
        ("demo-index", "2025", {"AM", "AZ", "BY", "GE", "MD", "UA"}),
    ],
)
def test_the_map_frames_the_programmes_countries(app, programme, year, countries):
    """A Moldovan programme fills the map with Moldova (a dot in a corner of the Eastern
    Partnership would be unreadable on a projector); the outlines still show all six."""
    at = app("overview", programme=programme, year=year)
    spec, _ = map_chart(at)
    framed = {f["properties"]["iso2"] for f in spec["projection"]["fit"]["features"]}
    assert framed == countries


def test_the_outlines_are_filled_into_the_finished_spec(app):
    """Altair builds the map around placeholders (validating the outlines cost a second per
    programme-year); none is left in what the browser gets, every outline is there."""
    import json

    from pages import geomap

    at = app("overview", programme="tc-transparency", year="2018")
    spec, _ = map_chart(at)
    assert geomap.PLACEHOLDER not in json.dumps(spec)
    assert len(spec["layer"][0]["data"]["values"]) == 175  # every region
    filled = geomap._fill({"a": [1, geomap._placeholder("x")], "b": geomap._placeholder("x")},
                          {"x": [{"id": 1}]})  # fmt: skip
    assert filled == {"a": [1, [{"id": 1}]], "b": [{"id": 1}]}
