"""City profile: from a city's index down to single indicators, with what it would take to
move up."""

import pandas as pd
import streamlit as st

from analytics import compare, dashboard, results, robustness, scorecard, trends
from pages import backdrop, charts, common, geo_ui, search_ui, trail_ui, views, workbench_ui
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()

choices = common.run(dashboard.city_choices, lang=lang)
codes = list(choices["code"])
label = dict(
    zip(choices["code"], choices["name"] + " (" + choices["country"].map(common.country_name) + ")")
)
search_ui.find_box("w_city", codes, label)
city = st.selectbox(
    t("City"),
    codes,
    format_func=label.get,
    key=common.bind("city", codes, "ua-lviv" if "ua-lviv" in codes else codes[0], label=label.get),
)
common.remember(city=city)
info = common.run(dashboard.city_info, city, lang=lang)

st.title(info["name"])
facts = [
    info["country_name"],
    info["region_name"],
    t("population {n}", n=common.fmt_int(info["population"])) if info["population"] else None,
    t("district council") if info.get("kind") == "district" else None,
    t("capital") if info["capital"] else None,
    t("OGP Local member") if info["ogp_local"] else None,
]
if info["name_native"] and info["name_native"] != info["name"]:
    facts.insert(0, info["name_native"])
st.caption(" · ".join(f for f in facts if f))

series = common.run(trends.city_series, programme, city)
if series.empty:
    others = common.run(dashboard.city_programmes, city)
    st.info(
        t("{city} has no results in {p}.", city=info["name"], p=prog["name"]),
        icon=":material/info:",
    )
    if not others.empty:
        st.write(t("Results exist in:"))
        for row in others.itertuples():
            st.page_link(
                "pages/city.py",
                label=f"{row.name_en} ({', '.join(map(str, row.years))})",
                query_params={"city": city, "programme": row.programme, "year": str(row.years[-1])},
            )
    st.stop()

common.synthetic_banner(prog["synthetic"])
common.programme_note(prog)
years = [int(y) for y in series["year"]]
shown_year = year if year in years else years[-1]
if shown_year != year:
    st.caption(t("No result for {y}; showing {s}.", y=year, s=shown_year))
row = series.loc[series["year"] == shown_year].iloc[0]
methodology = row["methodology"]

has_total = not pd.isna(row["total"])
has_class = isinstance(row["class_name"], str)
rank_value, rank_of = results.rank_text(row["rank"], row["rank_source"], row["ranked_cities"], lang)
shown_metrics = ["index" if has_total else None, "rank", "class", "coverage"]
if not has_total:  # a class without a total: no placeholder as a big number
    shown_metrics = ["class", "rank" if not pd.isna(row["rank"]) else None]
c = st.columns(4)
for col, what in zip(c, [m for m in shown_metrics if m]):
    if what == "index":
        col.metric(
            t("Index {y}", y=shown_year),
            common.fmt_points(row["total"]),
            delta=None
            if pd.isna(row["change_points"]) or row["across_break"]
            else common.fmt_num(row["change_points"], sign=True),
            help=t("Source: {s}", s=common.label(row["source"]) or "—"),
        )
    elif what == "rank":
        col.metric(
            t("Rank"),
            rank_value,
            delta=None
            if pd.isna(row["change_rank"]) or row["across_break"]
            else f"{int(row['change_rank']):+d}",
            help=rank_of,
        )
        col.caption(rank_of)
    elif what == "class":
        col.metric(t("Class"), common.label(row["class_name"]) if has_class else "—")
    else:
        col.metric(
            t("Coverage"),
            "—" if pd.isna(row["coverage"]) else common.fmt_pct(row["coverage"]),
            help=t("Share of the applicable maximum that was assessed"),
        )
if not has_total and has_class:
    st.caption(t("{p} gave a class, no total, in {y}.", p=prog["name"], y=shown_year))
trail_ui.city_context(programme, city, methodology, shown_year, lang)

