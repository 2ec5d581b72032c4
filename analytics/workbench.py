"""The index workbench: weights and method choices a user makes, why a rank moved, and what it
would take — all computed here, never shown as the official index.

The rules (each sentence is also said on the methodology page, see ``METHOD_NOTES``):

* **Weights.** One weight per area; the official weights are the methodology's area maxima.
  A city's index under weights ``w`` is ``Σ w·share / Σ w × methodology maximum`` over the
  areas that apply and hold data (the programme's own rescaling), so the official weights
  give back the official computed total exactly.
* **Aggregation.** ``programme``: the weighted arithmetic mean above (the programme's rule).
  ``geometric``: the weighted geometric mean of the area shares, ``exp(Σ w·ln share / Σ w)``;
  an area share of 0 is raised to ``GEOMETRIC_FLOOR`` (1 % of the area's maximum) first, so a
  single empty area pulls the index down hard instead of wiping out every other area.
* **Normalisation.** ``published``: shares of each area's maximum as published. ``minmax``:
  each area rescaled to 0–1 across the cities of the year (an area where all cities score the
  same is set to 0.5 for all: it cannot separate them). ``zscore``: each area as standard
  deviations from the cities' mean (the index is then in standard deviations, not points);
  the geometric mean is not defined for z-scores and is not offered with them.
* **Missing.** ``programme``: as the programme counts them (an item not assessed drops out
  and its area, or the index, is rescaled over what was assessed, city by city).
  ``excluded``: an indicator (or, for area-level data, an area) not assessed for some city of
  the year is left out for every city, and its weight re-spread over the rest, so all cities
  are scored on the same items.
* **Published totals.** Where a published total differs from the one computed from the
  city's area scores (rounding, corrections), the difference is kept under any weights of the
  programme's rule (added to the index, kept within 0 and the maximum), so the official
  weights give back the official figure exactly; the other aggregations and normalisations
  use the area scores alone.
* **Ranks.** Competition ranks ("1, 2, 2, 4") of the index rounded half up to 0.01 (z-scores:
  0.0001)
  among the cities of the programme-year that have area scores and an official computed total.

Reweighting is a matrix product over per-area matrices built once per programme-year
(``frame``; the pages cache it per database version).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pandas as pd

GEOMETRIC_FLOOR = 0.01
LABEL = "your weights — not the official index"
AGGREGATIONS = ("programme", "geometric")
NORMALISATIONS = ("published", "minmax", "zscore")
MISSING = ("programme", "excluded")
OFFICIAL_CHOICES = {
    "aggregation": "programme",
    "normalisation": "published",
    "missing": "programme",
}
MIN_CITIES = 3
MIN_SHARE = 0.8  # of the cities with an official total: fewer would rank a different population

METHOD_NOTES = {
    "aggregation": {
        "programme": "The programme's rule: area scores are added up with the area maxima as "
        "weights, rescaled over the areas that apply; where a published total differs from its "
        "area scores, the difference is kept.",
        "geometric": "Geometric mean: a weak area cannot be fully made up by a strong one; an "
        "area score of 0 counts as 1% of the area's maximum, so it pulls the index down hard "
        "instead of making it zero.",
    },
    "normalisation": {
        "published": "As published: each area as a share of its maximum.",
        "minmax": "Min–max: each area rescaled from the lowest to the highest city of the year "
        "(0 to 1); an area where all cities score the same counts as 0.5 for all.",
        "zscore": "Z-score: each area in standard deviations from the cities' mean; the index "
        "is then in standard deviations, not points, and only the arithmetic mean applies.",
    },
    "missing": {
        "programme": "As the programme counts them: an item not assessed drops out and the "
        "rest is rescaled, city by city.",
        "excluded": "Excluded: an item not assessed for any city of the year is left out for "
        "all cities and its weight spread over the rest, so all are scored on the same items.",
    },
}


# ------------------------------------------------------------------------------ the frame


@dataclass(frozen=True)
class Frame:
    """Per-area matrices of one methodology-year, built once (see ``frame``).

    ``shares``/``mask`` are cities × areas: the share of each area's maximum (0 where no
    data) and whether the area applies and holds data, as the programme counts; the
    ``*_common`` pair is the same with items missing for any city left out for all.
    """

    methodology: str
    year: int
    max_points: float
    cities: tuple[str, ...]
    areas: tuple[str, ...]
    maxima: np.ndarray
    shares: np.ndarray
    mask: np.ndarray
    shares_common: np.ndarray
    mask_common: np.ndarray
    official_total: np.ndarray
    level: str | None
    reason: str | None = None
    excluded_cities: tuple[str, ...] = ()
    classes: tuple[tuple[str, float], ...] = field(default=())
    offset: np.ndarray | None = None  # official total − total computed at official weights

    @property
    def ok(self) -> bool:
        return self.reason is None

    def official_weights(self) -> dict[str, float]:
        return {a: float(w) for a, w in zip(self.areas, self.maxima)}


def _empty(methodology: str, year: int, max_points: float, reason: str, level=None) -> Frame:
    z = np.zeros((0, 0))
    return Frame(
        methodology, year, max_points, (), (), np.zeros(0), z, z, z, z, np.zeros(0), level, reason
    )


def _load(con: duckdb.DuckDBPyConnection, methodology: str, year: int) -> dict:
    q = con.execute
    meth = q("SELECT max_points FROM methodologies WHERE code = ?", [methodology]).fetchall()
    areas = q(
        """SELECT a.code, coalesce(a.max_points, (SELECT sum(i.max_points) FROM indicators i
                  WHERE i.methodology = a.methodology AND i.area = a.code)) AS nominal
           FROM areas a WHERE a.methodology = ? ORDER BY a.position""",
        [methodology],
    ).df()
    idx = q(
        """SELECT city, total, computed_total, computed_from FROM indices
           WHERE methodology = ? AND year = ? ORDER BY city""",
        [methodology, year],
    ).df()
    res = q(
        """SELECT city, area, share, not_applicable, source FROM area_results
           WHERE methodology = ? AND year = ?""",
        [methodology, year],
    ).df()
    classes = q(
        """SELECT class_name, min_score FROM class_thresholds WHERE methodology = ?
           AND min_score IS NOT NULL ORDER BY position""",
        [methodology],
    ).fetchall()
    return {
        "max_points": float(meth[0][0]) if meth else 100.0,
        "areas": areas,
        "indices": idx,
        "results": res,
        "classes": tuple((str(c), float(m)) for c, m in classes),
    }


def _indicator_common(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, cities: list[str], areas: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Area shares over the indicators assessed (or not applicable) for every city with an
    official computed total (the frame's cities)."""
    df = con.execute(
        """
        WITH s AS (
            SELECT s.city, s.item, i.area, s.score, s.status, i.max_points
            FROM current_scores s
            JOIN indicators i ON i.methodology = s.methodology AND i.code = s.item
            JOIN indices x ON x.methodology = s.methodology AND x.year = s.year
                          AND x.city = s.city AND x.computed_total IS NOT NULL
            WHERE s.methodology = ? AND s.year = ? AND s.level = 'indicator'),
        common AS (
            SELECT item FROM s WHERE status <> 'not_assessed' GROUP BY item
            HAVING count(DISTINCT city) = ?)
        SELECT city, area, sum(score) AS pts, sum(max_points) AS mx
        FROM s WHERE status = 'scored' AND item IN (SELECT item FROM common)
        GROUP BY ALL""",
        [methodology, year, len(cities)],
    ).df()
    pts = _place(df, "pts", cities, areas, 0.0)
    mx = _place(df, "mx", cities, areas, 0.0)
    mask = mx > 0
    return np.divide(pts, mx, out=np.zeros_like(pts), where=mask), mask


