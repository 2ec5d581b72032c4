"""Projects: the EU-funded projects (and two non-EU comparators), their money counted once,
the cities and regions they work with, and what the data says about those cities."""

import pandas as pd
import pydeck as pdk
import streamlit as st

from analytics import context, dashboard, impact
from pages import charts, common
from pages.common import t

common.guard(__file__)

lang = common.lang()
st.title(t("Projects"))
projects = common.run(dashboard.project_list, lang=lang)
if projects.empty:
    st.info(t("No projects in the database yet."))
    st.stop()
names = dict(common.run(context.countries, lang=lang).itertuples(index=False))


def country_names(codes) -> list[str]:
    return [names.get(c, c) for c in codes]


published_date = common.published_date


def money_text(value) -> str:
    """An amount in euros for a table: grouped digits, or "—" when the source gives none."""
    return "—" if value is None or pd.isna(value) else common.fmt_int(value)


def funding_label(non_eu: bool, synthetic: bool) -> str:
    if synthetic:
        return t("synthetic")
    return t("not EU-funded (comparator)") if non_eu else t("EU")


# ------------------------------------------------------------------------------ portfolio
money = common.run(dashboard.portfolio)
c = st.columns(4)
c[0].metric(t("EU-funded projects"), money["projects"])
c[1].metric(
    t("EU contribution, € (each project once)"),
    common.fmt_int(money["eu_contribution_eur"] or 0) if money["with_amount"] else "—",
    help=t(
        "Sum over the {n} EU-funded projects that publish their EU contribution; a "
        "project that works in several countries is counted once.",
        n=money["with_amount"],
    ),
)
c[2].metric(t("Without a published amount"), money["without_amount"])
c[3].metric(t("Non-EU comparators"), money["non_eu"])
st.caption(
    t(
        "Non-EU comparators (flagged in every list) and the synthetic demo project are "
        "left out of every EU sum."
    )
)

st.subheader(t("Timeline"))
common.chart(charts.project_timeline, lang)
undated = projects[projects["start_date"].isna()]
if not undated.empty:
    st.caption(t("Without published dates: {names}.", names="; ".join(undated["title"])))
open_end = projects[projects["start_date"].notna() & projects["end_date"].isna()]
if not open_end.empty:
    st.caption(
        t(
            "Light bars: the end date is not published; the bar runs to today.",
        )
    )

st.subheader(t("EU contribution, counted once"))
left, right = st.columns(2)
with left:
    st.markdown(f"**{t('By country')}**")
    common.chart(charts.contribution, "countries", lang)
with right:
    st.markdown(f"**{t('By priority area')}**")
    common.chart(charts.contribution, "priority_areas", lang)
st.caption(
    t(
        "A project in one country counts there in full. A project in several countries "
        "counts in a country only with the share its source states (M4EG Response and "
        "Renewal: 70% Ukraine, 30% Moldova); otherwise its amount appears once, under "
        "“several countries”. The bars add up to the portfolio total above."
    )
)
by_country = common.run(dashboard.contribution_by, "countries")
per_country = by_country[by_country["kind"] == "item"].assign(
    country=lambda d: d["item"].map(lambda c: names.get(c, c)),
    eur_label=lambda d: d["eu_contribution_eur"].map(money_text),
)
common.table(
    per_country.sort_values("projects", ascending=False),
    hide_index=True,
    width="stretch",
    column_order=["country", "projects", "amount_projects", "eur_label"],
    column_config={
        "country": t("Country"),
        "projects": st.column_config.NumberColumn(
            t("EU-funded projects working there"),
            help=t("A project in several countries counts once in each of them."),
        ),
        "amount_projects": st.column_config.NumberColumn(
            t("Projects whose money is counted there"),
        ),
        "eur_label": st.column_config.TextColumn(
            t("EU contribution counted there, €"),
            help=t("—: no money that belongs to this country alone."),
        ),
    },
)

