"""Trends over the years: changes, slopes, group aggregates, methodology breaks, like-for-like.

Methodology breaks are data: every series knows the years at which its programme's
methodology changed (``breaks``), slopes are fitted within one methodology unless asked
otherwise, and ``like_for_like`` compares two years on what both methodologies share.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

#: Population bands (lower bounds, inhabitants) used for grouping and peer groups.
POPULATION_BANDS = [
    (0, "under 50k"),
    (50_000, "50–100k"),
    (100_000, "100–250k"),
    (250_000, "250k–1M"),
    (1_000_000, "1M and more"),
]


def population_band(population: float | None) -> str | None:
    """The band label of a population (``None`` when unknown)."""
    if population is None or (isinstance(population, float) and np.isnan(population)):
        return None
    label = POPULATION_BANDS[0][1]
    for lower, name in POPULATION_BANDS:
        if population >= lower:
            label = name
    return label


def _band_sql(col: str) -> str:
    parts = " ".join(f"WHEN {col} >= {lo} THEN '{name}'" for lo, name in reversed(POPULATION_BANDS))
    return f"CASE {parts} END"


def breaks(con: duckdb.DuckDBPyConnection, programme: str) -> list[dict]:
    """The years at which ``programme`` switched methodology: first year of each later one."""
    rows = con.execute(
        """SELECT code, year_from, lag(code) OVER (ORDER BY year_from)
                          FROM methodologies WHERE programme = ? ORDER BY year_from""",
        [programme],
    ).fetchall()
    return [{"year": y, "methodology": code, "previous": prev} for code, y, prev in rows if prev]


def programme_years(con: duckdb.DuckDBPyConnection, programme: str) -> list[int]:
    """The years in which the programme has results for any city, in order."""
    return [
        int(y)
        for (y,) in con.execute(
            "SELECT DISTINCT year FROM indices WHERE programme = ? ORDER BY year", [programme]
        ).fetchall()
    ]


def city_series(con: duckdb.DuckDBPyConnection, programme: str, city: str) -> pd.DataFrame:
    """A city's index per year with changes, methodology and whether a break precedes it."""
    return con.execute(
        """
        SELECT year, methodology, total, source, coverage, rank, rank_source, ranked_cities,
               class_name, prev_year, change_points, change_rank, across_break
        FROM indices WHERE programme = ? AND city = ? ORDER BY year""",
        [programme, city],
    ).df()


def slopes(
    con: duckdb.DuckDBPyConnection,
    programme: str,
    *,
    within_methodology: bool = True,
    min_years: int = 3,
) -> pd.DataFrame:
    """OLS slope of each city's index (points per year), with the years it rests on.

    With ``within_methodology`` (default) a slope is fitted per methodology, since totals of
    different methodologies are not comparable; otherwise over all years, flagged.
    """
    part = "city, methodology" if within_methodology else "city"
    return con.execute(
        f"""
        SELECT {part}, regr_slope(total, year) AS slope, regr_r2(total, year) AS r2,
               count(total) AS years, min(year) AS first_year, max(year) AS last_year,
               count(DISTINCT methodology) > 1 AS spans_break
        FROM indices WHERE programme = ? AND total IS NOT NULL
        GROUP BY {part} HAVING count(total) >= ? ORDER BY slope DESC""",
        [programme, min_years],
    ).df()


