"""Trends: averages, distributions and class shares over the years, by country, region or
population band, with methodology breaks shown and a like-for-like comparison."""

import pandas as pd
import streamlit as st

from analytics import dashboard, trends
from pages import backdrop, charts, common, geo_ui, views
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()
st.title(t("Trends"))
st.caption(prog["name"])
common.synthetic_banner(prog["synthetic"])
common.programme_note(prog)

groupings = {
    "all": t("all cities"),
    "country": t("country"),
    "population_band": t("population"),
    "region": t("region"),
}
by = st.segmented_control(
    t("Group by"),
    list(groupings),
    format_func=groupings.get,
    key=common.bind("by", list(groupings), "country"),
)
by = by or "country"
common.remember(by=by)

agg = common.run(trends.aggregate, programme, by)
breaks = pd.DataFrame(common.run(trends.breaks, programme))
if agg.empty or agg["with_total"].sum() == 0:
    st.info(
        t("{p} publishes classes only: there are no totals to follow over time.", p=prog["name"]),
        icon=":material/info:",
    )
    if any(c.startswith("share ") for c in agg.columns):
        st.subheader(t("Share of cities in each class"))
        common.chart(charts.trends_classes, programme)
else:
    data = agg[agg["with_total"] > 0]
    total_years = sorted(int(y) for y in data["year"].unique())
    panels = {
        "balanced": t("Same cities every year"),
        "all": t("All cities with a total"),
    }
    p1, p2 = st.columns([2, 3])
    with p1:
        panel = st.segmented_control(
            t("Average over"),
            list(panels),
            format_func=panels.get,
            key=common.bind("panel", list(panels), "balanced"),
        )
    panel = panel or "balanced"
    with p2:
        span = (
            st.select_slider(
                t("Years"),
                total_years,
                value=(total_years[0], total_years[-1]),
                key="w_years",
            )
            if len(total_years) > 1
            else (total_years[0], total_years[0])
        )
    shown_years = tuple(y for y in total_years if span[0] <= y <= span[1])
    common.remember(panel=None if panel == "balanced" else panel)
    if by == "region":
        st.caption(t("The 10 regions with the most cities."))
    st.subheader(t("Average index"))
    means = common.run(trends.panel_means, programme, by, panel=panel, years=shown_years)
    line_args = (programme, by, groupings[by], panel, shown_years)

    def trend_chart(y: int) -> None:
        common.chart(views.year_marked, "pages.charts", "trends_line", line_args, y)

    def trend_table(y: int) -> None:
        rows = means[means["year"] == y]
        rows = rows.assign(
            grp=rows[by].map(lambda g: t("all cities") if by == "all" else t(str(g)))
        )
        common.table(
            rows,
            hide_index=True,
            column_order=["grp", "mean", "median", "n"],
            column_config={
                "grp": groupings[by],
                "mean": st.column_config.NumberColumn(t("Mean index"), format="%.1f"),
                "median": st.column_config.NumberColumn(t("Median"), format="%.1f"),
                "n": t("Cities averaged (n)"),
            },
        )

    play_years = sorted(int(y) for y in means["year"].unique()) or list(shown_years)
    views.three_views("trends_fig", programme, play_years, year, trend_chart, trend_table)
    sizes = trends.panel_sizes(means)
    parts = "; ".join(
        t(
            "{a}–{b}: {n} cities" if d["first"] != d["last"] else "{a}: {n} cities",
            a=d["first"],
            b=d["last"],
            n=d["n"],
        )
        for d in sizes
    )
    st.caption(
        t(
            "Average over the same cities in every year of each methodology shown "
            "(a balanced panel), so a change is a change of those cities: {parts}.",
            parts=parts,
        )
        if panel == "balanced"
        else t(
            "Average over every city with a total that year: the cities averaged change "
            "from year to year, so part of a change is a change of sample ({parts}).",
            parts=parts,
        )
    )
    if not breaks.empty:
        st.caption(
            t(
                "Dashed red lines: methodology changes ({years}). Averages on either side "
                "are not directly comparable; use the like-for-like comparison below.",
                years=", ".join(str(y) for y in breaks["year"]),
            )
        )
    common.downloads(
        means.assign(**{by: means[by].map(lambda v: common.group_label(by, v))})
        if by in means.columns
        else means,
        f"trends-{programme}-{by}-{panel}",
        "agg",
    )

    st.subheader(t("Distribution"))
    common.chart(charts.trends_box, programme)

    shares = [c for c in agg.columns if c.startswith("share ")]
    if shares:
        st.subheader(t("Share of cities in each class"))
        common.chart(charts.trends_classes, programme)

# ------------------------------------------------------------------------------ like-for-like
years = prog["years"]
if len(years) >= 2:
    st.subheader(t("Like-for-like"))
    st.caption(
        t(
            "Compare two years only on what both methodologies measure: the indicators "
            "they share, or, without indicator data, the areas that continue."
        )
    )
    c1, c2 = st.columns(2)
    first, last = common.run(trends.comparable_pair, programme)
    ya = c1.selectbox(t("From"), years, key=common.bind("from", years, first))
    yb = c2.selectbox(t("To"), years, key=common.bind("to", years, last))
    common.remember(**{"from": ya, "to": yb})
    if ya == yb:
        st.info(t("Choose two different years."))
    else:
        try:
            lfl = common.run(trends.like_for_like, programme, ya, yb)
        except ValueError:
            lfl = pd.DataFrame()
        if lfl.empty:
            st.info(t("No city has comparable data in both years."), icon=":material/info:")
        else:
            names = common.run(dashboard.city_names, tuple(lfl["city"]), lang=lang)
            m = st.columns(3)
            m[0].metric(t("Cities compared"), len(lfl))
            m[1].metric(
                t("Mean change, like-for-like"), common.fmt_num(lfl["change"].mean(), sign=True)
            )
            basis = lfl["basis"].iloc[0]
            m[2].metric(
                t("Basis"),
                t(basis),
                help=t("One methodology: the totals compare as they are")
                if basis == "totals"
                else t("Shared items per city: {n}", n=int(lfl["items"].median())),
            )
            shown = lfl.assign(name=lfl["city"].map(names)).sort_values("change", ascending=False)
            common.table(
                shown,
                hide_index=True,
                width="stretch",
                column_order=["name", "total_a", "total_b", "change", "items"],
                column_config={
                    "name": t("City"),
                    "total_a": st.column_config.NumberColumn(str(ya), format="%.1f"),
                    "total_b": st.column_config.NumberColumn(str(yb), format="%.1f"),
                    "change": st.column_config.NumberColumn(t("Change"), format="%+.1f"),
                    "items": t("Shared items"),
                },
            )
            common.downloads(shown, f"like-for-like-{programme}-{ya}-{yb}", "lfl")

backdrop.draw()
geo_ui.region_map(programme, year)
geo_ui.context_scatter(programme, year)
