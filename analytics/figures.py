"""Where a figure's numbers come from: the line printed under every chart and into its
PNG, SVG and PDF exports (source, website, terms of use, synthetic flag)."""

from __future__ import annotations

import duckdb


def source_of(con: duckdb.DuckDBPyConnection, key: str) -> dict | None:
    """The programme behind ``key`` (a programme or a methodology code): its code,
    organisation, website and synthetic flag; ``None`` when ``key`` is neither."""
    rows = con.execute(
        """SELECT code, organisation, website, synthetic FROM programmes
           WHERE code = ? OR code = (SELECT programme FROM methodologies WHERE code = ?)""",
        [key, key],
    ).fetchall()
    if not rows:
        return None
    code, organisation, website, synthetic = rows[0]
    host = (website or "").split("://", 1)[-1].rstrip("/").split("/", 1)[0] or None
    return {
        "programme": code,
        "organisation": organisation,
        "website": host,
        "synthetic": bool(synthetic),
    }
