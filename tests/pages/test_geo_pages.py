"""Page parts of the spatial layer, run headless: the map's switch, distance peers, hromada
context, the context scatter."""

from __future__ import annotations

import pytest

from analytics import svgmap
from tests.pages.conftest import SVG, svg_map, svg_titles, texts
from tests.pages.test_pages import interactive, map_chart


def layer_kinds(at) -> list[str]:
    spec, _ = map_chart(at)
    return [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]


def svg_layers(at) -> tuple[int, int, str]:
    """The SVG map's regions, cities and what its country outlines are (land or borders)."""
    root = svg_map(at)
    groups = root.findall("s:g", SVG)
    regions = len(root.findall("s:g/s:path[@fill]", SVG))
    cities = len(root.findall("s:g/s:a", SVG))
    countries = groups[1 if regions else 0].get("fill")
    return regions, cities, "borders" if countries == "none" else "land"


def test_map_switch_cities_regions_both(app):
    """The first view's map is the SVG: regions under the borders and cities by default; the
    switch takes either away. The interactive map has the same switch."""
    at = app("overview", programme="tc-transparency", year="2018")
    assert not at.get("vega_lite_chart")  # no chart code for the landing page
    regions, cities, countries = svg_layers(at)
    assert regions >= 25 and cities >= 100 and countries == "borders"  # Ukraine's oblasts
    at.button_group[0].set_value("cities").run()
    assert svg_layers(at)[0] == 0 and svg_layers(at)[2] == "land"
    at.button_group[0].set_value("regions").run()
    assert svg_layers(at)[1] == 0 and svg_layers(at)[0] == regions
    assert "pale: no data" in texts(at)
    interactive(at)
    assert layer_kinds(at) == ["geoshape", "point", "geoshape"]
    at.button_group[0].set_value("cities").run()
    assert layer_kinds(at) == ["geoshape", "circle"]
    at.button_group[0].set_value("both").run()
    assert layer_kinds(at) == ["geoshape", "point", "geoshape", "circle"]


def test_region_tooltips_in_the_chosen_language(app):
    at = app("overview", programme="tc-transparency", year="2018", lang="uk")
    root = svg_map(at)
    regions = {
        (t := e.findtext("s:title", namespaces=SVG)).split("\n")[0]: (t, e.get("fill"))
        for e in root.findall("s:g/s:path[@fill]", SVG)
    }
    lviv, _ = regions["Регіон: Львівська область"]
    assert "Країна: Україна" in lviv and "Середній індекс: " in lviv
    crimea = next(v for k, v in regions.items() if "Крим" in k)  # Crimea is Ukraine's
    assert "Країна: Україна" in crimea[0]
    assert "Середній індекс: немає даних: жодного оціненого міста" in crimea[0]  # not 0
    assert crimea[1] == svgmap.NO_DATA_FILL
    interactive(at)
    spec, _ = map_chart(at)
    values = spec["layer"][0]["data"]["values"]
    names = {f["properties"]["region"]: f["properties"] for f in values}
    assert names["UA-LVIV"]["name"] == "Львівська область"
    assert names["UA-CRIMEA"]["shown"] == "немає даних: жодного оціненого міста"  # not 0
    assert [t["title"] for t in spec["layer"][0]["encoding"]["tooltip"]][0] == "Регіон"


def test_svg_city_links_keep_programme_year_and_language(app):
    at = app("overview", programme="tc-transparency", year="2018", lang="uk")
    root = svg_map(at)
    links = {
        a.find("s:circle/s:title", SVG).text.split("\n")[0]: a.get("href")
        for a in root.findall("s:g/s:a", SVG)
    }
    href = links["Місто: Кам’янець-Подільський"]
    assert href.startswith("./city?") and "city=ua-kamianets-podilskyi" in href
    assert "programme=tc-transparency" in href and "year=2018" in href and "lang=uk" in href


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
    root = svg_map(at)
    shown = {t.split("\n")[0] for t in svg_titles(root, "s:g/s:a/s:circle")}
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    if countries == {"MD"}:  # Moldova is taller than wide; Kyiv is off the map
        assert height > width and "City: Kyiv" not in shown and "City: Chisinau" in shown
    else:  # Ukraine, or all six, wider than tall
        assert height < width and "City: Kyiv" in shown
    interactive(at)
    spec, _ = map_chart(at)
    framed = {f["properties"]["iso2"] for f in spec["projection"]["fit"]["features"]}
    assert framed == countries


def test_the_outlines_are_filled_into_the_finished_spec(app):
    """Altair builds the map around placeholders (validating the outlines cost a second per
    programme-year); none is left in what the browser gets, every outline is there."""
    import json

    from pages import geomap

    at = interactive(app("overview", programme="tc-transparency", year="2018"))
    spec, _ = map_chart(at)
    assert geomap.PLACEHOLDER not in json.dumps(spec)
    assert len(spec["layer"][0]["data"]["values"]) == 175  # every region
    filled = geomap._fill({"a": [1, geomap._placeholder("x")], "b": geomap._placeholder("x")},
                          {"x": [{"id": 1}]})  # fmt: skip
    assert filled == {"a": [1, [{"id": 1}]], "b": [{"id": 1}]}
