"""Index computation: indicator points → area points → total index, ranks and classes.

The rules (see also docs/methodology.md):

* **Area.** From indicator scores: ``share = points / assessed maximum`` over the area's
  indicators that were assessed and apply; the area's points are ``share × nominal maximum``
  (the area maximum of the methodology, or the sum of its indicators' maxima). A
  ``not_applicable`` indicator leaves both points and maximum, so the area is rescaled;
  a ``not_assessed`` indicator is missing: it lowers the area's coverage (assessed maximum /
  applicable maximum). An area where nothing applies is marked not applicable. Area scores
  given directly (published data, or imported at area level) are used as given.
* **Total.** Over the areas that apply and hold data: ``total = Σ points / Σ nominal maxima ×
  methodology maximum`` — the sum of area points when every area is there. Where area maxima
  are not published, the total derived from area scores is their plain sum. Coverage is the
  share of the applicable nominal maximum that was assessed (or, without maxima, the share of
  the methodology's areas given); below ``min_coverage`` there is no computed total.
* **Index shown.** A total given as such (published, or imported at total level) is shown
  where it exists, else the computed total; both are kept (``published_total``,
  ``computed_total``) so they can be compared. Else a total we *derived* from published
  figures (``published_figures`` of kind ``derived``, e.g. an edition's total minus its
  published change) is shown with ``source = 'derived'``; derived totals are never ranked.
* **Ranks: one rank, one population.** ``rank`` never mixes ranks of different populations.
  Where the programme published ranks for the methodology-year, ``rank`` is the published rank
  (``rank_source = 'published'``) and ``ranked_cities`` the size of the published ranking
  (a published figure of kind ``ranked``; NULL where not known); a city without a published
  rank that year has no rank — a rank computed among the few cities that have a total here
  would be of another population. Where the programme published no ranks, ``rank`` is the
  competition rank ("1, 2, 2, 4": ties share the better rank) of the totals rounded to 0.01 in
  decimal, half up (57.675 → 57.68), among the cities with a total
  here (``'computed'``, ``ranked_cities`` = their number). Where the field here is whole —
  at least as many cities with a total as the published ranking has (or, its size unknown,
  a computed total for every city of the methodology-year) — the computed rank is of the same
  population and is shown (``'computed'``). ``rank_country`` and ``rank_region`` are always
  computed among the cities with a total here. The published rank is kept beside it
  (``published_rank``).
* **Change.** Against the programme's previous assessed year of the city; ``across_break`` is
  true when the two years fall under different methodologies (not comparable as such). A rank
  change is given only between two ranks of the same kind (published with published).
* **Class.** The class the publisher gave where it published one (e.g. TI's 2017 letter
  bands, which no threshold reproduces for every city, or Moldova's grades A+…F); else the
  best class whose threshold the total reaches (``class_source``). Classes without a
  published band (``min_score`` NULL) are never computed. Its
  position (1 = best) is the methodology's; for a methodology that publishes classes without
  thresholds, the position the same class name has elsewhere in the programme, else in any
  programme (so a classes-only study is coloured and ordered like the ranking it continues).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb
import pandas as pd

DEFAULT_MIN_COVERAGE = 0.8

_AREA_RESULTS = """
CREATE OR REPLACE TEMP TABLE _nominal AS
SELECT a.methodology, a.code AS area,
       coalesce(a.max_points, (SELECT sum(i.max_points) FROM indicators i
                               WHERE i.methodology = a.methodology AND i.area = a.code))
           AS nominal
FROM areas a;

CREATE OR REPLACE TEMP TABLE _dim AS
SELECT i.methodology, i.code, i.area, i.max_points, n.nominal
FROM indicators i JOIN _nominal n ON n.methodology = i.methodology AND n.area = i.area;

DELETE FROM area_results WHERE {cy:area_results};
INSERT INTO area_results
SELECT methodology, year, city, area, 'indicators',
       -- rounded to 1e-9: sums of binary fractions (0.1 + 0.2) carry noise, not information
       round(points / assessed_max * nominal, 9), nominal, round(points / assessed_max, 9),
       coalesce(assessed_max / nullif(applicable_max, 0), 0),
       coalesce(applicable_max, 0) = 0
