"""The data behind each dashboard view, as plain DataFrames and dicts (no streamlit here)."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from . import search, series
from .catalog import name_match_sql
from .trends import POPULATION_BANDS, _band_sql

LANGS = ("en", "uk", "ru")


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def programmes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Programmes that have city-level results, with their years (real ones first)."""
    return con.execute("""
        SELECT p.code, p.name_en, p.name_uk, p.name_ru, p.synthetic,
               p.note_en, p.note_uk, p.note_ru,
               list(DISTINCT i.year ORDER BY i.year) AS years,
               count(i.total) AS totals,
               -- the year to open on: most totals, then most computed from indicators, latest
               (SELECT j.year FROM indices j WHERE j.programme = p.code GROUP BY j.year
                ORDER BY count(j.total) DESC,
                         count(*) FILTER (WHERE j.computed_from = 'indicators') DESC,
                         j.year DESC LIMIT 1) AS richest_year
        FROM programmes p JOIN indices i ON i.programme = p.code
        GROUP BY ALL ORDER BY p.synthetic, totals DESC, p.code""").df()  # one order, always


def programme_info(con: duckdb.DuckDBPyConnection, programme: str) -> dict:
    """One programme's names, flags and methodologies."""
    row = con.execute("SELECT * FROM programmes WHERE code = ?", [programme]).df()
    if row.empty:
        raise KeyError(programme)
    info = row.iloc[0].to_dict()
    info["methodologies"] = con.execute(
        """
        SELECT code, year_from, year_to, n_areas, n_indicators, max_points, source_url
        FROM methodologies WHERE programme = ? ORDER BY year_from""",
        [programme],
    ).df()
    return info


def overview(con: duckdb.DuckDBPyConnection, programme: str, year: int) -> dict:
    """Headline figures: cities assessed, average index and its change on the same cities,
    class shares, biggest movers."""
    cur = (
        con.execute(
            """
        SELECT count(*) AS assessed, count(total) AS with_total, avg(total) AS mean,
               any_value(methodology) AS methodology,
               avg(change_points) FILTER (WHERE NOT across_break) AS mean_change,
               count(change_points) FILTER (WHERE NOT across_break) AS compared,
               bool_or(across_break) AS after_break,
               max(prev_year) AS prev_year
        FROM indices WHERE programme = ? AND year = ?""",
            [programme, year],
        )
        .df()
        .iloc[0]
        .to_dict()
    )
    classes = con.execute(
        """
        SELECT i.class_name, count(*) AS cities, min(i.class_position) AS position
        FROM indices i
        WHERE i.programme = ? AND i.year = ? AND i.class_name IS NOT NULL
        GROUP BY i.class_name ORDER BY position NULLS LAST, i.class_name""",
        [programme, year],
    ).df()
    classes["share"] = classes["cities"] / classes["cities"].sum() if len(classes) else []
    movers = con.execute(
        """
        SELECT i.city, c.name_en, c.name_uk, c.name_ru, i.total, i.change_points, i.prev_year
        FROM indices i JOIN cities c ON c.code = i.city
        WHERE i.programme = ? AND i.year = ? AND i.change_points IS NOT NULL
          AND NOT i.across_break
        ORDER BY i.change_points DESC""",
        [programme, year],
    ).df()
    published = con.execute(
        """SELECT min(value) FROM published_figures
           WHERE programme = ? AND year = ? AND kind = 'average' AND preferred AND city IS NULL
             AND level = 'total' AND text_value IS NULL""",
        [programme, year],
    ).fetchall()[0][0]
    # The programme's own average over every city it assessed, where it published one: the
    # mean of the cities here is not that when they are a selection (Georgia's top and bottom).
    cur["published_mean"] = published
    cur["classes"] = classes
    cur["risers"] = movers.head(5)
    cur["fallers"] = movers.tail(5).iloc[::-1][lambda d: d["change_points"] < 0]
    return cur


