"""The country backdrop, drawn on the overview, trends and city pages (not a page itself).

``draw()`` shows all six countries side by side: OGP status, latest action plan, OGP Local
members, the latest CPI score and rank and the latest WGI estimates, with small multiples of
the CPI over the years. ``draw(country, city=…, programme=…)`` shows one city's index beside
its country's series. Every figure carries its source and licence; CPI values (CC BY-ND) are
shown exactly as published.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analytics import context
from pages import common
from pages.common import run, t


def status_label(status: str) -> str:
    """An OGP status in the chosen language."""
    return {
        "member": t("member"),
        "inactive": t("inactive"),
        "suspended": t("suspended"),
        "suspended permanently": t("suspended permanently"),
        "not a member": t("not a member"),
        "not yet a member": t("not yet a member"),
    }.get(status, status)


def series_label(series: str, city_name: str) -> str:
    """The legend label of one series of ``context.city_beside_country``."""
    return {
        "city": t("{city}: index", city=city_name),
        "cpi_score": t("CPI score (0–100)"),
        "wgi_cc_rank": t("Control of corruption, percentile rank (WGI)"),
        "wgi_va_rank": t("Voice and accountability, percentile rank (WGI)"),
    }[series]


def draw(
    country: str | None = None,
    *,
    city: str | None = None,
    programme: str | None = None,
    charts_on_request: bool = False,
):
    """The backdrop: all countries, or one city beside its country (``city`` and ``programme``).
    ``charts_on_request`` draws the countries' chart only when the viewer asks for it (the
    landing page then loads no chart code; its figures are in the table)."""
    st.subheader(t("Country backdrop"))
    if city and programme and country:
        _city(country, city, programme)
    else:
        _countries(charts_on_request)
    _sources()


def _countries(charts_on_request: bool = False) -> None:
    # the table's HTML depends on the database version and language only: made once
    html = common.per_version("backdrop.countries", _countries_html)
    if html is None:
        st.info(t("No country context in the database."), icon=":material/info:")
        return
    st.markdown(html, unsafe_allow_html=True)  # plain: the landing page loads no grid code
    st.caption(
        t(
            "WGI: estimate from −2.5 to +2.5, and in brackets the percentile rank among all "
            "countries (0–100). CPI: 0 (highly corrupt) to 100 (very clean), rank of the "
            "countries scored that year."
        )
    )
    if not charts_on_request or st.toggle(t("CPI over the years, chart"), key="w_backdrop_chart"):
        common.chart(cpi_small_multiples, common.lang(), source=source_lines("cpi"))


def _countries_html() -> str | None:
    """The countries' table as ``common.table(..., static=True)`` draws it; None: no data."""
    snap = run(context.snapshot, lang=common.lang())
    if snap.empty:
        return None
    table = pd.DataFrame(
        {
            t("Country"): snap["name"],
            t("OGP"): [_ogp_text(s, j) for s, j in zip(snap["ogp_status"], snap["ogp_joined"])],
            t("Latest action plan"): [
                _plan_text(p, c)
                for p, c in zip(snap.get("plan_period", []), snap.get("plan_commitments", []))
            ],
            t("OGP Local members"): snap["ogp_local_members"],
            t("CPI score {y}", y=int(snap["cpi_year"].max())): snap["cpi_score"],
            t("CPI rank"): [_rank_text(r, n) for r, n in zip(snap["cpi_rank"], snap["cpi_ranked"])],
            t("Control of corruption {y} (WGI)", y=int(snap["wgi_cc_year"].max())): [
                _wgi_text(e, r) for e, r in zip(snap["wgi_cc_estimate"], snap["wgi_cc_rank"])
            ],
            t("Voice and accountability {y} (WGI)", y=int(snap["wgi_va_year"].max())): [
                _wgi_text(e, r) for e, r in zip(snap["wgi_va_estimate"], snap["wgi_va_rank"])
            ],
        }
    )
    return common.static_table_html(table, {}, None)


