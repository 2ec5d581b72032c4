"""Presentation mode (``?present=1``): key views one at a time, in large type, for a projector.

Next and previous with the arrow keys (or Page Down / Page Up, as presentation clickers send),
or on a timer; everything is drawn from the local database, nothing is fetched.
"""

import pandas as pd
import pydeck as pdk
import streamlit as st

from analytics import dashboard, trends
from pages import charts, common
from pages.common import t

common.guard(__file__)

# Static styling only (no data goes through here): bigger type, no chrome, high contrast.
st.markdown(
    """<style>
header, [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"] {display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {
    padding: 1rem 3rem !important; max-width: 100% !important;}
html, body, [data-testid="stAppViewContainer"] {font-size: 26px; color: #111;}
h1 {font-size: 3.2rem !important;} h2 {font-size: 2.4rem !important;}
[data-testid="stMetricValue"] {font-size: 4.2rem !important; font-weight: 700;}
[data-testid="stMetricLabel"] p {font-size: 1.6rem !important;}
</style>""",
    unsafe_allow_html=True,
)

lang = common.lang()
progs = common.run(dashboard.programmes)
codes = list(progs["code"])
asked = common.url_get("programme")
programme = (
    asked if asked in codes else ("tc-transparency" if "tc-transparency" in codes else codes[0])
)
row = progs[progs["code"] == programme].iloc[0]
years = [int(y) for y in row["years"]]
name = row[f"name_{lang}"] or row["name_en"]
if asked is not None and asked != programme:
    common.notice(
        t(
            "There is no programme {value}; showing {shown}.",
            value=common.shown_value(asked),
            shown=name,
        )
    )
asked_year = common.url_get("year")
year = (
    int(asked_year)
    if asked_year and asked_year.isdigit() and int(asked_year) in years
    else years[-1]
)
if asked_year is not None and str(year) != asked_year:
    common.notice(
        t(
            "No results for the year {value}; showing {shown}.",
            value=common.shown_value(asked_year),
            shown=year,
        )
    )

SLIDES = ["title", "map", "movers", "trend", "story"]
slide = common.url_get("slide")
slide = int(slide) if slide and slide.isdigit() and int(slide) < len(SLIDES) else 0


def go(step: int) -> None:
    st.query_params["slide"] = str((slide + step) % len(SLIDES))


nav = st.columns([1, 1, 1, 1, 8, 3])
nav[0].button("◀", key="prev", shortcut="Left", on_click=go, args=(-1,), help=t("Previous (←)"))
nav[1].button("▶", key="next", shortcut="Right", on_click=go, args=(1,), help=t("Next (→)"))
# Presentation clickers send Page Up / Page Down.
nav[2].button("⏮", key="prev_pg", shortcut="PageUp", on_click=go, args=(-1,), type="tertiary")
nav[3].button("⏭", key="next_pg", shortcut="PageDown", on_click=go, args=(1,), type="tertiary")
nav[4].caption(f"{slide + 1} / {len(SLIDES)} · {name} · {year}")
with nav[5]:
    auto = st.toggle(t("Auto-advance"), key="auto", value=common.url_get("auto") == "1")

ov = common.run(dashboard.overview, programme, year)
if bool(row["synthetic"]):
    common.synthetic_banner(True)

kind = SLIDES[slide]
if kind == "title":
    st.title(name)
    st.header(t("Transparency and accountability of city governments in the Eastern Partnership"))
    c = st.columns(3)
    c[0].metric(t("Cities assessed"), int(ov["assessed"]))
    if ov["with_total"]:
        c[1].metric(t("Average index"), common.fmt_num(ov["mean"]))
    classes = ov["classes"]
    if not classes.empty:
        top = classes.iloc[0]
        c[2].metric(
            t("Share {cls}", cls=common.label(top["class_name"])), common.fmt_pct(top["share"])
        )
elif kind == "map":
    st.title(t("Where cities stand in {y}", y=year))
    points = common.run(dashboard.map_points, programme, year, lang=lang)
    points = points.assign(
        colour=[
            common.class_colour(p, n) + [235] if not pd.isna(p) else common.NO_CLASS_COLOUR + [90]
            for p, n in zip(points["class_position"], points["class_count"].fillna(0))
        ],
        radius=(points["population"].clip(lower=5_000) ** 0.5) * 22,
    )
    outlines = common.run(dashboard.country_outlines, lang=lang)
    st.pydeck_chart(
        pdk.Deck(
            map_provider=None,
            initial_view_state=pdk.ViewState(latitude=47.3, longitude=36.3, zoom=3.95),
            layers=[
                pdk.Layer(
                    "GeoJsonLayer",
                    outlines,
                    get_fill_color=[236, 236, 232],
                    get_line_color=[90, 90, 90],
                    line_width_min_pixels=1.5,
                ),
                pdk.Layer(
                    "ScatterplotLayer",
                    points[["lon", "lat", "colour", "radius"]],
                    get_position=["lon", "lat"],
                    get_fill_color="colour",
                    get_radius="radius",
                    radius_min_pixels=5,
                    stroked=True,
                    get_line_color=[30, 30, 30],
                    line_width_min_pixels=1,
                ),
            ],
        ),
        height=700,
    )
    if not ov["classes"].empty:
        common.chart(charts.class_legend, programme, year, export=False, stretch=False)
elif kind == "movers":
    st.title(t("Biggest risers"))
    risers = ov["risers"]
    if risers.empty:
        st.header(t("No comparable previous year."))
    else:
        for r in risers.itertuples():
            city_name = getattr(r, f"name_{lang}") or r.name_en
            st.header(
                f"{city_name} · {common.fmt_num(r.total)} "
                f"({common.fmt_num(r.change_points, sign=True)})"
            )
elif kind == "trend":
    st.title(t("Average index"))
    common.chart(charts.trends_line, programme, "country", t("country"), export=False)
    sizes = trends.panel_sizes(common.run(trends.panel_means, programme, "country"))
    st.caption(
        t(
            "The same cities in every year of each methodology: {parts}. Dashed red: a "
            "new methodology.",
            parts="; ".join(
                t(
                    "{a}–{b}: {n} cities" if d["first"] != d["last"] else "{a}: {n} cities",
                    a=d["first"],
                    b=d["last"],
                    n=d["n"],
                )
                for d in sizes
            ),
        )
    )
else:
    risers = ov["risers"]
    city = risers.iloc[0]["city"] if not risers.empty else None
    if city is None:
        st.header(t("No comparable previous year."))
    else:
        info = common.run(dashboard.city_info, city, lang=lang)
        st.title(t("{city}: a story of change", city=info["name"]))
        common.chart(charts.city_history, programme, city, export=False)

if auto:

    @st.fragment(run_every=12)
    def _tick():
        if st.session_state.get("_ticked"):
            go(1)
            st.session_state["_ticked"] = False
            st.rerun()
        st.session_state["_ticked"] = True

    _tick()
