"""Page parts of the spatial layer, one call each from the pages: distance peers (city
profile, compare), hromada context (city profile), the context scatter and the region map
(trends)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analytics import compare, geo
from pages import common, geomap
from pages.common import t

CONTEXT_LABELS = {
    "population_2022": "Hromada population, 2022",
    "edem_total": "e-dem.ua tools used (0–4), 2022",
    "own_income_share_2021": "Own income, % of the hromada's income, 2021",
    "income_per_resident_2021": "Hromada income per resident, UAH, 2021",
}
EDEM_TOOLS = {
    "edem_petitions": "petitions",
    "edem_consultations": "public consultations",
    "edem_participatory_budget": "participatory budget",
    "edem_open_hromada": "open hromada",
}


def _peer_table(shown: pd.DataFrame, key: str) -> None:
    common.table(
        shown,
        hide_index=True,
        width="stretch",
        column_order=["name", "distance_km", "index_label"],
        column_config={
            "name": t("City"),
            "distance_km": st.column_config.NumberColumn(t("Distance, km"), format="%.0f"),
            "index_label": t("Index"),
        },
        key=key,
    )


def _peer_view(city: str, programme: str, year: int, km: int) -> dict:
    """The two tables of nearby cities as shown (the index as text, "no result" where the
    city has none) and the download of both: made once per city, year, distance and
    language."""
    peers = common.run(compare.distance_peers, city, programme, year, km, 5, lang=common.lang())

    def labelled(df: pd.DataFrame) -> pd.DataFrame:
        return df.assign(
            index_label=[
                common.fmt_points(v) if not pd.isna(v) else t("no result") for v in df["total"]
            ]
        )

    both = pd.concat(
        [
            peers["within"].assign(group=f"within {km} km"),
            peers["nearest"].assign(group=f"nearest assessed in {year}"),
        ]
    ).drop(columns=["lat", "lon", "within"])
    return {
        "within": labelled(peers["within"]),
        "nearest": labelled(peers["nearest"]),
        "both": both,
    }


def distance_peers(city: str, programme: str, year: int) -> None:
    """Cities within N km (any result) and the nearest assessed cities, geodesic distance."""
    st.subheader(t("Nearby cities"))
    km = st.select_slider(
        t("Within"),
        [25, 50, 100, 150, 200],
        value=100,
        format_func=lambda v: t("{km} km", km=v),
        key=f"w_near_km_{city}",
    )
    peers = common.per_version(
        "distance-peers", lambda: _peer_view(city, programme, year, km), city, programme, year, km
    )
    left, right = st.columns(2)
    with left:
        st.caption(t("Cities within {km} km", km=km))
        if peers["within"].empty:
            st.info(t("No other city within {km} km.", km=km))
        else:
            _peer_table(peers["within"], f"near_within_{city}")
    with right:
        st.caption(t("Nearest assessed cities in {y}", y=year))
        if peers["nearest"].empty:
            st.info(t("No other city has a result in this programme and year."))
        else:
            _peer_table(peers["nearest"], f"near_assessed_{city}")
    st.caption(t("Distance along the Earth's surface (WGS 84 ellipsoid) between city centres."))
    if not peers["both"].empty:
        common.downloads(peers["both"], f"nearby-{city}-{programme}-{year}", f"nearby_{city}")


def hromada_context(city: str, country: str) -> None:
    """The hromada's population, e-democracy tools and budget (Ukraine), with source and year."""
    if country != "UA":
        return
    st.subheader(t("Hromada context"))
    h = common.run(geo.hromada, city)
    if h is None:
        st.info(
            t(
                "The KSE Local Data Hub has no hromada for this city (Kyiv is a city with "
                "special status and not part of it)."
            )
        )
        return
    tools = [t(label) for key, label in EDEM_TOOLS.items() if h[key]]
    c = st.columns(3)
    c[0].metric(
        t("Hromada population, 2022"),
        common.fmt_int(h["population_2022"]),
        help=t("The hromada's population on 1 January 2022, villages included: not the city's."),
    )
    c[1].metric(t("e-dem.ua tools, 2022"), f"{int(h['edem_total'])} / 4")
    c[2].metric(
        t("Own income, % of the hromada's income, 2021"),
        common.fmt_pct(h["own_income_share_2021"] / 100)
        if h["own_income_share_2021"] is not None
        else t("no data"),
    )
    st.caption(
        t("e-dem.ua tools used: {tools}.", tools=", ".join(tools))
        if tools
        else t("No e-dem.ua tool in use (September 2022).")
    )
    if not pd.isna(h["income_total_2021"]):
        st.caption(
            t(
                "Hromada income: {a} thousand UAH in 2021, {b} thousand UAH in 2022.",
                a=common.fmt_int(h["income_total_2021"]),
                b=common.fmt_int(h["income_total_2022"]),
            )
        )
    st.caption(
        t("Source: {s}.", s=t(geo.HROMADA_SOURCE)) + " " + t("Hromada: {h}.", h=h["hromada_name"])
    )


def context_scatter_chart(programme: str, year: int, variable: str, lang: str) -> alt.Chart:
    data = common.run(geo.context_scatter, programme, year, variable, lang=lang)
    pts = data["points"]
    x = alt.X(
        "value:Q",
        title=t(CONTEXT_LABELS[variable]),
        scale=alt.Scale(type="log") if variable == "population_2022" else alt.Scale(zero=False),
    )
    return (
        alt.Chart(pts)
        .mark_circle(size=60, opacity=0.75, color="#2a788e")
        .encode(
            x=x,
            y=alt.Y(
                "total:Q",
                title=t("Index"),
                scale=alt.Scale(domain=[0, geomap.index_top(programme, year)]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("City")),
                alt.Tooltip("total:Q", title=t("Index"), format=".1f"),
                alt.Tooltip("value:Q", title=t(CONTEXT_LABELS[variable]), format=",.1f"),
            ],
        )
        .properties(height=300)
    )


def context_scatter(programme: str, year: int) -> None:
    """One context variable against the index, with the correlation and its n."""
    lang = common.lang()
    st.subheader(t("Hromada context against the index (Ukraine)"))
    variable = st.selectbox(
        t("Context variable"),
        list(CONTEXT_LABELS),
        format_func=lambda v: t(CONTEXT_LABELS[v]),
        key="w_context_variable",
    )
    data = common.run(geo.context_scatter, programme, year, variable, lang=lang)
    if data["n"] < 3:
        st.info(
            t("Fewer than three Ukrainian cities have both figures in this programme and year.")
        )
        return
    common.chart(context_scatter_chart, programme, year, variable, lang)
    st.caption(
        t(
            "Association, not cause: Pearson's r = {r} over {n} cities. Source of the context: "
            "KSE Local Data Hub.",
            r=common.fmt_num(data["r"], 2) if data["r"] is not None else "—",
            n=data["n"],
        )
    )


def region_map(programme: str, year: int) -> None:
    """The region choropleth of the programme-year (trends page)."""
    st.subheader(t("By region, {y}", y=year))
    common.chart(geomap.overview_map, programme, year, "index", "regions", export=True)
    st.caption(
        t("Regions: the mean index of their assessed cities; pale: no data (no assessed city).")
    )