def map_points(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, lang: str = "en"
) -> pd.DataFrame:
    """Every real city with its result in the programme-year (if any), for the map."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT c.code AS city, coalesce(c.name_{lang}, c.name_en) AS name,
               c.name_{lang} IS NULL AS name_fallback, c.country,
               coalesce(co.name_{lang}, co.name_en) AS country_name,
               c.lat, c.lon, c.population, i.total, i.rank, i.rank_source, i.ranked_cities,
               i.class_name, i.source, i.class_position,
               (SELECT count(*) FROM class_thresholds n WHERE n.methodology = i.methodology)
                   AS class_count
        FROM cities c JOIN countries co ON co.iso2 = c.country
        LEFT JOIN indices i ON i.city = c.code AND i.programme = ? AND i.year = ?
        WHERE NOT c.synthetic AND (c.kind = 'city' OR i.city IS NOT NULL)
        ORDER BY c.population DESC""",
        [programme, year],
    ).df()


def class_list(con: duckdb.DuckDBPyConnection, programme: str) -> list[str]:
    """The programme's classes, best first (3 for TI Ukraine's rankings, 16 grades A+…F for
    Moldova's), for legends and colour scales."""
    rows = con.execute(
        """SELECT t.class_name FROM class_thresholds t
           JOIN methodologies m ON m.code = t.methodology WHERE m.programme = ?
           GROUP BY t.class_name ORDER BY min(t.position), t.class_name""",
        [programme],
    ).fetchall()
    return [r[0] for r in rows]


def country_outlines(con: duckdb.DuckDBPyConnection, lang: str = "en") -> dict:
    """The countries as a GeoJSON FeatureCollection with a ``name`` property."""
    lang = _lang(lang)
    rows = con.execute(
        f"SELECT iso2, coalesce(name_{lang}, name_en), outline FROM countries "
        "WHERE outline IS NOT NULL"
    ).fetchall()
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso2": iso2, "name": name},
                "geometry": json.loads(outline),
            }
            for iso2, name, outline in rows
        ],
    }


def ranking(
    con: duckdb.DuckDBPyConnection,
    programme: str,
    year: int,
    *,
    lang: str = "en",
    countries: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    bands: tuple[str, ...] = (),
    classes: tuple[str, ...] = (),
    search: str = "",
) -> pd.DataFrame:
    """The ranking table of a programme-year with filters, in the order of the index (highest
    first; cities without a total after, by class), never in the order of a rank column:
    ``rank`` holds one kind of rank (see ``analytics.results``), ``rank_source`` which and
    ``ranked_cities`` of how many.

    Each city's history: ``history`` (totals of the programme's years, None where there is
    none — never 0), ``history_methodologies`` and ``sparkline`` (an SVG data URI drawn by
    ``analytics.series``: gaps for missing years, broken at methodology changes)."""
    lang = _lang(lang)
    band = _band_sql("c.population")
    df = con.execute(
        f"""
        WITH years AS (SELECT DISTINCT year FROM indices WHERE programme = ?),
        hist AS (
            SELECT c.code AS city,
                   list(round(h.total, 2) ORDER BY y.year) AS history,
                   list(h.methodology ORDER BY y.year) AS history_methodologies
            FROM cities c CROSS JOIN years y
            LEFT JOIN indices h ON h.city = c.code AND h.programme = ? AND h.year = y.year
            GROUP BY c.code)
        SELECT i.rank, i.city, coalesce(c.name_{lang}, c.name_en) AS name, c.country,
               coalesce(r.name_{lang}, r.name_en) AS region, c.population, {band} AS band,
               i.total, i.class_name, i.change_rank, i.change_points, i.across_break,
               hist.history, hist.history_methodologies, i.coverage, i.source,
               i.rank_source, i.ranked_cities, i.class_position, i.published_rank
        FROM indices i JOIN cities c ON c.code = i.city
        LEFT JOIN regions r ON r.code = c.region
        LEFT JOIN hist ON hist.city = i.city
        WHERE i.programme = ? AND i.year = ?
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], c.country))
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], c.region))
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], {band}))
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], i.class_name))
          AND {name_match_sql("c")}
        ORDER BY i.total DESC NULLS LAST, i.class_position NULLS LAST, name""",
        [
            programme,
            programme,
            programme,
            year,
            list(countries),
            list(countries),
            list(regions),
            list(regions),
            list(bands),
            list(bands),
            list(classes),
            list(classes),
            search.strip().lower(),
        ],
    ).df()
    years = [
        int(y)
        for (y,) in con.execute(
            "SELECT DISTINCT year FROM indices WHERE programme = ? ORDER BY year", [programme]
        ).fetchall()
    ]
    df["history"] = df["history"].map(series.plain)
    df["history_methodologies"] = df["history_methodologies"].map(series.plain)
    top = scale_max(con, programme)
    df["sparkline"] = [
        series.data_uri(
            series.sparkline_svg(
                years,
                h,
                m,
                span=(years[0], years[-1]),
                programme_years=years,
                maximum=top,
            )
        )
        for h, m in zip(df["history"], df["history_methodologies"])
    ]
    return df


