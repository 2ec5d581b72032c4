"""How solid is a rank? Monte Carlo over area weights and aggregation; statistical coherence.

A city's rank depends on choices the methodology made: how much each area weighs and that area
scores are added up. ``monte_carlo`` redraws the weights around the nominal ones (Dirichlet
with the nominal weights as its mean; ``concentration`` sets how far they stray, ``None`` keeps
them fixed) and switches between arithmetic and geometric aggregation, and reports each city's
median rank and its 5th–95th percentile rank interval, as JRC's COINr does offline.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

GEOMETRIC_FLOOR = 0.01  # an area share of 0 would zero a geometric mean: floor it at 1%


def area_matrix(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int
) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Cities with a share for every area, the areas, the shares (cities × areas, 0–1) and the
    nominal weights (area maxima, summing to 1)."""
    df = con.execute(
        """SELECT city, area, share, max_points FROM area_results
                        WHERE methodology = ? AND year = ? AND NOT not_applicable""",
        [methodology, year],
    ).df()
    if df.empty:
        return [], [], np.zeros((0, 0)), np.zeros(0)
    wide = df.pivot_table(index="city", columns="area", values="share").dropna()
    maxima = df.groupby("area")["max_points"].first().reindex(wide.columns).to_numpy(float)
    return list(wide.index), list(wide.columns), wide.to_numpy(float), maxima / maxima.sum()


def competition_ranks(totals: np.ndarray) -> np.ndarray:
    """Competition ranks ("1, 2, 2, 4") of each column of ``totals`` (higher is better)."""
    totals = np.round(np.atleast_2d(totals.T).T, 9)
    out = np.empty(totals.shape, dtype=np.int64)
    for j in range(totals.shape[1]):
        desc = -np.sort(-totals[:, j])
        out[:, j] = np.searchsorted(-desc, -totals[:, j], side="left") + 1
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Spearman correlation between vector ``a`` and each column of ``b`` (given as ranks)."""
    a = a - a.mean()
    b = b - b.mean(axis=0)
    den = np.sqrt((a**2).sum() * (b**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (a[:, None] * b).sum(axis=0) / den, 1.0)


def monte_carlo(
    shares: np.ndarray,
    weights: np.ndarray,
    *,
    n: int = 1000,
    seed: int = 0,
    concentration: float | None = 50.0,
    aggregations: tuple[str, ...] = ("arithmetic", "geometric"),
) -> dict:
    """Rank intervals under random weights and aggregations.

    ``shares`` is cities × areas (0–1), ``weights`` the nominal area weights. Each draw takes
    weights from Dirichlet(``concentration`` × weights) (fixed weights when ``concentration``
    is ``None``) and one of ``aggregations`` (in turn). Returns the nominal ranks, the median,
    5th and 95th percentile rank of each city, and the Spearman correlation of each draw's
    ranking with the nominal one.
    """
    rng = np.random.default_rng(seed)
    n_areas = shares.shape[1]
    w = weights / weights.sum()
    nominal = competition_ranks(shares @ w)[:, 0]
    if concentration is None:
        draws = np.tile(w, (n, 1))
    else:
        draws = rng.dirichlet(concentration * w * n_areas / 1.0, size=n)
    aggs = np.array([aggregations[i % len(aggregations)] for i in range(n)])
    totals = np.empty((shares.shape[0], n))
    arith = aggs == "arithmetic"
    if arith.any():
        totals[:, arith] = shares @ draws[arith].T
    if (~arith).any():
        logs = np.log(np.maximum(shares, GEOMETRIC_FLOOR))
        totals[:, ~arith] = np.exp(logs @ draws[~arith].T)
    ranks = competition_ranks(totals)
    rho = _spearman(nominal.astype(float), ranks.astype(float))
    return {
        "nominal_rank": nominal,
        "median_rank": np.median(ranks, axis=1),
        "p05_rank": np.percentile(ranks, 5, axis=1),
        "p95_rank": np.percentile(ranks, 95, axis=1),
        "spearman_median": float(np.median(rho)),
        "spearman_p05": float(np.percentile(rho, 5)),
        "draws": n,
    }


def rank_intervals(
    con: duckdb.DuckDBPyConnection,
    methodology: str,
    year: int,
    *,
    n: int = 1000,
    seed: int = 0,
    concentration: float | None = 50.0,
    aggregations: tuple[str, ...] = ("arithmetic", "geometric"),
) -> pd.DataFrame:
    """``monte_carlo`` for one methodology-year from the database: one row per city."""
    cities, _areas, shares, weights = area_matrix(con, methodology, year)
    if not cities:
        return pd.DataFrame(columns=["city", "nominal_rank", "median_rank", "p05_rank", "p95_rank"])
    mc = monte_carlo(
        shares, weights, n=n, seed=seed, concentration=concentration, aggregations=aggregations
    )
    out = pd.DataFrame(
        {
            "city": cities,
            **{k: mc[k] for k in ("nominal_rank", "median_rank", "p05_rank", "p95_rank")},
        }
    )
    out.attrs.update(
        spearman_median=mc["spearman_median"],
        spearman_p05=mc["spearman_p05"],
        draws=n,
        seed=seed,
        concentration=concentration,
    )
    return out.sort_values(["nominal_rank", "city"]).reset_index(drop=True)


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of an observations × items matrix (NaN with fewer than 2 items)."""
    k = items.shape[1]
    if k < 2 or items.shape[0] < 2:
        return float("nan")
    total_var = items.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total_var))


