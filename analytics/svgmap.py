"""The overview's landing map as a small SVG made on the server (no chart library in the
browser): region outlines filled by their mean index, country outlines, cities as circles
sized by population, each a link to its profile, with ``<title>`` tooltips; the legend as
HTML beside it.

Pure: it takes GeoJSON geometries, colours and texts, and returns text. A value that is
missing has no colour (``None``) and is drawn "no data" (pale), never as a colour of the
scale. The projection is Lambert's cylindrical equal-area with its standard parallel in the
middle of the framed countries (areas compare truly; shapes are right along that parallel),
framed on the countries given as ``frame`` as the interactive map frames them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

#: viridis (colour-blind safe, readable in grey), 0 → 100, in 11 stops
VIRIDIS = (
    "#440154",
    "#482475",
    "#414487",
    "#355f8d",
    "#2a788e",
    "#21918c",
    "#22a884",
    "#44bf70",
    "#7ad151",
    "#bddf26",
    "#fde725",
)
NO_DATA_FILL = "#e6e6e1"  # a region without an assessed city: pale, never a colour of the scale
LAND_FILL = "#ecece8"
WIDTH = 1000  # the viewBox's width; coordinates are whole units of it
PAD = 12
R_MAX = 15.0  # the largest city's radius, in viewBox units
R_MIN = 2.6


def index_colour(value: float | None, top: float = 100.0) -> str | None:
    """The viridis colour of an index from 0 to ``top``, the programme's maximum (the scale
    Vega-Lite draws for ``viridis``); None for a missing value (drawn "no data", never
    like 0)."""
    if value is None or value != value:  # None or NaN
        return None
    x = min(max(float(value) / (top or 100.0), 0.0), 1.0) * (len(VIRIDIS) - 1)
    i = min(int(x), len(VIRIDIS) - 2)
    a, b = VIRIDIS[i], VIRIDIS[i + 1]
    mix = [
        int(a[k : k + 2], 16) + (x - i) * (int(b[k : k + 2], 16) - int(a[k : k + 2], 16))
        for k in (1, 3, 5)
    ]
    return "#" + "".join(f"{round(c):02x}" for c in mix)


@dataclass(frozen=True)
class Shape:
    """A region: its GeoJSON geometry, its fill (None: no data) and its tooltip."""

    geometry: dict[str, Any]
    fill: str | None
    tooltip: str = ""


@dataclass(frozen=True)
class City:
    """A city's circle: where, how many people (None: the smallest circle), its colour, its
    tooltip, the link to its profile; ``faded`` where it has no result."""

    lon: float
    lat: float
    population: float | None
    fill: str
    tooltip: str
    href: str
    faded: bool = False


@dataclass(frozen=True)
class Projection:
    """Cylindrical equal-area (standard parallel ``phi0``) scaled and moved into the viewBox."""

    lon0: float
    cos0: float
    scale: float
    x0: float
    y0: float

    def raw(self, lon: float, lat: float) -> tuple[float, float]:
        return math.radians(lon - self.lon0) * self.cos0, math.sin(math.radians(lat)) / self.cos0

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.raw(lon, lat)
        return (x - self.x0) * self.scale + PAD, (self.y0 - y) * self.scale + PAD


def _rings(geometry: dict[str, Any]) -> Iterator[list[list[float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        yield from polygon


def _points(geometries: Iterable[dict[str, Any]]) -> Iterator[tuple[float, float]]:
    for g in geometries:
        for ring in _rings(g):
            for p in ring:
                yield float(p[0]), float(p[1])


def fit(frame: Sequence[dict[str, Any]], width: int = WIDTH) -> tuple[Projection, int]:
    """The projection that fits the geometries ``frame`` into ``width`` (with a margin), and
    the height that keeps their shape."""
    pts = list(_points(frame)) or [(22.0, 38.0), (41.0, 56.0)]  # the Eastern Partnership
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    lon0, lat0 = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    base = Projection(lon0, math.cos(math.radians(lat0)), 1.0, 0.0, 0.0)
    xy = [base.raw(lon, lat) for lon, lat in pts]
    x_lo, x_hi = min(x for x, _ in xy), max(x for x, _ in xy)
    y_lo, y_hi = min(y for _, y in xy), max(y for _, y in xy)
    scale = (width - 2 * PAD) / max(x_hi - x_lo, 1e-9)
    height = round((y_hi - y_lo) * scale) + 2 * PAD
    return Projection(lon0, base.cos0, scale, x_lo, y_hi), height


def _numbers(values: Iterable[int]) -> str:
    """Whole numbers for path data, as short as SVG allows (a minus sign separates)."""
    out: list[str] = []
    for v in values:
        s = str(v)
        out.append(s if s.startswith("-") or not out else " " + s)
    return "".join(out)


def _off(xy: list[tuple[int, int]], box: tuple[int, int] | None) -> bool:
    """Whether the ring ``xy`` lies wholly outside the map ``box`` (width, height)."""
    if box is None:
        return False
    xs, ys = [x for x, _ in xy], [y for _, y in xy]
    return max(xs) < 0 or max(ys) < 0 or min(xs) > box[0] or min(ys) > box[1]


def path_data(
    geometry: dict[str, Any], proj: Projection, box: tuple[int, int] | None = None
) -> str:
    """The outline as SVG path data: whole units, relative steps, repeated points dropped,
    rings that shrink below a triangle left out, and rings wholly outside ``box`` (the
    map's width and height) when it is given."""
    parts = []
    for ring in _rings(geometry):
        xy: list[tuple[int, int]] = []
        for p in ring:
            x, y = proj(float(p[0]), float(p[1]))
            q = (round(x), round(y))
            if not xy or q != xy[-1]:
                xy.append(q)
        if len(xy) > 1 and xy[0] == xy[-1]:
            xy.pop()
        if len(xy) < 3 or _off(xy, box):
            continue
        steps = [c for a, b in zip(xy, xy[1:]) for c in (b[0] - a[0], b[1] - a[1])]
        parts.append(f"M{_numbers(xy[0])}l{_numbers(steps)}z")
    return "".join(parts)


def radius(population: float | None, largest: float) -> float:
    """A circle's radius: its area grows with the population (the largest city ``R_MAX``),
    never below ``R_MIN`` (a missing population draws the smallest circle)."""
    if population is None or population != population or largest <= 0:
        return R_MIN
    return max(R_MIN, R_MAX * math.sqrt(max(float(population), 0.0) / largest))


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _title(text: str) -> str:
    return f"<title>{escape(text, quote=False)}</title>" if text else ""


def _inside(x: float, y: float, r: float, height: int, width: int) -> bool:
    return -r <= x <= width + r and -r <= y <= height + r


def render(
    frame: Sequence[dict[str, Any]],
    countries: Sequence[dict[str, Any]],
    regions: Sequence[Shape],
    cities: Sequence[City],
    *,
    label: str,
    width: int = WIDTH,
) -> str:
    """The map as one ``<svg>`` element: regions (when given) under the country borders, or
    the countries filled as land; the cities on top, largest first, each an ``<a>`` to its
    profile, sized by population among the cities on the map. ``label`` names the map for
    screen readers."""
    proj, height = fit(frame, width)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(label)}" style="width:100%;height:auto;max-height:620px;'
        'display:block" stroke-linejoin="round">'
    ]
    if regions:
        out.append('<g stroke="#9a9a9a" stroke-width="0.6">')
        for shape in regions:
            d = path_data(shape.geometry, proj, (width, height))
            if d:
                fill = shape.fill or NO_DATA_FILL
                out.append(f'<path d="{d}" fill="{fill}">{_title(shape.tooltip)}</path>')
        out.append('</g><g fill="none" stroke="#444444" stroke-width="1.4">')
    else:
        out.append(f'<g fill="{LAND_FILL}" stroke="#787878" stroke-width="1">')
    box = (width, height)
    out.extend(f'<path d="{d}"/>' for g in countries if (d := path_data(g, proj, box)))
    out.append("</g>")
    placed = [(c, *proj(c.lon, c.lat)) for c in cities]
    placed = [(c, x, y) for c, x, y in placed if _inside(x, y, 0, height, width)]
    if placed:
        largest = max((c.population or 0.0) for c, _, _ in placed)
        # a tall map is drawn smaller (its height is capped): its circles grow to match
        grow = max(1.0, height / (0.7 * width))
        out.append('<g stroke="#282828" stroke-width="0.8">')
        for c, x, y in sorted(placed, key=lambda cxy: -(cxy[0].population or 0.0)):
            r = radius(c.population, largest) * grow
            faded = ' opacity="0.4"' if c.faded else ""
            out.append(
                f'<a href="{_attr(c.href)}" target="_self">'
                f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{r:.1f}" fill="{c.fill}"{faded}>'
                f"{_title(c.tooltip)}</circle></a>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def legend_html(
    swatches: Sequence[tuple[str | None, str]], scale: tuple[str, str, str] | None = None
) -> str:
    """The legend as HTML: a gradient of the index scale (its title, the texts at 0 and 100)
    when ``scale`` is given, then a swatch for every (colour, label); a colour of None is the
    "no data" fill."""
    items = []
    box = "display:inline-block;width:14px;height:14px;border:1px solid #888;border-radius:3px;"
    item = "display:inline-flex;align-items:center;gap:6px;margin-right:14px;"
    if scale is not None:
        title, lo, hi = scale
        stops = ",".join(VIRIDIS)
        items.append(
            f'<span style="{item}flex-wrap:wrap">{escape(title)}:'
            f'<span style="display:inline-flex;align-items:center;gap:6px;white-space:nowrap">'
            f'{escape(lo)}<span style="display:inline-block;width:120px;height:12px;'
            f'background:linear-gradient(to right,{stops})"></span>{escape(hi)}</span></span>'
        )
    for colour, text in swatches:
        items.append(
            f'<span style="{item}"><span style="{box}background:{colour or NO_DATA_FILL}">'
            f"</span>{escape(text)}</span>"
        )
    return f'<div style="font-size:0.85rem;line-height:1.9;margin-top:4px">{"".join(items)}</div>'


def tooltip(rows: Sequence[tuple[str, str]]) -> str:
    """A tooltip's text: one "title: value" line per row with a value (as Vega shows it)."""
    return "\n".join(f"{k}: {v}" for k, v in rows if v)
