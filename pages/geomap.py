"""The overview map drawn with Vega-Lite (Altair geoshape), offline: country outlines, the
region choropleth (mean index of the assessed cities of each region, "no data" where none),
cities as points on top. No deck.gl: the landing page does not load the 3 MB map bundle.

Like the builders in ``pages.charts``, each takes only hashable parameters and fetches its own
data, so ``common.chart`` caches the finished spec per database version and language.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from analytics import dashboard, geo, results, svgmap
from pages.charts import index_top
from pages.common import (
    NO_CLASS_COLOUR,
    cached_call,
    class_colour,
    fmt_points,
    label,
    lang,
    page_href,
    run,
    signature,
    t,
)

NO_DATA_FILL = svgmap.NO_DATA_FILL
VIRIDIS = svgmap.VIRIDIS
LAYERS = ("cities", "regions", "both")


def _hex(rgb: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def city_points(programme: str, year: int) -> pd.DataFrame:
    """The map's cities with their labels in the chosen language (index, class, rank of N)."""
    lg = lang()
    pts = run(dashboard.map_points, programme, year, lang=lg).copy()
    pts["assessed"] = pts["total"].notna() | pts["class_name"].notna()
    pts["label_total"] = [
        fmt_points(v) if not pd.isna(v) else t("no total published") if isinstance(c, str) else ""
        for v, c in zip(pts["total"], pts["class_name"])
    ]
    pts["label_class"] = pts["class_name"].map(
        lambda c: label(c) if isinstance(c, str) else t("no class")
    )
    pts["label_rank"] = [
        "" if pd.isna(r) else t("rank {r}", r=int(r)) + " " + results.rank_text(r, s, n, lg)[1]
        for r, s, n in zip(pts["rank"], pts["rank_source"], pts["ranked_cities"])
    ]
    pts["class_colour"] = [
        _hex(class_colour(p, n) if a else NO_CLASS_COLOUR)
        for p, n, a in zip(pts["class_position"], pts["class_count"].fillna(0), pts["assessed"])
    ]
    pts["pop"] = pts["population"].fillna(5_000).clip(lower=5_000)
    keep = ["city", "name", "country_name", "lat", "lon", "pop", "total", "assessed"]
    keep += ["label_total", "label_class", "label_rank", "class_colour"]
    return pts.sort_values("pop", ascending=False)[keep]


def _countries(fill: bool) -> alt.Chart:
    """The six countries' outlines (``_fill`` puts them in), filled or as borders."""
    mark = (
        alt.MarkDef(type="geoshape", fill="#ecece8", stroke="#787878", strokeWidth=0.8)
        if fill
        else alt.MarkDef(
            type="geoshape", filled=False, fillOpacity=0, stroke="#444444", strokeWidth=1.2
        )
    )
    return alt.Chart(alt.Data(values=_placeholder("countries")), mark=mark).encode(
        tooltip=alt.value(None)
    )


def index_colour(value: float | None, top: float = 100.0) -> str:
    """The viridis colour of an index from 0 to ``top``; the "no data" fill for a missing
    value."""
    return svgmap.index_colour(value, top) or NO_DATA_FILL


def _whole(top: float) -> str:
    """The scale's end as the legend writes it: "100", "20" (a fraction as points)."""
    return str(int(top)) if float(top).is_integer() else fmt_points(top)


def region_values(programme: str, year: int, lg: str) -> list[dict]:
    """The regions' features with their fill and the text their tooltip shows."""
    features = run(geo.region_features, programme, year, lang=lg)
    no_data = t("no data: no assessed city")
    top = index_top(programme, year)
    for f in features:
        props = f["properties"]
        props["fill"] = index_colour(props["mean"], top)
        props["shown"] = no_data if props["mean"] is None else fmt_points(props["mean"])
    return features


def _regions(top: float) -> list[alt.Chart]:
    """One layer for every region (``region_values``, filled in by ``_fill``), filled by its
    mean index (pale where no data: never a colour of the scale), and an invisible layer that
    draws the scale's legend."""
    shapes = (
        alt.Chart(alt.Data(values=_placeholder("regions")))
        .mark_geoshape(stroke="#9a9a9a", strokeWidth=0.4)
        .encode(
            color=alt.Color("properties.fill:N", scale=None, legend=None),
            tooltip=[
                alt.Tooltip("properties.name:N", title=t("Region")),
                alt.Tooltip("properties.country_name:N", title=t("Country")),
                alt.Tooltip("properties.shown:N", title=t("Mean index")),
                alt.Tooltip("properties.n:Q", title=t("Cities with an index")),
            ],
        )
    )
    scale = pd.DataFrame({"v": [0.0, top], "lon": [30.5, 30.5], "lat": [50.4, 50.4]})
    legend = (
        alt.Chart(scale)
        .mark_point(opacity=0)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(
                "v:Q",
                title=t("Mean index of the region's cities"),
                scale=alt.Scale(range=list(VIRIDIS), domain=[0, top]),
                legend=alt.Legend(orient="bottom", gradientLength=220, titleLimit=320),
            ),
            tooltip=alt.value(None),
        )
    )
    return [shapes, legend]