FROM (
    SELECT s.methodology, s.year, s.city, d.area, any_value(d.nominal) AS nominal,
           sum(s.score) FILTER (WHERE s.status = 'scored') AS points,
           sum(d.max_points) FILTER (WHERE s.status = 'scored') AS assessed_max,
           sum(d.max_points) FILTER (WHERE s.status <> 'not_applicable') AS applicable_max
    FROM scores s JOIN _dim d ON d.methodology = s.methodology AND d.code = s.item
    WHERE s.superseded_by IS NULL AND s.level = 'indicator' AND {cy:s}
    GROUP BY s.methodology, s.year, s.city, d.area);

INSERT INTO area_results
SELECT s.methodology, s.year, s.city, s.item, 'areas',
       s.score, n.nominal, s.score / n.nominal,
       CASE WHEN s.status = 'scored' THEN 1.0 ELSE 0.0 END,
       s.status = 'not_applicable'
FROM scores s JOIN _nominal n ON n.methodology = s.methodology AND n.area = s.item
WHERE s.superseded_by IS NULL AND s.level = 'area' AND {cy:s}
  AND NOT EXISTS (SELECT 1 FROM area_results r WHERE r.source = 'indicators'
                  AND r.methodology = s.methodology AND r.year = s.year AND r.city = s.city
                  AND r.area = s.item);
"""

#: Decimal rounding, half up: 57.675 (a binary 57.67499…) ranks as 57.68.
_RANK_KEY = "round(coalesce(published_total, computed_total)::DECIMAL(18, 6), 2)"

#: The index rows of the scope's city-years, before ranks: totals, coverage, sources and
#: published figures (``_shown``).
_SHOWN = """
CREATE OR REPLACE TEMP TABLE _shown AS
WITH m AS (
    SELECT m.code AS methodology, m.programme, m.max_points, m.total_from_areas,
           (SELECT count(*) FROM areas a WHERE a.methodology = m.code) AS n_areas,
           (SELECT count(*) FILTER (WHERE n.nominal IS NULL) = 0 AND count(*) > 0
            FROM _nominal n WHERE n.methodology = m.code) AS maxima_known,
           (SELECT sum(nominal) FROM _nominal n WHERE n.methodology = m.code) AS nominal_sum
    FROM methodologies m
), computed AS (
    SELECT r.methodology, r.year, r.city,
           CASE WHEN bool_or(r.source = 'indicators') THEN 'indicators' ELSE 'areas' END
               AS computed_from,
           CASE WHEN m.maxima_known THEN
                sum(r.points) FILTER (WHERE NOT r.not_applicable AND r.share IS NOT NULL)
                / nullif(sum(r.max_points) FILTER (WHERE NOT r.not_applicable
                                                     AND r.share IS NOT NULL), 0)
                * m.max_points
                ELSE sum(r.points) END AS total,
           CASE WHEN m.maxima_known THEN
                sum(r.max_points * r.coverage) FILTER (WHERE NOT r.not_applicable)
                / nullif(m.nominal_sum - coalesce(sum(r.max_points)
                                                  FILTER (WHERE r.not_applicable), 0), 0)
                ELSE count(*) FILTER (WHERE r.coverage > 0) / nullif(m.n_areas, 0) END
               AS coverage
    FROM area_results r JOIN m ON m.methodology = r.methodology
    WHERE (m.total_from_areas OR r.source = 'indicators') AND {cy:r}
    GROUP BY r.methodology, r.year, r.city, m.maxima_known, m.max_points, m.nominal_sum,
             m.n_areas
), published AS (
    SELECT methodology, year, city, max(score) AS total
    FROM scores s WHERE superseded_by IS NULL AND level = 'total' AND status = 'scored'
      AND {cy:s}
    GROUP BY ALL
), pub_rank AS (
    SELECT methodology, year, city, min(value)::INTEGER AS rank FROM published_figures f
    WHERE kind = 'rank' AND preferred AND city IS NOT NULL AND {my:f} GROUP BY ALL
), derived AS (
    SELECT methodology, year, city, min(value) AS total FROM published_figures f
    WHERE kind = 'derived' AND level = 'total' AND preferred AND city IS NOT NULL AND {my:f}
    GROUP BY ALL
), pub_class AS (
    SELECT methodology, year, city, min(text_value) AS class_name FROM published_figures f
    WHERE kind = 'class' AND preferred AND city IS NOT NULL AND {my:f} GROUP BY ALL
), keys AS (
    SELECT methodology, year, city FROM computed
    UNION SELECT methodology, year, city FROM published
    UNION SELECT methodology, year, city FROM pub_class
    UNION SELECT methodology, year, city FROM pub_rank
    UNION SELECT methodology, year, city FROM derived
), base AS (
    SELECT m.programme, methodology, year, city, c.country, c.region,
           CASE WHEN coalesce(comp.coverage, 0) >= $min_coverage THEN round(comp.total, 9) END
               AS computed_total,
           comp.computed_from, comp.coverage, p.total AS published_total,
           d.total AS derived_total,
           pr.rank AS published_rank, pc.class_name AS published_class
    FROM keys ky JOIN m USING (methodology)
    LEFT JOIN cities c ON c.code = ky.city
    LEFT JOIN computed comp USING (methodology, year, city)
    LEFT JOIN published p USING (methodology, year, city)
    LEFT JOIN derived d USING (methodology, year, city)
    LEFT JOIN pub_rank pr USING (methodology, year, city)
    LEFT JOIN pub_class pc USING (methodology, year, city)
    WHERE {cy:ky}
)
SELECT *, coalesce(published_total, computed_total, derived_total) AS total,
       CASE WHEN published_total IS NOT NULL THEN 'published'
            WHEN computed_total IS NOT NULL THEN 'computed'
            WHEN derived_total IS NOT NULL THEN 'derived' END AS source,
       {rank_key} AS rank_key
