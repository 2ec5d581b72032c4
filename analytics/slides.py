"""What the presentation slides show: which programme-year has data for a slide, the cities
to label on a map, and one city's story (index, rank change, what it newly met, the peer
that already meets the next one). Plain data; the drawing is in ``pages``."""

from __future__ import annotations

import duckdb
import pandas as pd

from . import compare

LANGS = ("en", "uk", "ru")


def year_counts(con: duckdb.DuckDBPyConnection, programme: str) -> pd.DataFrame:
    """Per year of ``programme``: cities with a result, with a total, with a class, and with a
    change from a comparable previous year (same methodology)."""
    return con.execute(
        """
        SELECT year::INTEGER AS year, count(*) AS results, count(total) AS totals,
               count(class_name) AS classes,
               count(change_points) FILTER (WHERE NOT across_break) AS changes
        FROM indices WHERE programme = ? GROUP BY year ORDER BY year""",
        [programme],
    ).df()


def pick_year(counts: dict[int, int], wanted: int) -> int | None:
    """``wanted`` when it has data (a count above zero), else the nearest year that has,
    the later one on a tie; ``None`` when no year has."""
    have = [y for y, n in counts.items() if n and n > 0]
    if not have:
        return None
    if wanted in have:
        return wanted
    return min(have, key=lambda y: (abs(y - wanted), -y))


def extremes(points: pd.DataFrame, k: int = 5, value: str = "total") -> pd.DataFrame:
    """The rows with a ``value``, each flagged ``top`` or ``bottom`` when among the ``k``
    highest or lowest (ties broken by name); a field of ``2k`` or fewer is all labelled,
    as top where above the median."""
    have = points[points[value].notna()].sort_values([value, "name"], ascending=[False, True])
    n = len(have)
    flag = ["" for _ in range(n)]
    for i in range(n):
        if i < k:
            flag[i] = "top"
        elif i >= n - k:
            flag[i] = "bottom"
    return have.assign(extreme=flag)


def _names(con: duckdb.DuckDBPyConnection, cities: list[str], lang: str) -> dict[str, str]:
    col = f"name_{lang if lang in LANGS else 'en'}"
    rows = con.execute(
        f"SELECT code, coalesce({col}, name_en) FROM cities WHERE list_contains(?, code)",
        [cities],
    ).fetchall()
    return dict(rows)


def _met(con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str) -> set[str]:
    rows = con.execute(
        """SELECT s.item FROM current_scores s JOIN indicators i
             ON i.methodology = s.methodology AND i.code = s.item
           WHERE s.methodology = ? AND s.year = ? AND s.city = ? AND s.level = 'indicator'
             AND s.status = 'scored' AND s.score >= i.max_points - 1e-9""",
        [methodology, year, city],
    ).fetchall()
    return {r[0] for r in rows}


def _indicator_count(con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str) -> int:
    return int(
        con.execute(
            """SELECT count(*) FROM current_scores WHERE methodology = ? AND year = ?
               AND city = ? AND level = 'indicator' AND status = 'scored'""",
            [methodology, year, city],
        ).fetchall()[0][0]
    )


def _area_gains(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, prev: int, city: str, lang: str
) -> pd.DataFrame:
    """Areas of the same methodology whose share of the maximum rose since ``prev``."""
    col = f"name_{lang if lang in LANGS else 'en'}"
    return con.execute(
        f"""
        SELECT a.code AS area, coalesce(a.{col}, a.name_en) AS name,
               (r.share - p.share) * 100 AS gain_pp
        FROM area_results r JOIN area_results p
          ON p.methodology = r.methodology AND p.city = r.city AND p.area = r.area
         AND p.year = ?
        JOIN areas a ON a.methodology = r.methodology AND a.code = r.area
        WHERE r.methodology = ? AND r.year = ? AND r.city = ?
          AND r.share IS NOT NULL AND p.share IS NOT NULL AND r.share > p.share + 1e-9
        ORDER BY gain_pp DESC, a.position""",
        [prev, methodology, year, city],
    ).df()