def _cities(programme: str, year: int, colour_by: str) -> alt.Chart:
    pts = city_points(programme, year)
    pick = alt.selection_point(name="pick", fields=["city"], on="click", empty=False)
    base = alt.Chart(pts).encode(
        longitude="lon:Q",
        latitude="lat:Q",
        size=alt.Size(
            "pop:Q", scale=alt.Scale(type="sqrt", range=[12, 420]), legend=None, title=None
        ),
        opacity=alt.condition("datum.assessed", alt.value(0.92), alt.value(0.35)),
        tooltip=[
            alt.Tooltip("name:N", title=t("City")),
            alt.Tooltip("country_name:N", title=t("Country")),
            alt.Tooltip("label_total:N", title=t("Index")),
            alt.Tooltip("label_class:N", title=t("Class")),
            alt.Tooltip("label_rank:N", title=t("Rank")),
        ],
    )
    if colour_by == "index":
        colour = alt.condition(
            "isValid(datum.total)",
            alt.Color(
                "total:Q",
                title=t("Index"),
                scale=alt.Scale(range=list(VIRIDIS), domain=[0, index_top(programme, year)]),
                legend=alt.Legend(orient="bottom", gradientLength=220),
            ),
            alt.value(_hex(NO_CLASS_COLOUR)),
        )
    else:
        colour = alt.Color("class_colour:N", scale=None, legend=None)
    return base.mark_circle(stroke="#282828", strokeWidth=0.6).encode(color=colour).add_params(pick)


def _extent(programme: str, year: int, lg: str) -> dict:
    """What the map frames: the countries where the programme assessed a city that year (a
    Moldovan programme fills the map with Moldova, not the whole Eastern Partnership); all six
    where none was assessed."""
    outlines = run(dashboard.country_outlines, lang=lg)["features"]
    pts = run(dashboard.map_points, programme, year, lang=lg)
    assessed = pts["total"].notna() | pts["class_name"].notna()
    shown = set(pts.loc[assessed, "country"])
    framed = [f for f in outlines if f["properties"]["iso2"] in shown] or outlines
    return {"type": "FeatureCollection", "features": framed}


def _placeholder(name: str) -> list[dict]:
    """A stand-in for a list of features while Altair builds the chart (a valid feature, so
    a projection's ``fit`` accepts it): Altair validates every value it is given on each step,
    a second for the regions' outlines; the real values go into the finished spec
    (``_fill``)."""
    point = {"type": "Point", "coordinates": [0, 0]}
    return [{"type": "Feature", "geometry": point, "properties": {PLACEHOLDER: name}}]


PLACEHOLDER = "__ocm_geometry__"


def _fill(node: Any, values: dict[str, Any]) -> Any:
    """``node`` with every placeholder list replaced by its values."""
    if isinstance(node, list):
        head = node[0] if len(node) == 1 else None
        name = (head.get("properties") or {}).get(PLACEHOLDER) if isinstance(head, dict) else None
        if name is not None:
            return values[name]
        return [_fill(v, values) for v in node]
    if isinstance(node, dict):
        return {k: _fill(v, values) for k, v in node.items()}
    return node


def overview_map(programme: str, year: int, colour_by: str, layer: str) -> dict:
    """The overview map's Vega-Lite spec: ``layer`` is cities, regions or both; ``colour_by``
    (class or index) colours the cities. Built by Altair around placeholders, the outlines
    filled in afterwards."""
    lg = lang()
    regions = layer in ("regions", "both")
    layers: list[alt.Chart] = (
        [*_regions(index_top(programme, year)), _countries(fill=False)]
        if regions
        else [_countries(fill=True)]
    )
    if layer in ("cities", "both"):
        layers.append(_cities(programme, year, colour_by))
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent", size="independent")
        .project(
            type="mercator", fit={"type": "FeatureCollection", "features": _placeholder("fit")}
        )
        .properties(height=560)
        .configure_view(strokeWidth=0)
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
    values = {
        "countries": run(dashboard.country_outlines, lang=lg)["features"],
        "regions": region_values(programme, year, lg) if regions else [],
        "fit": _extent(programme, year, lg)["features"],
    }
    return _fill(chart.to_dict(validate=False), values)


