"""What is in the database: summaries for the home page and the CLI, and table exports."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from . import storage

#: Tables and views that ``export`` writes, by their plural name.
EXPORTABLE = (*storage.TABLES, "current_scores", "project_overview")


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table, plus current (not superseded) scores."""
    out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in storage.TABLES}
    out["current_scores"] = con.execute("SELECT count(*) FROM current_scores").fetchall()[0][0]
    return out


def countries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Countries with their number of cities and regions."""
    return con.execute("""
        SELECT c.iso2, c.name_en, c.name_uk, c.name_ru,
               count(DISTINCT ci.code) FILTER (WHERE NOT ci.synthetic) AS cities,
               count(DISTINCT ci.region) FILTER (WHERE NOT ci.synthetic) AS regions,
               sum(ci.population) FILTER (WHERE NOT ci.synthetic) AS population
        FROM countries c LEFT JOIN cities ci ON ci.country = c.iso2
        GROUP BY ALL ORDER BY c.name_en""").df()


def regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Regions (admin-1) with their names in English, Ukrainian and Russian."""
    return con.execute(
        "SELECT code, country, name_en, name_uk, name_ru FROM regions ORDER BY code"
    ).df()


def name_match_sql(alias: str) -> str:
    """SQL that is true when a city (table alias ``alias``) has ``?`` (lower case) in its code,
    any of its names or aliases; an empty ``?`` matches every city."""
    return (
        f"contains(lower(concat_ws('|', {alias}.code, {alias}.name_en, {alias}.name_uk, "
        f"{alias}.name_ru, {alias}.name_native, array_to_string({alias}.aliases, '|'))), ?)"
    )


def cities(
    con: duckdb.DuckDBPyConnection, include_synthetic: bool = False, search: str = ""
) -> pd.DataFrame:
    """Cities with region names and flags, largest first; ``search`` matches any name or alias
    (case-insensitive, anywhere in the name)."""
    return con.execute(
        f"""
        SELECT ci.code, ci.name_en, ci.name_uk, ci.name_ru, ci.name_native, ci.country,
               r.name_en AS region, r.name_uk AS region_uk, r.name_ru AS region_ru,
               ci.population, ci.lat, ci.lon, ci.capital, ci.ogp_local,
               ci.in_tc_ranking, ci.synthetic, ci.kind = 'district' AS district_council
        FROM cities ci LEFT JOIN regions r ON r.code = ci.region
        WHERE (? OR NOT ci.synthetic)
          AND {name_match_sql("ci")}
        ORDER BY ci.population DESC NULLS LAST, ci.name_en""",
        [include_synthetic, (search or "").strip().lower()],
    ).df()


def programmes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Programmes with their years, methodologies and how much data each holds."""
    return con.execute("""
        WITH s AS (
            SELECT m.programme, count(*) AS scores, count(DISTINCT s.city) AS cities,
                   min(s.year) AS first_year, max(s.year) AS last_year
            FROM current_scores s JOIN methodologies m ON m.code = s.methodology
            GROUP BY m.programme),
        f AS (SELECT programme, count(*) AS published_figures FROM published_figures
              GROUP BY programme),
        m AS (SELECT programme, count(*) AS methodologies,
                     string_agg(CASE WHEN year_from = year_to THEN year_from::VARCHAR
                                     ELSE year_from || '–' || year_to END, ', '
                                ORDER BY year_from) AS years
              FROM methodologies GROUP BY programme),
        i AS (SELECT m.programme, count(*) AS indicators,
                     count(*) FILTER (WHERE i.text_source IS NOT NULL) AS translated_indicators
              FROM indicators i JOIN methodologies m ON m.code = i.methodology
              GROUP BY m.programme)
        SELECT p.code, p.name_en, p.name_uk, p.name_ru, p.organisation, p.synthetic,
               m.years, m.methodologies, coalesce(s.cities, 0) AS cities,
               coalesce(s.scores, 0) AS scores, coalesce(f.published_figures, 0)
                   AS published_figures, coalesce(i.indicators, 0) AS indicators,
               coalesce(i.translated_indicators, 0) AS translated_indicators
        FROM programmes p LEFT JOIN m ON m.programme = p.code
        LEFT JOIN s ON s.programme = p.code LEFT JOIN f ON f.programme = p.code
        LEFT JOIN i ON i.programme = p.code
        ORDER BY p.synthetic, p.code""").df()


def projects(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Projects with their derived status, EU contribution and number of linked cities."""
    return con.execute("""
        SELECT p.code, p.title_en, p.title_uk, p.title_ru, p.status, p.start_date, p.end_date,
               p.eu_contribution_eur, p.implementing_partners, p.countries, p.synthetic,
               p.start_published, p.end_published,
               (SELECT count(*) FROM project_cities pc WHERE pc.project = p.code) AS cities,
               (SELECT count(*) FROM project_targets t WHERE t.project = p.code) AS targets
        FROM project_overview p ORDER BY p.synthetic, p.start_date NULLS LAST, p.code""").df()