def city_story(
    con: duckdb.DuckDBPyConnection, programme: str, year: int, city: str, lang: str = "en"
) -> dict | None:
    """One city in a programme-year: its index and class, the rank and its change since the
    previous comparable year, the indicators it newly met (or, where the previous year has
    area scores only, the areas that rose), and the next indicator of its gap plan with a
    city that already meets it (a peer first). ``None`` if the city has no result."""
    row = con.execute(
        """SELECT methodology, total, class_name, rank, ranked_cities, rank_source, prev_year,
                  prev_total, prev_rank, change_points, change_rank, across_break,
                  computed_from
           FROM indices WHERE programme = ? AND year = ? AND city = ?""",
        [programme, year, city],
    ).df()
    if row.empty:
        return None
    r = row.iloc[0].to_dict()
    methodology = r["methodology"]
    comparable = not pd.isna(r["prev_year"]) and not bool(r["across_break"])
    prev = int(r["prev_year"]) if comparable else None
    out: dict = {
        "city": city,
        "name": _names(con, [city], lang).get(city, city),
        "methodology": methodology,
        "year": year,
        "total": None if pd.isna(r["total"]) else float(r["total"]),
        "class_name": r["class_name"] if isinstance(r["class_name"], str) else None,
        "rank": None if pd.isna(r["rank"]) else int(r["rank"]),
        "ranked_cities": None if pd.isna(r["ranked_cities"]) else int(r["ranked_cities"]),
        "prev_year": prev,
        "prev_total": float(r["prev_total"])
        if comparable and not pd.isna(r["prev_total"])
        else None,
        "prev_rank": int(r["prev_rank"]) if comparable and not pd.isna(r["prev_rank"]) else None,
        "change_points": float(r["change_points"])
        if comparable and not pd.isna(r["change_points"])
        else None,
        "change_rank": int(r["change_rank"])
        if comparable and not pd.isna(r["change_rank"])
        else None,
        "met": None,
        "assessed": None,
        "newly_met": [],
        "newly_level": None,
        "next": None,
    }
    met_now = _met(con, methodology, year, city)
    if met_now:
        out["met"] = len(met_now)
        out["assessed"] = _indicator_count(con, methodology, year, city)
    if prev is not None:
        met_before = _met(con, methodology, prev, city)
        if met_now and met_before:
            new = sorted(met_now - met_before)
            texts = _indicator_texts(con, methodology, new, lang)
            out["newly_met"] = [texts.get(c, c) for c in new]
            out["newly_level"] = "indicator"
        else:
            gains = _area_gains(con, methodology, year, prev, city, lang)
            out["newly_met"] = [(n, float(g)) for n, g in zip(gains["name"], gains["gain_pp"])]
            out["newly_level"] = "area"
    out["next"] = _next_step(con, methodology, year, city, lang)
    return out


def _indicator_texts(
    con: duckdb.DuckDBPyConnection, methodology: str, codes: list[str], lang: str
) -> dict[str, str]:
    col = f"text_{lang if lang in LANGS else 'en'}"
    rows = con.execute(
        f"""SELECT code, coalesce({col}, text_en) FROM indicators
            WHERE methodology = ? AND list_contains(?, code)""",
        [methodology, codes],
    ).fetchall()
    return dict(rows)


def _next_step(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str, lang: str
) -> dict | None:
    """The first indicator of the city's gap plan and the first city that already meets it."""
    plan = compare.gap_plan(con, methodology, year, city)
    steps = plan["plan"]
    if steps.empty:
        return None
    first = steps.iloc[0]
    met_by = list(first["met_by"])
    peers = set(plan.get("peers") or [])
    by = met_by[0] if met_by else None
    text = first.get(f"text_{lang}") if lang in LANGS else None
    return {
        "indicator": first["code"],
        "text": text if isinstance(text, str) else first["text_en"],
        "gain": float(first["gain"]),
        "target_class": plan.get("target_class"),
        "met_by": _names(con, [by], lang).get(by, by) if by else None,
        "met_by_peer": by in peers if by else False,
        "met_by_count": len(met_by),
    }


def impact_projects(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Projects with participating cities that have index data, most such cities first."""
    rows = con.execute(
        """SELECT p.project FROM project_cities p JOIN indices i ON i.city = p.city
           WHERE i.total IS NOT NULL GROUP BY p.project
           ORDER BY count(DISTINCT p.city) DESC, p.project"""
    ).fetchall()
    return [r[0] for r in rows]


def impact_lines(con: duckdb.DuckDBPyConnection, project: str, programme: str) -> pd.DataFrame:
    """Mean index per year of the project's participating cities and of the other cities of
    the same countries (the groups of ``impact.city_changes``), with n and methodology."""
    return con.execute(
        """
        WITH part AS (SELECT DISTINCT city FROM project_cities WHERE project = ?),
        countries AS (SELECT DISTINCT c.country FROM part JOIN cities c ON c.code = part.city)
        SELECT i.year::INTEGER AS year, i.methodology,
               CASE WHEN part.city IS NOT NULL THEN 'participating' ELSE 'other' END AS grp,
               avg(i.total) AS mean, count(*) AS n
        FROM indices i JOIN cities c ON c.code = i.city LEFT JOIN part ON part.city = i.city
        WHERE i.programme = ? AND i.total IS NOT NULL
          AND c.country IN (SELECT country FROM countries)
        GROUP BY ALL ORDER BY grp, year""",
        [project, programme],
    ).df()


def project_span(con: duckdb.DuckDBPyConnection, project: str) -> tuple[int, int] | None:
    """The first and last project year of its cities (``None`` without dates)."""
    row = con.execute(
        "SELECT min(year_from), max(year_to) FROM project_cities WHERE project = ?", [project]
    ).fetchall()[0]
    return None if row[0] is None else (int(row[0]), int(row[1]))