FROM base;
""".replace("{rank_key}", _RANK_KEY)

#: The ranks of every city of the scope's methodology-years (``_ranked``): the field is the
#: rows just computed and, in a partial refresh, the stored rows of the cities not touched
#: (``{kept}``: their totals and published figures are as they were; only their ranks move).
#: Narrow rows, so the windows sort little.
_RANKED = """
CREATE OR REPLACE TEMP TABLE _ranked AS
WITH fields AS (
    SELECT methodology, year, city, country, region, rank_key,
           computed_total IS NOT NULL AS has_computed, published_rank
    FROM _shown
    {kept}
), ranks AS (
    SELECT *,
           CASE WHEN rank_key IS NOT NULL THEN rank() OVER (
               PARTITION BY methodology, year, rank_key IS NULL ORDER BY rank_key DESC)
           END AS r_all,
           CASE WHEN rank_key IS NOT NULL THEN rank() OVER (
               PARTITION BY methodology, year, country, rank_key IS NULL ORDER BY rank_key DESC)
           END AS r_country,
           CASE WHEN rank_key IS NOT NULL THEN rank() OVER (
               PARTITION BY methodology, year, region, rank_key IS NULL ORDER BY rank_key DESC)
           END AS r_region
    FROM fields
), counts AS (  -- grouped, not windows over the whole field: those cost more than the ranks
    SELECT methodology, year, count(rank_key) AS n_ranked,
           count(*) FILTER (WHERE has_computed) = count(*) AS all_computed
    FROM fields GROUP BY ALL
), pub_size AS (  -- how many cities the published ranking of a methodology-year has
    SELECT methodology, year, max(value)::INTEGER AS n FROM published_figures f
    WHERE kind = 'ranked' AND preferred AND city IS NULL AND {my:f} GROUP BY ALL
), pub_years AS (  -- methodology-years for which the programme published ranks
    SELECT DISTINCT methodology, year FROM published_figures f
    WHERE kind = 'rank' AND preferred AND city IS NOT NULL AND {my:f}
), with_pub AS (  -- use_published: a published ranking exists and the field here is not whole
    SELECT r.*, counts.n_ranked, py.methodology IS NOT NULL
               AND NOT coalesce(counts.n_ranked >= ps.n, counts.all_computed) AS use_published,
           ps.n AS published_of
    FROM ranks r JOIN counts USING (methodology, year)
    LEFT JOIN pub_years py USING (methodology, year)
    LEFT JOIN pub_size ps USING (methodology, year)
), with_rank AS (
    SELECT *,
           CASE WHEN use_published THEN published_rank ELSE r_all END AS rank_shown,
           CASE WHEN use_published THEN
                    CASE WHEN published_rank IS NOT NULL THEN 'published' END
                WHEN r_all IS NOT NULL THEN 'computed' END AS rank_kind,
           CASE WHEN use_published THEN published_of ELSE n_ranked END AS rank_of
    FROM with_pub
)
SELECT methodology, year, city, rank_shown AS rank, rank_kind AS rank_source,
       CASE WHEN rank_kind IS NOT NULL THEN rank_of END AS ranked_cities,
       r_country AS rank_country, r_region AS rank_region
