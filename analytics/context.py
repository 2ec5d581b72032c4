"""The national backdrop of a city's results: OGP membership and action plans, OGP Local
members, Transparency International's Corruption Perceptions Index (CPI) and the World Bank's
Worldwide Governance Indicators (WGI), per country and year.

Pure queries over ``country_context`` and ``ogp_local_members`` (loaded from
``data/reference/country_context.csv`` and ``ogp_local.csv``). Values are as published: the
CPI is CC BY-ND, so its scores and ranks are shown unchanged and with attribution.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

LANGS = ("en", "uk", "ru")
#: WGI measures shown: code → English label (translated by the pages).
WGI = {"wgi_cc": "Control of corruption", "wgi_va": "Voice and accountability"}
#: The OGP status a country has after each kind of event.
OGP_STATUS = {
    "joined": "member",
    "inactive": "inactive",
    "suspended": "suspended",
    "suspended permanently": "suspended permanently",
    "never joined": "not a member",
}


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def countries(con: duckdb.DuckDBPyConnection, lang: str = "en") -> pd.DataFrame:
    """Countries that have context figures, with their names in ``lang``."""
    lang = _lang(lang)
    return con.execute(f"""
        SELECT c.iso2 AS country, coalesce(c.name_{lang}, c.name_en) AS name
        FROM countries c WHERE c.iso2 IN (SELECT DISTINCT country FROM country_context)
        ORDER BY name""").df()


def cpi(con: duckdb.DuckDBPyConnection, country: str | None = None) -> pd.DataFrame:
    """CPI score (0–100, higher is cleaner) and rank with the number of countries scored, per
    country and year, exactly as published (ranks exist from 2017 in the source file)."""
    return con.execute(
        """
        SELECT country, year,
               any_value(value) FILTER (WHERE measure = 'cpi_score') AS score,
               any_value(value) FILTER (WHERE measure = 'cpi_rank') AS rank,
               any_value(value) FILTER (WHERE measure = 'cpi_countries') AS ranked
        FROM country_context
        WHERE measure LIKE 'cpi_%' AND (? IS NULL OR country = ?)
        GROUP BY country, year ORDER BY country, year""",
        [country, country],
    ).df()


def wgi(con: duckdb.DuckDBPyConnection, country: str | None = None) -> pd.DataFrame:
    """WGI estimate (−2.5…+2.5) and percentile rank (0–100) per country, year and measure
    (``wgi_cc`` control of corruption, ``wgi_va`` voice and accountability)."""
    return con.execute(
        """
        SELECT country, year, split_part(measure, '_estimate', 1) AS measure,
               value AS estimate,
               (SELECT r.value FROM country_context r WHERE r.country = e.country
                  AND r.year = e.year
                  AND r.measure = replace(e.measure, '_estimate', '_rank')) AS rank
        FROM country_context e
        WHERE measure LIKE 'wgi_%_estimate' AND (? IS NULL OR country = ?)
        ORDER BY country, measure, year""",
        [country, country],
    ).df()


def ogp_events(con: duckdb.DuckDBPyConnection, country: str) -> pd.DataFrame:
    """OGP membership events (joined, inactive, suspended…) in date order, with sources."""
    return con.execute(
        """
        SELECT year, period, text_value AS event, source_url FROM country_context
        WHERE measure = 'ogp_event' AND country = ? ORDER BY year NULLS FIRST, period""",
        [country],
    ).df()


def ogp_status(con: duckdb.DuckDBPyConnection, country: str, year: int) -> str:
    """A country's OGP status at the end of ``year``: member, inactive, suspended,
    suspended permanently, not yet a member, or not a member (never joined)."""
    status = "not yet a member"
    for row in ogp_events(con, country).itertuples():
        if row.year is None or pd.isna(row.year) or int(row.year) <= year:
            status = OGP_STATUS.get(row.event, status)
    return status


def ogp_status_by_year(
    con: duckdb.DuckDBPyConnection, country: str, years: list[int]
) -> dict[int, str]:
    """``ogp_status`` for each of ``years``."""
    return {y: ogp_status(con, country, y) for y in years}


def ogp_joined(con: duckdb.DuckDBPyConnection, country: str) -> int | None:
    """The year a country joined OGP (None when it never did)."""
    row = con.execute(
        "SELECT min(year) FROM country_context WHERE measure = 'ogp_event' "
        "AND text_value = 'joined' AND country = ?",
        [country],
    ).fetchall()
    return int(row[0][0]) if row and row[0][0] is not None else None


def action_plans(con: duckdb.DuckDBPyConnection, country: str | None = None) -> pd.DataFrame:
    """OGP national action plans: period, commitments (as counted by each source; several
    counts of one plan are all kept), implementation rates where published."""
    return con.execute(
        """
        SELECT country, year, period, measure, value, note, source_url FROM country_context
        WHERE measure IN ('ogp_action_plan', 'ogp_implementation')
          AND (? IS NULL OR country = ?)
        ORDER BY country, year, measure, value""",
        [country, country],
    ).df()


def ogp_local(
    con: duckdb.DuckDBPyConnection, country: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """OGP Local members with their joining year; ``city`` is set where the member is a city
    of this database (its name then comes in ``lang``)."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT m.country, m.city, coalesce(c.name_{lang}, c.name_en, m.name_en) AS name,
               m.year, m.source_url
        FROM ogp_local_members m LEFT JOIN cities c ON c.code = m.city
        WHERE ? IS NULL OR m.country = ? ORDER BY m.year, name""",
        [country, country],
    ).df()


def ogp_local_year(con: duckdb.DuckDBPyConnection, city: str) -> int | None:
    """The year a city joined OGP Local (None when it is not a member)."""
    row = con.execute("SELECT min(year) FROM ogp_local_members WHERE city = ?", [city]).fetchall()
    return int(row[0][0]) if row and row[0][0] is not None else None


def snapshot(
    con: duckdb.DuckDBPyConnection, lang: str = "en", today: dt.date | None = None
) -> pd.DataFrame:
    """One row per country: OGP status today, latest action plan, OGP Local members, latest CPI
    score and rank (of how many), latest WGI estimates and percentile ranks, with years."""
    year = (today or dt.date.today()).year
    rows = []
    scores = cpi(con)
    gov = wgi(con)
    plans = action_plans(con)
    local = ogp_local(con, lang=lang)
    for country, name in countries(con, lang).itertuples(index=False):
        row: dict = {"country": country, "name": name}
        row["ogp_status"] = ogp_status(con, country, year)
        row["ogp_joined"] = ogp_joined(con, country)
        p = plans[(plans["country"] == country) & (plans["measure"] == "ogp_action_plan")]
        if not p.empty:
            last = p[p["year"] == p["year"].max()]
            row["plan_period"] = last["period"].iloc[0]
            counts = [int(v) for v in last["value"].dropna()]
            row["plan_commitments"] = " / ".join(str(v) for v in counts) or None
        m = local[local["country"] == country]
        row["ogp_local_members"] = len(m)
        c = scores[(scores["country"] == country) & scores["score"].notna()]
        if not c.empty:
            last = c.iloc[-1]
            row.update(
                cpi_year=int(last["year"]),
                cpi_score=int(last["score"]),
                cpi_rank=None if pd.isna(last["rank"]) else int(last["rank"]),
                cpi_ranked=None if pd.isna(last["ranked"]) else int(last["ranked"]),
            )
        for measure in WGI:
            g = gov[(gov["country"] == country) & (gov["measure"] == measure)]
            if not g.empty:
                last = g.iloc[-1]
                row[f"{measure}_year"] = int(last["year"])
                row[f"{measure}_estimate"] = float(last["estimate"])
                row[f"{measure}_rank"] = None if pd.isna(last["rank"]) else float(last["rank"])
        rows.append(row)
    return pd.DataFrame(rows)


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each source of the context figures with its licence and (for CPI, WGI) address."""
    return con.execute("""
        SELECT source, any_value(licence) AS licence,
               CASE WHEN count(DISTINCT source_url) = 1 THEN any_value(source_url) END
                   AS source_url,
               min(year) AS first_year, max(year) AS last_year
        FROM country_context GROUP BY source ORDER BY source""").df()