def _place(
    df: pd.DataFrame, col: str, cities: list[str], areas: list[str], fill: float
) -> np.ndarray:
    """A long (city, area, value) table as a cities × areas matrix (``fill`` where absent)."""
    out = np.full((len(cities), len(areas)), fill)
    if df.empty:
        return out
    row = pd.Index(cities).get_indexer(df["city"])
    cix = pd.Index(areas).get_indexer(df["area"])
    ok = (row >= 0) & (cix >= 0)
    out[row[ok], cix[ok]] = df[col].to_numpy(float)[ok]
    return out


def frame(con: duckdb.DuckDBPyConnection, methodology: str, year: int) -> Frame:
    """The per-area matrices of one methodology-year (cities with area scores and an official
    computed total), or a frame whose ``reason`` says why the workbench cannot run."""
    d = _load(con, methodology, year)
    if d["areas"].empty:
        return _empty(methodology, year, d["max_points"], "needs area scores")
    idx, res = d["indices"], d["results"]
    eligible = idx[idx["computed_total"].notna()]
    excluded = tuple(sorted(set(idx.loc[idx["total"].notna(), "city"]) - set(eligible["city"])))
    with_total = int(idx["total"].notna().sum())
    if len(eligible) < MIN_CITIES or len(eligible) < MIN_SHARE * with_total:
        return _empty(methodology, year, d["max_points"], "needs area scores")
    cities = list(eligible["city"])
    areas = list(d["areas"]["code"])
    res = res[res["city"].isin(cities) & res["area"].isin(areas)]
    present = res[~res["not_applicable"] & res["share"].notna()]
    wide = _place(present, "share", cities, areas, np.nan)
    mask = ~np.isnan(wide)
    shares = np.nan_to_num(wide)
    level = "indicators" if (res["source"] == "indicators").any() else "areas"
    if level == "indicators":
        shares_c, mask_c = _indicator_common(con, methodology, year, cities, areas)
    else:
        # an area not given for some city (other than not applicable) is left out for all
        na = ~np.isnan(_place(res[res["not_applicable"]].assign(one=1.0), "one", cities, areas,
                              np.nan))  # fmt: skip
        keep = (mask | na).all(axis=0)
        mask_c = mask & keep
        shares_c = np.where(mask_c, shares, 0.0)
    fr = Frame(
        methodology=methodology,
        year=year,
        max_points=d["max_points"],
        cities=tuple(cities),
        areas=tuple(areas),
        maxima=d["areas"]["nominal"].to_numpy(float),
        shares=shares,
        mask=mask,
        shares_common=shares_c,
        mask_common=mask_c,
        official_total=eligible["total"].to_numpy(float),
        level=level,
        excluded_cities=excluded,
        classes=d["classes"],
    )
    computed = totals(fr, fr.maxima)
    return replace(fr, offset=np.where(np.isnan(computed), 0.0, fr.official_total - computed))


