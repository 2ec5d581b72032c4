"""Projects: the EU-funded projects, their targets and cities, and what the data says about
the cities they worked with."""

import pandas as pd
import pydeck as pdk
import streamlit as st

from analytics import dashboard, impact
from pages import charts, common
from pages.common import t

common.guard(__file__)

lang = common.lang()
st.title(t("Projects"))
projects = common.run(dashboard.project_list, lang=lang)
if projects.empty:
    st.info(t("No projects in the database yet."))
    st.stop()

# ------------------------------------------------------------------------------ portfolio
c = st.columns(3)
real = projects[~projects["synthetic"]]
c[0].metric(t("Projects"), len(real))
c[1].metric(t("EU contribution, €"), common.fmt_int(real["eu_contribution_eur"].fillna(0).sum()))
c[2].metric(t("Countries"), len({x for xs in real["countries"] for x in xs}))
if projects["synthetic"].any():
    st.caption(
        t(
            "Figures above count real projects only; the synthetic demo project is "
            "labelled wherever it appears."
        )
    )

st.subheader(t("Timeline"))
common.chart(charts.project_timeline, lang)
undated = projects[projects["start_date"].isna()]
if not undated.empty:
    st.caption(t("Without published dates: {names}.", names="; ".join(undated["title"])))

left, right = st.columns(2)
with left:
    st.markdown(f"**{t('EU contribution by country')}**")
    common.chart(charts.contribution, "countries", lang)
with right:
    st.markdown(f"**{t('EU contribution by priority area')}**")
    common.chart(charts.contribution, "priority_areas", lang)
st.caption(
    t(
        "A project that covers several countries or priority areas counts fully in "
        "each: the sources do not split the amounts."
    )
)

table = projects.assign(
    priority_areas=projects["priority_areas"].map(lambda xs: [t(x) for x in xs]),
    sub_sectors=projects["sub_sectors"].map(lambda xs: [t(x) for x in xs]),
    topics=projects["topics"].map(lambda xs: [t(x) for x in xs]),
    title=projects["title"]
    + projects["synthetic"].map({True: " (" + t("synthetic") + ")", False: ""}),
    status=projects["status"].map(lambda s: t("dates not published") if s == "unknown" else t(s)),
)
common.table(
    table,
    hide_index=True,
    width="stretch",
    column_order=[
        "title",
        "status",
        "start_date",
        "end_date",
        "eu_contribution_eur",
        "implementing_partners",
        "countries",
        "priority_areas",
        "sub_sectors",
        "topics",
        "cities",
        "targets",
    ],
    column_config={
        "title": st.column_config.TextColumn(t("Project"), width="large"),
        "status": t("Status"),
        "start_date": st.column_config.DateColumn(t("Start")),
        "end_date": st.column_config.DateColumn(t("End")),
        "eu_contribution_eur": st.column_config.NumberColumn(
            t("EU contribution, €"), format="localized"
        ),
        "implementing_partners": st.column_config.ListColumn(t("Partners")),
        "countries": st.column_config.ListColumn(t("Countries")),
        "priority_areas": st.column_config.ListColumn(t("Priority areas")),
        "sub_sectors": st.column_config.ListColumn(t("Sub-sectors")),
        "topics": st.column_config.ListColumn(t("Topics")),
        "cities": t("Cities"),
        "targets": t("Targets"),
    },
)
common.downloads(table, "projects", "projects", what="EU projects")

# ------------------------------------------------------------------------------ one project
st.divider()
codes = list(projects["code"])
titles = dict(zip(projects["code"], table["title"]))
code = st.selectbox(
    t("Project"), codes, format_func=titles.get, key=common.bind("project", codes, codes[0])
)
common.remember(project=code)
p = common.run(dashboard.project_detail, code, lang=lang)
st.header(p["title"])
if p["synthetic"]:
    common.synthetic_banner(True)
facts = [t(p["status"]) if p["status"] != "unknown" else t("dates not published")]
if p["start_date"] is not None and not pd.isna(p["start_date"]):
    facts.append(
        f"{p['start_date']:%Y-%m-%d} – {p['end_date']:%Y-%m-%d}"
        if not pd.isna(p["end_date"])
        else f"{p['start_date']:%Y-%m-%d} –"
    )
if p["eu_contribution_eur"] is not None and not pd.isna(p["eu_contribution_eur"]):
    facts.append(t("EU contribution €{eur}", eur=common.fmt_int(p["eu_contribution_eur"])))
if p["eu_project_number"]:
    facts.append(t("EU project number {n}", n=p["eu_project_number"]))
st.caption(" · ".join(facts))
if p["summary"]:
    st.write(p["summary"])
if p["summary_fallback"] or p["objectives_fallback"]:
    st.caption(t("Shown in English: no translation in the database."))