# ------------------------------------------------------------------------------ table
table = projects.assign(
    priority_areas=projects["priority_areas"].map(lambda xs: [t(x) for x in xs]),
    countries=projects["countries"].map(country_names),
    funders=projects["funders"].map(lambda xs: [t(x) for x in xs]),
    implementing_partners=projects["implementing_partners"].map(lambda xs: [t(x) for x in xs]),
    title=projects["title"]
    + projects["synthetic"].map({True: " (" + t("synthetic") + ")", False: ""})
    + projects["non_eu"].map({True: " (" + t("not EU-funded") + ")", False: ""}),
    funding=[funding_label(n, s) for n, s in zip(projects["non_eu"], projects["synthetic"])],
    status=projects["status"].map(lambda s: t("dates not published") if s == "unknown" else t(s)),
    start=[
        published_date(d, x) for d, x in zip(projects["start_date"], projects["start_published"])
    ],
    end=[published_date(d, x) for d, x in zip(projects["end_date"], projects["end_published"])],
    eur_label=projects["eu_contribution_eur"].map(money_text),
    budget_label=projects["total_budget_eur"].map(money_text),
    eune_label=projects["eune_id"].map(lambda v: "—" if pd.isna(v) else str(int(v))),
)
st.subheader(t("All projects"))
common.table(
    table,
    hide_index=True,
    width="stretch",
    column_order=[
        "title",
        "funding",
        "status",
        "start",
        "end",
        "eur_label",
        "budget_label",
        "funders",
        "implementing_partners",
        "countries",
        "places",
        "cities",
        "eune_label",
    ],
    column_config={
        "title": st.column_config.TextColumn(t("Project"), width="large"),
        "funding": t("Funding"),
        "status": t("Status"),
        "start": t("Start"),
        "end": t("End"),
        "eur_label": st.column_config.TextColumn(
            t("EU contribution, €"), help=t("—: the sources do not state it.")
        ),
        "budget_label": st.column_config.TextColumn(
            t("Total budget, €"), help=t("—: the sources do not state it.")
        ),
        "funders": st.column_config.ListColumn(t("Funders")),
        "implementing_partners": st.column_config.ListColumn(t("Partners")),
        "countries": st.column_config.ListColumn(t("Countries")),
        "places": st.column_config.NumberColumn(
            t("Places named"), help=t("Cities, municipalities and regions the sources name.")
        ),
        "cities": st.column_config.NumberColumn(
            t("Cities here"), help=t("Places that are cities of this dashboard, with years.")
        ),
        "eune_label": st.column_config.TextColumn(t("EU Neighbours East id")),
    },
)
st.caption(
    t(
        "—: the sources do not state the figure. Start and end show only the year or "
        "month where that is all the source gives."
    )
)
common.downloads(
    table.drop(columns=["start_date", "end_date", "eur_label", "budget_label", "eune_label"]),
    "projects",
    "projects",
    what="EU projects",
)

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
if p["non_eu"]:
    st.warning(
        t(
            "Not EU-funded: shown as a comparator (funded by {funders}) and left out of "
            "every EU sum.",
            funders=", ".join(t(f) for f in p["funders"]),
        ),
        icon=":material/flag:",
    )
facts = [t(p["status"]) if p["status"] != "unknown" else t("dates not published")]
start = published_date(p["start_date"], p["start_published"])
end = published_date(p["end_date"], p["end_published"])
if start != "—" or end != "—":
    facts.append(f"{start} – {end if end != '—' else t('end not published')}")
if p["eu_contribution_eur"] is not None and not pd.isna(p["eu_contribution_eur"]):
    facts.append(t("EU contribution €{eur}", eur=common.fmt_int(p["eu_contribution_eur"])))
if p["total_budget_eur"] is not None and not pd.isna(p["total_budget_eur"]):
    facts.append(t("total budget €{eur}", eur=common.fmt_int(p["total_budget_eur"])))
if p["eu_project_number"]:
    facts.append(t("EU project number {n}", n=p["eu_project_number"]))
if p["eune_id"] is not None and not pd.isna(p["eune_id"]):
    facts.append(t("EU Neighbours East id {n}", n=int(p["eune_id"])))
st.caption(" · ".join(facts))
if p["summary"]:
    st.write(p["summary"])
if (p["summary_fallback"] and p["summary"]) or (p["objectives_fallback"] and len(p["objectives"])):
    st.caption(t("Shown in English: no translation in the database."))
if len(p["objectives"]) or len(p["expected_results"]):
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
    t("Funders"): [t(x) for x in p["funders"]],
    t("Partners"): [t(x) for x in p["implementing_partners"]],
    t("Countries"): country_names(p["countries"]),
    t("Priority areas"): [t(x) for x in p["priority_areas"]],
    t("Sub-sectors"): [t(x) for x in p["sub_sectors"]],
    t("Topics"): [t(x) for x in p["topics"]],
}
st.caption(" · ".join(f"{k}: {', '.join(v)}" for k, v in details.items() if len(v)))
for url in dict.fromkeys(u for u in (p["website"], p["source_url"]) if u):
    st.markdown(f"[{url}]({url})")
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


amounts = p["amounts"]
if not amounts.empty:
    st.subheader(t("Other figures the sources give"))
    kinds = {
        "eu_contribution": t("EU contribution (alternative figure)"),
        "total_budget": t("total budget (alternative figure)"),
        "funder": t("another funder's share"),
        "implementer": t("an implementer's share"),
        "programme": t("the wider programme (not this project alone)"),
        "country_split": t("share for one country"),
        "country_budget": t("budget for one country"),
        "later_phase": t("a later phase"),
    }
    shown = amounts.assign(
        kind=amounts["kind"].map(lambda k: kinds.get(k, k)),
        figure=[
            (f"{common.fmt_int(a)} {cur}" if not pd.isna(a) else "")
            + (f"{common.fmt_pct(s)}" if not pd.isna(s) else "")
            for a, cur, s in zip(amounts["amount"], amounts["currency"], amounts["share"])
        ],
        country=amounts["country"].map(lambda c: names.get(c, "") if isinstance(c, str) else ""),
        source_url=amounts["source_url"].fillna(""),
        note=amounts["note"].fillna(""),
    )
    common.table(
        shown,
        hide_index=True,
        width="stretch",
        column_order=["kind", "figure", "country", "note", "source_url"],
        column_config={
            "kind": t("What"),
            "figure": t("Figure"),
            "country": t("Country"),
            "note": st.column_config.TextColumn(t("Source's detail (English)"), width="large"),
            "source_url": st.column_config.LinkColumn(t("Source")),
        },
    )
    st.caption(
        t(
            "Kept like published results: alternative figures are shown beside the one used "
            "above, never added to it; amounts in other currencies are not converted."
        )
    )