def scale_max(con: duckdb.DuckDBPyConnection, programme: str, year: int | None = None) -> float:
    """The top of the programme's index scale (its methodology's maximum points, in ``year``
    or the largest of its methodologies): TI's 2018 investment ranking counts to 20, so bars and
    sparklines drawn to 100 showed its leader, 15 of 20, as 15 % full."""
    row = con.execute(
        """SELECT max(max_points) FROM methodologies WHERE programme = ?
           AND (?::INTEGER IS NULL OR ?::INTEGER BETWEEN year_from AND year_to)""",
        [programme, year, year],
    ).fetchone()
    top = row[0] if row else None
    return float(top) if top else 100.0


def filter_options(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, lang: str = "en"
) -> dict:
    """Values the ranking filters offer for a programme-year."""
    lang = _lang(lang)
    q = lambda sql: con.execute(sql, [programme, year]).fetchall()  # noqa: E731
    return {
        "countries": q("""SELECT DISTINCT i.country FROM indices i WHERE programme = ?
                          AND year = ? ORDER BY 1"""),
        "regions": q(f"""SELECT DISTINCT r.code, coalesce(r.name_{lang}, r.name_en)
                         FROM indices i JOIN regions r ON r.code = i.region
                         WHERE i.programme = ? AND i.year = ? ORDER BY 2"""),
        "classes": q("""SELECT DISTINCT i.class_name, i.class_position FROM indices i
                        WHERE i.programme = ? AND i.year = ? AND i.class_name IS NOT NULL
                        ORDER BY 2"""),
        "bands": [b for _, b in POPULATION_BANDS],
    }


def city_info(con: duckdb.DuckDBPyConnection, city: str, lang: str = "en") -> dict | None:
    """A city's names, place and flags."""
    lang = _lang(lang)
    df = con.execute(
        f"""
        SELECT c.*, coalesce(c.name_{lang}, c.name_en) AS name,
               coalesce(co.name_{lang}, co.name_en) AS country_name,
               coalesce(r.name_{lang}, r.name_en) AS region_name
        FROM cities c JOIN countries co ON co.iso2 = c.country
        LEFT JOIN regions r ON r.code = c.region WHERE c.code = ?""",
        [city],
    ).df()
    return None if df.empty else df.iloc[0].to_dict()


def city_programmes(con: duckdb.DuckDBPyConnection, city: str) -> pd.DataFrame:
    """Programmes with results for a city, with their years (real ones first)."""
    return con.execute(
        """
        SELECT i.programme, p.name_en, p.name_uk, p.name_ru, p.synthetic,
               list(i.year ORDER BY i.year) AS years
        FROM indices i JOIN programmes p ON p.code = i.programme
        WHERE i.city = ? GROUP BY ALL ORDER BY p.synthetic, i.programme""",
        [city],
    ).df()


def city_projects(con: duckdb.DuckDBPyConnection, city: str) -> pd.DataFrame:
    """Projects a city takes part in, with its years."""
    return con.execute(
        """
        SELECT p.code, p.title_en, p.title_uk, p.title_ru, p.synthetic, pc.year_from, pc.year_to
        FROM project_cities pc JOIN projects p ON p.code = pc.project
        WHERE pc.city = ? ORDER BY pc.year_from""",
        [city],
    ).df()