def import_batches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Import history, newest first."""
    return con.execute("SELECT * FROM import_batches ORDER BY id DESC").df()


def database_info(path: Path) -> dict:
    """A summary of the database file at ``path``."""
    con = storage.connect_read_only(path)
    try:
        return {
            "path": str(path),
            "size_bytes": Path(path).stat().st_size,
            "schema_version": storage.schema_version(con),
            "rows": counts(con),
            "programmes": programmes(con).to_dict("records"),
            "projects": projects(con)[["code", "status", "synthetic"]].to_dict("records"),
            "last_batches": import_batches(con)
            .head(5)[["id", "file_name", "rows", "imported_at", "outcome"]]
            .to_dict("records"),
        }
    finally:
        con.close()


def format_info(info: dict) -> str:
    """``database_info`` as text for a terminal."""
    lines = [
        f"{info['path']}  ({info['size_bytes'] / 1e6:.1f} MB, schema version "
        f"{info['schema_version']})",
        "",
        "rows:",
    ]
    lines += [f"  {k:<18} {v:>12,}" for k, v in info["rows"].items()]
    lines += ["", "programmes:"]
    for p in info["programmes"]:
        flag = "  [synthetic]" if p["synthetic"] else ""
        lines.append(
            f"  {p['code']:<18} {p['years'] or '':<28} {p['cities']:>6} cities "
            f"{p['scores']:>10,} scores{flag}"
        )
    lines += ["", "projects:"]
    lines += [
        f"  {p['code']:<32} {p['status']}{'  [synthetic]' if p['synthetic'] else ''}"
        for p in info["projects"]
    ]
    lines += ["", "last imports:"]
    lines += [
        f"  #{b['id']:<4} {b['outcome']:<9} {b['rows']:>10,} rows  {b['file_name']}"
        for b in info["last_batches"]
    ]
    return "\n".join(lines)


def export_table(path: Path, table: str, out: Path) -> int:
    """Write a table (or view) to CSV or Parquet, chosen by ``out``'s extension; ``indices``,
    ``regions`` and ``cities`` also to GeoPackage (.gpkg) or GeoJSON (``analytics.geo``).

    ``indices`` is written with city names and the columns a reader needs: city, country,
    programme, year, methodology, total, rank, class, coverage, source. Every export is
    labelled like a download (``analytics.exports``): a first column ``synthetic`` and the
    companion columns ``about_*`` (programme, methodology, year, value source, source page,
    licence) per row; Parquet also carries the label in its file metadata (``ocm:about``).
    """
    if table not in EXPORTABLE:
        raise ValueError(f"unknown table {table!r}; choose one of: {', '.join(EXPORTABLE)}")
    fmt = {".csv": "csv", ".parquet": "parquet", ".gpkg": "gis", ".geojson": "gis"}.get(
        Path(out).suffix.lower()
    )
    if fmt is None:
        raise ValueError(f"{out}: the file name must end in .csv, .parquet, .gpkg or .geojson")
    if not Path(path).exists():
        raise storage.DatabaseMissing(f"no database at {path}: run `python -m analytics build`")
    if fmt == "gis":
        from . import geo

        return geo.export_gis(path, table, out)
    from .results import EXPORT_INDICES

    query = EXPORT_INDICES if table == "indices" else f"SELECT * FROM {table}"
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE ({query})").fetchall()]
        labelled = _labelled_sql(query, columns)
        n = con.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]
        synthetic = con.execute(f"SELECT bool_or(synthetic) FROM ({labelled})").fetchall()[0][0]
        target = str(Path(out).resolve()).replace("'", "''")
        if fmt == "csv":
            options = "FORMAT csv, HEADER true"
        else:
            about = json.dumps(
                {
                    "what": table,
                    "synthetic": bool(synthetic),
                    "made_by": "Open Cities Monitor",
                    "columns": "synthetic per row; about_* per row (programme, methodology, "
                    "year, value source, source page, licence)",
                },
                ensure_ascii=False,
            ).replace("'", "''")
            flag = "true" if synthetic else "false"
            options = (
                f"FORMAT parquet, KV_METADATA {{'ocm:about': '{about}', 'ocm:synthetic': '{flag}'}}"
            )
        con.execute(f"COPY ({labelled}) TO '{target}' ({options})")
        return n
    finally:
        con.close()


def _labelled_sql(query: str, columns: list[str]) -> str:
    """``query`` with the label columns of ``analytics.exports`` (first ``synthetic``, then
    the table's columns, then ``about_*``)."""
    from .exports import SYNTHETIC_LICENCE

    has = set(columns)
    if "programme" in has:
        prog = "q.programme"
    elif "methodology" in has:
        prog = "(SELECT m.programme FROM methodologies m WHERE m.code = q.methodology)"
    else:
        prog = "NULL"
    if "synthetic" in has:
        synthetic = "coalesce(q.synthetic, false)"
    else:
        synthetic = f"coalesce((SELECT p.synthetic FROM programmes p WHERE p.code = {prog}), false)"
    meth = "q.methodology" if "methodology" in has else "NULL"
    year = "q.year::VARCHAR" if "year" in has else "NULL"
    source = "q.source::VARCHAR" if "source" in has else "NULL"
    published_url = (
        """(SELECT any_value(f.source_url ORDER BY f.preferred DESC) FROM published_figures f
            WHERE f.programme = q.programme AND f.city = q.city AND f.year = q.year
              AND f.level = 'total')"""
        if {"programme", "city", "year"} <= has
        else "NULL"
    )
    page = f"""coalesce((SELECT m.source_url FROM methodologies m WHERE m.code = {meth}),
                        (SELECT p.website FROM programmes p WHERE p.code = {prog}))"""
    cols = ", ".join(f'q."{c}"' for c in columns if c != "synthetic")
    licence = SYNTHETIC_LICENCE.replace("'", "''")
    return f"""
        SELECT {synthetic} AS synthetic, {cols},
               {prog} AS about_programme, {meth} AS about_methodology, {year} AS about_year,
               CASE WHEN {synthetic} THEN 'synthetic' ELSE {source} END AS about_value_source,
               CASE WHEN {source} = 'published' THEN coalesce({published_url}, {page})
                    ELSE {page} END AS about_source_url,
               CASE WHEN {synthetic} THEN '{licence}'
                    ELSE 'see data/SOURCES.md: figures quoted with their source page; '
                         || 'GeoNames CC BY 4.0; Natural Earth public domain' END
                   AS about_licence
        FROM ({query}) q"""
