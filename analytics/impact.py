"""Project impact: did the cities a project worked with improve more than comparable others?

A difference in differences: for each city, the change of its mean index from the years
before it joined the project to the years after its first project year; the estimate is the
mean change of participating cities minus that of comparable non-participating cities (same
countries, assessed in both periods). A bootstrap over cities gives a 95% interval. This is
an association, not proof of an effect: cities chose to take part, and other things changed.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

CAVEAT = (
    "An association, not proof: participating cities were not chosen at random, and "
    "other changes in the same years can explain the difference."
)


def city_changes(con: duckdb.DuckDBPyConnection, project: str, programme: str) -> pd.DataFrame:
    """Each city's mean index before and after (relative to the project's start for it).

    Participants use their own first project year; other cities of the same countries use
    the participants' earliest first year. The first project year itself counts as neither.
    """
    return con.execute(
        """
        WITH part AS (SELECT city, year_from FROM project_cities WHERE project = ?),
        start AS (SELECT min(year_from) AS y FROM part),
        countries AS (SELECT DISTINCT c.country FROM part JOIN cities c ON c.code = part.city),
        pool AS (
            SELECT i.city, i.year, i.total, i.methodology,
                   part.city IS NOT NULL AS treated,
                   coalesce(part.year_from, (SELECT y FROM start)) AS y0
            FROM indices i JOIN cities c ON c.code = i.city
            LEFT JOIN part ON part.city = i.city
            WHERE i.programme = ? AND i.total IS NOT NULL
              AND c.country IN (SELECT country FROM countries))
        SELECT city, any_value(treated) AS treated,
               avg(total) FILTER (WHERE year < y0) AS before,
               avg(total) FILTER (WHERE year > y0) AS after,
               count(*) FILTER (WHERE year < y0) AS years_before,
               count(*) FILTER (WHERE year > y0) AS years_after,
               count(DISTINCT methodology) > 1 AS spans_break
        FROM pool GROUP BY city
        HAVING count(*) FILTER (WHERE year < y0) > 0 AND count(*) FILTER (WHERE year > y0) > 0
        ORDER BY city""",
        [project, programme],
    ).df()


def difference_in_differences(changes: pd.DataFrame, *, n_boot: int = 2000, seed: int = 0) -> dict:
    """DiD estimate from per-city ``before``/``after``/``treated`` with a bootstrap 95% CI."""
    delta = (changes["after"] - changes["before"]).to_numpy(float)
    treated = changes["treated"].to_numpy(bool)
    t, c = delta[treated], delta[~treated]
    out = {
        "n_treated": int(len(t)),
        "n_control": int(len(c)),
        "caveat": CAVEAT,
        "effect": None,
        "ci_low": None,
        "ci_high": None,
        "mean_change_treated": float(t.mean()) if len(t) else None,
        "mean_change_control": float(c.mean()) if len(c) else None,
    }
    if len(t) < 2 or len(c) < 2:
        out["reason"] = "too few cities with data before and after in one of the groups"
        return out
    rng = np.random.default_rng(seed)
    bt = rng.choice(t, size=(n_boot, len(t))).mean(axis=1)
    bc = rng.choice(c, size=(n_boot, len(c))).mean(axis=1)
    boot = bt - bc
    out.update(
        effect=float(t.mean() - c.mean()),
        ci_low=float(np.percentile(boot, 2.5)),
        ci_high=float(np.percentile(boot, 97.5)),
        n_boot=n_boot,
        seed=seed,
    )
    return out


def project_impact(
    con: duckdb.DuckDBPyConnection,
    project: str,
    programme: str | None = None,
    *,
    n_boot: int = 2000,
    seed: int = 0,
) -> dict:
    """The DiD estimate for a project's cities on ``programme`` (by default the programme with
    the most index rows for those cities)."""
    if programme is None:
        row = con.execute(
            """SELECT i.programme FROM indices i JOIN project_cities p
                             ON p.city = i.city AND p.project = ? WHERE i.total IS NOT NULL
                             GROUP BY i.programme ORDER BY count(*) DESC LIMIT 1""",
            [project],
        ).fetchall()
        if not row:
            return {
                "effect": None,
                "n_treated": 0,
                "n_control": 0,
                "caveat": CAVEAT,
                "reason": "the project has no cities with index data",
            }
        programme = row[0][0]
    changes = city_changes(con, project, programme)
    out = difference_in_differences(changes, n_boot=n_boot, seed=seed)
    out["programme"] = programme
    out["spans_break"] = bool(changes["spans_break"].any()) if not changes.empty else False
    return out
