"""Figures for the presentation slides: Altair charts in projector type (no text under 28 px),
drawn on this server as SVG (vl-convert), so a slide needs no script, no network and no
font the machine lacks, and every text of a figure can be measured in the page."""

from __future__ import annotations

import html
import importlib
import math
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from analytics import dashboard, slides, trends
from pages import charts, common
from pages.common import class_colour, run, t

MIN_PX = 28  # the smallest text on a slide
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"  # fonts the machine has
SLIDE_WIDTH = 1760


def slide_config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Projector type on every axis, legend, title and text mark."""
    return (
        chart.configure(font=FONT, background="white")
        .configure_axis(
            labelFontSize=MIN_PX,
            titleFontSize=30,
            labelLimit=600,
            titlePadding=16,
            tickSize=8,
            labelColor="#222",
            titleColor="#222",
        )
        .configure_legend(
            labelFontSize=MIN_PX,
            labelColor="#111",
            titleFontSize=30,
            symbolSize=700,
            labelLimit=700,
            orient="bottom",
            columns=0,
            symbolStrokeWidth=4,
            gradientLength=420,
            gradientThickness=28,
        )
        .configure_title(fontSize=32)
        .configure_text(fontSize=MIN_PX)
        .configure_view(strokeWidth=0)
    )


THICKER = {"line": ("strokeWidth", 5), "point": ("size", 260), "rule": ("strokeWidth", 3)}


def enlarge(node, min_px: int = MIN_PX):
    """A Vega-Lite spec with every explicit font size below ``min_px`` raised to it (the
    shared chart builders use 11–13 px for the screen), and lines and dots drawn thicker."""
    if isinstance(node, dict):
        out = {
            k: (max(v, min_px) if k == "fontSize" and isinstance(v, (int, float)) else enlarge(v))
            for k, v in node.items()
        }
        if isinstance(out.get("type"), str) and out["type"] in THICKER:
            key, least = THICKER[out["type"]]
            if isinstance(out.get(key, 0), (int, float)):
                out[key] = max(out.get(key, 0), least)
        return out
    if isinstance(node, list):
        return [enlarge(v, min_px) for v in node]
    return node


@st.cache_resource(max_entries=256, show_spinner=False)
def _slide_spec(module: str, name: str, sig: tuple, args: tuple, lang: str) -> dict:
    fn = getattr(importlib.import_module(module), name)
    spec = enlarge(slide_config(fn(*args)).to_dict(validate=False))
    locale = common.VEGA_LOCALES[lang]
    if locale:
        spec["config"] = {**spec.get("config", {}), "locale": {"number": locale}}
    # drawn as SVG, so that every text of a slide is an element whose size can be measured
    spec["usermeta"] = {"embedOptions": {"renderer": "svg", "actions": False}}
    return spec


def figure(fn: Callable, *args, source: bool = True) -> None:
    """Draw a slide figure from a builder here (spec cached per database version and
    language), at the size the builder gives it."""
    args = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    spec = _slide_spec(fn.__module__, fn.__name__, common.signature(), args, common.lang())
    st.vega_lite_chart(spec, width="content")
    if source:
        st.caption(common.figure_source_line(args))


# ------------------------------------------------------------------------------ the map


def _colour(position, n) -> str:
    return "#{:02x}{:02x}{:02x}".format(*class_colour(position, n))


def slide_map(
    programme: str,
    year: int,
    lang: str,
    width: int = 1160,
    height: int = 780,
    label_px: int = 30,
    highlight: str = "",
):
    """The programme-year's cities on the outlines of their countries, coloured by class (or
    by index where there are no classes), the top and bottom five named, a large legend;
    ``width`` × ``height`` in all, the legend included."""
    height -= LEGEND_SPACE  # the plot's own height: the legend goes below it
    points = run(dashboard.map_points, programme, year, lang=lang)
    shown = points[points["total"].notna() | points["class_name"].notna()]
    countries = set(shown["country"])
    outlines = run(dashboard.country_outlines, lang=lang)
    feats = [f for f in outlines["features"] if f["properties"]["iso2"] in countries]
    # a fixed projection (fitted to the countries here, as Vega would), so that the labels can
    # be placed where they cover nothing (analytics.slides.place_labels)
    proj = slides.map_projection(feats, shown, width, height)
    base = alt.Chart(alt.Data(values=feats)).mark_geoshape(
        fill="#ecece8", stroke="#666", strokeWidth=1.5
    )
    n = len(run(dashboard.class_list, programme))
    shown = shown.assign(
        cls=[t(c) if isinstance(c, str) else t("no class") for c in shown["class_name"]],
    )
    layers = [base]
    if shown["class_position"].notna().any():
        order = shown.dropna(subset=["class_position"]).sort_values("class_position")
        domain = list(dict.fromkeys(order["cls"]))
        colours = [_colour(p, n) for p in dict.fromkeys(order["class_position"])]
        colour = alt.Color(
            "cls:N",
            title=None,
            scale=alt.Scale(domain=domain, range=colours),
            legend=alt.Legend(orient="bottom"),  # below the plot, in LEGEND_SPACE
        )
    else:
        colour = alt.Color(
            "total:Q",
            title=t("Index"),
            scale=alt.Scale(scheme="redyellowblue", domain=[0, charts.index_top(programme, year)]),
            legend=alt.Legend(orient="bottom"),
        )
    dot_size = label_px * 14
    dots = (
        alt.Chart(shown[["lon", "lat", "cls", "total", "name"]])
        .mark_circle(size=dot_size, opacity=0.95, stroke="#222", strokeWidth=1.5)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=colour,
            tooltip=[
                alt.Tooltip("name:N", title=t("City")),
                alt.Tooltip("total:Q", format=".1f", title=t("Index")),
                alt.Tooltip("cls:N", title=t("Class")),
            ],
        )
    )
    labels = _map_labels(shown, proj, width, height, label_px, dot_size, highlight)
    if labels is not None:
        layers.append(labels["leaders"])
    layers.append(dots)
    if highlight and highlight in set(shown["city"]):
        mine = shown[shown["city"] == highlight][["lon", "lat", "name"]]
        ring = alt.Chart(mine).encode(longitude="lon:Q", latitude="lat:Q")
        layers.append(
            ring.mark_circle(size=HIGHLIGHT_SIZE, fillOpacity=0, stroke="#111", strokeWidth=3)
        )
    if labels is not None:
        layers += [labels["rings"], *labels["texts"]]
    return (
        alt.layer(*layers)
        .project("mercator", scale=proj.scale, translate=[proj.tx, proj.ty])
        # the plot exactly width × height, as the projection was fitted (Streamlit's default,
        # "fit", would shrink it to make room for the legend and move every dot)
        .properties(width=width, height=height, autosize=alt.AutoSizeParams(type="pad"))
    )


LEGEND_SPACE = 103  # px below the map's plot for its legend


HIGHLIGHT_SIZE = 1400  # the ring around the chosen city, px²
LABEL_FILL = {"top": "#12325e", "bottom": "#8a1c12", "chosen": "#111111"}


def _map_labels(
    shown: pd.DataFrame,
    proj: slides.Mercator,
    width: int,
    height: int,
    label_px: int,
    dot_size: float,
    highlight: str,
) -> dict | None:
    """The labels of the chosen city and of the top and bottom five (placed in
    ``analytics.slides.map_labels``: no label over another or over a named dot), leader
    lines where a label had to move away, the named dots outlined in their label's colour."""
    table = slides.map_labels(
        shown,
        proj,
        width,
        height,
        label_px,
        dot_radius=math.sqrt(dot_size / math.pi) + 1,
        highlight=highlight,
        highlight_radius=math.sqrt(HIGHLIGHT_SIZE / math.pi) + 2,
    )
    if table.empty:
        return None
    table = table.assign(fill=table["kind"].map(LABEL_FILL)).drop(columns=["x0", "y0", "x1", "y1"])
    leaders = (
        alt.Chart(table[table["leader"]])
        .mark_rule(color="#333", strokeWidth=2)
        .encode(
            longitude="dot_lon:Q",
            latitude="dot_lat:Q",
            longitude2="end_lon:Q",
            latitude2="end_lat:Q",
        )
    )
    text = alt.Chart(table).encode(longitude="lon:Q", latitude="lat:Q", text="label:N")
    style = {"fontSize": label_px, "fontWeight": "bold", "align": "center", "baseline": "middle"}
    rings = (
        alt.Chart(table)
        .mark_circle(size=dot_size, fillOpacity=0, strokeWidth=4)
        .encode(
            longitude="dot_lon:Q", latitude="dot_lat:Q", stroke=alt.Stroke("fill:N", scale=None)
        )
    )
    return {
        "leaders": leaders,
        "rings": rings,  # a named city's dot outlined in its label's colour
        "texts": [
            text.mark_text(stroke="white", strokeWidth=7, strokeJoin="round", **style),
            text.mark_text(**style).encode(fill=alt.Fill("fill:N", scale=None)),
        ],
    }