def area_vs_peers(
    con: duckdb.DuckDBPyConnection,
    methodology: str,
    year: int,
    city: str,
    peers: tuple[str, ...],
    lang: str = "en",
) -> pd.DataFrame:
    """The city's area shares next to the median share of its peers."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT a.position, a.code AS area, coalesce(a.name_{lang}, a.name_en) AS area_name,
               me.points, me.max_points, me.share, me.not_applicable,
               (SELECT median(p.share) FROM area_results p WHERE p.methodology = a.methodology
                AND p.year = ? AND p.area = a.code AND list_contains(?::VARCHAR[], p.city))
                   AS peer_median
        FROM areas a LEFT JOIN area_results me ON me.methodology = a.methodology
             AND me.area = a.code AND me.year = ? AND me.city = ?
        WHERE a.methodology = ? ORDER BY a.position""",
        [year, list(peers), year, city, methodology],
    ).df()


def met_by_area(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per area of an ``indicator_table`` (in its order): the area's name, how many of its
    indicators are met and how many it has."""
    return (
        indicators.assign(met=indicators["state"] == "met")
        .groupby("area", sort=False)
        .agg(name=("area_name", "first"), met=("met", "sum"), n=("code", "count"))
    )


def indicator_table(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str, lang: str = "en"
) -> pd.DataFrame:
    """Every indicator of the methodology with the city's result: points, maximum, state
    (met / partly / unmet / not_applicable / not_assessed / missing), evidence and comment,
    and the analysts' working notes beside it (recommendation, a value the publisher's total
    did not count, the working sheet's value where it differs); ``text_source`` says whose
    the text is."""
    lang = _lang(lang)
    return con.execute(
        f"""
        WITH notes AS (
            SELECT indicator,
                   string_agg(text, ' | ') FILTER (WHERE kind = 'recommendation')
                       AS recommendation,
                   any_value(text) FILTER (WHERE kind = 'uncounted') AS uncounted_value,
                   any_value(text) FILTER (WHERE kind = 'sheet_value') AS sheet_value
            FROM indicator_notes
            WHERE methodology = ? AND year = ? AND city = ? AND indicator IS NOT NULL
            GROUP BY indicator)
        SELECT i.area, coalesce(a.name_{lang}, a.name_en) AS area_name, i.code,
               coalesce(i.text_{lang}, i.text_en) AS text, i.kind, s.score, i.max_points,
               CASE WHEN s.status IS NULL THEN 'missing'
                    WHEN s.status = 'scored' THEN
                        CASE WHEN s.score >= i.max_points - 1e-9 THEN 'met'
                             WHEN s.score > 0 THEN 'partly' ELSE 'unmet' END
                    ELSE s.status::VARCHAR END AS state,
               s.evidence_url, s.comment, n.recommendation, n.uncounted_value, n.sheet_value,
               i.text_source
        FROM indicators i JOIN areas a ON a.methodology = i.methodology AND a.code = i.area
        LEFT JOIN current_scores s ON s.methodology = i.methodology AND s.item = i.code
             AND s.level = 'indicator' AND s.year = ? AND s.city = ?
        LEFT JOIN notes n ON n.indicator = i.code
        WHERE i.methodology = ? ORDER BY a.position, i.position""",
        [methodology, year, city, year, city, methodology],
    ).df()


def city_notes(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str
) -> pd.DataFrame:
    """Working notes about a city-year as a whole (e.g. ``no_reply``), with their source."""
    return con.execute(
        """SELECT kind, text, url, source FROM indicator_notes
           WHERE methodology = ? AND year = ? AND city = ? AND indicator IS NULL
           ORDER BY kind""",
        [methodology, year, city],
    ).df()


def city_names(
    con: duckdb.DuckDBPyConnection, codes: tuple[str, ...], lang: str = "en"
) -> dict[str, str]:
    """Display names of city codes."""
    lang = _lang(lang)
    return dict(
        con.execute(
            f"SELECT code, coalesce(name_{lang}, name_en) FROM cities "
            "WHERE list_contains(?::VARCHAR[], code)",
            [list(codes)],
        ).fetchall()
    )


def history(
    con: duckdb.DuckDBPyConnection, programme: str, cities: tuple[str, ...], lang: str = "en"
) -> pd.DataFrame:
    """Index per year of several cities in one programme, with methodology, for charts."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT i.city, coalesce(c.name_{lang}, c.name_en) AS name, i.year, i.total,
               i.methodology, i.class_name, i.source, i.rank
        FROM indices i JOIN cities c ON c.code = i.city
        WHERE i.programme = ? AND list_contains(?::VARCHAR[], i.city)
        ORDER BY i.city, i.year""",
        [programme, list(cities)],
    ).df()


def transparency_vs_accountability(
    con: duckdb.DuckDBPyConnection, cities: tuple[str, ...], lang: str = "en"
) -> pd.DataFrame:
    """City-years with both a transparency and an accountability total."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT t.city, coalesce(c.name_{lang}, c.name_en) AS name, t.year,
               t.total AS transparency, a.total AS accountability
        FROM indices t JOIN indices a ON a.city = t.city AND a.year = t.year
        JOIN cities c ON c.code = t.city
        WHERE t.programme = 'tc-transparency' AND a.programme = 'tc-accountability'
          AND t.total IS NOT NULL AND a.total IS NOT NULL
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], t.city))
        ORDER BY t.year, name""",
        [list(cities), list(cities)],
    ).df()


def city_choices(
    con: duckdb.DuckDBPyConnection, programme: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Cities to pick from (those with results in ``programme`` if given), largest first."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT c.code, coalesce(c.name_{lang}, c.name_en) AS name, c.country
        FROM cities c WHERE NOT c.synthetic
          AND (?::VARCHAR IS NULL OR EXISTS (SELECT 1 FROM indices i WHERE i.city = c.code
                                             AND i.programme = ?))
        ORDER BY c.population DESC NULLS LAST""",
        [programme, programme],
    ).df()