FROM with_rank;
"""

#: In a partial refresh, the cities of the touched methodology-years that were not touched,
#: as ``fields`` in ``_RANKED`` reads them: from their stored rows of ``indices``, so the
#: index of a methodology-year of 10,000 cities is not recomputed for 100 imported ones.
_KEPT_FIELDS = """UNION ALL
    SELECT methodology, year, city, country, region, {rank_key},
           computed_total IS NOT NULL, published_rank
    FROM indices
    WHERE {my:indices}
      AND NOT EXISTS (SELECT 1 FROM _scope_cy k WHERE k.methodology = indices.methodology
                      AND k.year = indices.year AND k.city = indices.city)""".replace(
    "{rank_key}", _RANK_KEY
)

#: The rows of the scope's city-years, with their ranks and classes, in place of the old ones.
_INDICES = """
DELETE FROM indices WHERE {cy:indices};
INSERT INTO indices
WITH classes AS (
    SELECT s.methodology, s.year, s.city, arg_min(t.class_name, t.position) AS computed_class
    FROM _shown s JOIN class_thresholds t ON t.methodology = s.methodology
                                         AND s.total >= t.min_score - 1e-9
    GROUP BY ALL
), with_rank AS (
    SELECT s.*, r.rank, r.rank_source, r.ranked_cities, r.rank_country, r.rank_region,
           c.computed_class, coalesce(s.published_class, c.computed_class) AS class_shown
    FROM _shown s JOIN _ranked r USING (methodology, year, city)
    LEFT JOIN classes c USING (methodology, year, city)
), positions AS (  -- a class name's position where its own methodology gives none
    SELECT m.programme, t.class_name, min(t.position) AS position
    FROM class_thresholds t JOIN methodologies m ON m.code = t.methodology GROUP BY ALL
)
SELECT l.programme, l.methodology, l.year, l.city, l.country, l.region, l.total, l.source,
       l.coverage, l.computed_total, l.computed_from, l.published_total,
       l.rank, l.rank_source, l.ranked_cities, l.rank_country, l.rank_region,
       NULL, NULL, NULL, NULL, NULL, NULL,  -- the change: filled by _CHANGES
       l.class_shown,
       coalesce(t.position,
                (SELECT p.position FROM positions p WHERE p.programme = l.programme
                 AND p.class_name = l.class_shown),
                (SELECT min(p.position) FROM positions p WHERE p.class_name = l.class_shown)),
       CASE WHEN l.published_class IS NOT NULL THEN 'published'
            WHEN l.computed_class IS NOT NULL THEN 'computed' END,
       l.published_rank
FROM with_rank l LEFT JOIN class_thresholds t
     ON t.methodology = l.methodology AND t.class_name = l.class_shown;