def coherence(con: duckdb.DuckDBPyConnection, methodology: str, year: int) -> pd.DataFrame:
    """Per area: Pearson correlation of the area's share with the total across cities, and
    Cronbach's alpha of its indicators (scores as shares of their maxima, cities with every
    indicator of the area scored)."""
    corr = con.execute(
        """
        SELECT r.area, corr(r.share, i.computed_total) AS corr_with_total, count(*) AS cities
        FROM area_results r JOIN indices i ON i.methodology = r.methodology AND i.year = r.year
                                           AND i.city = r.city
        WHERE r.methodology = ? AND r.year = ? AND r.share IS NOT NULL GROUP BY r.area""",
        [methodology, year],
    ).df()
    scores = con.execute(
        """
        SELECT i.area, s.city, s.item, s.score / i.max_points AS x
        FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                              AND i.code = s.item
        WHERE s.methodology = ? AND s.year = ? AND s.level = 'indicator'
          AND s.status = 'scored'""",
        [methodology, year],
    ).df()
    alphas = {}
    for area, grp in scores.groupby("area"):
        m = grp.pivot_table(index="city", columns="item", values="x").dropna()
        alphas[area] = cronbach_alpha(m.to_numpy(float))
    corr["cronbach_alpha"] = corr["area"].map(alphas)
    return corr.sort_values("area").reset_index(drop=True)


def rank_ranges(
    matrices: dict[tuple[str, str], np.ndarray],
    mask: np.ndarray,
    weights: np.ndarray,
    *,
    n: int = 1000,
    seed: int = 0,
    spread: float = 0.5,
    log_keys: set | frozenset = frozenset(),
) -> dict[str, np.ndarray]:
    """Median rank and 5th–95th percentile rank of each city over ``n`` draws, within stated
    bounds: each area weight is drawn uniformly between (1 − ``spread``) and (1 + ``spread``)
    times its official weight, and each draw uses one of ``matrices`` (cities × areas, one per
    method choice, in turn); a key in ``log_keys`` holds logarithms (a geometric mean: the
    weighted mean is exponentiated). Areas outside ``mask`` drop out of a city's weights, as in
    the programme's rescaling."""
    rng = np.random.default_rng(seed)
    keys = list(matrices)
    draws = weights[None, :] * rng.uniform(1 - spread, 1 + spread, size=(n, len(weights)))
    den = mask.astype(float) @ draws.T  # cities × draws
    den = np.where(den > 0, den, np.nan)
    totals = np.empty((mask.shape[0], n))
    which = np.arange(n) % len(keys)
    for j, key in enumerate(keys):
        cols = which == j
        if not cols.any():
            continue
        mean = (matrices[key] @ draws[cols].T) / den[:, cols]
        totals[:, cols] = np.exp(mean) if key in log_keys else mean
    # a geometric and an arithmetic draw are compared only through ranks, never totals
    ranks = competition_ranks(np.nan_to_num(totals, nan=-np.inf))
    return {
        "median_rank": np.median(ranks, axis=1),
        "p05_rank": np.percentile(ranks, 5, axis=1),
        "p95_rank": np.percentile(ranks, 95, axis=1),
    }
