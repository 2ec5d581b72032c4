"""The overview's SVG map (analytics.svgmap): expectations worked out by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from analytics import svgmap
from analytics.svgmap import City, Shape

NS = {"s": "http://www.w3.org/2000/svg"}


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


FRAME = square(20, 40, 30, 50)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def test_missing_index_has_no_colour_and_is_never_like_zero():
    assert svgmap.index_colour(None) is None
    assert svgmap.index_colour(float("nan")) is None
    assert svgmap.index_colour(0) == "#440154"  # the first stop of viridis
    assert svgmap.index_colour(100) == "#fde725"  # the last
    assert svgmap.index_colour(50) == "#21918c"  # 50 / 10 = stop 5 exactly
    # 5 is half way from stop 0 (#440154) to stop 1 (#482475): (0x44 + 0x48) / 2 = 0x46,
    # (0x01 + 0x24) / 2 = 18.5 and (0x54 + 0x75) / 2 = 100.5, rounded half to even: 0x12, 0x64
    assert svgmap.index_colour(5) == "#461264"
    assert svgmap.NO_DATA_FILL not in svgmap.VIRIDIS


def test_square_frame_fills_the_width_and_keeps_its_shape():
    """Lon 20–30, lat 40–50, standard parallel 45°: width 10° · π/180 · cos 45° = 0.123413,
    height (sin 50° − sin 40°) / cos 45° = (0.766044 − 0.642788) / 0.707107 = 0.174311;
    976 units wide (1000 less two margins of 12) → 976 · 0.174311 / 0.123413 = 1378.5 high,
    1379 rounded, plus the margins: 1403."""
    proj, height = svgmap.fit([FRAME])
    assert height == 1403
    assert svgmap.path_data(FRAME, proj) == "M12 1391l976 0 0-1379-976 0z"


def test_projection_keeps_kyiv_east_of_lviv_and_north_up():
    ukraine = square(22.1, 44.4, 40.2, 52.4)
    proj, height = svgmap.fit([ukraine])
    kyiv, lviv, odesa = proj(30.52, 50.45), proj(24.03, 49.84), proj(30.73, 46.48)
    assert kyiv[0] > lviv[0]  # east is right
    assert odesa[1] > kyiv[1]  # south is down
    for x, y in (kyiv, lviv, odesa):
        assert 0 < x < svgmap.WIDTH and 0 < y < height


def test_projection_is_equal_area():
    """Two 1° cells, at 40° and at 60° north: on the globe their areas are in the ratio
    (sin 41° − sin 40°) / (sin 61° − sin 60°) = 0.013274 / 0.008592 = 1.545; so on the map."""
    proj, _ = svgmap.fit([square(20, 40, 30, 61)])

    def area(lat: float) -> float:
        (x0, y0), (x1, y1) = proj(25, lat), proj(26, lat + 1)
        return abs((x1 - x0) * (y1 - y0))

    assert area(40) / area(60) == pytest.approx(1.545, abs=0.001)


def test_region_without_assessed_city_is_drawn_no_data():
    regions = [
        Shape(square(20, 40, 25, 50), svgmap.index_colour(0), "Region: A\nMean index: 0.0"),
        Shape(square(25, 40, 30, 50), svgmap.index_colour(None), "Region: B\nMean index: no data"),
    ]
    root = parsed(svgmap.render([FRAME], [FRAME], regions, [], label="Map"))
    fills = [p.get("fill") for p in root.findall("s:g/s:path[@fill]", NS)]
    assert fills == ["#440154", svgmap.NO_DATA_FILL]
    titles = [p.findtext("s:title", namespaces=NS) for p in root.findall("s:g/s:path[@fill]", NS)]
    assert titles[1] == "Region: B\nMean index: no data"
    # the country drawn as a border over the regions, not filled
    assert root.findall("s:g", NS)[1].get("fill") == "none"


def test_without_regions_the_countries_are_land():
    root = parsed(svgmap.render([FRAME], [FRAME], [], [], label="Map"))
    assert root.find("s:g", NS).get("fill") == svgmap.LAND_FILL


def city(name: str, lon: float, lat: float, pop: float | None, **kw) -> City:
    href = kw.pop("href", "./city?city=ua-x&programme=tc-transparency&year=2018&lang=uk")
    return City(lon, lat, pop, kw.pop("fill", "#4575b4"), f"City: {name}", href, **kw)


def test_city_is_a_link_with_its_tooltip_and_names_are_escaped():
    cities = [
        city("Kam'ianets-Podilskyi", 26.59, 48.68, 97_908),
        city('A <b>&"c"', 25.0, 45.0, None, faded=True),
    ]
    svg = svgmap.render([FRAME], [FRAME], [], cities, label="Cities' map")
    root = parsed(svg)
    links = root.findall("s:g/s:a", NS)
    assert [a.get("href") for a in links] == [
        "./city?city=ua-x&programme=tc-transparency&year=2018&lang=uk"
    ] * 2
    assert all(a.get("target") == "_self" for a in links)  # the profile opens in this tab
    titles = [a.findtext("s:circle/s:title", namespaces=NS) for a in links]
    assert titles == ["City: Kam'ianets-Podilskyi", 'City: A <b>&"c"']
    assert "<b>" not in svg and "&amp;programme" in svg
    assert root.get("aria-label") == "Cities' map"
    circles = [a.find("s:circle", NS) for a in links]
    assert circles[0].get("opacity") is None and circles[1].get("opacity") == "0.4"


def test_circles_largest_first_sized_by_population():
    """Area grows with population: a quarter of the largest city's people, half its radius."""
    wide = square(20, 40, 40, 45)  # 976 units wide, about 330 high
    cities = [
        city("small", 22, 42, 25_000),
        city("big", 28, 44, 100_000),
        city("unknown", 24, 41, None),
    ]
    root = parsed(svgmap.render([wide], [wide], [], cities, label="Map"))
    got = [
        (a.findtext("s:circle/s:title", namespaces=NS), float(a.find("s:circle", NS).get("r")))
        for a in root.findall("s:g/s:a", NS)
    ]
    assert got == [
        ("City: big", svgmap.R_MAX),
        ("City: small", svgmap.R_MAX / 2),
        ("City: unknown", svgmap.R_MIN),
    ]
    assert svgmap.radius(1, 1_000_000) == svgmap.R_MIN  # never smaller than R_MIN