def methodology_detail(con: duckdb.DuckDBPyConnection, methodology: str, lang: str = "en") -> dict:
    """A methodology's areas (with indicator counts and where they continue), class
    thresholds and indicators."""
    lang = _lang(lang)
    areas = con.execute(
        f"""
        SELECT a.code, coalesce(a.name_{lang}, a.name_en) AS name, a.max_points,
               (SELECT count(*) FROM indicators i WHERE i.methodology = a.methodology
                AND i.area = a.code) AS indicators,
               (SELECT string_agg(l.to_methodology || ': ' || coalesce(b.name_{lang}, b.name_en),
                                  '; ')
                FROM area_links l JOIN areas b ON b.methodology = l.to_methodology
                                              AND b.code = l.to_area
                WHERE l.from_methodology = a.methodology AND l.from_area = a.code)
                   AS continues_as
        FROM areas a WHERE a.methodology = ? ORDER BY a.position""",
        [methodology],
    ).df()
    classes = con.execute(
        """SELECT class_name, min_score, note, source_url
                             FROM class_thresholds WHERE methodology = ?
                             ORDER BY position""",
        [methodology],
    ).df()
    indicators = con.execute(
        f"""
        SELECT i.code, coalesce(a.name_{lang}, a.name_en) AS area,
               coalesce(i.text_{lang}, i.text_en) AS text, i.max_points, i.kind::VARCHAR AS kind,
               i.text_source
        FROM indicators i JOIN areas a ON a.methodology = i.methodology AND a.code = i.area
        WHERE i.methodology = ? ORDER BY a.position, i.position""",
        [methodology],
    ).df()
    return {"areas": areas, "classes": classes, "indicators": indicators}


def published_sources(con: duckdb.DuckDBPyConnection, programme: str) -> pd.DataFrame:
    """The pages a programme's published figures come from, with how many figures each gave."""
    return con.execute(
        """
        SELECT source_url, count(*) AS figures, count(*) FILTER (WHERE preferred) AS preferred,
               string_agg(DISTINCT year::VARCHAR, ', ' ORDER BY year::VARCHAR) AS years
        FROM published_figures WHERE programme = ?
        GROUP BY source_url ORDER BY figures DESC""",
        [programme],
    ).df()


def project_list(con: duckdb.DuckDBPyConnection, lang: str = "en") -> pd.DataFrame:
    """Every project with its status, dates (and dates as published when only a year or month
    is known), EU contribution, total budget, funders, partners, countries, the non-EU flag,
    how many places the sources name, how many of them are cities here, and its targets."""
    lang = _lang(lang)
    return con.execute(f"""
        SELECT p.code, coalesce(p.title_{lang}, p.title_en) AS title, p.status, p.start_date,
               p.end_date, p.start_published, p.end_published, p.eu_contribution_eur,
               p.total_budget_eur, p.eu_project_number, p.eune_id, p.funders,
               p.implementing_partners, p.countries, p.priority_areas, p.sub_sectors, p.topics,
               p.website, p.source_url, coalesce(p.non_eu, false) AS non_eu, p.synthetic,
               (SELECT count(*) FROM project_places pl WHERE pl.project = p.code) AS places,
               (SELECT count(*) FROM project_cities c WHERE c.project = p.code) AS cities,
               (SELECT count(*) FROM project_targets t WHERE t.project = p.code) AS targets
        FROM project_overview p
        ORDER BY p.synthetic, coalesce(p.non_eu, false), p.start_date NULLS LAST, p.code""").df()