workbench_ui.compact_weights(programme, shown_year, city)
sc = st.columns([3, 1, 1])
sc[1].download_button(
    t("Scorecard PDF"),
    lambda: scorecard.render(
        common.connection(), city, shown_year, lang=lang, programme=programme, fmt="pdf"
    ),
    f"scorecard-{city}-{shown_year}-{lang}.pdf",
    "application/pdf",
    key="scorecard_pdf",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
)
sc[2].download_button(
    t("Scorecard PNG"),
    lambda: scorecard.render(
        common.connection(), city, shown_year, lang=lang, programme=programme, fmt="png"
    ),
    f"scorecard-{city}-{shown_year}-{lang}.png",
    "image/png",
    key="scorecard_png",
    icon=":material/image:",
    on_click="ignore",
)
near = common.run(compare.nearest_by_profile, methodology, shown_year, city, k=3)
st.page_link(
    "pages/compare.py",
    label=t("Compare with the most similar cities"),
    icon=":material/compare_arrows:",
    query_params={
        "programme": programme,
        "year": str(shown_year),
        "cities": [city, *list(near["city"])] if not near.empty else [city],
    },
)

# ------------------------------------------------------------------------------ history
st.subheader(t("History"))
projects = common.run(dashboard.city_projects, city)
breaks = pd.DataFrame(common.run(trends.breaks, programme))
if series["total"].isna().all():  # classes only: their years, not an empty index chart
    by_year = series.assign(class_label=series["class_name"].map(common.label))
    common.table(
        by_year,
        hide_index=True,
        column_order=["year", "class_label"],
        column_config={
            "year": st.column_config.NumberColumn(t("Year"), format="%d"),
            "class_label": t("Class"),
        },
        placeholder="—",
    )
else:

    def history_chart(y: int) -> None:
        common.chart(views.year_marked, "pages.charts", "city_history", (programme, city), y)

    def history_table(y: int) -> None:
        rows = series[series["year"] <= y].assign(
            class_label=series["class_name"].map(common.label)
        )
        common.table(
            rows.sort_values("year", ascending=False),
            hide_index=True,
            column_order=["year", "total", "rank", "class_label", "change_points"],
            column_config={
                "year": st.column_config.NumberColumn(t("Year"), format="%d"),
                "total": st.column_config.NumberColumn(t("Index"), format="%.1f"),
                "rank": st.column_config.NumberColumn(t("Rank"), format="%d"),
                "class_label": t("Class"),
                "change_points": st.column_config.NumberColumn(t("Δ points"), format="%+.1f"),
            },
            placeholder="—",
        )

    views.three_views(
        "city_fig", programme, years, shown_year, history_chart, history_table, highlight=city
    )
notes = []
if not breaks.empty and breaks["year"].isin(years).any():
    notes.append(
        t(
            "Dashed red lines: methodology changes; totals on either side are not "
            "directly comparable."
        )
    )
if not projects.empty:
    notes.append(t("Shaded: years of EU-funded projects the city took part in."))
if notes:
    st.caption(" ".join(notes))
common.downloads(series, f"history-{city}-{programme}", "history")
st.subheader(t("Why the rank moved"))
workbench_ui.why_moved(programme, city, shown_year)
backdrop.draw(info["country"], city=city, programme=programme)

# ------------------------------------------------------------------------------ areas
peers = common.run(compare.peer_group, methodology, shown_year, city)
areas = common.run(dashboard.area_vs_peers, methodology, shown_year, city, peers, lang=lang)
st.subheader(t("Areas against peers"))
if areas["share"].notna().any():
    st.caption(
        t(
            "Share of each area's maximum; the tick is the median of {n} peer cities "
            "(same country and population band).",
            n=len(peers),
        )
        if peers
        else t(
            "Share of each area's maximum; no other city of the same country and population "
            "band was assessed this year, so there is no peer median."
        )
    )
    common.chart(charts.area_bars, methodology, shown_year, city, peers, lang)
    common.downloads(areas.drop(columns=["position"]), f"areas-{city}-{shown_year}", "areas")
else:
    st.caption(t("No area scores for this city and year."))


# ------------------------------------------------------------------------------ indicators
def sheet_notes(df: pd.DataFrame) -> pd.Series:
    """One line per indicator from the notes that have no column of their own."""

    def line(r) -> str | None:
        parts = []
        if isinstance(r.uncounted_value, str):
            parts.append(
                t(
                    "{v} recorded as text; the publisher's total did not count it, so the "
                    "official score is {s}",
                    v=r.uncounted_value,
                    s=common.fmt_num(r.score, 2),
                )
            )
        if isinstance(r.sheet_value, str):
            parts.append(t("working sheet: {v}", v=r.sheet_value))
        return "; ".join(parts) or None

    return df.apply(line, axis=1)


