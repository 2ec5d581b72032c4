"""Compare 2 to 6 cities: areas side by side, who meets what, history, and transparency against
accountability."""
import altair as alt
import pandas as pd
import streamlit as st

from analytics import compare, dashboard
from pages import common
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()
st.title(t("Compare cities"))
common.synthetic_banner(prog["synthetic"])

choices = common.run(dashboard.city_choices, programme, lang=lang)
codes = list(choices["code"])
label = dict(zip(choices["code"], choices["name"] + " (" + choices["country"] + ")"))
default = [c for c in ("ua-lviv", "ua-kyiv", "ua-mariupol") if c in codes][:3] or codes[:2]
cities = st.multiselect(t("Cities (2 to 6)"), codes, format_func=label.get,
                        max_selections=compare.MAX_COMPARED,
                        key=common.bind_list("cities", codes, default))
common.remember(cities=cities)
if len(cities) < 2:
    st.info(t("Choose at least two cities."), icon=":material/info:")
    st.stop()
names = {c: label[c] for c in cities}

idx = common.run(dashboard.history, programme, cities, lang=lang)
in_year = idx[idx["year"] == year]
methodology = in_year["methodology"].iloc[0] if not in_year.empty else None

# ------------------------------------------------------------------------------ history
st.subheader(t("History"))
if idx.empty:
    st.info(t("None of these cities has results in {p}.", p=prog["name"]))
else:
    chart = alt.Chart(idx.assign(year=idx["year"].astype(int))).mark_line(point=True).encode(
        x=alt.X("year:O", title=t("Year")),
        y=alt.Y("total:Q", title=t("Index"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("name:N", title=t("City"), scale=alt.Scale(scheme="tableau10")),
        tooltip=["name:N", "year:O", alt.Tooltip("total:Q", format=".1f"), "class_name:N",
                 "methodology:N"])
    st.altair_chart(chart.properties(height=280), width="stretch")
    common.downloads(idx, f"compare-history-{programme}", "history")

# ------------------------------------------------------------------------------ areas
st.subheader(t("Areas in {y}", y=year))
if methodology is None:
    st.info(t("No results in {y} for these cities.", y=year))
else:
    prof = common.run(compare.area_profiles, methodology, year, cities)
    if prof["share"].notna().any():
        prof = prof.assign(name=prof["city"].map(names), pct=prof["share"] * 100)
        area_col = f"name_{lang}" if f"name_{lang}" in prof else "name_en"
        heat = alt.Chart(prof).mark_rect().encode(
            x=alt.X("name:N", title=None),
            y=alt.Y(f"{area_col}:N", sort=list(dict.fromkeys(prof[area_col])), title=None),
            color=alt.Color("pct:Q", title=t("% of maximum"),
                            scale=alt.Scale(scheme="viridis", domain=[0, 100])),
            tooltip=[alt.Tooltip("name:N", title=t("City")),
                     alt.Tooltip(f"{area_col}:N", title=t("Area")),
                     alt.Tooltip("points:Q", format=".2f", title=t("Points")),
                     alt.Tooltip("max_points:Q", format=".2f", title=t("Maximum"))])
        text = heat.mark_text(fontSize=12).encode(
            text=alt.Text("pct:Q", format=".0f"),
            color=alt.condition("datum.pct > 60", alt.value("black"), alt.value("white")))
        st.altair_chart((heat + text).properties(height=30 * prof[area_col].nunique() + 40),
                        width="stretch")
        st.caption(t("Empty cells: no score for that area (not assessed or not applicable)."))
        common.downloads(prof, f"compare-areas-{programme}-{year}", "areas")
    else:
        st.caption(t("No area scores in {y}.", y=year))

    # -------------------------------------------------------------------------- indicators
    matrix = common.run(compare.indicator_matrix, methodology, year, cities)
    if not matrix.empty and matrix[cities].notna().any().any():
        st.subheader(t("Who meets what"))
        only_diff = st.toggle(t("Only indicators where the cities differ"), value=True,
                              key="w_diff")
        shown = matrix.copy()
        if only_diff:
            shown = shown[shown[cities].nunique(axis=1, dropna=False) > 1]
        symbols = {"met": "● " + t("met"), "partly": "◐ " + t("partly"),
                   "unmet": "○ " + t("unmet"), "not_applicable": "– " + t("n/a"),
                   "not_assessed": "? " + t("not assessed")}
        for c in cities:
            shown[c] = shown[c].map(lambda s: symbols.get(s, t("no data")))
        st.dataframe(shown.rename(columns=names), hide_index=True, width="stretch",
                     height=min(38 + 35 * len(shown), 600),
                     column_config={"text_en": st.column_config.TextColumn(t("Indicator"),
                                                                            width="large"),
                                    "area": t("Area"), "code": t("Code"),
                                    "max_points": st.column_config.NumberColumn(
                                        t("Maximum"), format="%.2f")})
        common.downloads(matrix, f"compare-indicators-{programme}-{year}", "matrix")

# ------------------------------------------------------------------------------ T vs A
tva = common.run(dashboard.transparency_vs_accountability, cities, lang=lang)
all_tva = common.run(dashboard.transparency_vs_accountability, (), lang=lang)
if not all_tva.empty:
    st.subheader(t("Transparency against accountability"))
    st.caption(t("Published totals of TI Ukraine's two rankings, where a city has both "
                 "(2020–2021); the chosen cities are highlighted."))
    plot = all_tva.assign(chosen=all_tva["city"].isin(cities))
    scatter = alt.Chart(plot).mark_circle(size=90).encode(
        x=alt.X("transparency:Q", title=t("Transparency index"), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("accountability:Q", title=t("Accountability index"),
                scale=alt.Scale(domain=[0, 100])),
        color=alt.condition("datum.chosen", alt.value("#d73027"), alt.value("#9aa7b5")),
        shape=alt.Shape("year:N", title=t("Year")),
        tooltip=["name:N", "year:N", alt.Tooltip("transparency:Q", format=".1f"),
                 alt.Tooltip("accountability:Q", format=".1f")])
    st.altair_chart(scatter.properties(height=320), width="stretch")
    if tva.empty:
        st.caption(t("None of the chosen cities has both figures."))
    common.downloads(all_tva, "transparency-vs-accountability", "tva")