def project_detail(con: duckdb.DuckDBPyConnection, code: str, lang: str = "en") -> dict:
    """One project: its texts in ``lang`` (English where missing), targets with progress, and
    cities with their place and years."""
    lang = _lang(lang)
    row = con.execute("SELECT * FROM project_overview WHERE code = ?", [code]).df()
    if row.empty:
        raise KeyError(code)
    p = row.iloc[0].to_dict()

    def text(field: str):
        value = p.get(f"{field}_{lang}")
        empty = value is None or (hasattr(value, "__len__") and len(value) == 0)
        return (p.get(f"{field}_en"), lang != "en") if empty else (value, False)

    out = {
        k: p[k]
        for k in (
            "code",
            "status",
            "start_date",
            "end_date",
            "eu_contribution_eur",
            "eu_project_number",
            "implementing_partners",
            "countries",
            "priority_areas",
            "sub_sectors",
            "topics",
            "website",
            "sources",
            "synthetic",
            "total_budget_eur",
            "eune_id",
            "funders",
            "start_published",
            "end_published",
            "source_url",
            "countries_note",
        )
    }
    out["non_eu"] = bool(p.get("non_eu"))
    for field in ("title", "summary", "objectives", "expected_results"):
        out[field], out[f"{field}_fallback"] = text(field)
    out["targets"] = con.execute(
        f"""
        SELECT coalesce(indicator_{lang}, indicator_en) AS indicator, unit, baseline, target,
               actual, as_of,
               CASE WHEN actual IS NULL OR target IS NULL THEN NULL
                    WHEN target = coalesce(baseline, 0) THEN 1.0
                    ELSE least(greatest((actual - coalesce(baseline, 0))
                                        / (target - coalesce(baseline, 0)), 0), 1) END
                   AS progress
        FROM project_targets WHERE project = ? ORDER BY position""",
        [code],
    ).df()
    out["cities"] = con.execute(
        f"""
        SELECT c.code AS city, coalesce(c.name_{lang}, c.name_en) AS name, c.country, c.lat,
               c.lon, c.population, pc.year_from, pc.year_to
        FROM project_cities pc JOIN cities c ON c.code = pc.city
        WHERE pc.project = ? ORDER BY name""",
        [code],
    ).df()
    out["places"] = project_places(con, code, lang)
    out["amounts"] = con.execute(
        "SELECT kind, amount, currency, country, share, source_url, note FROM project_amounts "
        "WHERE project = ? ORDER BY position",
        [code],
    ).df()
    return out


def project_places(con: duckdb.DuckDBPyConnection, code: str, lang: str = "en") -> pd.DataFrame:
    """The places a project works with, as its sources name them: linked to a city or region of
    this database where one matches (``linked``), else listed by name; names and roles in
    ``lang``."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT pl.position, pl.kind, pl.country, pl.city, pl.region,
               coalesce(c.name_{lang}, r.name_{lang}, pl.name_{lang}, c.name_en, r.name_en,
                        pl.name_en) AS name,
               coalesce(pl.role_{lang}, pl.role_en) AS role, pl.role_source,
               pl.year_from, pl.year_to, pl.source_url, c.lat, c.lon, c.population,
               (pl.city IS NOT NULL OR pl.region IS NOT NULL) AS linked
        FROM project_places pl
        LEFT JOIN cities c ON c.code = pl.city
        LEFT JOIN regions r ON r.code = pl.region
        WHERE pl.project = ? ORDER BY pl.position""",
        [code],
    ).df()


#: Projects counted in EU sums: real (not synthetic) and EU-funded (not a non-EU comparator).
_EU_PROJECTS = "NOT synthetic AND NOT coalesce(non_eu, false)"