def _indicator_view(methodology: str, programme: str, year: int, city: str) -> dict:
    """The indicator table as shown (labels, notes, links, no "None"), the states counted and
    each area's indicators met: made once per city, year and language, not on every rerun."""
    ind = common.run(dashboard.indicator_table, methodology, year, city, lang=common.lang())
    # a cached result is shared: a changed copy, never a change in place (the next run would
    # find the prefix gone and lose the "working note" heading)
    comments, working = common.working_notes(ind["comment"])
    ind = ind.assign(comment=comments)
    view: dict = {"indicators": ind, "working": working}
    if ind.empty or not (ind["state"] != "missing").any():
        return view
    counts = ind["state"].value_counts()
    view["counts"] = " · ".join(f"{t(common.STATE_LABELS[k])}: {v}" for k, v in counts.items())
    view["per_area"] = dashboard.met_by_area(ind)
    text_cols = ["evidence_url", "comment", "recommendation"]
    view["shown"] = ind.assign(
        state_label=ind["state"].map(lambda s: t(common.STATE_LABELS[s])),
        working_note=sheet_notes(ind).fillna(""),
        indicator_page=common.indicator_links(ind, programme, year),
        # an empty cell, never "None": no link, comment or note for that indicator
        **{c: ind[c].fillna("") for c in text_cols},
    )
    return view


def _indicator_rows(view: dict, area: str) -> tuple[pd.DataFrame, bool]:
    """The rows of ``area`` ("all": every area) and whether any has a note to show."""
    shown = view["shown"] if area == "all" else view["shown"][view["shown"]["area"] == area]
    return shown, bool((shown[["recommendation", "working_note"]] != "").any().any())


view = common.per_version(
    "city-indicators",
    lambda: _indicator_view(methodology, programme, shown_year, city),
    methodology,
    programme,
    shown_year,
    city,
)
indicators, working_comments = view["indicators"], view["working"]
for note in common.run(dashboard.city_notes, methodology, shown_year, city).itertuples():
    if note.kind == "no_reply":
        st.info(
            t(
                "{city} did not answer the information requests: every indicator is 0, as "
                "published (no reply, not an assessed zero).",
                city=info["name"],
            ),
            icon=":material/mark_email_unread:",
        )
