"""Rankings: the sortable table of a programme-year, with filters, search and sparklines."""

import pandas as pd
import streamlit as st

from analytics import dashboard, results, slides
from pages import common, views, workbench_ui
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()
st.title(t("Rankings"))
st.caption(f"{prog['name']} · {year}")
common.synthetic_banner(prog["synthetic"])
common.programme_note(prog)

counts = common.run(slides.year_counts, programme)
years_with_results = [int(y) for y in counts.loc[counts["results"] > 0, "year"]] or [year]
opts = common.run(dashboard.filter_options, programme, year, lang=lang)
countries = [c for (c,) in opts["countries"]]
regions = dict(opts["regions"])
classes = [c for c, _ in opts["classes"]]
bands = opts["bands"]

c1, c2, c3, c4 = st.columns(4)
sel_countries = c1.multiselect(
    t("Country"),
    countries,
    format_func=common.country_name,
    placeholder=t("All"),
    key=common.bind_list("country", countries),
)
region_options = list(regions)
sel_regions = c2.multiselect(
    t("Region"),
    region_options,
    format_func=lambda r: regions[r],
    placeholder=t("All"),
    key=common.bind_list("region", region_options),
)
sel_bands = c3.multiselect(
    t("Population"),
    bands,
    format_func=common.label,
    placeholder=t("All"),
    key=common.bind_list("band", bands),
)
sel_classes = c4.multiselect(
    t("Class"),
    classes,
    format_func=common.label,
    placeholder=t("All"),
    key=common.bind_list("class", classes),
)
search = st.text_input(
    t("Search a city"),
    key=common.bind("q", None, ""),
    placeholder=t("Name in English, Ukrainian or Russian"),
)
common.remember(
    country=sel_countries,
    region=sel_regions,
    band=sel_bands,
    q=search or None,
    **{"class": sel_classes},
)

filters = {
    "countries": tuple(sel_countries),
    "regions": tuple(sel_regions),
    "bands": tuple(sel_bands),
    "classes": tuple(sel_classes),
    "search": search,
}


def ranking_chart(y: int) -> None:
    totals = common.run(dashboard.ranking, programme, y, lang=lang, **filters)["total"]
    if totals.notna().any():
        common.chart(views.ranking_bars, programme, y, lang, tuple(filters.items()))
    else:
        st.info(t("No totals in {y}: the table lists the classes.", y=y), icon=":material/info:")


def ranking_table(y: int) -> None:
    table = common.run(
        dashboard.ranking,
        programme,
        y,
        lang=lang,
        countries=sel_countries,
        regions=sel_regions,
        bands=sel_bands,
        classes=sel_classes,
        search=search,
    )
    if table.empty:
        st.info(t("No city matches these filters."), icon=":material/filter_alt_off:")
        return

    rank_head, rank_note = results.rank_header(
        table["rank_source"], table["ranked_cities"], lang, table["published_rank"], table["rank"]
    )
    # Published ranks of a few cities only: their own labelled column, never mixed into "rank".
    partly_published = bool(
        table["published_rank"].notna().any() and not (table["rank_source"] == "published").any()
    )
    st.caption(rank_note)
    if table["across_break"].any():
        st.caption(t("Changes are not shown across a methodology break."))
    shown = table.assign(
        change_rank=table["change_rank"].where(~table["across_break"]),
        change_points=table["change_points"].where(~table["across_break"]),
        total_label=[
            common.fmt_points(v)
            if not pd.isna(v) or not isinstance(c, str)
            else t("no total published")
            for v, c in zip(table["total"], table["class_name"])
        ],
        class_name=table["class_name"].map(common.label),
        country_name=table["country"].map(common.country_name),
        source=table["source"].map(common.label),
    )
    years = prog["years"]
    event = common.table(
        shown,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown), 720),
        on_select="rerun",
        selection_mode="single-row",
        key=f"ranking_{y}",
        placeholder="—",
        column_order=[
            "rank",
            "name",
            "country_name",
            "region",
            "total",
            "sparkline",
            "class_name",
            "change_rank",
            "change_points",
            "coverage",
            "source",
            *(["published_rank"] if partly_published else []),
        ],
        column_config={
            "rank": st.column_config.NumberColumn(
                rank_head, format="%d", width="medium", help=rank_note
            ),
            "published_rank": st.column_config.NumberColumn(
                t("Published rank"),
                format="%d",
                help=t("The programme's own rank, where it published one"),
            ),
            "name": st.column_config.TextColumn(t("City")),
            "country_name": st.column_config.TextColumn(t("Country"), width="small"),
            "region": t("Region"),
            "total": st.column_config.ProgressColumn(
                t("Index"),
                min_value=0,
                max_value=common.run(dashboard.scale_max, programme, y),
                format="%.1f",
            ),
            "class_name": t("Class"),
            "change_rank": st.column_config.NumberColumn(
                t("Δ rank"), format="%+d", help=t("Places gained since the previous assessed year")
            ),
            "change_points": st.column_config.NumberColumn(t("Δ points"), format="%+.1f"),
            "sparkline": st.column_config.ImageColumn(
                t("{a}–{b}", a=years[0], b=years[-1]) if years[0] != years[-1] else str(years[0]),
                width="medium",
                help=t(
                    "The city's index in each year of the programme: a gap where there is no "
                    "total, a new line after a methodology change"
                ),
            ),
            "coverage": st.column_config.ProgressColumn(
                t("Coverage"), min_value=0, max_value=1, format="percent"
            ),
            "source": st.column_config.TextColumn(
                t("Source"),
                help=t(
                    "published: the programme's figure; computed: from scores in this database; "
                    "derived: worked out by us from published figures (see the note above)"
                ),
            ),
        },
    )
    st.caption(
        t(
            "Select a row to open the city's profile. “Not assessed” is shown as an empty "
            "bar, never as zero."
        )
    )
    rows = event.selection.rows if event and event.selection else []
    if rows:
        common.open_city(shown.iloc[rows[0]]["city"], programme, y)

    export = shown[
        [
            "rank",
            "city",
            "name",
            "country",
            "country_name",
            "region",
            "population",
            "total",
            "class_name",
            "change_rank",
            "change_points",
            "coverage",
            "source",
            "rank_source",
            "ranked_cities",
        ]
    ]
    common.downloads(export, f"ranking-{programme}-{y}", "ranking")


views.three_views(
    "ranking_fig", programme, years_with_results, year, ranking_chart, ranking_table,
    default="table",
)  # fmt: skip

workbench_ui.weights_panel(programme, year)
workbench_ui.rank_ranges(programme, year)
