"""Overview: headline figures and the map of the Eastern Partnership."""

import pandas as pd
import streamlit as st

from analytics import dashboard
from pages import backdrop, charts, common, geomap
from pages.common import t

common.guard(__file__)

st.title(t("Overview"))
programme, year, prog = common.programme_and_year(year_slider=True)
lang = common.lang()
st.caption(f"{prog['name']} · {year}")
common.synthetic_banner(prog["synthetic"])
common.programme_note(prog)

ov = common.run(dashboard.overview, programme, year)
classes = ov["classes"]
classes_only = not ov["with_total"] and not classes.empty
c = st.columns(4)
c[0].metric(t("Cities assessed"), int(ov["assessed"]))
if ov["with_total"]:
    delta = None
    if ov["mean_change"] is not None and not pd.isna(ov["mean_change"]):
        delta = t(
            "{d:+.1f} on {n} cities since {y}",
            d=ov["mean_change"],
            n=int(ov["compared"]),
            y=int(ov["prev_year"]),
        )
    published_mean = ov.get("published_mean")
    c[1].metric(
        t("Average index"),
        common.fmt_num(ov["mean"] if published_mean is None else published_mean),
        delta=delta,
        delta_color="normal",
        help=None
        if published_mean is None
        else t(
            "The programme's published average over every city it assessed; the mean of the "
            "{n} cities here is {m}.",
            n=int(ov["with_total"]),
            m=common.fmt_num(ov["mean"]),
        ),
    )
first = 2 if ov["with_total"] else 1


def _class_metrics() -> list[tuple[str, str, str]]:
    return [
        (
            t("Share {cls}", cls=common.label(row["class_name"])),
            common.fmt_pct(row["share"]),
            common.tn("{n} city", "{n} cities", int(row["cities"])),
        )
        for _, row in classes.head(4 - first).iterrows()
    ]


# the texts of the class metrics, the movers' tables and the table of the cities depend on
# the programme, year, language and database version only: made once, not on every rerun
for i, (label_, value_, help_) in enumerate(
    common.per_version("overview.class_metrics", _class_metrics, programme, year)
):
    c[first + i].metric(label_, value_, help=help_)
if classes_only:
    st.caption(
        t(
            "{p} gave classes only in {y}, no totals: cities are shown by their class.",
            p=prog["name"],
            y=year,
        )
    )
if ov["after_break"]:
    st.info(
        t(
            "The methodology changed before {y}: totals are not comparable with earlier "
            "years, so no change is shown across the break.",
            y=year,
        ),
        icon=":material/info:",
    )

# ------------------------------------------------------------------------------ map
# Vega-Lite (already loaded for the charts), not deck.gl: the landing page stays light.
layer_labels = {"cities": t("Cities"), "regions": t("Regions"), "both": t("Both")}
m1, m2 = st.columns(2)
layer = (
    m1.segmented_control(
        t("Show on the map"),
        list(layer_labels),
        format_func=layer_labels.get,
        default="both" if ov["with_total"] else "cities",
        key="w_map_layer",
    )
    or "cities"
)
colour_by = (
    "class"
    if classes_only
    else "index"
    if classes.empty
    else m2.segmented_control(
        t("Colour cities by"),
        ["class", "index"],
        format_func={"class": t("class"), "index": t("index")}.get,  # looked up, not made
        default="class",
        key="w_colour",
    )
    or "class"
)
if layer != "cities" and not ov["with_total"]:
    st.caption(
        t(
            "Regions are coloured by the mean index; {p} has no totals in {y}.",
            p=prog["name"],
            y=year,
        )
    )
# The first view draws the map as an SVG made on the server (no chart code to load on a
# phone); the Vega-Lite map, with its zoomable selection, is one switch away.
interactive = st.toggle(
    t("Interactive map"),
    key="w_map_interactive",
    help=t("The interactive map loads the chart code: slower on a phone's first visit."),
)
event = None
if interactive:
    event = common.chart(
        geomap.overview_map,
        programme,
        year,
        colour_by,
        layer,
        export=False,
        select="pick" if layer != "regions" else None,  # a click on a city opens its profile
        key="map",
    )
else:
    geomap.draw_svg_map(programme, year, colour_by, layer)
notes = []
if layer != "regions":
    notes.append(
        t("Circle size: population. Grey: no class in this programme and year.")
        if colour_by == "class"
        else t("Circle size: population. Grey: no total in this programme and year.")
    )
if layer != "cities":
    notes.append(
        t("Regions: the mean index of their assessed cities; pale: no data (no assessed city).")
    )
notes.append(t("Click a city to open its profile."))
st.caption(" ".join(notes))
if interactive and layer != "regions" and colour_by == "class" and not classes.empty:
    common.chart(charts.class_legend, programme, year, export=False, stretch=False)

selection = event.selection if event is not None and layer != "regions" else None  # no pick
picked = (selection.get("pick") if selection else None) or []
if picked and picked[0].get("city"):
    common.open_city(picked[0]["city"], programme, year)


# ------------------------------------------------------------------------------ movers
def _movers() -> list[tuple[str, str | None]]:
    """The risers' and fallers' labels and tables (None: no comparable previous year)."""
    out: list[tuple[str, str | None]] = []
    for label_, df in ((t("Biggest risers"), ov["risers"]), (t("Biggest fallers"), ov["fallers"])):
        if df.empty:
            out.append((label_, None))
            continue
        shown = df.assign(name=df[f"name_{lang}"].fillna(df["name_en"]))
        html = common.static_table_html(
            shown,
            {
                "name": t("City"),
                "total": st.column_config.NumberColumn(t("Index"), format="%.1f"),
                "change_points": st.column_config.NumberColumn(t("Change, points"), format="%+.1f"),
                "prev_year": st.column_config.NumberColumn(t("Since"), format="%d"),
            },
            ["name", "total", "change_points", "prev_year"],
        )
        out.append((label_, html))
    return out


for col, (label_, html) in zip(
    st.columns(2), common.per_version("overview.movers", _movers, programme, year)
):
    with col:
        st.subheader(label_)
        if html is None:
            st.caption(t("No comparable previous year."))
        else:
            st.markdown(html, unsafe_allow_html=True)

st.subheader(t("Cities on the map"))


def _assessed() -> pd.DataFrame:
    points = common.run(dashboard.map_points, programme, year, lang=lang)
    assessed = points["total"].notna() | points["class_name"].notna()
    return points.loc[
        assessed,
        [
            "name",
            "country_name",
            "total",
            "rank",
            "rank_source",
            "ranked_cities",
            "class_name",
            "source",
        ],
    ]


table = common.per_version("overview.assessed", _assessed, programme, year)
if table.empty:
    st.info(t("No city has a result in {p} {y}.", p=prog["name"], y=year))
else:
    common.downloads(table, f"overview-{programme}-{year}", "overview")
    geomap.gis_downloads(programme, year, prog)

backdrop.draw(charts_on_request=True)
