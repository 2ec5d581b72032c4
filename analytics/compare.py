"""Peers, side-by-side comparison and the gap planner."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from .trends import _band_sql

MAX_COMPARED = 6


def peer_group(con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str) -> list[str]:
    """Cities assessed in the same methodology-year, country and population band."""
    band = _band_sql("c.population")
    return [
        r[0]
        for r in con.execute(
            f"""
        WITH me AS (SELECT c.country, {band} AS band FROM cities c WHERE c.code = ?)
        SELECT i.city FROM indices i JOIN cities c ON c.code = i.city, me
        WHERE i.methodology = ? AND i.year = ? AND i.city <> ? AND i.total IS NOT NULL
          AND c.country = me.country AND {band} = me.band
        ORDER BY i.city""",
            [city, methodology, year, city],
        ).fetchall()
    ]


def nearest_by_profile(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str, k: int = 5
) -> pd.DataFrame:
    """The ``k`` cities whose area profile (share of each area's maximum) is closest
    (Euclidean distance over the areas both have)."""
    df = con.execute(
        """SELECT city, area, share FROM area_results
                        WHERE methodology = ? AND year = ? AND share IS NOT NULL""",
        [methodology, year],
    ).df()
    if df.empty or city not in set(df["city"]):
        return pd.DataFrame(columns=["city", "distance", "areas"])
    wide = df.pivot_table(index="city", columns="area", values="share")
    me = wide.loc[city]
    others = wide.drop(index=city)
    mask = others.notna() & me.notna()
    diff = (others.sub(me, axis=1) ** 2).where(mask)
    out = pd.DataFrame(
        {
            "city": others.index.to_numpy(),
            "distance": np.sqrt(diff.sum(axis=1) / mask.sum(axis=1).clip(lower=1)).to_numpy(),
            "areas": mask.sum(axis=1).to_numpy(),
        }
    )
    out = out[out["areas"] > 0]
    return out.sort_values(["distance", "city"]).head(k).reset_index(drop=True)


def _check_cities(cities: list[str]) -> None:
    if not 1 <= len(cities) <= MAX_COMPARED:
        raise ValueError(f"compare 1 to {MAX_COMPARED} cities, not {len(cities)}")


def area_profiles(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, cities: list[str]
) -> pd.DataFrame:
    """Areas side by side: one row per area and city, with points, maximum and share."""
    _check_cities(cities)
    return con.execute(
        """
        SELECT a.position, a.code AS area, a.name_en, a.name_uk, a.name_ru, c.city,
               r.points, coalesce(r.max_points, a.max_points) AS max_points, r.share,
               r.coverage, coalesce(r.not_applicable, false) AS not_applicable
        FROM areas a CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS city) c
        LEFT JOIN area_results r ON r.methodology = a.methodology AND r.area = a.code
                                AND r.year = ? AND r.city = c.city
        WHERE a.methodology = ? ORDER BY a.position, c.city""",
        [cities, year, methodology],
    ).df()


def indicator_matrix(
    con: duckdb.DuckDBPyConnection,
    methodology: str,
    year: int,
    cities: list[str],
    lang: str = "en",
) -> pd.DataFrame:
    """Who meets what: one row per indicator (area name, code, text in ``lang`` where the
    methodology has it, kind, maximum), one column per city with ``met`` / ``partly`` /
    ``unmet`` / ``not_applicable`` / ``not_assessed`` / missing (None)."""
    _check_cities(cities)
    lang = lang if lang in ("en", "uk", "ru") else "en"
    long = con.execute(
        f"""
        SELECT i.position, coalesce(a.name_{lang}, a.name_en, i.area) AS area, i.code,
               coalesce(i.text_{lang}, i.text_en) AS text, coalesce(i.kind::VARCHAR, '') AS kind,
               i.max_points, c.city,
               CASE WHEN s.status = 'scored' THEN
                        CASE WHEN s.score >= i.max_points - 1e-9 THEN 'met'
                             WHEN s.score > 0 THEN 'partly' ELSE 'unmet' END
                    ELSE s.status::VARCHAR END AS state
        FROM indicators i CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS city) c
        LEFT JOIN areas a ON a.methodology = i.methodology AND a.code = i.area
        LEFT JOIN current_scores s ON s.methodology = i.methodology AND s.item = i.code
                                  AND s.level = 'indicator' AND s.year = ? AND s.city = c.city
        WHERE i.methodology = ?""",
        [cities, year, methodology],
    ).df()
    if long.empty:
        return long
    wide = long.pivot(
        index=["position", "area", "code", "text", "kind", "max_points"],
        columns="city",
        values="state",
    )
    wide = wide.reindex(columns=cities).reset_index().sort_values("position")
    wide.columns.name = None
    return wide.drop(columns="position").reset_index(drop=True)


def joined_matrix(parts: list[pd.DataFrame], cities: list[str]) -> pd.DataFrame:
    """``indicator_matrix`` of ``cities`` from the matrices of each city on its own (``parts``,
    in the order of ``cities``): the same frame, row for row, so that a new combination of
    cities already seen costs a join rather than a query and a pivot. Every part has the
    methodology's indicators in the same order; an empty part (a methodology without
    indicators) is what the whole matrix would be."""
    _check_cities(cities)
    if len(parts) != len(cities):
        raise ValueError(f"{len(parts)} matrices for {len(cities)} cities")
    if parts[0].empty:
        return parts[0]
    first = parts[0]
    base = first.drop(columns=[cities[0]])
    cols = [part[c] for c, part in zip(cities, parts)]
    # one column of states in the whole query: text as soon as any city has a state, and a
    # city without any is then missing in that type (as the pivot of the whole set gives it)
    typed = next((col.dtype for col in cols if col.notna().any()), None)
    if typed is not None:
        cols = [col if col.dtype == typed else col.astype(typed) for col in cols]
    return pd.concat([base, *cols], axis=1)


def _status_now(con, methodology: str, year: int, city: str) -> dict | None:
    row = con.execute(
        """SELECT total, computed_total, computed_from, class_name
                         FROM indices WHERE methodology = ? AND year = ? AND city = ?""",
        [methodology, year, city],
    ).fetchall()
    if not row:
        return None
    total, computed, source, cls = row[0]
    return {"total": computed, "shown_total": total, "computed_from": source, "class": cls}


def gap_plan(
    con: duckdb.DuckDBPyConnection,
    methodology: str,
    year: int,
    city: str,
    target: float | None = None,
    peers: list[str] | None = None,
) -> dict:
    """The fewest unmet indicators whose points lift ``city`` to ``target`` (by default the
    next class threshold), preferring, among sets of that size, indicators most peers meet.

    Each indicator's gain is what meeting it fully adds to the total, given the area
    rescaling (points / assessed maximum × nominal maximum, areas summed to the methodology
    maximum). Returns ``{"current", "target", "gap", "reachable", "plan" (DataFrame), ...}``;
    ``plan`` lists the chosen indicators in order with their gain, the total after each, the
    share of peers that meet it and the cities that already meet it (best-practice pointers).
    """
    now = _status_now(con, methodology, year, city)
    if now is None or now["total"] is None or now["computed_from"] != "indicators":
        return {
            "current": None,
            "target": target,
            "gap": None,
            "reachable": False,
            "plan": pd.DataFrame(),
            "reason": "no indicator-level scores for this city-year",
        }
    current = now["total"]
    if target is None:
        nxt = con.execute(
            """SELECT class_name, min_score FROM class_thresholds
                             WHERE methodology = ? AND min_score > ? + 1e-9
                             ORDER BY min_score LIMIT 1""",
            [methodology, current],
        ).fetchall()
        if not nxt:
            return {
                "current": current,
                "target": None,
                "gap": 0.0,
                "reachable": True,
                "plan": pd.DataFrame(),
                "reason": "already in the best class",
            }
        target_class, target = nxt[0]
    else:
        target_class = None
    gap = target - current
    if peers is None:
        peers = peer_group(con, methodology, year, city)
    cand = con.execute(
        """
        WITH area_den AS (  -- Σ nominal maxima of applicable areas with data
            SELECT sum(max_points) AS d FROM area_results
            WHERE methodology = ? AND year = ? AND city = ? AND NOT not_applicable
              AND share IS NOT NULL),
        area_scale AS (  -- assessed maximum of each area
            SELECT i.area, sum(i.max_points) FILTER (WHERE s.status = 'scored') AS assessed,
                   any_value(r.max_points) AS nominal
            FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                                  AND i.code = s.item
            JOIN area_results r ON r.methodology = s.methodology AND r.year = s.year
                               AND r.city = s.city AND r.area = i.area
            WHERE s.methodology = ? AND s.year = ? AND s.city = ? AND s.level = 'indicator'
            GROUP BY i.area),
        meets AS (
            SELECT s.item, list(s.city ORDER BY s.city) AS cities,
                   count(*) FILTER (WHERE list_contains(?::VARCHAR[], s.city)) AS peers_meeting
            FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                                  AND i.code = s.item
            WHERE s.methodology = ? AND s.year = ? AND s.level = 'indicator'
              AND s.status = 'scored' AND s.score >= i.max_points - 1e-9 AND s.city <> ?
            GROUP BY s.item)
        SELECT i.code, i.area, i.text_en, i.text_uk, i.text_ru, i.max_points, s.score,
               (i.max_points - s.score) * a.nominal / a.assessed
                   * (SELECT max_points FROM methodologies WHERE code = ?)
                   / (SELECT d FROM area_den) AS gain,
               coalesce(m.peers_meeting, 0) AS peers_meeting, coalesce(m.cities, []) AS met_by
        FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                              AND i.code = s.item
        JOIN area_scale a ON a.area = i.area
        LEFT JOIN meets m ON m.item = i.code
        WHERE s.methodology = ? AND s.year = ? AND s.city = ? AND s.level = 'indicator'
          AND s.status = 'scored' AND s.score < i.max_points - 1e-9""",
        [
            methodology,
            year,
            city,
            methodology,
            year,
            city,
            peers,
            methodology,
            year,
            city,
            methodology,
            methodology,
            year,
            city,
        ],
    ).df()
    n_peers = len(peers)
    cand["peer_share"] = cand["peers_meeting"] / n_peers if n_peers else 0.0
    chosen = _choose(cand, gap)
    reachable = chosen is not None
    plan = cand.loc[chosen or []].copy()
    if not plan.empty:
        plan = plan.sort_values(["gain", "peer_share"], ascending=False)
        plan["total_after"] = current + plan["gain"].cumsum()
        peer_set = set(peers)
        plan["met_by"] = [sorted(c, key=lambda x: (x not in peer_set, x)) for c in plan["met_by"]]
    return {
        "current": current,
        "target": target,
        "target_class": target_class,
        "gap": gap,
        "reachable": reachable,
        "peers": peers,
        "plan": plan.reset_index(drop=True),
        "max_gain": float(cand["gain"].sum()) if not cand.empty else 0.0,
        "reason": None if reachable else "even meeting every unmet indicator falls short",
    }


def _choose(cand: pd.DataFrame, gap: float) -> list | None:
    """Index labels of a smallest set of candidates whose gains reach ``gap``; among such sets,
    greedily prefer candidates with a higher peer share. ``None`` if no set reaches it."""
    if gap <= 1e-9:
        return []
    gains = cand["gain"].to_numpy()
    order_gain = np.argsort(-gains, kind="stable")
    csum = np.cumsum(gains[order_gain])
    if len(csum) == 0 or csum[-1] < gap - 1e-9:
        return None
    k = int(np.searchsorted(csum, gap - 1e-9) + 1)  # fewest items: the k largest gains
    prefer = sorted(range(len(cand)), key=lambda i: (-cand["peer_share"].iat[i], -gains[i], i))
    chosen: list[int] = []
    total = 0.0
    for i in prefer:
        if len(chosen) == k:
            break
        rest = [j for j in order_gain if j != i and j not in chosen][: k - len(chosen) - 1]
        if total + gains[i] + gains[rest].sum() >= gap - 1e-9:
            chosen.append(i)
            total += gains[i]
    return [cand.index[i] for i in chosen]


def distance_peers(
    con: duckdb.DuckDBPyConnection,
    city: str,
    programme: str,
    year: int,
    km: float = 50,
    k: int = 5,
    lang: str = "en",
) -> dict[str, pd.DataFrame]:
    """Peers by distance, beside the peer groups above: the cities within ``km`` (geodesic)
    and the ``k`` nearest cities with a result in the programme-year (``analytics.geo``)."""
    from . import geo

    return geo.distance_peers(con, city, programme, year, km, k, lang)