"""

#: In a partial refresh, the new ranks of the cities not touched, written only where they
#: moved (their other columns are as they were).
_RANKS_KEPT = """
UPDATE indices SET rank = r.rank, rank_source = r.rank_source,
       ranked_cities = r.ranked_cities, rank_country = r.rank_country,
       rank_region = r.rank_region
FROM _ranked r
WHERE r.methodology = indices.methodology AND r.year = indices.year AND r.city = indices.city
  AND {my:indices}
  AND (indices.rank IS DISTINCT FROM r.rank OR indices.rank_source IS DISTINCT FROM r.rank_source
       OR indices.ranked_cities IS DISTINCT FROM r.ranked_cities
       OR indices.rank_country IS DISTINCT FROM r.rank_country
       OR indices.rank_region IS DISTINCT FROM r.rank_region);
"""

#: The change from the previous assessed year of the city in the programme, over the rows of
#: ``indices`` (so it reads the ranks and totals just written, in any methodology-year); only
#: rows whose change differs from what is stored are written.
_CHANGES = """
UPDATE indices SET prev_year = l.prev_year, prev_total = l.prev_total, prev_rank = l.prev_rank,
       change_points = l.change_points, change_rank = l.change_rank,
       across_break = l.across_break
FROM (
    SELECT programme, methodology, year, city, prev_year, prev_total, prev_rank,
           round(total - prev_total, 9) AS change_points,
           CASE WHEN rank_source = prev_rank_kind THEN prev_rank - rank END AS change_rank,
           prev_methodology IS NOT NULL AND prev_methodology <> methodology AS across_break
    FROM (
        -- narrow rows, in one order: the window sorts only what the change reads, and a row
        -- is the previous of the next one when they are of the same programme and city
        -- (one sort; a partition per city costs more at 10,000 cities)
        SELECT programme, methodology, year, city, total, rank, rank_source,
               CASE WHEN same THEN p_year END AS prev_year,
               CASE WHEN same THEN p_total END AS prev_total,
               CASE WHEN same THEN p_rank END AS prev_rank,
               CASE WHEN same THEN p_rank_kind END AS prev_rank_kind,
               CASE WHEN same THEN p_methodology END AS prev_methodology
        FROM (
            SELECT *,
                   coalesce(lag(programme) OVER w = programme AND lag(city) OVER w = city,
                            false) AS same,
                   lag(year) OVER w AS p_year, lag(total) OVER w AS p_total,
                   lag(rank) OVER w AS p_rank, lag(rank_source) OVER w AS p_rank_kind,
                   lag(methodology) OVER w AS p_methodology
            FROM ({rows}) r
            WINDOW w AS (ORDER BY programme, city, year))) ch
    WHERE {since_kept}
) l
WHERE l.programme = indices.programme AND l.methodology = indices.methodology
  AND l.year = indices.year AND l.city = indices.city
  AND (indices.prev_year IS DISTINCT FROM l.prev_year
       OR indices.prev_total IS DISTINCT FROM l.prev_total
       OR indices.prev_rank IS DISTINCT FROM l.prev_rank
       OR indices.change_points IS DISTINCT FROM l.change_points
       OR indices.change_rank IS DISTINCT FROM l.change_rank
       OR indices.across_break IS DISTINCT FROM l.across_break);
"""
_CHANGE_COLUMNS = "programme, methodology, year, city, total, rank, rank_source"
_ALL_ROWS = f"SELECT {_CHANGE_COLUMNS} FROM indices"

#: A partial refresh reads, for the change, only the rows of a city from the first touched
#: year of its programme on (``_since``), and the row before them, which their own change
#: reads (its own change is not written: the rows before it are not read).
_SINCE = """
CREATE OR REPLACE TEMP TABLE _since AS
    SELECT m.programme, min(k.year) AS year
    FROM _scope_my k JOIN methodologies m ON m.code = k.methodology GROUP BY ALL;
CREATE OR REPLACE TEMP TABLE _before AS  -- grouped first: the test of the scope on fewer rows
    SELECT * FROM (
        SELECT i.programme, i.city, max(i.year) AS year
        FROM indices i JOIN _since f ON f.programme = i.programme
        WHERE i.year < f.year GROUP BY ALL) i
    WHERE {pc:i};