cols = st.columns(2)
with cols[0]:
    st.markdown(f"**{t('Objectives')}**")
    for item in list(p["objectives"]):
        st.markdown(f"- {item}")
with cols[1]:
    st.markdown(f"**{t('Expected results')}**")
    for item in list(p["expected_results"]):
        st.markdown(f"- {item}")
details = {
    t("Partners"): p["implementing_partners"],
    t("Countries"): p["countries"],
    t("Priority areas"): [t(x) for x in p["priority_areas"]],
    t("Sub-sectors"): [t(x) for x in p["sub_sectors"]],
    t("Topics"): [t(x) for x in p["topics"]],
}
st.caption(" · ".join(f"{k}: {', '.join(v)}" for k, v in details.items() if len(v)))
if p["website"]:
    st.markdown(f"[{p['website']}]({p['website']})")
if len(p["sources"]):
    st.caption(
        t(
            "Sources: {s}",
            s="; ".join(t(x) for x in p["sources"])
            if not p["synthetic"]
            else t("generated by Open Cities Monitor"),
        )
    )

st.subheader(t("Targets"))
targets = p["targets"]
if targets.empty:
    st.caption(t("The project's pages publish no numeric targets."))
else:
    shown = targets.assign(
        actual_label=targets["actual"].map(
            lambda v: t("no data yet") if pd.isna(v) else common.fmt_int(v)
        )
    )
    common.table(
        shown,
        hide_index=True,
        width="stretch",
        column_order=[
            "indicator",
            "unit",
            "baseline",
            "target",
            "actual_label",
            "progress",
            "as_of",
        ],
        column_config={
            "indicator": st.column_config.TextColumn(t("Indicator"), width="large"),
            "unit": t("Unit"),
            "baseline": st.column_config.NumberColumn(t("Baseline")),
            "target": st.column_config.NumberColumn(t("Target"), format="localized"),
            "actual_label": t("Actual"),
            "progress": st.column_config.ProgressColumn(
                t("Progress"), min_value=0, max_value=1, format="percent"
            ),
            "as_of": st.column_config.DateColumn(t("As of")),
        },
    )
    if targets["actual"].isna().all():
        st.caption(t("No results have been published against these targets yet."))

st.subheader(t("Cities"))
cities = p["cities"]
if cities.empty:
    st.caption(t("The sources do not list the cities this project works with."))
else:
    outlines = common.run(dashboard.country_outlines, lang=lang)
    points = cities.assign(
        radius=(cities["population"].clip(lower=5_000) ** 0.5) * 18,
        years=cities["year_from"].astype(str) + "–" + cities["year_to"].astype(str),
    )
    st.pydeck_chart(
        pdk.Deck(
            map_provider=None,
            initial_view_state=pdk.ViewState(latitude=47.4, longitude=36.2, zoom=3.85),
            layers=[
                pdk.Layer(
                    "GeoJsonLayer",
                    outlines,
                    get_fill_color=[236, 236, 232],
                    get_line_color=[120, 120, 120],
                    line_width_min_pixels=1,
                ),
                pdk.Layer(
                    "ScatterplotLayer",
                    points[["lon", "lat", "radius", "name", "years"]],
                    get_position=["lon", "lat"],
                    get_fill_color=[69, 117, 180, 230],
                    get_radius="radius",
                    radius_min_pixels=4,
                    pickable=True,
                ),
            ],
            tooltip={"text": "{name}\n{years}"},
        ),
        height=520,
    )
    common.table(
        cities,
        hide_index=True,
        width="stretch",
        column_order=["name", "country", "year_from", "year_to"],
        column_config={
            "name": t("City"),
            "country": t("Country"),
            "year_from": st.column_config.NumberColumn(t("From"), format="%d"),
            "year_to": st.column_config.NumberColumn(t("To"), format="%d"),
        },
    )

    st.subheader(t("Did the project's cities improve more?"))
    est = common.run(impact.project_impact, code)
    if est.get("effect") is None:
        st.info(
            t(
                est.get("reason")
                or "too few cities with data before and after in one of the groups"
            ),
            icon=":material/info:",
        )
    else:
        m = st.columns(3)
        m[0].metric(t("Difference in change, points"), common.fmt_num(est["effect"], sign=True))
        m[1].metric(
            t("95% interval"),
            f"{common.fmt_num(est['ci_low'], sign=True)} … "
            f"{common.fmt_num(est['ci_high'], sign=True)}",
        )
        m[2].metric(
            t("Cities"), t("{t} taking part, {c} others", t=est["n_treated"], c=est["n_control"])
        )
        st.caption(
            t(
                "Change of the mean index from before a city joined to after its first "
                "project year, participating cities minus other cities of the same "
                "countries ({p}); bootstrap over cities.",
                p=est["programme"],
            )
        )
        st.warning(t(impact.CAVEAT), icon=":material/warning:")
        if est.get("spans_break"):
            st.caption(t("The years compared span a methodology break."))