st.subheader(t("Cities and regions"))
places = p["places"]
cities = p["cities"]
if places.empty and cities.empty:
    st.caption(t("The sources do not list the cities this project works with."))
else:
    kinds = {
        "city": t("city"),
        "municipality": t("municipality"),
        "hromada": t("hromada"),
        "region": t("region or district"),
    }
    if places.empty:  # cities given directly (the import format's `cities`)
        places = cities.assign(kind="city", role="", linked=True, city=cities["city"])
    shown = places.assign(
        kind_label=places["kind"].map(lambda k: kinds.get(k, k)),
        link=places["linked"].map({True: t("in this dashboard"), False: t("listed by name")}),
        country_name=places["country"].map(lambda c: names.get(c, c)),
        from_label=places["year_from"].map(lambda y: "—" if pd.isna(y) else str(int(y))),
        role=places["role"].fillna("—"),
    )
    with_point = shown[shown["lat"].notna()] if "lat" in shown else shown.iloc[0:0]
    if not with_point.empty:
        outlines = common.run(dashboard.country_outlines, lang=lang)
        points = with_point.assign(
            radius=(with_point["population"].clip(lower=5_000) ** 0.5) * 18,
            years=with_point["year_from"].map(lambda y: "" if pd.isna(y) else str(int(y))),
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
            height=480,
        )
        st.caption(t("On the map: the places that are cities of this dashboard."))
    common.table(
        shown,
        hide_index=True,
        width="stretch",
        column_order=["name", "kind_label", "country_name", "role", "from_label", "link"],
        column_config={
            "name": t("Place"),
            "kind_label": t("Kind"),
            "country_name": t("Country"),
            "role": t("Role"),
            "from_label": st.column_config.TextColumn(
                t("From"), help=t("—: the sources give no year.")
            ),
            "link": t("Link"),
        },
    )
    unlinked = int((~shown["linked"]).sum())
    if unlinked:
        st.caption(
            t(
                "{n} of {m} places are not cities or regions of this dashboard: they are "
                "listed by name, without results.",
                n=unlinked,
                m=len(shown),
            )
        )

st.subheader(t("Did the project's cities improve more?"))
est = common.run(impact.project_impact, code)


def why(est: dict) -> str:
    """Why no estimate, in words, with the years and counts behind it."""
    years = ", ".join(str(y) for y in est.get("years") or []) or "—"
    texts = {
        "no_places": lambda: t("The sources name no cities for this project."),
        "no_city_here": lambda: t(
            "None of the {n} places the sources name is a city of this dashboard "
            "(regions, districts or places not in its city list), so there are no city "
            "results to compare.",
            n=est["places"],
        ),
        "no_dates": lambda: t(
            "The project's dates are not published, so its {n} cities have no before and after.",
            n=est["cities"],
        ),
        "no_results": lambda: t(
            "None of its {n} cities has results in a real programme yet.", n=est["cities"]
        ),
        "no_year_before": lambda: t(
            "No assessed year before the project started in {y}: its cities were assessed "
            "in {years}.",
            y=est["start"],
            years=years,
        ),
        "no_year_after": lambda: t(
            "No assessed year after the project's first year {y}: its cities were "
            "assessed in {years}.",
            y=est["start"],
            years=years,
        ),
        "too_few": lambda: t(
            "Only {n} of its cities have results both before and after {y} (assessed years "
            "{years}); the estimate needs at least 2 such cities and 2 others.",
            n=est["n_treated"],
            y=est["start"],
            years=years,
        ),
    }
    code_ = est.get("why")
    return texts[code_]() if code_ in texts else t(est.get("reason") or "no estimate")


def programme_name(code_: str) -> str:
    info = common.run(dashboard.programme_info, code_)
    return info.get(f"name_{lang}") or info["name_en"]


if est.get("effect") is None:
    st.info(why(est), icon=":material/info:")
else:
    m = st.columns(3)
    m[0].metric(t("Difference in change, points"), common.fmt_num(est["effect"], sign=True))
    m[1].metric(
        t("95% interval"),
        f"{common.fmt_num(est['ci_low'], sign=True)} … {common.fmt_num(est['ci_high'], sign=True)}",
    )
    m[2].metric(
        t("Cities"), t("{t} taking part, {c} others", t=est["n_treated"], c=est["n_control"])
    )
    st.caption(
        t(
            "Change of the mean index from before a city joined to after its first "
            "project year, participating cities minus other cities of the same "
            "countries ({p}); bootstrap over cities.",
            p=programme_name(est["programme"]),
        )
    )
    st.warning(t(impact.CAVEAT), icon=":material/warning:")
    if est.get("spans_break"):
        st.caption(t("The years compared span a methodology break."))