"""
_SINCE_ROWS = f"""SELECT {_CHANGE_COLUMNS} FROM indices
        WHERE indices.year >= {{since_min}}  -- a constant: the scan skips the earlier years
          AND indices.year >= coalesce((SELECT f.year FROM _since f
                                        WHERE f.programme = indices.programme), -32768)
          AND {{pc:indices}}
        UNION ALL
        SELECT {_CHANGE_COLUMNS} FROM indices JOIN _before b USING (programme, city, year)"""
_SINCE_KEPT = """ch.year >= coalesce((SELECT f.year FROM _since f
                                  WHERE f.programme = ch.programme), -32768)"""

#: What ``refresh`` recomputes when given the keys an import touched: the city-years it wrote
#: (area results and index rows), the ranks and ranked-city counts of their whole
#: methodology-years (the field; only ranks that moved are written) and, for the change, every
#: city of those methodology-years in its programme (the next assessed year reads their new
#: totals and ranks).
_SCOPE = """
CREATE OR REPLACE TEMP TABLE _scope_cy AS
    SELECT DISTINCT methodology, year::SMALLINT AS year, city FROM {touched};
CREATE OR REPLACE TEMP TABLE _scope_my AS SELECT DISTINCT methodology, year FROM _scope_cy;
CREATE OR REPLACE TEMP TABLE _scope_pc AS
    SELECT DISTINCT programme, city FROM indices i
    WHERE EXISTS (SELECT 1 FROM _scope_my k WHERE k.methodology = i.methodology
                  AND k.year = i.year);
"""
_SCOPE_AFTER = """
INSERT INTO _scope_pc SELECT DISTINCT programme, city FROM indices i
    WHERE EXISTS (SELECT 1 FROM _scope_my k WHERE k.methodology = i.methodology
                  AND k.year = i.year)
EXCEPT SELECT programme, city FROM _scope_pc;
"""
_KEYS = {
    "cy": ("_scope_cy", ("methodology", "year", "city")),
    "my": ("_scope_my", ("methodology", "year")),
    "pc": ("_scope_pc", ("programme", "city")),
}
#: Name of the temporary table of (methodology, year, city) that writers add to (``touch``).
TOUCHED = "_touched"


def _scoped(sql: str, partial: bool, literal: dict[str, str] | None = None) -> str:
    """``sql`` with each ``{cy:alias}``, ``{my:alias}``, ``{pc:alias}`` replaced by ``true``
    (everything) or, with ``partial``, by a test that the row of ``alias`` is in that scope.
    ``literal`` (column → SQL list) adds the scope's values as constants before the test, so
    that a scan skips the row groups of other years and methodologies (their min/max)."""

    def predicate(m: re.Match[str]) -> str:
        if not partial:
            return "true"
        kind, alias = m.group(1), m.group(2)
        table, cols = _KEYS[kind]
        on = " AND ".join(f"k.{c} = {alias}.{c}" for c in cols)
        consts = [
            f"{alias}.{c} IN ({values})"
            for c, values in (literal or {}).items()
            if c in cols or (kind == "pc" and c == "programme")
        ]
        return " AND ".join([*consts, f"EXISTS (SELECT 1 FROM {table} k WHERE {on})"])

    return re.sub(r"\{(cy|my|pc):(\w+)\}", predicate, sql)


def _literal(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The methodologies, years and programmes of the scope as SQL lists of constants."""
    out = {}
    for column, sql in (
        ("methodology", "SELECT DISTINCT methodology FROM _scope_my"),
        ("year", "SELECT DISTINCT year FROM _scope_my"),
        ("programme", "SELECT DISTINCT programme FROM _scope_pc"),
    ):
        values = [r[0] for r in con.execute(sql).fetchall()]
        if not values:
            values = [None]
        out[column] = ", ".join(
            "NULL" if v is None else str(int(v)) if column == "year" else _quoted(str(v))
            for v in values
        )
    return out


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def touch(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Record that the (methodology, year, city) of ``table`` were written on ``con``; a
    ``refresh(con, touched=TOUCHED)`` then recomputes only what they affect."""
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {TOUCHED} "
        "(methodology VARCHAR, year SMALLINT, city VARCHAR)"
    )
    con.execute(f"INSERT INTO {TOUCHED} SELECT DISTINCT methodology, year, city FROM {table}")


def touched(con: duckdb.DuckDBPyConnection) -> str | None:
    """``TOUCHED`` when writes on ``con`` recorded what they touched, else None (a full
    refresh then)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [TOUCHED]
    ).fetchall()[0][0]
    return TOUCHED if found else None


