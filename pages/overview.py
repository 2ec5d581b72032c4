"""Overview: headline figures and the map of the Eastern Partnership."""

import pandas as pd
import pydeck as pdk
import streamlit as st

from analytics import dashboard, results
from pages import backdrop, charts, common
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
for i, (_, row) in enumerate(classes.head(4 - first).iterrows()):
    c[first + i].metric(
        t("Share {cls}", cls=common.label(row["class_name"])),
        common.fmt_pct(row["share"]),
        help=common.tn("{n} city", "{n} cities", int(row["cities"])),
    )
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
colour_by = (
    t("class")
    if classes_only
    else t("index")
    if classes.empty
    else st.segmented_control(
        t("Colour cities by"), [t("class"), t("index")], default=t("class"), key="w_colour"
    )
)
points = common.run(dashboard.map_points, programme, year, lang=lang).copy()
assessed = points["total"].notna() | points["class_name"].notna()
if colour_by == t("index"):
    # viridis, 0 → 100
    stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]

    def ramp(v):
        if pd.isna(v):
            return common.NO_CLASS_COLOUR
        x = min(max(v / 100, 0), 1) * (len(stops) - 1)
        i = min(int(x), len(stops) - 2)
        f = x - i
        return [round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k])) for k in range(3)]

    points["colour"] = points["total"].map(ramp)
else:
    points["colour"] = [
        common.class_colour(p, n)
        for p, n in zip(points["class_position"], points["class_count"].fillna(0))
    ]
points["radius"] = (points["population"].clip(lower=5_000) ** 0.5) * 18
points["label_total"] = [
    common.fmt_points(v) if not pd.isna(v) or not isinstance(c, str) else t("no total published")
    for v, c in zip(points["total"], points["class_name"])
]
points["label_class"] = points["class_name"].map(
    lambda c: common.label(c) if isinstance(c, str) else t("no class")
)
points["label_rank"] = [
    "" if pd.isna(r) else "· " + t("rank {r}", r=int(r)) + " " + results.rank_text(r, s, n, lang)[1]
    for r, s, n in zip(points["rank"], points["rank_source"], points["ranked_cities"])
]
points = points.sort_values("population", ascending=False)
points["colour"] = [list(c) + ([230] if a else [90]) for c, a in zip(points["colour"], assessed)]

outlines = common.run(dashboard.country_outlines, lang=lang)
deck = pdk.Deck(
    map_provider=None,
    initial_view_state=pdk.ViewState(latitude=47.4, longitude=36.2, zoom=3.85),
    layers=[
        pdk.Layer(
            "GeoJsonLayer",
            outlines,
            id="countries",
            stroked=True,
            filled=True,
            get_fill_color=[236, 236, 232],
            get_line_color=[120, 120, 120],
            line_width_min_pixels=1,
            pickable=False,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            points,
            id="cities",
            get_position=["lon", "lat"],
            get_fill_color="colour",
            get_radius="radius",
            radius_min_pixels=3,
            radius_max_pixels=28,
            stroked=True,
            get_line_color=[40, 40, 40],
            line_width_min_pixels=0.5,
            pickable=True,
            auto_highlight=True,
        ),
    ],
    # A text tooltip, never HTML: names come from data and must show as text.
    tooltip={
        "text": "{name}, {country_name}\n{label_total} · {label_class} {label_rank}",
        "style": {"fontSize": "14px"},
    },
)
event = st.pydeck_chart(
    deck, height=640, on_select="rerun", selection_mode="single-object", key="map"
)
st.caption(
    t(
        "Circle size: population. Grey: no class in this programme and year. "
        "Click a city to open its profile."
    )
    if colour_by == t("class")
    else t(
        "Circle size: population. Grey: no total in this programme and year. "
        "Click a city to open its profile."
    )
)
if colour_by == t("class") and not classes.empty:
    common.chart(charts.class_legend, programme, year, export=False, stretch=False)
elif colour_by == t("index"):
    st.caption(t("Colour: index from 0 (dark purple) to 100 (yellow)."))

selected = (event.selection.get("objects", {}) if event and event.selection else {}).get("cities")
if selected:
    common.open_city(selected[0]["city"], programme, year)

# ------------------------------------------------------------------------------ movers
left, right = st.columns(2)
for col, label, df in (
    (left, t("Biggest risers"), ov["risers"]),
    (right, t("Biggest fallers"), ov["fallers"]),
):
    with col:
        st.subheader(label)
        if df.empty:
            st.caption(t("No comparable previous year."))
        else:
            shown = df.assign(name=df[f"name_{lang}"].fillna(df["name_en"]))
            common.table(
                shown,
                hide_index=True,
                width="stretch",
                column_order=["name", "total", "change_points", "prev_year"],
                column_config={
                    "name": t("City"),
                    "total": st.column_config.NumberColumn(t("Index"), format="%.1f"),
                    "change_points": st.column_config.NumberColumn(
                        t("Change, points"), format="%+.1f"
                    ),
                    "prev_year": st.column_config.NumberColumn(t("Since"), format="%d"),
                },
            )

st.subheader(t("Cities on the map"))
table = points.loc[
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
if table.empty:
    st.info(t("No city has a result in {p} {y}.", p=prog["name"], y=year))
else:
    common.downloads(table, f"overview-{programme}-{year}", "overview")
    common.geojson_download(
        points.loc[
            assessed,
            ["city", "name", "country_name", "total", "rank", "class_name", "source", "lon", "lat"],
        ].assign(year=year),
        f"map-{programme}-{year}",
        "map",
    )

backdrop.draw()
