"""What the presentation slides show: which programme-year has data for a slide, the cities
to label on a map, and one city's story (index, rank change, what it newly met, the peer
that already meets the next one). Plain data; the drawing is in ``pages``."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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


# ------------------------------------------------------------------------------ map labels
#
# The map slide names the top and bottom five cities. Where cities sit close together (Dnipro
# and Svitlovodsk, the cities around Lviv) labels placed at a fixed offset cover each other.
# Here the map's projection is fixed (Mercator fitted to the countries, as Vega's own fit
# would do), so every dot's position on the slide is known in pixels, and each label is put
# at the nearest free place around its dot: never over another label or a named city's dot,
# inside the map, a leader line to its dot where it had to move away.


@dataclass(frozen=True)
class Mercator:
    """A Mercator projection as d3 and Vega draw it: ``x = tx + k·λ``,
    ``y = ty − k·ln tan(π/4 + φ/2)`` (λ, φ in radians), in pixels of the plot."""

    scale: float
    tx: float
    ty: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        return self.tx + self.scale * math.radians(lon), self.ty - self.scale * y

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        lon = math.degrees((x - self.tx) / self.scale)
        lat = math.degrees(2 * math.atan(math.exp((self.ty - y) / self.scale)) - math.pi / 2)
        return lon, lat


def fit_mercator(
    coords: Iterable[tuple[float, float]], width: float, height: float, padding: float = 0
) -> Mercator:
    """The Mercator projection that fits the points ``coords`` (lon, lat) into a plot of
    ``width`` × ``height`` pixels less ``padding`` on every side, centred."""
    pts = [Mercator(1.0, 0.0, 0.0).point(lon, lat) for lon, lat in coords]
    if not pts:
        raise ValueError("nothing to fit")
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    k = min((width - 2 * padding) / w, (height - 2 * padding) / h)
    return Mercator(k, width / 2 - k * (x0 + x1) / 2, height / 2 - k * (y0 + y1) / 2)


def geometry_coords(geometry: dict) -> list[tuple[float, float]]:
    """Every (lon, lat) of a GeoJSON geometry (polygons and multipolygons, points, lines)."""
    out: list[tuple[float, float]] = []

    def walk(node) -> None:
        if node and isinstance(node[0], (int, float)):
            out.append((float(node[0]), float(node[1])))
        else:
            for child in node:
                walk(child)

    if geometry.get("type") == "GeometryCollection":
        for g in geometry.get("geometries", []):
            out += geometry_coords(g)
    else:
        walk(geometry.get("coordinates") or [])
    return out


_BOLD_FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")


@functools.lru_cache(maxsize=4096)
def label_width(text: str, px: int) -> float:
    """The width in pixels of ``text`` in bold type of ``px`` pixels: measured with the slide's
    font (Liberation Sans Bold) where the machine has it, else a generous estimate."""
    if _BOLD_FONT.exists():
        from PIL import ImageFont

        return float(ImageFont.truetype(str(_BOLD_FONT), px).getlength(text))
    return 0.66 * px * len(text)


@dataclass(frozen=True)
class Label:
    """A placed label: the dot it names, the centre of its text, its box (x0, y0, x1, y1)
    and whether a leader line joins it to its dot."""

    key: str
    text: str
    dot: tuple[float, float]
    centre: tuple[float, float]
    box: tuple[float, float, float, float]
    leader: bool


#: Where a label may go around its dot, nearest first: directions (dx, dy) of its centre.
_DIRECTIONS = ((1, 0), (-1, 0), (1, -1), (1, 1), (-1, -1), (-1, 1), (0, -1), (0, 1))


def _overlaps(a: tuple[float, ...], b: tuple[float, ...], gap: float) -> bool:
    return not (
        a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]
    )


def _covers(box: tuple[float, ...], x: float, y: float, r: float) -> bool:
    nx, ny = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nx - x) ** 2 + (ny - y) ** 2 < r * r


def _candidate(
    x: float, y: float, w: float, h: float, d: tuple[int, int], dist: float
) -> tuple[float, float, tuple[float, float, float, float]]:
    """The label's centre and box when it sits ``dist`` px from its dot in direction ``d``
    (the box's near edge at that distance, not its centre)."""
    cx = x + d[0] * (dist + w / 2)
    cy = y + d[1] * (dist + h / 2)
    return cx, cy, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def place_labels(
    items: list[tuple[str, str, float, float]],
    width: float,
    height: float,
    px: int,
    *,
    dot_radius: float,
    radii: dict[str, float] | None = None,
    others: Sequence[tuple[float, float]] = (),
    gap: float = 4.0,
    rings: int = 8,
    measure: Callable[[str, int], float] = label_width,
) -> list[Label]:
    """Labels for ``items`` (key, text, x, y of the dot, in placing order) that overlap neither
    each other nor any named dot and stay inside the ``width`` × ``height`` plot.

    Each label takes the nearest free place: beside its dot (right, left, then the diagonals,
    above and below), farther out ring by ring; covering fewer of the ``others`` dots is
    preferred within a ring. A label not right beside its dot (farther out, or on a
    diagonal) gets a leader line. A label that
    finds no free place in ``rings`` rings is left out (it is listed beside the map). A dot
    drawn larger than ``dot_radius`` (a highlighted city) has its radius in ``radii``.
    """
    h = px * 1.2
    step = h * 0.9
    radius = {key: (radii or {}).get(key, dot_radius) for key, *_ in items}
    named = [(x, y, radius[key]) for key, _, x, y in items]
    placed: list[Label] = []
    for key, text, x, y in items:
        w = measure(text, px)
        best: tuple[float, Label] | None = None
        for ring in range(rings):
            dist = radius[key] + gap + ring * step
            for order, d in enumerate(_DIRECTIONS):
                cx, cy, box = _candidate(x, y, w, h, d, dist)
                if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
                    continue
                if any(_overlaps(box, p.box, gap) for p in placed):
                    continue
                if any(_covers(box, nx, ny, r + gap) for nx, ny, r in named):
                    continue
                hidden = sum(_covers(box, ox, oy, dot_radius) for ox, oy in others)
                score = hidden * 10 + order
                if best is None or score < best[0]:
                    leader = ring > 0 or (d[0] != 0 and d[1] != 0)  # not right beside it
                    best = (score, Label(key, text, (x, y), (cx, cy), box, leader))
            if best is not None:
                break
        if best is not None:
            placed.append(best[1])
    return placed


def leader_end(label: Label) -> tuple[float, float]:
    """Where a label's leader line meets its box: the box's point nearest the dot."""
    x, y = label.dot
    b = label.box
    return min(max(x, b[0]), b[2]), min(max(y, b[1]), b[3])


def map_projection(
    features: list[dict], points: pd.DataFrame, width: float, height: float, padding: float = 6
) -> Mercator:
    """The map's projection: Mercator fitted to the country outlines ``features`` (else to the
    cities ``points``' lon and lat) in a plot of ``width`` × ``height`` px."""
    coords = [c for f in features for c in geometry_coords(f.get("geometry") or {})]
    if not coords:
        located = points.dropna(subset=["lon", "lat"])
        coords = list(zip(located["lon"].astype(float), located["lat"].astype(float)))
    return fit_mercator(coords or [(20.0, 38.0), (50.0, 57.0)], width, height, padding)


LABEL_COLUMNS = [
    *("city", "label", "kind", "lon", "lat", "dot_lon", "dot_lat", "end_lon", "end_lat"),
    *("leader", "x0", "y0", "x1", "y1"),
]


def map_labels(
    points: pd.DataFrame,
    proj: Mercator,
    width: float,
    height: float,
    px: int,
    *,
    dot_radius: float,
    highlight: str = "",
    highlight_radius: float | None = None,
    k: int = 5,
) -> pd.DataFrame:
    """The labels of a map of ``points`` (city, name, lon, lat, total): the ``highlight`` city
    (kind ``chosen``) and the ``k`` highest and lowest (``top``, ``bottom``; see ``extremes``),
    each placed by ``place_labels``: its text's centre (lon, lat), its dot, where its leader
    line meets it (end_lon, end_lat), whether it has one, and its box in plot pixels."""
    pts = points.dropna(subset=["lon", "lat"])
    ext = extremes(pts[pts["total"].notna()], k)
    rows = [(c, n, lo, la, "chosen") for c, n, lo, la in
            zip(pts["city"], pts["name"], pts["lon"], pts["lat"]) if c == highlight]  # fmt: skip
    named = ext[(ext["extreme"] != "") & (ext["city"] != highlight)]
    rows += list(zip(named["city"], named["name"], named["lon"], named["lat"], named["extreme"]))
    at = {c: proj.point(float(lo), float(la)) for c, _, lo, la, _ in rows}
    others = [proj.point(float(lo), float(la)) for c, lo, la in
              zip(pts["city"], pts["lon"], pts["lat"]) if c not in at]  # fmt: skip
    placed = place_labels(
        [(c, str(n), *at[c]) for c, n, _, _, _ in rows],
        width,
        height,
        px,
        dot_radius=dot_radius,
        radii={highlight: highlight_radius} if highlight and highlight_radius else None,
        others=others,
    )
    kind = {c: kd for c, _, _, _, kd in rows}
    return pd.DataFrame(
        [
            (
                p.key,
                p.text,
                kind[p.key],
                *proj.lonlat(*p.centre),
                *proj.lonlat(*p.dot),
                *proj.lonlat(*leader_end(p)),
                p.leader,
                *p.box,
            )
            for p in placed
        ],
        columns=LABEL_COLUMNS,
    )