def refresh(
    con: duckdb.DuckDBPyConnection,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    touched: str | None = None,
) -> int:
    """Recompute ``area_results`` and ``indices`` from the current scores; returns city-years.

    With ``touched`` (a table of the methodology, year and city of every score written since
    the last refresh) only what those writes affect is recomputed, by the same statements:
    the result equals a full recompute (tests/analytics/test_incremental.py). Writes of
    anything else (reference data, methodologies, published figures) need the full one.
    """
    partial = touched is not None
    literal = None
    if partial:
        con.execute(_SCOPE.replace("{touched}", str(touched)))
        literal = _literal(con)
    con.execute(_scoped(_AREA_RESULTS, partial, literal))
    con.execute(
        _scoped(_SHOWN, partial, literal).replace("$min_coverage", repr(float(min_coverage)))
    )
    con.execute(
        _scoped(_RANKED.replace("{kept}", _KEPT_FIELDS if partial else ""), partial, literal)
    )
    con.execute(_scoped(_INDICES, partial, literal))
    if partial:
        con.execute(_scoped(_RANKS_KEPT, partial, literal))
    con.execute("DROP TABLE _shown; DROP TABLE _ranked")
    if partial:
        con.execute(_SCOPE_AFTER)
        literal = _literal(con)
        con.execute(_scoped(_SINCE, partial, literal))
    changes = _CHANGES.replace("{rows}", _SINCE_ROWS if partial else _ALL_ROWS)
    if partial:
        first = con.execute("SELECT min(year) FROM _since").fetchall()[0][0]
        changes = changes.replace("{since_min}", str(-32768 if first is None else int(first)))
    con.execute(
        _scoped(changes, partial, literal).replace(
            "{since_kept}", _SINCE_KEPT if partial else "true"
        )
    )
    return con.execute("SELECT count(*) FROM indices").fetchall()[0][0]


def compare_totals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """City-years where a published total and a computed total both exist, with the gap."""
    return con.execute("""
        SELECT programme, methodology, year, city, published_total, computed_total,
               computed_from, coverage, round(computed_total - published_total, 4) AS difference
        FROM indices WHERE published_total IS NOT NULL AND computed_total IS NOT NULL
        ORDER BY abs(computed_total - published_total) DESC""").df()


EXPORT_INDICES = """
SELECT c.code AS city, c.name_en AS city_name, i.country, i.programme, i.year, i.methodology,
       round(i.total::DECIMAL(18, 6), 2)::DOUBLE AS total, i.source,
       round(i.published_total::DECIMAL(18, 6), 2)::DOUBLE AS published_total,
       round(i.computed_total::DECIMAL(18, 6), 2)::DOUBLE AS computed_total,
       i.computed_from, i.rank, i.rank_source, i.ranked_cities AS rank_of, i.published_rank,
       i.class_name AS class, i.class_source, round(i.coverage, 4) AS coverage,
       round(i.change_points::DECIMAL(18, 6), 2)::DOUBLE AS change_points, i.prev_year
FROM indices i JOIN cities c ON c.code = i.city
ORDER BY i.programme, i.year, i.total DESC NULLS LAST, i.class_position NULLS LAST, c.name_en
"""


