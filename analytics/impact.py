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


def _why(con: duckdb.DuckDBPyConnection, project: str, programme: str | None) -> dict:
    """Why no estimate can be made for ``project``: a ``why`` code with the facts behind it
    (years, counts, names), so the page can say it in words."""
    places = con.execute(
        "SELECT count(*), count(city), list(name_en ORDER BY position) FILTER (WHERE city IS NULL) "
        "FROM project_places WHERE project = ?",
        [project],
    ).fetchall()[0]
    part = con.execute(
        "SELECT count(*), min(year_from) FROM project_cities WHERE project = ?", [project]
    ).fetchall()[0]
    if part[0] == 0:
        if places[0] == 0:
            return {"why": "no_places"}
        if places[1] == 0:
            return {"why": "no_city_here", "places": places[0], "names": places[2]}
        return {"why": "no_dates", "cities": places[1]}
    if programme is None:
        return {"why": "no_results", "cities": part[0]}
    y0 = int(part[1])
    years = [
        int(r[0])
        for r in con.execute(
            """SELECT DISTINCT i.year FROM indices i JOIN project_cities pc ON pc.city = i.city
               WHERE pc.project = ? AND i.programme = ? AND i.total IS NOT NULL ORDER BY 1""",
            [project, programme],
        ).fetchall()
    ]
    facts = {"start": y0, "years": years, "cities": part[0]}
    if not any(y < y0 for y in years):
        return {"why": "no_year_before", **facts}
    if not any(y > y0 for y in years):
        return {"why": "no_year_after", **facts}
    return {"why": "too_few", **facts}


def _programmes_for(con: duckdb.DuckDBPyConnection, project: str) -> list[str]:
    """Programmes with index data for a project's cities, the most data first. A real project
    is only measured on real programmes, the synthetic demo project only on synthetic ones."""
    return [
        r[0]
        for r in con.execute(
            """SELECT i.programme FROM indices i JOIN project_cities p
               ON p.city = i.city AND p.project = ? JOIN programmes g ON g.code = i.programme
               JOIN projects pr ON pr.code = p.project
               WHERE i.total IS NOT NULL AND g.synthetic = pr.synthetic
               GROUP BY i.programme ORDER BY count(*) DESC, 1""",
            [project],
        ).fetchall()
    ]


def project_impact(
    con: duckdb.DuckDBPyConnection,
    project: str,
    programme: str | None = None,
    *,
    n_boot: int = 2000,
    seed: int = 0,
) -> dict:
    """The DiD estimate for a project's cities on ``programme`` (by default the first of the
    programmes with data for those cities, most data first, where the years allow one).

    Without an estimate, ``reason`` says why in one sentence and ``why`` (a code) with its
    facts (``start``, ``years``, ``cities``, ``names``) lets a page say it in words."""
    candidates = [programme] if programme else _programmes_for(con, project)
    if not candidates:
        return {
            "effect": None,
            "n_treated": 0,
            "n_control": 0,
            "caveat": CAVEAT,
            "reason": "the project has no cities with index data",
            **_why(con, project, None),
        }
    first = None
    for prog in candidates:
        changes = city_changes(con, project, prog)
        out = difference_in_differences(changes, n_boot=n_boot, seed=seed)
        out["programme"] = prog
        out["spans_break"] = bool(changes["spans_break"].any()) if not changes.empty else False
        if out["effect"] is not None:
            return out
        first = first or out
    assert first is not None
    first.setdefault("reason", "too few cities with data before and after in one of the groups")
    first.update(_why(con, project, first["programme"]))
    return first