def portfolio(con: duckdb.DuckDBPyConnection) -> dict:
    """The EU portfolio counted once: EU contribution summed over the real EU-funded projects
    that publish one (each project once, whatever its countries), how many projects that is,
    how many publish no amount, and the non-EU comparators kept apart."""
    row = con.execute(f"""
        SELECT count(*) FILTER (WHERE {_EU_PROJECTS}),
               count(eu_contribution_eur) FILTER (WHERE {_EU_PROJECTS}),
               sum(eu_contribution_eur) FILTER (WHERE {_EU_PROJECTS}),
               count(*) FILTER (WHERE NOT synthetic AND coalesce(non_eu, false)),
               count(*) FILTER (WHERE synthetic)
        FROM projects""").fetchall()[0]
    return {
        "projects": row[0],
        "with_amount": row[1],
        "without_amount": row[0] - row[1],
        "eu_contribution_eur": row[2],
        "non_eu": row[3],
        "synthetic": row[4],
    }


def contribution_by(con: duckdb.DuckDBPyConnection, field: str) -> pd.DataFrame:
    """EU contribution by country or priority area, each euro counted once.

    A project with one country (area) counts fully there; a multi-country project counts in a
    country only with the share its source states (``project_amounts`` kind
    ``country_split``); the rest of its amount goes to one row "several" (``kind``), never
    into each country. Projects without any (``kind`` "none") get their own row. So the rows'
    amounts add up to ``portfolio()['eu_contribution_eur']``. ``projects`` counts the EU-funded
    projects working in each item (a multi-country project counts once in each), with
    ``amount_projects`` those whose money is in that row. Synthetic projects and non-EU
    comparators are left out."""
    if field not in ("countries", "priority_areas"):
        raise ValueError(field)
    split_kind = "country_split" if field == "countries" else "no split by area"
    return con.execute(
        f"""
        WITH p AS (SELECT code, eu_contribution_eur AS eur, {field} AS items
                   FROM projects WHERE {_EU_PROJECTS}),
        split AS (SELECT project, country AS item, share FROM project_amounts
                  WHERE kind = ? AND share IS NOT NULL),
        split_total AS (SELECT project, sum(share) AS share FROM split GROUP BY project),
        money AS (
            SELECT items[1] AS item, 'item' AS kind, eur, code FROM p WHERE len(items) = 1
            UNION ALL
            SELECT s.item, 'item', p.eur * s.share, p.code
            FROM p JOIN split s ON s.project = p.code WHERE len(p.items) > 1
            UNION ALL
            SELECT NULL, 'several', p.eur * (1 - coalesce(st.share, 0)), p.code
            FROM p LEFT JOIN split_total st ON st.project = p.code
            WHERE len(p.items) > 1 AND coalesce(st.share, 0) < 1
            UNION ALL
            SELECT NULL, 'none', eur, code FROM p WHERE len(items) = 0),
        counted AS (
            SELECT item, kind, sum(eur) AS eu_contribution_eur,
                   count(eur) AS amount_projects, count(*) AS money_rows
            FROM money GROUP BY item, kind),
        working AS (SELECT unnest(items) AS item, count(*) AS projects FROM p GROUP BY 1)
        SELECT coalesce(c.item, w.item) AS item, coalesce(c.kind, 'item') AS kind,
               c.eu_contribution_eur, coalesce(c.amount_projects, 0) AS amount_projects,
               coalesce(w.projects, c.money_rows) AS projects
        FROM counted c FULL JOIN working w ON w.item = c.item AND c.kind = 'item'
        ORDER BY kind = 'item' DESC, kind, eu_contribution_eur DESC NULLS LAST, item""",
        [split_kind],
    ).df()


def city_search_index(con: duckdb.DuckDBPyConnection) -> search.NameIndex:
    """Every spelling of every real city that search should find (names, aliases, GeoNames'
    alternate names)."""
    rows = con.execute(
        """SELECT code, unnest([name_en, name_uk, name_ru, name_native]) FROM cities
           WHERE NOT synthetic
           UNION ALL SELECT code, unnest(aliases) FROM cities WHERE NOT synthetic
           UNION ALL SELECT n.city, n.name FROM city_names n"""
    ).fetchall()
    return search.build_index([(c, n) for c, n in rows if n])