def _ogp_text(status: str, joined) -> str:
    label = status_label(status)
    if status == "member" and joined is not None and not pd.isna(joined):
        return t("{status} since {y}", status=label, y=int(joined))
    return label


def _plan_text(period, commitments) -> str:
    if not isinstance(period, str):
        return "—"
    period = period.replace("-", "–")
    if isinstance(commitments, str) and commitments:
        return t("{period}: {n} commitments", period=period, n=commitments)
    return period


def _rank_text(rank, ranked) -> str:
    if rank is None or pd.isna(rank):
        return "—"
    return t("{r} of {n}", r=int(rank), n=int(ranked))


def _wgi_text(estimate, rank) -> str:
    if estimate is None or pd.isna(estimate):
        return "—"
    text = common.fmt_num(estimate, decimals=2, sign=True)
    return f"{text} ({common.fmt_num(rank)})" if rank is not None and not pd.isna(rank) else text


def _city_facts(country: str, city: str, programme: str) -> tuple[str, list[str]] | None:
    """The line of the country's facts (OGP, action plan, CPI, the city's OGP Local year) and
    the chart's source lines; None where the database has no context for the country."""
    lang = common.lang()
    snap = run(context.snapshot, lang=lang)
    row = snap[snap["country"] == country]
    if row.empty:
        return None
    r = row.iloc[0]
    facts = [r["name"] + ": " + t("OGP") + " " + _ogp_text(r["ogp_status"], r["ogp_joined"])]
    if isinstance(r.get("plan_period"), str):
        facts.append(
            t("latest action plan {p}", p=_plan_text(r["plan_period"], r.get("plan_commitments")))
        )
    if not pd.isna(r.get("cpi_score")):
        facts.append(
            t(
                "CPI {y}: {s}, rank {rank}",
                y=int(r["cpi_year"]),
                s=int(r["cpi_score"]),
                rank=_rank_text(r["cpi_rank"], r["cpi_ranked"]),
            )
        )
    joined = run(context.ogp_local_year, city)
    if joined:
        facts.append(t("this city: OGP Local member since {y}", y=joined))
    return " · ".join(facts), common.programme_source_line(programme) + source_lines("cpi", "wgi")


def _city(country: str, city: str, programme: str) -> None:
    lang = common.lang()
    made = common.per_version(
        "backdrop-city",
        lambda: _city_facts(country, city, programme),
        country,
        city,
        programme,
    )
    if made is None:
        st.caption(t("No country context for this country in the database."))
        return
    facts, sources = made
    st.caption(facts)
    common.chart(
        city_beside_country_chart,
        city,
        programme,
        lang,
        stretch=False,
        source=sources,
    )
    st.caption(
        t(
            "Above: the city's index in this programme. Below: its country's national "
            "figures on their own scales (CPI score; WGI percentile ranks). Lines join "
            "consecutive years only; a gap is a year without a figure."
        )
    )


#: The context figures each kind of chart draws, by the start of their source's name.
SOURCE_KINDS = {"cpi": "Transparency International", "wgi": "Kaufmann & Kraay"}


def _source_text(s) -> str:
    years = (
        f"{int(s.first_year)}–{int(s.last_year)}"
        if not pd.isna(s.first_year) and s.first_year != s.last_year
        else "—"
    )
    ours = {
        "Open Government Partnership and national OGP pages": t(
            "Open Government Partnership and national OGP pages"
        ),
        "facts, cited with their page": t("facts, cited with their page"),
    }
    return t(
        "Source: {s} ({years}); licence: {l}.",
        s=ours.get(s.source, s.source),
        years=years,
        l=ours.get(s.licence, s.licence),
    )


