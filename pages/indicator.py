"""One indicator: all cities and years, who meets it (map and table), its wording in three
languages, its methodology versions, the evidence cities gave and the cities to learn from."""

import altair as alt
import streamlit as st

from analytics import dashboard, i18n, indicator
from pages import common
from pages.common import t

common.guard(__file__)

programme, year, prog = common.programme_and_year()
lang = common.lang()
choices = common.run(indicator.choices, programme, year, lang=lang)
if choices.empty:
    st.title(t("Indicator"))
    st.info(
        t(
            "{programme} has no indicator-level results for {year}: it publishes totals or "
            "areas only. Choose another programme or year in the sidebar.",
            programme=prog["name"],
            year=year,
        )
    )
    st.stop()

codes = list(choices["code"])
texts = dict(zip(choices["code"], choices["text"]))
code = st.selectbox(
    t("Indicator"),
    codes,
    format_func=lambda c: f"{c} · {texts[c][:110]}",
    key=common.bind("indicator", codes, codes[0]),
)
common.remember(indicator=code)
methodology = choices.loc[choices["code"] == code, "methodology"].iloc[0]
info = common.run(indicator.detail, methodology, code)
common.synthetic_banner(prog["synthetic"])

st.title(f"{t('Indicator')} {code}")
st.subheader(info[f"text_{lang}"] or info["text_en"])
kind = {"legal_requirement": t("legal requirement"), "best_practice": t("best practice")}
facts = [
    info[f"area_{lang}"] or info["area_en"],
    t("up to {n} points", n=common.fmt_num(info["max_points"], 2)),
    kind.get(info["kind"] or ""),
    t("methodology {a}–{b}", a=info["year_from"], b=info["year_to"]),
]
st.caption(" · ".join(f for f in facts if f))

with st.expander(t("Wording in three languages")):
    for code_lang in ("uk", "en", "ru"):
        st.markdown(f"**{i18n.NAMES[code_lang]}**")
        st.text(info[f"text_{code_lang}"] or "—")

table = common.run(indicator.results, methodology, code, year, lang=lang)
if table.empty:  # a year of area scores or totals only: say so, never a row of zeros
    others = [
        y
        for y in common.run(indicator.result_years, methodology)
        if y in prog["years"] and y != year
    ]
    st.info(
        t(
            "No city has a result on this indicator in {year}: {programme} published area "
            "scores or totals only that year.",
            year=year,
            programme=prog["name"],
        ),
        icon=":material/info:",
    )
    for other in others:
        st.page_link(
            "pages/indicator.py",
            query_params={
                "programme": programme,
                "year": str(other),
                "indicator": code,
                "lang": lang,
            },  # fmt: skip
            label=t("Results on it in {year}", year=other),
            icon=":material/arrow_forward:",
        )
