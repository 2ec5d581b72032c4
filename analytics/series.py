"""Series over the years, drawn truthfully: the one builder behind every history chart.

* **Time is time.** A series lives on the programme's years; a year without a value (not
  assessed, or a class without a total) is a gap, never a zero and never bridged.
* **Segments.** Consecutive points are joined only when they are adjacent years of the
  programme *and* fall under the same methodology; anything else starts a new segment
  (``segment`` ids), so a line never crosses a methodology break or a missing year.
* **Breaks.** The position of a methodology break on a year axis is half-way between the
  last year of the old methodology and the first of the new one (``break_positions``).

``sparkline_svg`` draws a small inline SVG from the same segments, for table cells (the
built-in table sparkline smooths the line and draws a missing year as zero).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np
import pandas as pd


def _missing(value: object) -> bool:
    if value is None or value is np.ma.masked:  # DuckDB lists arrive as masked arrays
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def segment_ids(
    years: Sequence[int],
    values: Sequence[float | None],
    methodologies: Sequence[str | None] | None = None,
    programme_years: Sequence[int] | None = None,
) -> list[int | None]:
    """For each point, the id (0, 1, …) of the line segment it belongs to; ``None`` for a
    missing value (drawn as nothing).

    A new segment starts after a missing value, when a programme year lies between two
    points (the city was not assessed that year), and when the methodology changes.
    ``programme_years`` are the years the programme assessed anyone (default: every calendar
    year, so any jump of more than a year is a gap).
    """
    order = sorted(range(len(years)), key=lambda i: years[i])
    known = sorted(set(int(y) for y in (programme_years or ())))
    pos = {y: i for i, y in enumerate(known)}
    out: list[int | None] = [None] * len(years)
    seg = -1
    prev_year: int | None = None
    prev_meth: str | None = None
    for i in order:
        year = int(years[i])
        meth = methodologies[i] if methodologies is not None else None
        if _missing(values[i]):
            prev_year = None  # whatever comes next starts afresh
            continue
        if prev_year is None:
            joined = False
        elif known and year in pos and prev_year in pos:
            joined = pos[year] - pos[prev_year] == 1
        else:
            joined = year - prev_year == 1
        if joined and methodologies is not None and meth != prev_meth:
            joined = False
        if not joined:
            seg += 1
        out[i] = seg
        prev_year, prev_meth = year, meth
    return out


def with_segments(
    df: pd.DataFrame,
    *,
    value: str = "total",
    year: str = "year",
    methodology: str | None = "methodology",
    group: str | None = None,
    programme_years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The rows of ``df`` that have a value, with a ``segment`` column (a string unique across
    groups, for a chart's ``detail`` channel) and ``single`` (a segment of one point, to be
    drawn as a dot)."""
    if df.empty:
        return df.assign(segment=pd.Series(dtype=str), single=pd.Series(dtype=bool))
    parts = []
    groups = df.groupby(group, sort=False) if group else [(None, df)]
    for key, part in groups:
        ids = segment_ids(
            list(part[year]),
            list(part[value]),
            list(part[methodology]) if methodology else None,
            programme_years,
        )
        prefix = f"{key}|" if group else ""
        part = part.assign(segment=[None if s is None else f"{prefix}{s}" for s in ids])
        parts.append(part[part["segment"].notna()])
    out = pd.concat(parts, ignore_index=True)
    out[year] = out[year].astype(int)
    sizes = out.groupby("segment")["segment"].transform("size")
    return out.assign(single=sizes == 1)


def break_positions(
    breaks: Sequence[dict], programme_years: Sequence[int]
) -> list[dict[str, object]]:
    """Where to mark each methodology break on a year axis: half-way between the last
    programme year before it and its first year (the break's own year when nothing is
    before it). Only breaks inside the programme's years are returned."""
    years = sorted(set(int(y) for y in programme_years))
    out = []
    for b in breaks:
        y = int(b["year"])
        before = [x for x in years if x < y]
        if not before or y > years[-1]:
            continue
        out.append({**b, "position": (before[-1] + y) / 2})
    return out


def sparkline_svg(
    years: Sequence[int],
    values: Sequence[float | None],
    methodologies: Sequence[str | None] | None = None,
    *,
    span: tuple[int, int] | None = None,
    programme_years: Sequence[int] | None = None,
    width: int = 120,
    height: int = 28,
    maximum: float = 100.0,
) -> str:
    """A sparkline as an SVG document: straight segments (no smoothing), gaps where a year
    has no value or the methodology changes, a dot for a lone point, y from 0 to ``maximum``.
    The x axis is time: ``span`` (first, last year) fixes it, so a missing year keeps its
    space."""
    if span:
        lo, hi = span
    else:
        lo, hi = (int(min(years)), int(max(years))) if len(years) else (0, 1)
    pad = 5.0

    def x(year: int) -> float:
        return pad + (year - lo) / max(hi - lo, 1) * (width - 2 * pad)

    def y(v: float) -> float:
        v = min(max(v, 0.0), maximum)
        return pad + (1 - v / maximum) * (height - 2 * pad)

    ids = segment_ids(years, values, methodologies, programme_years)
    by_seg: dict[int, list[tuple[float, float]]] = {}
    for (yr, v), s in zip(zip(years, values), ids):
        if s is not None and v is not None:
            by_seg.setdefault(s, []).append((x(int(yr)), y(float(v))))
    shapes = []
    for s in sorted(by_seg):
        seg = sorted(by_seg[s])
        if len(seg) == 1:
            cx, cy = seg[0]
            shapes.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2" fill="#333"/>')
        else:
            d = " ".join(
                f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(seg)
            )
            shapes.append(
                f'<path d="{d}" fill="none" stroke="#333" stroke-width="1.5" '
                'stroke-linejoin="round"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#ddd" stroke-width="1"/>' + "".join(shapes) + "</svg>"
    )


def plain(values: object) -> list:
    """A list of values (a list, array or masked array from a query) as plain Python, with
    ``None`` for every missing value."""
    if values is None or (not hasattr(values, "__iter__")):
        return []
    return [None if _missing(v) else v.item() if hasattr(v, "item") else v for v in values]


def data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI (for an image column)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