def _svg_cities(programme: str, year: int, colour_by: str) -> list[svgmap.City]:
    pts = city_points(programme, year)
    grey = _hex(NO_CLASS_COLOUR)
    top = index_top(programme, year)
    rows = zip(*(pts[c] for c in ("city", "name", "country_name", "lon", "lat", "pop")))
    extra = zip(pts["total"], pts["assessed"], pts["class_colour"], pts["label_total"])
    out = []
    for (city, name, country, lon, lat, pop), (total, assessed, cls, shown) in zip(rows, extra):
        i = len(out)
        fill = cls if colour_by == "class" else svgmap.index_colour(total, top) or grey
        tip = svgmap.tooltip(
            [
                (t("City"), name),
                (t("Country"), country),
                (t("Index"), shown),
                (t("Class"), pts["label_class"].iat[i]),
                (t("Rank"), pts["label_rank"].iat[i]),
            ]
        )
        href = page_href("city", city=city, programme=programme, year=year)
        out.append(svgmap.City(lon, lat, pop, fill, tip, href, faded=not assessed))
    return out


def _svg_regions(programme: str, year: int, lg: str) -> list[svgmap.Shape]:
    out = []
    top = index_top(programme, year)
    for f in region_values(programme, year, lg):
        p = f["properties"]
        tip = svgmap.tooltip(
            [
                (t("Region"), p["name"]),
                (t("Country"), p["country_name"]),
                (t("Mean index"), p["shown"]),
                (t("Cities with an index"), str(p["n"])),
            ]
        )
        fill = svgmap.index_colour(p["mean"], top)  # None: drawn "no data"
        out.append(svgmap.Shape(f["geometry"], fill, tip))
    return out


def _svg_legend(programme: str, year: int, colour_by: str, layer: str) -> str:
    swatches: list[tuple[str | None, str]] = []
    scale = None
    top = index_top(programme, year)
    if layer != "cities":
        scale = (t("Mean index of the region's cities"), "0", _whole(top))
        swatches.append((None, t("no data: no assessed city")))
    if layer != "regions" and colour_by == "class":
        classes = run(dashboard.overview, programme, year)["classes"].dropna(subset=["position"])
        n = len(run(dashboard.class_list, programme))
        swatches += [
            (_hex(class_colour(p, n)), label(c))
            for p, c in zip(classes["position"], classes["class_name"])
        ]
        swatches.append((_hex(NO_CLASS_COLOUR), t("no class")))
    elif layer != "regions":
        scale = scale or (t("Index"), "0", _whole(top))
        swatches.append((_hex(NO_CLASS_COLOUR), t("no total")))
    return svgmap.legend_html(swatches, scale)


def overview_svg(programme: str, year: int, colour_by: str, layer: str) -> str:
    """The overview's light map: an SVG made here (no chart code for the browser to load)
    and its legend, as HTML. ``layer`` and ``colour_by`` as for ``overview_map``."""
    lg = lang()
    regions = _svg_regions(programme, year, lg) if layer != "cities" else []
    cities = _svg_cities(programme, year, colour_by) if layer != "regions" else []
    svg = svgmap.render(
        [f["geometry"] for f in _extent(programme, year, lg)["features"]],
        [f["geometry"] for f in run(dashboard.country_outlines, lang=lg)["features"]],
        regions,
        cities,
        label=t("Map of the cities and regions"),
    )
    legend = _svg_legend(programme, year, colour_by, layer)
    return f'<div class="ocm-svg-map">{svg}{legend}</div>'


@st.cache_resource(max_entries=256, show_spinner=False)
def _svg_cached(sig: tuple, programme: str, year: int, colour_by: str, layer: str, lg: str):
    return overview_svg(programme, year, colour_by, layer)


def draw_svg_map(programme: str, year: int, colour_by: str, layer: str) -> None:
    """Draw ``overview_svg``, cached per database version, programme, year, colour, layer
    and language like the chart specs. Markdown keeps SVG (``st.html`` drops it); the
    links' ``target="_self"`` keeps a city's profile in the same tab."""
    html = cached_call(_svg_cached, signature(), programme, year, colour_by, layer, lang())
    st.markdown(html, unsafe_allow_html=True)


def gis_downloads(programme: str, year: int, prog: dict) -> None:
    """The map as GIS files (GeoJSON of the cities, of the regions; a GeoPackage of both),
    labelled like every download (programme, methodology, year, source, licence, synthetic),
    made when clicked."""
    import streamlit as st

    from pages import common

    lg = lang()
    stem = geo.file_stem(f"map-{programme}-{year}", bool(prog.get("synthetic")))

    def files() -> dict[str, bytes]:
        return run(geo.downloads, programme, year, lang=lg)

    c1, c2, c3, _ = st.columns([1.3, 1.3, 1.3, 4])
    for col, label_, part, ext, mime in (
        (c1, t("Cities, GeoJSON"), "cities.geojson", "cities.geojson", "application/geo+json"),
        (c2, t("Regions, GeoJSON"), "regions.geojson", "regions.geojson", "application/geo+json"),
        (c3, t("GeoPackage"), "gpkg", "gpkg", "application/geopackage+sqlite3"),
    ):
        col.download_button(
            label_,
            lambda part=part: files()[part],
            f"{stem}.{ext}",
            mime,
            key=f"gis_{part}",
            icon=":material/map:",
            on_click="ignore",
        )
    del common
