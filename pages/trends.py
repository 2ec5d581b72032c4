"""Trends: averages, distributions and class shares over the years, by country, region or
population band, with methodology breaks shown and a like-for-like comparison."""

import pandas as pd
import streamlit as st

from analytics import dashboard, trends
from pages import backdrop, charts, common
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()
st.title(t("Trends"))
st.caption(prog["name"])
common.synthetic_banner(prog["synthetic"])

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
else:
    data = agg[agg["with_total"] > 0]
    if by == "region":
        st.caption(t("The 10 regions with the most cities."))
    st.subheader(t("Average index"))
    common.chart(charts.trends_line, programme, by, groupings[by])
    if not breaks.empty:
        st.caption(
            t(
                "Dashed red lines: methodology changes ({years}). Averages on either side "
                "are not directly comparable; use the like-for-like comparison below.",
                years=", ".join(str(y) for y in breaks["year"]),
            )
        )
    if prog["synthetic"] is False and (data["with_total"] < data["cities"]).any():
        st.caption(
            t(
                "Published data covers only some cities each year (mostly leaders and "
                "outsiders): averages here are of the cities with a published total, not "
                "of all cities assessed."
            )
        )
    common.downloads(agg, f"trends-{programme}-{by}", "agg")

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
    ya = c1.selectbox(t("From"), years, key=common.bind("from", years, years[0]))
    yb = c2.selectbox(t("To"), years, key=common.bind("to", years, years[-1]))
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
            m[2].metric(
                t("Basis"),
                t(lfl["basis"].iloc[0]),
                help=t("Shared items per city: {n}", n=int(lfl["items"].median())),
            )
            shown = lfl.assign(name=lfl["city"].map(names)).sort_values("change", ascending=False)
            st.dataframe(
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