def city_beside_country(con: duckdb.DuckDBPyConnection, city: str, programme: str) -> pd.DataFrame:
    """A city's index per year in ``programme`` beside its country's CPI score and WGI
    percentile ranks, in long form (series, year, value, segment).

    ``segment`` numbers runs of consecutive years, so a chart never draws a line across a
    missing year; the city's index is split as its history chart splits it (the one series
    builder, ``analytics.series``: at a methodology break and at a year the programme
    assessed without the city, not between two editions of a programme that assesses every
    other year).
    """
    from . import series, trends

    frames = []
    city_rows = con.execute(
        "SELECT year, methodology, total FROM indices WHERE city = ? AND programme = ? "
        "AND total IS NOT NULL ORDER BY year",
        [city, programme],
    ).df()
    if not city_rows.empty:
        seg = series.with_segments(
            city_rows, programme_years=trends.programme_years(con, programme)
        )
        frames.append(
            pd.DataFrame(
                {
                    "series": "city",
                    "year": seg["year"].astype(int),
                    "value": seg["total"].astype(float),
                    "segment": "city|" + seg["segment"].astype(str),
                }
            )
        )
    country = con.execute("SELECT country FROM cities WHERE code = ?", [city]).fetchall()
    if country:
        c = cpi(con, country[0][0])
        frames.append(_segments(c.assign(series="cpi_score"), "score"))
        g = wgi(con, country[0][0])
        for measure in WGI:
            part = g[g["measure"] == measure].assign(series=f"{measure}_rank")
            frames.append(_segments(part, "rank"))
    out = pd.concat([f for f in frames if not f.empty], ignore_index=True) if frames else None
    if out is None or out.empty:
        return pd.DataFrame(columns=["series", "year", "value", "segment"])
    return out[["series", "year", "value", "segment"]]


def _segments(df: pd.DataFrame, column: str, by: str | None = None) -> pd.DataFrame:
    df = df[df[column].notna()].sort_values("year")
    if df.empty:
        return pd.DataFrame(columns=["series", "year", "value", "segment"])
    years = df["year"].astype(int)
    new = years.diff().fillna(1) != 1
    if by:
        new |= df[by] != df[by].shift().fillna(df[by].iloc[0])
    return pd.DataFrame(
        {
            "series": df["series"],
            "year": years,
            "value": df[column].astype(float),
            "segment": df["series"].astype(str) + "|" + new.cumsum().astype(str),
        }
    )


def table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every context figure with its country, year, source, address and licence (a download)."""
    return con.execute("""
        SELECT c.name_en AS country, x.country AS iso2, x.year, x.period, x.measure, x.value,
               x.text_value, x.note, x.source, x.source_url, x.licence
        FROM country_context x JOIN countries c ON c.iso2 = x.country
        ORDER BY country, measure, year""").df()


def city_name(con: duckdb.DuckDBPyConnection, city: str, lang: str = "en") -> str:
    """A city's name in ``lang`` (its code when unknown)."""
    lang = _lang(lang)
    row = con.execute(
        f"SELECT coalesce(name_{lang}, name_en) FROM cities WHERE code = ?", [city]
    ).fetchall()
    return row[0][0] if row else city
