"""One indicator across all cities and years: its wording in three languages, its
methodology versions and where it continues, who meets it, the evidence cities gave, and the
cities that already meet it (best practice to learn from)."""

from __future__ import annotations

import duckdb
import pandas as pd

LANGS = ("en", "uk", "ru")

#: A city's result on an indicator, from its score: the words the interface shows.
_STATE = """CASE WHEN s.status IS NULL THEN 'missing'
                 WHEN s.status = 'scored' THEN
                     CASE WHEN s.score >= i.max_points - 1e-9 THEN 'met'
                          WHEN s.score > 0 THEN 'partly' ELSE 'unmet' END
                 ELSE s.status::VARCHAR END"""


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def choices(con: duckdb.DuckDBPyConnection, programme: str, year: int, lang: str = "en"):
    """The indicators of the programme's methodology in ``year`` (methodology, code, area
    name, text), in the methodology's order; empty when it has none."""
    lang = _lang(lang)
    return con.execute(
        f"""
        SELECT i.methodology, i.code, coalesce(a.name_{lang}, a.name_en) AS area_name,
               coalesce(i.text_{lang}, i.text_en) AS text
        FROM indicators i JOIN methodologies m ON m.code = i.methodology
        JOIN areas a ON a.methodology = i.methodology AND a.code = i.area
        WHERE m.programme = ? AND ? BETWEEN m.year_from AND m.year_to
        ORDER BY a.position, i.position""",
        [programme, year],
    ).df()


def detail(con: duckdb.DuckDBPyConnection, methodology: str, code: str) -> dict | None:
    """Wording (en/uk/ru), area, maximum, kind, the methodology's years, and the other
    methodologies of the programme that carry the same indicator code (where it continues)."""
    row = con.execute(
        """
        SELECT i.text_en, i.text_uk, i.text_ru, i.area, a.name_en, a.name_uk, a.name_ru,
               i.max_points, i.kind::VARCHAR, m.programme, m.year_from, m.year_to, m.source_url
        FROM indicators i JOIN methodologies m ON m.code = i.methodology
        JOIN areas a ON a.methodology = i.methodology AND a.code = i.area
        WHERE i.methodology = ? AND i.code = ?""",
        [methodology, code],
    ).fetchone()
    if row is None:
        return None
    keys = (
        *("text_en", "text_uk", "text_ru", "area", "area_en", "area_uk", "area_ru"),
        *("max_points", "kind", "programme", "year_from", "year_to", "source_url"),
    )
    out = dict(zip(keys, row, strict=True))
    out["versions"] = con.execute(
        """
        SELECT m.code AS methodology, m.year_from, m.year_to, i.max_points, i.area,
               a.name_en AS area_en, a.name_uk AS area_uk, a.name_ru AS area_ru,
               m.code = ? AS this_one
        FROM indicators i JOIN methodologies m ON m.code = i.methodology
        LEFT JOIN areas a ON a.methodology = i.methodology AND a.code = i.area
        WHERE i.code = ? AND m.programme = ? ORDER BY m.year_from""",
        [methodology, code, out["programme"]],
    ).df()
    return out