def aggregate(con: duckdb.DuckDBPyConnection, programme: str, by: str = "country") -> pd.DataFrame:
    """Mean, median and class shares of the index per year and group.

    ``by`` is ``country``, ``region``, ``population_band`` or ``all``.
    """
    group = _group_sql(by)
    df = con.execute(
        f"""
        SELECT i.year, {group} AS grp, i.methodology,
               count(*) AS cities, count(i.total) AS with_total,
               avg(i.total) AS mean, median(i.total) AS median,
               min(i.total) AS min, max(i.total) AS max,
               bool_or(i.across_break) AS after_break
        FROM indices i JOIN cities c ON c.code = i.city
        WHERE i.programme = ? GROUP BY ALL ORDER BY grp, i.year""",
        [programme],
    ).df()
    shares = con.execute(
        f"""
        SELECT year, grp, class_name, n / sum(n) OVER (PARTITION BY year, grp) AS share
        FROM (SELECT i.year, {group} AS grp, i.class_name, count(*) AS n
              FROM indices i JOIN cities c ON c.code = i.city
              WHERE i.programme = ? AND i.class_name IS NOT NULL GROUP BY ALL)""",
        [programme],
    ).df()
    if not shares.empty:
        wide = shares.pivot_table(index=["year", "grp"], columns="class_name", values="share")
        # 0 only where the class exists that year: TI's 2017 letter bands are no class of the
        # 2018 methodology, so their share in 2018 is missing, not 0 %
        valid = _classes_by_year(con, programme)
        years = wide.index.get_level_values("year")
        for c in wide.columns:
            exists = years.map(lambda y, c=c: c in valid.get(y, set()))
            wide.loc[exists & wide[c].isna(), c] = 0.0
        wide.columns = [f"share {c}" for c in wide.columns]
        df = df.merge(wide.reset_index(), on=["year", "grp"], how="left")
    return df.rename(columns={"grp": by})


def _classes_by_year(con: duckdb.DuckDBPyConnection, programme: str) -> dict[int, set[str]]:
    """The classes each year of a programme shows: its methodology's (Moldova's 16 grades,
    even those no city got that year), unless the classes it published are others (TI's
    2017 letter bands, no class of the methodology's thresholds): then those."""
    rows = con.execute(
        """SELECT DISTINCT i.year, t.class_name, 'scale' FROM indices i
           JOIN class_thresholds t ON t.methodology = i.methodology WHERE i.programme = ?
           UNION SELECT DISTINCT year, class_name, 'shown' FROM indices
           WHERE programme = ? AND class_name IS NOT NULL""",
        [programme, programme],
    ).fetchall()
    scale: dict[int, set[str]] = {}
    shown: dict[int, set[str]] = {}
    for year, name, kind in rows:
        (scale if kind == "scale" else shown).setdefault(int(year), set()).add(name)
    out = {}
    for year in scale.keys() | shown.keys():
        own, seen = scale.get(year, set()), shown.get(year, set())
        out[year] = own | seen if seen <= own else seen
    return out


PANELS = ("balanced", "all")