if "shown" in view:
    st.subheader(t("Indicators"))
    st.caption(view["counts"])
    per_area = view["per_area"]
    area_codes = ["all", *per_area.index]
    area = st.selectbox(
        t("Area"),
        area_codes,
        key=common.bind("area", area_codes, "all"),
        format_func=lambda a: (
            t("All areas")
            if a == "all"
            else t(
                "{name} — {m} of {n} met",
                name=per_area.at[a, "name"],
                m=int(per_area.at[a, "met"]),
                n=int(per_area.at[a, "n"]),
            )
        ),
    )
    common.remember(area=None if area == "all" else area)
    shown_ind, has_notes = _indicator_rows(view, area)
    common.table(
        shown_ind,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown_ind), 560),
        column_order=[
            "area_name",
            "indicator_page",
            "text",
            "score",
            "max_points",
            "state_label",
            "evidence_url",
            "comment",
            *(["recommendation", "working_note"] if has_notes else []),
        ],
        column_config={
            "area_name": t("Area"),
            "indicator_page": common.indicator_column(),
            "text": st.column_config.TextColumn(t("Indicator"), width="large"),
            "score": st.column_config.NumberColumn(t("Points"), format="%.2f"),
            "max_points": st.column_config.NumberColumn(t("Maximum"), format="%.2f"),
            "state_label": t("State"),
            "evidence_url": st.column_config.LinkColumn(t("Evidence")),
            "comment": t("Analysts' working note") if working_comments else t("Comment"),
            "recommendation": st.column_config.TextColumn(
                t("Recommendation (analysts' working note)"), width="medium"
            ),
            "working_note": st.column_config.TextColumn(t("Working sheet"), width="medium"),
        },
    )
    captions = []
    if indicators["text_source"].notna().any():
        captions.append(
            t(
                "Indicator texts: Ukrainian as Transparency International Ukraine wrote them; "
                "English and Russian are our translations."
            )
        )
    if has_notes or working_comments:
        captions.append(
            t(
                "Comments, recommendations and working-sheet values are the analysts' working "
                "notes, shown as context: the points are the final scores and no note changes them."
            )
        )
    if captions:
        st.caption(" ".join(captions))
    common.downloads(indicators, f"indicators-{city}-{shown_year}", "indicators")

    # -------------------------------------------------------------------------- gap planner
    st.subheader(t("What it would take"))
    plan = common.run(compare.gap_plan, methodology, shown_year, city)
    pointers = (
        tuple(c for cs in plan["plan"]["met_by"] for c in cs[:5]) if not plan["plan"].empty else ()
    )
    names = common.run(dashboard.city_names, pointers, lang=lang)
    if plan.get("reason") and plan["plan"].empty:
        st.info(t(plan["reason"]), icon=":material/info:")
    else:
        st.write(
            t(
                "To reach **{target:.0f}** ({cls}) from {now:.1f}: meet these {k} "
                "indicator(s). Cities listed already meet them — peers first.",
                target=plan["target"],
                cls=common.label(plan.get("target_class")) or t("target"),
                now=plan["current"],
                k=len(plan["plan"]),
            )
        )
        gp = plan["plan"].assign(
            best_practice=plan["plan"]["met_by"].map(
                lambda cs: (
                    ", ".join(names.get(c, c) for c in cs[:5])
                    + (f" +{len(cs) - 5}" if len(cs) > 5 else "")
                )
            ),
            text=plan["plan"][f"text_{lang}"].fillna(plan["plan"]["text_en"]),
            indicator_page=common.indicator_links(plan["plan"], programme, shown_year),
            recommendation=plan["plan"]["code"]
            .map(dict(zip(indicators["code"], indicators["recommendation"])))
            .fillna(""),
        )
        common.table(
            gp,
            hide_index=True,
            width="stretch",
            column_order=[
                "indicator_page",
                "text",
                "gain",
                "total_after",
                "peer_share",
                "best_practice",
                *(["recommendation"] if (gp["recommendation"] != "").any() else []),
            ],
            column_config={
                "indicator_page": common.indicator_column(),
                "text": st.column_config.TextColumn(t("Indicator"), width="large"),
                "gain": st.column_config.NumberColumn(t("Adds"), format="+%.2f"),
                "total_after": st.column_config.NumberColumn(t("Index after"), format="%.1f"),
                "peer_share": st.column_config.ProgressColumn(
                    t("Peers meeting it"), min_value=0, max_value=1, format="percent"
                ),
                "best_practice": t("Already met by"),
                "recommendation": st.column_config.TextColumn(
                    t("Recommendation (analysts' working note)"), width="medium"
                ),
            },
        )
        common.downloads(
            gp.drop(columns=["met_by", "indicator_page"]), f"gap-plan-{city}-{shown_year}", "gap"
        )
    workbench_ui.what_it_would_take(
        methodology, shown_year, city, list(plan["plan"].get("code", [])), programme=programme
    )

    # -------------------------------------------------------------------------- robustness
    st.subheader(t("How solid is the rank?"))
    mc = common.run(robustness.rank_intervals, methodology, shown_year, n=1000, seed=0)
    mine = mc[mc["city"] == city]
    if mine.empty:
        st.caption(t("Not enough area data to test the rank."))
    else:
        r = mine.iloc[0]
        st.write(
            t(
                "With area weights varied around the methodology's own and scores added up or "
                "multiplied (1,000 draws), the rank stays between **{lo:.0f}** and "
                "**{hi:.0f}** in 90% of cases (median {med:.0f}; nominal {nom}).",
                lo=r["p05_rank"],
                hi=r["p95_rank"],
                med=r["median_rank"],
                nom=int(r["nominal_rank"]),
            )
        )
        st.caption(
            t(
                "Correlation of the varied rankings with the nominal one (Spearman, "
                "median): {rho:.3f}.",
                rho=mc.attrs.get("spearman_median", float("nan")),
            )
        )
elif not indicators.empty:
    st.caption(
        t(
            "No indicator-level scores for this city and year: the drill-down and the "
            "gap planner need them."
        )
    )

geo_ui.distance_peers(city, programme, shown_year)
geo_ui.hromada_context(city, info["country"])
