"""Compare 2 to 6 cities: areas side by side, who meets what, history, and transparency against
accountability."""

import streamlit as st

from analytics import compare, dashboard
from pages import charts, common, geo_ui, search_ui, workbench_ui
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()
st.title(t("Compare cities"))
common.synthetic_banner(prog["synthetic"])
common.programme_note(prog)

choices = common.run(dashboard.city_choices, programme, lang=lang)
codes = list(choices["code"])
label = dict(
    zip(choices["code"], choices["name"] + " (" + choices["country"].map(common.country_name) + ")")
)
default = [c for c in ("ua-lviv", "ua-kyiv", "ua-mariupol") if c in codes][:3] or codes[:2]
search_ui.find_box("w_cities", codes, label, multi=True)
cities = st.multiselect(
    t("Cities (2 to 6)"),
    codes,
    format_func=label.get,
    placeholder=t("Choose cities"),
    max_selections=compare.MAX_COMPARED,
    key=common.bind_list("cities", codes, default, limit=compare.MAX_COMPARED),
)
common.remember(cities=cities)
if len(cities) < 2:
    st.info(t("Choose at least two cities."), icon=":material/info:")
    st.stop()
names = {c: label[c] for c in cities}

# the history and its chart do not depend on the order the cities were chosen in (rows by
# city and year): kept once per set of cities, not once per order
chosen = tuple(sorted(cities))
idx = common.run(dashboard.history, programme, chosen, lang=lang)
in_year = idx[idx["year"] == year]
methodology = in_year["methodology"].iloc[0] if not in_year.empty else None

# ------------------------------------------------------------------------------ history
st.subheader(t("History"))
if idx.empty:
    st.info(t("None of these cities has results in {p}.", p=prog["name"]))
elif idx["total"].isna().all():
    st.caption(
        t("{p} gave classes only, no totals: the class of each city by year.", p=prog["name"])
    )
    classes = idx.assign(class_label=idx["class_name"].map(common.label)).pivot_table(
        index="name", columns="year", values="class_label", aggfunc="first"
    )
    classes.index.name = t("City")
    common.table(classes, width="stretch", placeholder="—")
    common.downloads(idx, f"compare-history-{programme}", "history")
else:
    common.chart(charts.compare_history, programme, chosen, lang)
    common.downloads(idx, f"compare-history-{programme}", "history")
    workbench_ui.why_moved_each(programme, cities, year)

# ------------------------------------------------------------------------------ areas
st.subheader(t("Areas in {y}", y=year))
if methodology is None:
    st.info(t("No results in {y} for these cities.", y=year))
else:
    prof = common.run(compare.area_profiles, methodology, year, cities)
    if prof["share"].notna().any():
        common.chart(charts.compare_heat, methodology, year, cities, lang)
        st.caption(t("Empty cells: no score for that area (not assessed or not applicable)."))
        common.downloads(prof, f"compare-areas-{programme}-{year}", "areas")
    else:
        st.caption(t("No area scores in {y}.", y=year))

    # -------------------------------------------------------------------------- indicators
    # each city's column on its own (kept per city), joined: a new combination of cities
    # costs a join, not a query
    matrix = compare.joined_matrix(
        [common.run(compare.indicator_matrix, methodology, year, [c], lang=lang) for c in cities],
        cities,
    )
    if not matrix.empty and matrix[cities].notna().any().any():
        st.subheader(t("Who meets what"))
        only_diff = st.toggle(
            t("Only indicators where the cities differ"), value=True, key="w_diff"
        )
        shown = matrix.assign(kind=matrix["kind"].map(common.kind_label))
        if only_diff:
            shown = shown[shown[cities].nunique(axis=1, dropna=False) > 1]
        symbols = {
            "met": "● " + t("met"),
            "partly": "◐ " + t("partly"),
            "unmet": "○ " + t("unmet"),
            "not_applicable": "– " + t("n/a"),
            "not_assessed": "? " + t("not assessed"),
        }
        for c in cities:
            shown[c] = shown[c].map(lambda s: symbols.get(s, t("no data")))
        shown = shown.assign(indicator_page=common.indicator_links(shown, programme, year))
        common.table(
            shown.rename(columns=names),
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(shown), 600),
            column_order=[
                *("area", "indicator_page", "text", "kind", "max_points"),
                *(names[c] for c in cities),
            ],
            column_config={
                "text": st.column_config.TextColumn(t("Indicator"), width="large"),
                "area": t("Area"),
                "kind": t("Type"),
                "indicator_page": common.indicator_column(),
                "max_points": st.column_config.NumberColumn(t("Maximum"), format="%.2f"),
            },
        )
        common.downloads(
            matrix.assign(kind=matrix["kind"].map(common.kind_label)).rename(columns=names),
            f"compare-indicators-{programme}-{year}",
            "matrix",
        )

# ------------------------------------------------------------------------------ T vs A
# Real published totals: never drawn under the synthetic banner.
# Only beside TI Ukraine's own rankings (not under Moldova's or Georgia's programme).
all_tva = common.run(dashboard.transparency_vs_accountability, (), lang=lang)
if not all_tva.empty and programme in ("tc-transparency", "tc-accountability"):
    tva = common.run(dashboard.transparency_vs_accountability, cities, lang=lang)
    st.subheader(t("Transparency against accountability"))
    st.caption(
        t(
            "Published totals of TI Ukraine's two rankings, where a city has both "
            "(2020–2021); the chosen cities are highlighted."
        )
    )
    common.chart(
        charts.tva_scatter, cities, lang, source=common.programme_source_line("tc-transparency")
    )
    if tva.empty:
        st.caption(t("None of the chosen cities has both figures."))
    common.downloads(
        all_tva, "transparency-vs-accountability", "tva", programme="tc-transparency", year=None
    )

geo_ui.distance_peers(cities[0], programme, year)