def published_vs_computed(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every published total (preferred or alternative, with its source) that differs from the
    total computed from the scores, both rounded half up to 0.01."""
    return con.execute("""
        SELECT i.programme, i.year, i.city, f.value AS published_total,
               round(i.computed_total::DECIMAL(18, 6), 2)::DOUBLE AS computed_total,
               i.computed_from, f.preferred, f.source_url AS published_source
        FROM published_figures f JOIN indices i ON i.methodology = f.methodology
             AND i.year = f.year AND i.city = f.city
        WHERE f.kind = 'score' AND f.level = 'total' AND f.value IS NOT NULL
          AND i.computed_total IS NOT NULL
          AND round(f.value::DECIMAL(18, 6), 2) <> round(i.computed_total::DECIMAL(18, 6), 2)
        ORDER BY i.programme, i.year, i.city, NOT f.preferred, f.source_url""").df()


def _number(value: object) -> int | None:
    """An integer figure, or None for a missing one (None, NaN, NA)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)


def rank_text(rank: object, source: object, of: object, lang: str = "en") -> tuple[str, str]:
    """A rank as shown everywhere (metric, scorecard): the value and what it is a rank of.

    ``("4", "of 100 in the programme's published ranking")``,
    ``("3", "of 17 cities with a total here (computed)")``, or ``("—", why)``; never a
    published rank over the number of cities computed here.
    """
    from .i18n import plural, translate

    def tr(text: str, **kw: object) -> str:
        return translate(text, lang).format(**kw)

    r, n = _number(rank), _number(of)
    if r is None:
        return "—", tr("no rank for this city in this year")
    if source == "published":
        if n is None:
            return str(r), tr("in the programme's published ranking")
        return str(r), tr("of {n} in the programme's published ranking", n=n)
    if n is None:
        return str(r), tr("computed among the cities with a total here")
    # counted: "з 31 міста" / "из 31 города", not "из 31 городов"
    counted = plural(
        "of {n} city with a total here (computed)",
        "of {n} cities with a total here (computed)",
        int(n),
        lang,
    )
    return str(r), counted.format(n=n)


def rank_header(
    sources: Iterable[object],
    ofs: Iterable[object],
    lang: str = "en",
    published: Iterable[object] = (),
    ranks: Iterable[object] = (),
) -> tuple[str, str]:
    """The header of a column of ranks of one methodology-year and a sentence on what they
    are: ``("Rank of 100 (published)", …)`` or ``("Rank among 17 here (computed)", …)``.

    ``published`` and ``ranks``: the programme's published rank of each row (None where it
    published none) and the row's rank; where the programme published ranks for some cities
    only, the ranks are computed for all of them and the sentence says how many were
    published and how many of those differ (never "published no ranks")."""
    from .i18n import translate

    def tr(text: str, **kw: object) -> str:
        return translate(text, lang).format(**kw)

    kinds = {s for s in sources if isinstance(s, str)}
    sizes = {n for n in (_number(o) for o in ofs) if n is not None}
    n = max(sizes) if sizes else None
    if "published" in kinds:
        head = tr("Rank of {n} (published)", n=n) if n else tr("Rank (published)")
        note = tr(
            "The programme's own ranks in its published ranking; a city it published no rank "
            "for has none here (a rank among the few cities with a total here would be of "
            "another population). The table is in the order of the index."
        )
        return head, note
    if "computed" in kinds:
        pairs = [(_number(p), _number(r)) for p, r in zip(published, ranks)]
        known = [(p, r) for p, r in pairs if p is not None]
        if known:
            return tr("Rank among {n} here (computed)", n=n), tr(
                "The programme published ranks for {k} of these {n} cities only: so that one "
                "column holds one population, the ranks here are computed for all {n} from "
                "their totals; for {d} of those {k} the published rank differs (column "
                "“Published rank”).",
                k=len(known),
                n=n,
                d=sum(p != r for p, r in known),
            )
        return tr("Rank among {n} here (computed)", n=n), tr(
            "The programme published no ranks for this year: ranks are computed here among "
            "the {n} cities with a total.",
            n=n,
        )
    return tr("Rank"), tr("No ranks for this year.")