def map_lists(programme: str, year: int, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The five highest and five lowest of the programme-year, for the lists beside the map."""
    points = run(dashboard.map_points, programme, year, lang=lang)
    ext = slides.extremes(points[points["total"].notna()], 5)
    return ext[ext["extreme"] == "top"], ext[ext["extreme"] == "bottom"]


# ------------------------------------------------------------------------------ lines


def slide_trend(programme: str, lang: str):
    """The average index of the same cities over the years, breaks marked, in slide type."""
    data = run(trends.panel_means, programme, "all", panel="balanced", years=())
    shown = run(trends.programme_years, programme)
    layers = charts.history_lines(
        data,
        shown,
        value="mean",
        title=t("Mean index"),
        group="all",
        top=charts.index_top(programme),
    )
    return alt.layer(*layers, *charts.break_marks(programme, shown)).properties(
        width=SLIDE_WIDTH - 160, height=640
    )


def slide_city(programme: str, city: str, lang: str):
    """A city's index over the years (``charts.city_history``) at slide size."""
    return charts.city_history(programme, city).properties(width=800, height=560)


def slide_effect(project: str, programme: str, lang: str):
    """Participating and other cities' mean index over the years, project years shaded."""
    data = run(slides.impact_lines, project, programme)
    years = run(trends.programme_years, programme)
    data = data.assign(label=data["grp"].map({"participating": t("participating cities"),
                                              "other": t("other cities")}))  # fmt: skip
    layers = []
    span = run(slides.project_span, project)
    if span:
        layers.append(
            alt.Chart(pd.DataFrame([{"start": span[0], "end": span[1]}]))
            .mark_rect(opacity=0.15, color="#4575b4")
            .encode(x="start:Q", x2="end:Q")
        )
    layers += charts.history_lines(
        data,
        years,
        value="mean",
        title=t("Mean index"),
        group="grp",
        top=charts.index_top(programme),
        color=alt.Color(
            "label:N",
            title=None,
            scale=alt.Scale(
                domain=[t("participating cities"), t("other cities")],
                range=["#d73027", "#555555"],
            ),
        ),
    )
    layers += charts.break_marks(programme, years)
    return alt.layer(*layers).properties(width=1040, height=600)


def slide_estimate(project: str, lang: str):
    """The estimate with its 95% interval on a points axis, zero marked."""
    from analytics import impact

    est = run(impact.project_impact, project)
    df = pd.DataFrame(
        [{"effect": est["effect"], "lo": est["ci_low"], "hi": est["ci_high"], "row": ""}]
    )
    span = max(abs(est["ci_low"]), abs(est["ci_high"]), 1.0) * 1.25
    title, scale = t("Difference in change, points"), alt.Scale(domain=[-span, span])
    x = alt.X("effect:Q", title=title, scale=scale)
    base = alt.Chart(df).encode(y=alt.Y("row:N", title=None, axis=None))
    zero = alt.Chart(pd.DataFrame({"effect": [0.0]})).mark_rule(color="#555", strokeWidth=3)
    return alt.layer(
        zero.encode(x=x),
        base.mark_rule(color="#d73027", strokeWidth=8).encode(
            x=alt.X("lo:Q", title=title, scale=scale), x2="hi:Q"
        ),
        base.mark_point(filled=True, size=900, color="#d73027", opacity=1).encode(x=x),
    ).properties(width=520, height=120)


def esc(text) -> str:
    return html.escape(str(text))