# ------------------------------------------------------------------------------ reweighting


def weight_vector(fr: Frame, weights: dict[str, float] | None) -> np.ndarray:
    """The weights in the frame's area order; areas not given keep their official weight."""
    if not weights:
        return fr.maxima.copy()
    out = np.array([float(weights.get(a, m)) for a, m in zip(fr.areas, fr.maxima)])
    if (out < 0).any():
        raise ValueError("weights cannot be negative")
    return out


def normalise(shares: np.ndarray, mask: np.ndarray, how: str) -> np.ndarray:
    """Area shares normalised across the cities (``published``, ``minmax`` or ``zscore``);
    cells outside ``mask`` stay 0."""
    if how == "published":
        return shares
    if how not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {how!r}")
    x = np.where(mask, shares, np.nan)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an area no city holds: all-NaN
        if how == "minmax":
            lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
            span = hi - lo
            out = np.where(span > 0, (x - lo) / np.where(span > 0, span, 1), 0.5)
        else:
            mu, sd = np.nanmean(x, axis=0), np.nanstd(x, axis=0)
            out = np.where(sd > 0, (x - mu) / np.where(sd > 0, sd, 1), 0.0)
    return np.where(mask, np.nan_to_num(out), 0.0)


def check_choices(aggregation: str, normalisation: str, missing: str) -> None:
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {normalisation!r}")
    if missing not in MISSING:
        raise ValueError(f"unknown treatment of missing items {missing!r}")
    if aggregation == "geometric" and normalisation == "zscore":
        raise ValueError("the geometric mean is not defined for z-scores")