def source_lines(*kinds: str) -> list[str]:
    """The source lines a backdrop chart carries: each of its sources (``kinds``: "cpi",
    "wgi") with its years, licence and page — never the page's programme, whose figures the
    chart does not show."""
    prefixes = tuple(SOURCE_KINDS[k] for k in kinds)
    lines = []
    for s in run(context.sources).itertuples():
        if s.source.startswith(prefixes):
            lines.append(_source_text(s))
            if isinstance(s.source_url, str) and s.source_url:
                lines.append(s.source_url)
    return lines


def _sources() -> None:
    st.caption(common.per_version("backdrop.sources", _sources_text))
    rows = run(context.table)
    common.downloads(rows, "country-context", "backdrop")


def _sources_text() -> str:
    lines = [_source_text(s) for s in run(context.sources).itertuples()]
    lines.append(
        t(
            "CPI values are shown exactly as Transparency International published them; "
            "OGP facts name their page in the download."
        )
    )
    return "  \n".join(lines)


# ------------------------------------------------------------------------------ charts


def cpi_small_multiples(lang_code: str) -> alt.Chart:
    """The CPI score of each country, 2012–2024, one small panel per country."""
    df = run(context.cpi).dropna(subset=["score"])
    names = dict(run(context.countries, lang=lang_code).itertuples(index=False))
    df = df.assign(name=df["country"].map(names), year=df["year"].astype(int))
    base = alt.Chart(df).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=2)),
        y=alt.Y("score:Q", title=t("CPI score (0–100)"), scale=alt.Scale(domain=[0, 100])),
        tooltip=[
            alt.Tooltip("name:N", title=t("Country")),
            alt.Tooltip("year:Q", title=t("Year"), format="d"),
            alt.Tooltip("score:Q", title=t("CPI score (0–100)")),
            alt.Tooltip("rank:Q", title=t("CPI rank")),
        ],
    )
    chart = (
        base.mark_line(color="#4575b4") + base.mark_point(color="#4575b4", size=18)
    ).properties(width=180, height=110)
    return chart.facet(facet=alt.Facet("name:N", title=None), columns=3).properties(
        title=t("Corruption Perceptions Index by country")
    )


def city_beside_country_chart(city: str, programme: str, lang_code: str) -> alt.Chart:
    """A city's index above its country's CPI score and WGI percentile ranks, on one year
    axis from 2012 (the CPI's first year) or the city's first year if earlier."""
    df = run(context.city_beside_country, city, programme)
    name = run(context.city_name, city, lang=lang_code)
    own_years = df.loc[df["series"] == "city", "year"]
    first = min([2012, *([int(own_years.min())] if not own_years.empty else [])])
    df = df[df["year"] >= first].assign(
        label=lambda d: d["series"].map(lambda s: series_label(s, name))
    )
    last = int(df["year"].max()) if not df.empty else 2024
    x = alt.X(
        "year:Q", title=None, scale=alt.Scale(domain=[first, last]), axis=alt.Axis(format="d")
    )
    colours = {
        "city": "#222222",
        "cpi_score": "#4575b4",
        "wgi_cc_rank": "#d73027",
        "wgi_va_rank": "#1a9850",
    }

    def panel(part: pd.DataFrame, title: str, series: list[str]) -> alt.Chart:
        base = alt.Chart(part).encode(
            x=x,
            y=alt.Y("value:Q", title=title, scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(
                    domain=[series_label(s, name) for s in series],
                    range=[colours[s] for s in series],
                ),
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=500),
            ),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("year:Q", title=t("Year"), format="d"),
                alt.Tooltip("value:Q", title=t("Value"), format=".1f"),
            ],
        )
        return (base.mark_line() + base.mark_point(size=25, filled=True)).properties(
            height=160, width=760
        )

    top = panel(df[df["series"] == "city"], t("Index"), ["city"])
    bottom = panel(
        df[df["series"] != "city"], t("Country"), ["cpi_score", "wgi_cc_rank", "wgi_va_rank"]
    )
    return alt.vconcat(top, bottom).resolve_scale(color="independent", x="shared")