def panel_means(
    con: duckdb.DuckDBPyConnection,
    programme: str,
    by: str = "all",
    *,
    panel: str = "balanced",
    years: tuple[int, ...] = (),
) -> pd.DataFrame:
    """The average index per year and group, over the same cities.

    ``panel="balanced"`` (the default): within each methodology's stretch of the years shown
    (``years``, default all; only years in which some city has a total), the cities of the
    group with a total in *every* one of those years — a balanced panel, so a change in the
    average is a change of those cities, not of which cities happened to be assessed. Totals
    of different methodologies are not comparable, so each methodology has its own panel.
    ``panel="all"``: every city with a total that year (the sample changes from year to year).

    Columns: ``year``, the group (named ``by``), ``methodology``, ``mean``, ``median``, ``n``
    (cities averaged), ``panel``.
    """
    if panel not in PANELS:
        raise ValueError(f"unknown panel {panel!r}")
    group = _group_sql(by)
    df = con.execute(
        f"""
        SELECT i.year, {group} AS grp, i.methodology, i.city, i.total
        FROM indices i JOIN cities c ON c.code = i.city
        WHERE i.programme = ? AND i.total IS NOT NULL
          AND (len(?::INTEGER[]) = 0 OR list_contains(?::INTEGER[], i.year))""",
        [programme, list(years), list(years)],
    ).df()
    cols = ["year", by, "methodology", "mean", "median", "n", "panel"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    if panel == "balanced":
        period = df.groupby("methodology")["year"].agg(lambda y: frozenset(y))
        have = df.groupby(["methodology", "grp", "city"])["year"].agg(lambda y: frozenset(y))
        full = [k for k, ys in have.items() if ys == period[k[0]]]
        keep = pd.MultiIndex.from_tuples(full, names=["methodology", "grp", "city"])
        df = df.set_index(["methodology", "grp", "city"]).loc[lambda d: d.index.isin(keep)]
        df = df.reset_index()
    out = (
        df.groupby(["year", "grp", "methodology"])["total"]
        .agg(mean="mean", median="median", n="count")
        .reset_index()
        .assign(panel=panel)
        .rename(columns={"grp": by})
        .sort_values([by, "year"])
        .reset_index(drop=True)
    )
    return out[cols]


def panel_sizes(means: pd.DataFrame) -> list[dict]:
    """How many cities each stretch of ``panel_means`` averages, summed over the groups:
    one entry per methodology for a balanced panel (``first``, ``last`` year, ``n``), one per
    year for the all-available average (``first == last``)."""
    if means.empty:
        return []
    per_year = means.groupby(["methodology", "year"])["n"].sum().reset_index()
    balanced = (means["panel"] == "balanced").all()
    out = []
    if balanced:
        for meth, part in per_year.groupby("methodology", sort=False):
            out.append(
                {
                    "methodology": meth,
                    "first": int(part["year"].min()),
                    "last": int(part["year"].max()),
                    "n": int(part["n"].max()),
                }
            )
    else:
        for r in per_year.itertuples():
            out.append(
                {
                    "methodology": r.methodology,
                    "first": int(r.year),
                    "last": int(r.year),
                    "n": int(r.n),
                }
            )
    return sorted(out, key=lambda d: d["first"])


def _group_sql(by: str) -> str:
    group = {
        "country": "i.country",
        "region": "i.region",
        "population_band": _band_sql("c.population"),
        "all": "'all'",
    }.get(by)
    if group is None:
        raise ValueError(f"cannot group by {by!r}")
    return group


def distribution(con: duckdb.DuckDBPyConnection, programme: str) -> pd.DataFrame:
    """Every city's total per year (for distribution charts)."""
    return con.execute(
        """SELECT year, city, total, methodology FROM indices
                          WHERE programme = ? AND total IS NOT NULL ORDER BY year, total""",
        [programme],
    ).df()


def year_on_year(con: duckdb.DuckDBPyConnection, programme: str, year: int) -> pd.DataFrame:
    """Each city's change in points and rank against its previous assessed year."""
    return con.execute(
        """
        SELECT city, total, prev_year, prev_total, change_points, rank, prev_rank, change_rank,
               across_break
        FROM indices WHERE programme = ? AND year = ? AND prev_total IS NOT NULL
        ORDER BY change_points DESC""",
        [programme, year],
    ).df()


def comparable_pair(con: duckdb.DuckDBPyConnection, programme: str) -> tuple[int, int]:
    """The two years a like-for-like comparison starts from: the first and last year with
    totals of the latest methodology that has two such years (one methodology: the totals
    compare as they are); else the programme's first and last year."""
    rows = con.execute(
        """SELECT methodology, min(year), max(year) FROM indices
           WHERE programme = ? AND total IS NOT NULL GROUP BY methodology
           HAVING count(DISTINCT year) >= 2 ORDER BY max(year) DESC LIMIT 1""",
        [programme],
    ).fetchall()
    if rows:
        return int(rows[0][1]), int(rows[0][2])
    years = programme_years(con, programme)
    return (years[0], years[-1]) if years else (0, 0)


def like_for_like(
    con: duckdb.DuckDBPyConnection, programme: str, year_a: int, year_b: int
) -> pd.DataFrame:
    """Index of each city in two years computed only on what both years' methodologies share.

    Indicators are shared when they carry the same code in both methodologies; without
    indicator-level data, areas linked across the break (``area_links``) or of the same code
    are used. Each city's like-for-like index is its points on the shared items as a share
    (0–100) of their maxima, applicable in both years.
    """
    meth = dict(
        con.execute(
            """SELECT year, methodology FROM (SELECT DISTINCT year, methodology
                               FROM indices WHERE programme = ? AND year IN (?, ?))""",
            [programme, year_a, year_b],
        ).fetchall()
    )
    if year_a not in meth or year_b not in meth:
        raise ValueError(f"{programme} has no data for {year_a} or {year_b}")
    ma, mb = meth[year_a], meth[year_b]
    if ma == mb:
        return _same_methodology(con, programme, year_a, year_b)
    ind = con.execute(
        """
        WITH shared AS (
            SELECT a.code FROM indicators a JOIN indicators b USING (code)
            WHERE a.methodology = ? AND b.methodology = ?),
        s AS (
            SELECT s.city, s.year, s.item, s.score, s.status, i.max_points
            FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                                  AND i.code = s.item
            WHERE s.level = 'indicator' AND ((s.year = ? AND s.methodology = ?)
                                             OR (s.year = ? AND s.methodology = ?))
              AND s.item IN (SELECT code FROM shared)),
        both_years AS (  -- items scored (applicable and assessed) in both years
            SELECT city, item FROM s WHERE status = 'scored'
            GROUP BY city, item HAVING count(DISTINCT year) = 2)
        SELECT s.city, s.year, 100 * sum(s.score) / sum(s.max_points) AS total,
               count(*) AS items
        FROM s JOIN both_years USING (city, item)
        GROUP BY s.city, s.year""",
        [ma, mb, year_a, ma, year_b, mb],
    ).df()
    basis = "indicators"
    if ind.empty:
        basis = "areas"
        ind = con.execute(
            """
            WITH pairs AS (
                SELECT from_area AS area_a, to_area AS area_b FROM area_links
                WHERE from_methodology = ? AND to_methodology = ?
                UNION SELECT a.code, b.code FROM areas a JOIN areas b USING (code)
                WHERE a.methodology = ? AND b.methodology = ? AND ? = ?),
            r AS (
                SELECT r.city, r.year, r.area, r.points, r.max_points FROM area_results r
                WHERE (r.year = ? AND r.methodology = ?) OR (r.year = ? AND r.methodology = ?)),
            joined AS (
                SELECT ra.city, ra.points AS pa, ra.max_points AS xa,
                       rb.points AS pb, rb.max_points AS xb
                FROM pairs p JOIN r ra ON ra.area = p.area_a AND ra.year = ?
                JOIN r rb ON rb.area = p.area_b AND rb.year = ? AND rb.city = ra.city
                WHERE ra.points IS NOT NULL AND rb.points IS NOT NULL)
            SELECT city, ? AS year, 100 * sum(pa) / sum(xa) AS total, count(*) AS items
            FROM joined GROUP BY city
            UNION ALL
            SELECT city, ?, 100 * sum(pb) / sum(xb), count(*) FROM joined GROUP BY city""",
            [ma, mb, ma, mb, ma, mb, year_a, ma, year_b, mb, year_a, year_b, year_a, year_b],
        ).df()
    if ind.empty:
        return pd.DataFrame(columns=["city", "total_a", "total_b", "change", "items", "basis"])
    wide = ind.pivot_table(index="city", columns="year", values="total")
    items = ind.groupby("city")["items"].max()
    out = pd.DataFrame(
        {"city": wide.index, "total_a": wide.get(year_a), "total_b": wide.get(year_b)}
    )
    out["change"] = out["total_b"] - out["total_a"]
    out["items"] = items.reindex(out["city"]).to_numpy()
    out["basis"] = basis
    return out.dropna(subset=["total_a", "total_b"]).reset_index(drop=True)


def _same_methodology(
    con: duckdb.DuckDBPyConnection, programme: str, year_a: int, year_b: int
) -> pd.DataFrame:
    """Two years of one methodology measure the same things: their totals compare as they
    are, for the cities with a total in both."""
    return con.execute(
        """
        SELECT a.city, a.total AS total_a, b.total AS total_b, b.total - a.total AS change,
               NULL::INTEGER AS items, 'totals' AS basis
        FROM indices a JOIN indices b ON b.city = a.city AND b.programme = a.programme
                                     AND b.methodology = a.methodology
        WHERE a.programme = ? AND a.year = ? AND b.year = ?
          AND a.total IS NOT NULL AND b.total IS NOT NULL
        ORDER BY a.city""",
        [programme, year_a, year_b],
    ).df()