def totals(
    fr: Frame,
    weights: np.ndarray,
    aggregation: str = "programme",
    normalisation: str = "published",
    missing: str = "programme",
) -> np.ndarray:
    """Every city's index under ``weights`` (frame order) and the method choices; NaN for a
    city none of whose weighted areas holds data."""
    check_choices(aggregation, normalisation, missing)
    shares, mask = (
        (fr.shares, fr.mask) if missing == "programme" else (fr.shares_common, fr.mask_common)
    )
    x = normalise(shares, mask, normalisation)
    den = mask.astype(float) @ weights
    if aggregation == "geometric":
        x = np.where(mask, np.log(np.maximum(x, GEOMETRIC_FLOOR)), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(den > 0, (x @ weights) / np.where(den > 0, den, 1.0), np.nan)
    if aggregation == "geometric":
        mean = np.exp(mean)
    if normalisation == "zscore":
        return mean
    points = mean * fr.max_points
    if aggregation == "programme" and normalisation == "published" and fr.offset is not None:
        # a published total's own difference is kept, within 0 and the maximum
        points = np.clip(points + fr.offset, 0.0, fr.max_points)
    return points


def ranks(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Competition ranks ("1, 2, 2, 4") of ``values`` rounded to ``decimals``, higher first;
    NaN values get no rank (NaN) and do not count."""
    out = np.full(values.shape, np.nan)
    ok = ~np.isnan(values)
    # decimal rounding, half up, as the official ranks (57.675, a binary 57.67499…, → 57.68)
    scale = 10.0**decimals
    key = -np.floor(np.round(values[ok] * scale, 4) + 0.5)
    out[ok] = np.searchsorted(np.sort(key), key, side="left") + 1
    return out


def _decimals(normalisation: str) -> int:
    return 4 if normalisation == "zscore" else 2


def is_official(fr: Frame, weights: np.ndarray, **choices: str) -> bool:
    same = all(choices.get(k, v) == v for k, v in OFFICIAL_CHOICES.items())
    return same and np.allclose(weights, fr.maxima)


def reweight(
    fr: Frame,
    weights: dict[str, float] | None = None,
    aggregation: str = "programme",
    normalisation: str = "published",
    missing: str = "programme",
) -> pd.DataFrame:
    """Official and chosen index and rank of every city of the frame, side by side.

    Columns: city, official_total, official_rank, total, rank, move (places gained under the
    chosen weights: official rank − chosen rank). Both ranks are among the frame's cities.
    """
    w = weight_vector(fr, weights)
    if not (w > 0).any():
        raise ValueError("at least one area needs a weight above zero")
    mine = totals(fr, w, aggregation, normalisation, missing)
    off_rank = ranks(fr.official_total)
    my_rank = ranks(mine, _decimals(normalisation))
    # by chosen rank, then official rank, then city (the frame's cities are in code order);
    # np.lexsort rather than DataFrame.sort_values: a tenth of the time at 100 cities
    order = np.lexsort((np.arange(len(mine)), np.nan_to_num(off_rank, nan=np.inf),
                        np.nan_to_num(my_rank, nan=np.inf)))  # fmt: skip
    return pd.DataFrame(
        {
            "city": np.asarray(fr.cities, dtype=object)[order],
            "official_total": fr.official_total[order],
            "official_rank": off_rank[order],
            "total": mine[order],
            "rank": my_rank[order],
            "move": (off_rank - my_rank)[order],
        }
    )


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n with ties given their average rank (as Spearman's correlation needs)."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    starts = np.r_[0, np.flatnonzero(np.diff(xs)) + 1]
    ends = np.r_[starts[1:], len(xs)]
    avg = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    out = np.empty(len(x))
    out[order] = avg
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ok = ~(np.isnan(a) | np.isnan(b))
    if ok.sum() < 2:
        return float("nan")
    ra, rb = _average_ranks(a[ok]), _average_ranks(b[ok])
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def _summary(cities: np.ndarray, off: np.ndarray, mine: np.ndarray, places: int) -> dict:
    move = off - mine
    big = np.abs(np.nan_to_num(move)) > places
    order = np.argsort(-np.abs(np.nan_to_num(move[big])), kind="stable")  # biggest first
    return {
        "spearman": _spearman(off, mine),
        "median_shift": float(np.nanmedian(np.abs(move))) if len(move) else float("nan"),
        "moved_over": int(big.sum()),
        "moved_cities": tuple(cities[big][order]),
    }


def shift_summary(table: pd.DataFrame, places: int = 5) -> dict:
    """How far a ranking strays from the official one: Spearman correlation, median absolute
    rank shift, and the cities that move more than ``places`` places (either way), biggest
    move first."""
    return _summary(
        table["city"].to_numpy(object),
        table["official_rank"].to_numpy(float),
        table["rank"].to_numpy(float),
        places,
    )


def choice_summaries(fr: Frame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """One line per method choice (the others kept official, the given weights): its
    correlation with the official ranking, median absolute shift and cities moving > 5."""
    w = weight_vector(fr, weights)
    off = ranks(fr.official_total)
    cities = np.asarray(fr.cities, dtype=object)
    rows = []
    for kind, options in (
        ("aggregation", AGGREGATIONS),
        ("normalisation", NORMALISATIONS),
        ("missing", MISSING),
    ):
        for option in options:
            choices = {**OFFICIAL_CHOICES, kind: option}
            mine = ranks(totals(fr, w, **choices), _decimals(choices["normalisation"]))
            rows.append({"choice": kind, "option": option, **_summary(cities, off, mine, 5)})
    return pd.DataFrame(rows)


def class_of(fr_classes: tuple[tuple[str, float], ...], total: float) -> str | None:
    """The best class whose threshold ``total`` reaches."""
    for name, lo in fr_classes:  # best first
        if total >= lo - 1e-9:
            return name
    return None


# ------------------------------------------------------------------------------ rank ranges


def rank_ranges(
    fr: Frame,
    *,
    n: int = 1000,
    seed: int = 0,
    spread: float = 0.5,
    aggregations: tuple[str, ...] = AGGREGATIONS,
    normalisations: tuple[str, ...] = ("published", "minmax"),
) -> pd.DataFrame:
    """Each city's median rank and 90 % interval when every area weight is drawn between
    (1 − ``spread``) and (1 + ``spread``) times its official weight and the aggregation and
    normalisation are drawn from the given options (see ``robustness.rank_ranges``)."""
    from . import robustness

    combos = [
        (a, m) for a in aggregations for m in normalisations if (a, m) != ("geometric", "zscore")
    ]
    mats = {}
    for agg, norm in combos:
        x = normalise(fr.shares, fr.mask, norm)
        if agg == "geometric":
            x = np.where(fr.mask, np.log(np.maximum(x, GEOMETRIC_FLOOR)), 0.0)
        mats[(agg, norm)] = x
    rr = robustness.rank_ranges(
        mats,
        fr.mask,
        fr.maxima,
        n=n,
        seed=seed,
        spread=spread,
        log_keys={k for k in mats if k[0] == "geometric"},
    )
    out = pd.DataFrame({"city": list(fr.cities), "official_rank": ranks(fr.official_total), **rr})
    out.attrs.update(draws=n, seed=seed, spread=spread, combos=combos)
    return out.sort_values(["median_rank", "official_rank", "city"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ why a rank moved


def _year_row(con: duckdb.DuckDBPyConnection, programme: str, city: str, year: int) -> dict | None:
    rows = con.execute(
        """SELECT methodology, total, computed_total, rank, ranked_cities, rank_source
           FROM indices WHERE programme = ? AND city = ? AND year = ?""",
        [programme, city, year],
    ).fetchall()
    if not rows or rows[0][1] is None:
        return None
    m, total, computed, rank, n, src = rows[0]
    return {
        "methodology": m,
        "total": total,
        "computed": computed,
        "rank": rank,
        "n": n,
        "rank_source": src,
    }


def comparable_years(
    con: duckdb.DuckDBPyConnection, programme: str, city: str, year: int
) -> list[int]:
    """The city's earlier years with a total in the programme, latest first."""
    return [
        int(y)
        for (y,) in con.execute(
            """SELECT year FROM indices WHERE programme = ? AND city = ? AND year < ?
               AND total IS NOT NULL ORDER BY year DESC""",
            [programme, city, year],
        ).fetchall()
    ]


def _area_contributions(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str, max_points: float
) -> pd.DataFrame:
    """Each area's points in the city's total: share × nominal / Σ nominal (areas with data)
    × methodology maximum, so the contributions add up to the computed total."""
    df = con.execute(
        """SELECT r.area, a.position, a.name_en, a.name_uk, a.name_ru, r.share, r.max_points
           FROM area_results r JOIN areas a ON a.methodology = r.methodology AND a.code = r.area
           WHERE r.methodology = ? AND r.year = ? AND r.city = ? AND NOT r.not_applicable
             AND r.share IS NOT NULL ORDER BY a.position""",
        [methodology, year, city],
    ).df()
    den = df["max_points"].sum()
    df["points"] = df["share"] * df["max_points"] / den * max_points if den else np.nan
    return df


def _indicator_changes(
    con: duckdb.DuckDBPyConnection, methodology: str, ya: int, yb: int, city: str, max_points: float
) -> pd.DataFrame:
    """Per indicator of the same methodology: its points in the total in both years (score /
    assessed area maximum × area's share of the total), the change and its kind."""
    df = con.execute(
        """
        WITH s AS (
            SELECT s.year, s.item, i.area, i.max_points AS imax, s.score, s.status::VARCHAR AS st
            FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                                  AND i.code = s.item
            WHERE s.methodology = ? AND s.city = ? AND s.level = 'indicator'
              AND s.year IN (?, ?)),
        assessed AS (
            SELECT year, area, sum(imax) FILTER (WHERE st = 'scored') AS amax FROM s GROUP BY ALL),
        den AS (
            SELECT year, sum(max_points) AS d FROM area_results
            WHERE methodology = ? AND city = ? AND year IN (?, ?) AND NOT not_applicable
              AND share IS NOT NULL GROUP BY year),
        nominal AS (
            SELECT DISTINCT area, max_points AS nom FROM area_results
            WHERE methodology = ? AND city = ? AND year IN (?, ?))
        SELECT s.year, s.item, s.area, s.imax, s.score, s.st,
               CASE WHEN s.st = 'scored' THEN s.score / a.amax * n.nom / d.d * ? END AS points
        FROM s JOIN assessed a USING (year, area) JOIN den d USING (year)
        JOIN nominal n USING (area)""",
        [
            methodology,
            city,
            ya,
            yb,
            methodology,
            city,
            ya,
            yb,
            methodology,
            city,
            ya,
            yb,
            max_points,
        ],
    ).df()
    if df.empty or df["year"].nunique() < 2:  # indicator scores in one year only: no split
        return df.iloc[0:0]
    a = df[df["year"] == ya].set_index("item")
    b = df[df["year"] == yb].set_index("item")
    out = pd.DataFrame(index=sorted(set(a.index) | set(b.index)))
    out["area"] = b["area"].combine_first(a["area"])
    out["max_points"] = b["imax"].combine_first(a["imax"])
    out["score_a"], out["score_b"] = a["score"], b["score"]
    out["points_a"], out["points_b"] = a["points"].fillna(0.0), b["points"].fillna(0.0)
    out["points_a"] = out["points_a"].fillna(0.0)
    out["points_b"] = out["points_b"].fillna(0.0)
    out["change"] = out["points_b"] - out["points_a"]
    full_a = out["score_a"] >= out["max_points"] - 1e-9
    full_b = out["score_b"] >= out["max_points"] - 1e-9
    out["kind"] = np.select(
        [full_b & ~full_a, full_a & ~full_b, out["score_a"].ne(out["score_b"])],
        ["newly met", "lost", "partial"],
        "unchanged",
    )
    return out.rename_axis("code").reset_index()


def _counterfactual_rank(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str, total: float
) -> int:
    """The rank ``total`` would have taken among the other cities' totals of ``year``."""
    better = con.execute(
        """SELECT count(*) FROM indices WHERE methodology = ? AND year = ? AND city <> ?
           AND total IS NOT NULL AND round(total, 2) > round(?, 2)""",
        [methodology, year, city, total],
    ).fetchall()[0][0]
    return int(better) + 1


def _linked(con: duckdb.DuckDBPyConnection, ma: str, mb: str) -> dict[str, str]:
    rows = con.execute(
        """SELECT from_area, to_area FROM area_links
           WHERE from_methodology = ? AND to_methodology = ?""",
        [ma, mb],
    ).fetchall()
    return {a: b for a, b in rows}


def _like_for_like(
    con: duckdb.DuckDBPyConnection, ra: dict, rb: dict, ya: int, yb: int, city: str, mx: float
) -> dict | None:
    """Across a break: the linked areas only, each weighted by its later maximum, rescaled over
    the linked areas both years hold; the points of each year add up to its like-for-like
    index."""
    links = _linked(con, ra["methodology"], rb["methodology"])
    if not links:
        return None
    a = _area_contributions(con, ra["methodology"], ya, city, mx).set_index("area")
    b = _area_contributions(con, rb["methodology"], yb, city, mx).set_index("area")
    pairs = [(fa, tb) for fa, tb in links.items() if fa in a.index and tb in b.index]
    if not pairs:
        return None
    wts = np.array([b.at[tb, "max_points"] for _, tb in pairs], float)
    sa = np.array([a.at[fa, "share"] for fa, _ in pairs], float)
    sb = np.array([b.at[tb, "share"] for _, tb in pairs], float)
    pa, pb = sa * wts / wts.sum() * mx, sb * wts / wts.sum() * mx
    areas = b.loc[[tb for _, tb in pairs]].reset_index()
    areas = areas.assign(points_a=pa, points_b=pb, change=pb - pa)
    return {"areas": areas, "total_a": float(pa.sum()), "total_b": float(pb.sum())}


def explain(
    con: duckdb.DuckDBPyConnection,
    programme: str,
    city: str,
    year_b: int,
    year_a: int | None = None,
) -> dict:
    """Why the city's index and rank changed from ``year_a`` (default: its previous year with a
    total) to ``year_b``.

    Returns ``status`` — ``same`` (one methodology: the change in points split by area, and by
    indicator where indicator scores exist, plus the rank split into own and others'), ``linked``
    (across a methodology break, on linked areas only: points, no ranks), ``break`` (cannot
    compare) or ``none`` (no earlier year / no totals). The area points add up exactly to the
    change: a published total that differs from the one computed from areas shows the gap as
    its own step (``residual``); areas held in one year only are one step together; without
    area scores in one of the years ``areas`` is empty (no split). The rank is split when both
    ranks are computed among each year's cities, or both years rank as many cities (else
    ``rank_note``: a published rank of a larger field would mix populations).
    """
    if year_a is None:
        earlier = comparable_years(con, programme, city, year_b)
        year_a = earlier[0] if earlier else None
    rb = _year_row(con, programme, city, year_b)
    ra = _year_row(con, programme, city, year_a) if year_a is not None else None
    base = {"city": city, "year_a": year_a, "year_b": year_b}
    if ra is None or rb is None or year_a is None:
        return {**base, "status": "none"}
    mx = float(
        con.execute(
            "SELECT max_points FROM methodologies WHERE code = ?", [rb["methodology"]]
        ).fetchall()[0][0]
    )
    if ra["methodology"] != rb["methodology"]:
        lfl = _like_for_like(con, ra, rb, year_a, year_b, city, mx)
        if lfl is None:
            return {**base, "status": "break"}
        return {**base, "status": "linked", **lfl, "change": lfl["total_b"] - lfl["total_a"]}
    return {**base, **_same_methodology(con, ra, rb, year_a, year_b, city, mx)}


ONE_YEAR = "_one_year"  # the step of areas assessed in only one of the two years


def _area_split(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Per area, its points in the total in both years and the change; areas held in only one
    of the years (missing is not zero) are one step together (``ONE_YEAR``)."""
    cols = ["area", "position", "name_en", "name_uk", "name_ru", "points_a", "points_b", "change"]
    if a.empty or b.empty:
        return pd.DataFrame(columns=cols)
    both = a.index.intersection(b.index)
    areas = b.loc[both, ["position", "name_en", "name_uk", "name_ru"]].assign(
        points_a=a.loc[both, "points"], points_b=b.loc[both, "points"]
    )
    only_a, only_b = a.index.difference(both), b.index.difference(both)
    if len(only_a) or len(only_b):
        areas.loc[ONE_YEAR] = [
            10_000, None, None, None, a.loc[only_a, "points"].sum(), b.loc[only_b, "points"].sum()
        ]  # fmt: skip
    areas = areas.sort_values("position")
    areas["change"] = areas["points_b"] - areas["points_a"]
    return areas.rename_axis("area").reset_index()[cols]


def _same_methodology(
    con: duckdb.DuckDBPyConnection, ra: dict, rb: dict, ya: int, yb: int, city: str, mx: float
) -> dict:
    m = rb["methodology"]
    a = _area_contributions(con, m, ya, city, mx).set_index("area")
    b = _area_contributions(con, m, yb, city, mx).set_index("area")
    areas = _area_split(a, b)
    change = float(rb["total"] - ra["total"])
    residual = change - float(areas["change"].sum()) if len(areas) else 0.0
    out: dict = {
        "status": "same",
        "total_a": float(ra["total"]),
        "total_b": float(rb["total"]),
        "change": change,
        "areas": areas,
        "residual": residual if abs(residual) > 1e-9 else 0.0,
        "indicators": _indicator_changes(con, m, ya, yb, city, mx),
        "rank_a": ra["rank"],
        "rank_b": rb["rank"],
        "ranked_a": ra["n"],
        "ranked_b": rb["n"],
    }
    if ra["rank"] is None or rb["rank"] is None:
        return out
    # ranks computed among the cities of each year, like the counterfactual, compare; a
    # published rank (of the programme's own field) only where both years rank as many cities
    computed = ra["rank_source"] == rb["rank_source"] == "computed"
    if not computed and ra["n"] != rb["n"]:
        out["rank_note"] = "different fields"
        return out
    cf = _counterfactual_rank(con, m, yb, city, float(ra["total"]))
    out.update(
        rank_if_unchanged=cf,
        others_effect=int(ra["rank"]) - cf,  # places gained (+) or lost (−) by others
        own_effect=cf - int(rb["rank"]),  # places gained by the city's own change
    )
    return out


# ------------------------------------------------------------------------------ what it would take


def candidates(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, city: str
) -> pd.DataFrame:
    """Indicators the city scored below their maximum, with what meeting each fully adds to
    the total (the programme's area rescaling) and the cities that already meet it."""
    from . import compare

    peers = compare.peer_group(con, methodology, year, city)
    df = con.execute(
        """
        WITH me AS (
            SELECT s.item, s.score, i.area, i.max_points, i.text_en, i.text_uk, i.text_ru,
                   i.position
            FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                                  AND i.code = s.item
            WHERE s.methodology = ? AND s.year = ? AND s.city = ? AND s.level = 'indicator'
              AND s.status = 'scored'),
        assessed AS (SELECT area, sum(max_points) AS amax FROM me GROUP BY area),
        den AS (
            SELECT sum(max_points) AS d FROM area_results
            WHERE methodology = ? AND year = ? AND city = ? AND NOT not_applicable
              AND share IS NOT NULL),
        nominal AS (
            SELECT area, max_points AS nom FROM area_results
            WHERE methodology = ? AND year = ? AND city = ?),
        meets AS (
            SELECT s.item, list(s.city ORDER BY s.city) AS cities
            FROM current_scores s JOIN indicators i ON i.methodology = s.methodology
                                                  AND i.code = s.item
            WHERE s.methodology = ? AND s.year = ? AND s.level = 'indicator' AND s.city <> ?
              AND s.status = 'scored' AND s.score >= i.max_points - 1e-9
            GROUP BY s.item)
        SELECT me.item AS code, me.area, me.text_en, me.text_uk, me.text_ru, me.max_points,
               me.score,
               (me.max_points - me.score) / a.amax * n.nom / (SELECT d FROM den)
                   * (SELECT max_points FROM methodologies WHERE code = ?) AS gain,
               coalesce(m.cities, []) AS met_by
        FROM me JOIN assessed a USING (area) JOIN nominal n USING (area)
        LEFT JOIN meets m USING (item)
        WHERE me.score < me.max_points - 1e-9
        ORDER BY me.position""",
        [methodology, year, city] * 4 + [methodology],
    ).df()
    peer_set = set(peers)
    df["met_by"] = [sorted(c, key=lambda x: (x not in peer_set, x)) for c in df["met_by"]]
    df["peers_meeting"] = [sum(c in peer_set for c in cs) for cs in df["met_by"]]
    df.attrs["peers"] = peers
    return df


def what_if(
    con: duckdb.DuckDBPyConnection,
    methodology: str,
    year: int,
    city: str,
    ticked: tuple[str, ...] | list[str],
) -> dict:
    """The city's total, class and rank if it fully met the ``ticked`` indicators (codes among
    ``candidates``; others are ignored), the others' totals kept as they are."""
    rows = con.execute(
        """SELECT computed_total, computed_from, total, rank FROM indices
           WHERE methodology = ? AND year = ? AND city = ?""",
        [methodology, year, city],
    ).fetchall()
    if not rows or rows[0][0] is None or rows[0][1] != "indicators":
        return {"reason": "no indicator-level scores for this city-year"}
    current, _, shown, rank = rows[0]
    cand = candidates(con, methodology, year, city)
    chosen = cand[cand["code"].isin(list(ticked))]
    new_total = float(current + chosen["gain"].sum())
    classes = tuple(
        (str(c), float(m))
        for c, m in con.execute(
            "SELECT class_name, min_score FROM class_thresholds WHERE methodology = ? "
            "AND min_score IS NOT NULL ORDER BY position",
            [methodology],
        ).fetchall()
    )
    return {
        "reason": None,
        "current": float(current),
        "rank": rank,
        "class": class_of(classes, float(current)),
        "new_total": new_total,
        "new_class": class_of(classes, new_total),
        "new_rank": _counterfactual_rank(con, methodology, year, city, new_total),
        "ticked": chosen.reset_index(drop=True),
        "candidates": cand,
    }


# ------------------------------------------------------------------------------ lookups


def methodology_of(con: duckdb.DuckDBPyConnection, programme: str, year: int) -> str | None:
    """The methodology of a programme-year (``None`` when the year has no results)."""
    rows = con.execute(
        "SELECT any_value(methodology) FROM indices WHERE programme = ? AND year = ?",
        [programme, year],
    ).fetchall()
    return rows[0][0] if rows else None


def total_is_sum_of_areas(con: duckdb.DuckDBPyConnection, programme: str, year: int) -> bool:
    """Whether the programme-year's total adds up its area scores (TI Ukraine's rankings), so
    that a change can be split by area; Moldova's criteria I–IX and Georgia's LSG index
    publish totals that are not their sum."""
    rows = con.execute(
        """SELECT bool_and(m.total_from_areas) FROM methodologies m
           WHERE m.code = (SELECT any_value(methodology) FROM indices
                           WHERE programme = ? AND year = ?)""",
        [programme, year],
    ).fetchall()
    return bool(rows and rows[0][0])


def area_names(
    con: duckdb.DuckDBPyConnection, methodology: str, lang: str = "en"
) -> dict[str, str]:
    """Area names of a methodology in ``lang`` (English where no translation)."""
    col = {"uk": "name_uk", "ru": "name_ru"}.get(lang, "name_en")
    return dict(
        con.execute(
            f"SELECT code, coalesce({col}, name_en) FROM areas WHERE methodology = ? "
            "ORDER BY position",
            [methodology],
        ).fetchall()
    )


def parse_weights(values: list[str], areas: tuple[str, ...]) -> dict[str, float]:
    """Weights from the URL (``area:weight`` each); unknown areas and bad numbers are left
    out, negative weights count as 0."""
    out: dict[str, float] = {}
    for v in values:
        area, _, num = v.partition(":")
        try:
            w = float(num)
        except ValueError:
            continue
        if area in areas and np.isfinite(w):
            out[area] = max(w, 0.0)
    return out


def format_weights(fr: Frame, weights: dict[str, float]) -> list[str]:
    """The URL form of the weights that differ from the official ones."""
    return [
        f"{a}:{weights[a]:g}"
        for a, m in zip(fr.areas, fr.maxima)
        if a in weights and not np.isclose(weights[a], m)
    ]


def rank_ranges_for(
    con: duckdb.DuckDBPyConnection, methodology: str, year: int, *, n: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """``rank_ranges`` of one methodology-year from the database (empty when the workbench
    cannot run there)."""
    fr = frame(con, methodology, year)
    if not fr.ok:
        return pd.DataFrame(
            columns=["city", "official_rank", "median_rank", "p05_rank", "p95_rank"]
        )
    return rank_ranges(fr, n=n, seed=seed)