def results(
    con: duckdb.DuckDBPyConnection, methodology: str, code: str, year: int, lang: str = "en"
) -> pd.DataFrame:
    """Every city assessed under the methodology in ``year`` with its result on the
    indicator: points, state, evidence link and comment, the city's index and rank."""
    lang = _lang(lang)
    return con.execute(
        f"""
        WITH assessed AS (
            SELECT DISTINCT city FROM current_scores
            WHERE methodology = ? AND year = ? AND level = 'indicator')
        SELECT c.code AS city, coalesce(c.name_{lang}, c.name_en) AS name, c.country,
               coalesce(co.name_{lang}, co.name_en) AS country_name, c.lat, c.lon,
               s.score, i.max_points, {_STATE} AS state, s.evidence_url, s.comment,
               x.total AS index, x.rank, x.rank_source
        FROM assessed JOIN cities c ON c.code = assessed.city
        JOIN countries co ON co.iso2 = c.country
        JOIN indicators i ON i.methodology = ? AND i.code = ?
        LEFT JOIN current_scores s ON s.methodology = i.methodology AND s.item = i.code
             AND s.level = 'indicator' AND s.year = ? AND s.city = c.code
        LEFT JOIN indices x ON x.methodology = i.methodology AND x.year = ? AND x.city = c.code
        ORDER BY CASE {_STATE} WHEN 'met' THEN 0 WHEN 'partly' THEN 1 WHEN 'unmet' THEN 2
                 ELSE 3 END, x.total DESC NULLS LAST, name""",
        [methodology, year, methodology, code, year, year],
    ).df()


def summary(table: pd.DataFrame) -> dict[str, int]:
    """How many cities meet the indicator, partly, not, and how many have no result."""
    counts = table["state"].value_counts()
    out = {k: int(counts.get(k, 0)) for k in ("met", "partly", "unmet")}
    out["other"] = int(len(table) - sum(out.values()))
    out["assessed"] = int(len(table))
    return out


def history(con: duckdb.DuckDBPyConnection, programme: str, code: str) -> pd.DataFrame:
    """Per year, under each methodology carrying the code: cities assessed on it and the
    share that meet it fully. Years without an assessment are absent (not zero)."""
    out = con.execute(
        f"""
        SELECT s.year, s.methodology, count(*) FILTER (WHERE s.status = 'scored') AS assessed,
               count(*) FILTER (WHERE {_STATE} = 'met') AS met,
               count(*) FILTER (WHERE {_STATE} = 'met')
                   / nullif(count(*) FILTER (WHERE s.status = 'scored'), 0) AS share_met
        FROM current_scores s
        JOIN indicators i ON i.methodology = s.methodology AND i.code = s.item
        JOIN methodologies m ON m.code = s.methodology
        WHERE s.level = 'indicator' AND s.item = ? AND m.programme = ?
        GROUP BY s.year, s.methodology ORDER BY s.year""",
        [code, programme],
    ).df()
    return out.assign(segment=segments(out["year"].tolist(), out["methodology"].tolist()))


def segments(years: list[int], methodologies: list[str]) -> list[int]:
    """A line id per point: a new line starts at a methodology break or after a missing year,
    so that no line joins points across either."""
    out, current = [], 0
    for i, (y, m) in enumerate(zip(years, methodologies, strict=True)):
        if i and (m != methodologies[i - 1] or y - years[i - 1] > 1):
            current += 1
        out.append(current)
    return out


def best_practice(table: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """Cities that meet the indicator fully and give evidence first, then the highest index."""
    met = table[table["state"] == "met"].copy()
    met["has_evidence"] = met["evidence_url"].notna()
    met = met.sort_values(["has_evidence", "index"], ascending=[False, False], na_position="last")
    return met.drop(columns="has_evidence").head(limit)


def result_years(con: duckdb.DuckDBPyConnection, methodology: str) -> list[int]:
    """The years in which some city has a result on single indicators of ``methodology``
    (a year with area scores or totals only is not among them)."""
    rows = con.execute(
        """SELECT DISTINCT year FROM current_scores
           WHERE methodology = ? AND level = 'indicator' ORDER BY year""",
        [methodology],
    ).fetchall()
    return [int(r[0]) for r in rows]


def link_year(years_with_results: list[int], span: tuple[int, int], wanted: int) -> int | None:
    """The year a link to an indicator of a methodology used in ``span`` (first, last year)
    opens: ``wanted`` where the methodology has indicator results in it, else the latest such
    year; ``None`` when it has none."""
    have = [y for y in years_with_results if span[0] <= y <= span[1]]
    if not have:
        return None
    return wanted if wanted in have else have[-1]