else:
    counts = indicator.summary(table)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("Cities assessed"), common.fmt_int(counts["assessed"]))
    c2.metric(t("Meet it fully"), common.fmt_int(counts["met"]))
    c3.metric(t("Meet it partly"), common.fmt_int(counts["partly"]))
    c4.metric(t("Do not meet it"), common.fmt_int(counts["unmet"]))
    if counts["other"]:
        st.caption(
            common.tn(
                "{n} city has no result on it (not applicable or not assessed).",
                "{n} cities have no result on it (not applicable or not assessed).",
                counts["other"],
            )
        )

    STATES = ["met", "partly", "unmet", "not_applicable", "not_assessed", "missing"]
    COLOURS = ["#4575b4", "#fee090", "#d73027", "#bdbdbd", "#bdbdbd", "#bdbdbd"]
    comments, working = common.working_notes(table["comment"])
    shown = table.assign(
        comment=comments,
        state_label=table["state"].map(lambda s: t(common.STATE_LABELS.get(s, s))),
        score_label=table["score"].map(lambda v: common.fmt_num(v, 2) if v == v else "—"),
    )
    outlines = common.run(dashboard.country_outlines, lang=lang)
    legend_labels = [t(common.STATE_LABELS.get(s, s)) for s in STATES]
    base = alt.Chart(alt.Data(values=outlines["features"])).mark_geoshape(
        fill="#f2f2f2", stroke="#9e9e9e", strokeWidth=0.6
    )
    points = (
        alt.Chart(shown[["name", "lat", "lon", "state_label", "score_label"]])
        .mark_circle(size=90, opacity=0.9, stroke="#333", strokeWidth=0.4)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(
                "state_label:N",
                scale=alt.Scale(domain=legend_labels[:4], range=COLOURS[:4]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("City")),
                alt.Tooltip("state_label:N", title=t("Result")),
                alt.Tooltip("score_label:N", title=t("Points")),
            ],
        )
    )
    located = shown.dropna(subset=["lat", "lon"])
    frame = {  # the assessed cities, a little beyond: the map shows where they are
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "MultiPoint",
            "coordinates": [
                [x + dx, y + dy]
                for x, y in zip(located["lon"], located["lat"])
                for dx, dy in ((-0.6, -0.4), (0.6, 0.4))
            ],
        },
    }
    view = alt.layer(base, points).properties(height=420)
    if len(located):
        view = view.project("mercator", fit=frame)
    st.altair_chart(view, width="stretch")

    st.subheader(t("Cities to learn from"))
    best = indicator.best_practice(table)
    if best.empty:
        st.info(t("No city meets this indicator fully in {year}.", year=year))
    else:
        common.table(
            best[["name", "country_name", "index", "evidence_url"]],
            hide_index=True,
            column_config={
                "name": t("City"),
                "country_name": t("Country"),
                "index": st.column_config.NumberColumn(t("Index"), format="%.1f"),
                "evidence_url": st.column_config.LinkColumn(t("Evidence")),
            },
        )

    st.subheader(t("Every city in {year}", year=year))
    common.table(
        shown[
            [
                "name",
                "country_name",
                "state_label",
                "score",
                "max_points",
                "evidence_url",
                "comment",
            ]
        ],
        hide_index=True,
        column_config={
            "name": t("City"),
            "country_name": t("Country"),
            "state_label": t("Result"),
            "score": st.column_config.NumberColumn(t("Points"), format="%.2f"),
            "max_points": st.column_config.NumberColumn(t("Maximum"), format="%.2f"),
            "evidence_url": st.column_config.LinkColumn(t("Evidence")),
            "comment": t("Analysts' working note") if working else t("Comment"),
        },
    )
    common.downloads(
        table.drop(columns=["lat", "lon"]), f"indicator-{methodology}-{code}-{year}", "indicator"
    )

st.subheader(t("Over the years"))
hist = common.run(indicator.history, programme, code)
if len(hist) < 2:
    st.caption(t("Assessed in one year only."))
else:
    line = (
        alt.Chart(hist.assign(share_pct=hist["share_met"] * 100))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:Q", title=t("Year"), axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(
                "share_pct:Q",
                title=t("Cities that meet it fully, %"),
                scale=alt.Scale(domain=[0, 100]),
            ),
            detail="segment:N",  # no line across a methodology break or a missing year
            tooltip=[
                alt.Tooltip("year:Q", title=t("Year"), format="d"),
                alt.Tooltip("met:Q", title=t("Meet it fully")),
                alt.Tooltip("assessed:Q", title=t("Cities assessed")),
            ],
        )
        .properties(height=260)
    )
    st.altair_chart(line, width="stretch")

versions = info["versions"]
st.subheader(t("Methodology versions"))
if len(versions) > 1:
    st.caption(t("The same indicator code appears in these methodologies of the programme."))


def version_link(row) -> str:
    """The indicator's page under another methodology, in a year it has results (none for the
    methodology shown, or one without results)."""
    if row.this_one:
        return ""
    y = indicator.link_year(
        common.run(indicator.result_years, row.methodology), (row.year_from, row.year_to), year
    )
    return "" if y is None else common.page_href("indicator", programme=programme, year=y,
                                                 indicator=code)  # fmt: skip


common.table(
    versions.assign(
        results=[version_link(r) for r in versions.itertuples()],
        # the methodology by its years and the area by its name, never their codes
        methodology=[f"{a}–{b}" for a, b in zip(versions["year_from"], versions["year_to"])],
        area=versions[f"area_{lang}"].fillna(versions["area_en"]).fillna(versions["area"]),
    )[["methodology", "year_from", "year_to", "max_points", "area", "results"]],
    hide_index=True,
    column_config={
        "results": st.column_config.LinkColumn(
            t("Results in"), display_text=r"[?&]year=(\d+)", alignment="left"
        ),
        "methodology": t("Methodology"),
        "year_from": st.column_config.NumberColumn(t("From"), format="%d"),
        "year_to": st.column_config.NumberColumn(t("To"), format="%d"),
        "max_points": st.column_config.NumberColumn(t("Maximum"), format="%.2f"),
        "area": t("Area"),
    },
)