def test_a_tall_map_draws_larger_circles():
    """The square frame is 1403 units high, drawn at most 620 px high: its circles grow by
    1403 / (0.7 · 1000) = 2.004 (15 · 2.004 = 30.06, written 30.1)."""
    root = parsed(svgmap.render([FRAME], [FRAME], [], [city("big", 25, 45, 10)], label="Map"))
    assert root.find("s:g/s:a/s:circle", NS).get("r") == "30.1"


def test_cities_and_outlines_outside_the_frame_are_left_out():
    far = square(60, 60, 61, 61)
    proj, _ = svgmap.fit([FRAME])
    svg = svgmap.render([FRAME], [FRAME, far], [], [city("far", 70, 70, 10)], label="Map")
    assert "<a " not in svg
    assert svg.count("<path") == 1  # the far square is not on the map
    # a ring that rounds to fewer than three points is no path at all
    assert svgmap.path_data(square(25, 45, 25.0001, 45.0001), proj) == ""


def test_path_numbers_are_short():
    assert svgmap._numbers([3, -4, 5, 0]) == "3-4 5 0"


def test_tooltip_lines_skip_empty_values():
    assert svgmap.tooltip([("City", "Lviv"), ("Rank", ""), ("Index", "—")]) == (
        "City: Lviv\nIndex: —"
    )


def test_legend_no_data_swatch_and_escaping():
    html = svgmap.legend_html(
        [(None, "no data"), ("#4575b4", "Kam'ianets <x>")], ("Index", "0", "100")
    )
    assert f"background:{svgmap.NO_DATA_FILL}" in html
    assert "&lt;x&gt;" in html and "<x>" not in html
    assert "linear-gradient(to right,#440154," in html
