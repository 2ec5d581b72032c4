"""A tiny database to check the engine with a pencil.

Programme ``t`` has two methodologies:
- ``t-1`` (2020–2021): area A (max 60: a1, a2, a3 at 20 each), area B (max 40: b1, b2 at 20);
  classes good ≥ 75, fair ≥ 50, poor ≥ 0.
- ``t-2`` (2022): area A (max 50: a1 at 20, a2 at 30), area C (max 50: c1 at 50).
  A continues (linked); a1 and a2 keep their codes, so they are shared indicators.
Cities x, y, z, w, v (UA, regions UA-1 / UA-2) and g (GE).
"""

from __future__ import annotations

import duckdb

from analytics import results, storage

CITIES = [
    ("x", "UA", "UA-1", 100_000),
    ("y", "UA", "UA-1", 120_000),
    ("z", "UA", "UA-2", 110_000),
    ("w", "UA", "UA-2", 130_000),
    ("v", "UA", "UA-1", 140_000),
    ("g", "GE", "GE-1", 150_000),
]


def make(
    path, scores, *, min_coverage=0.8, published=(), projects=(), drop_thresholds=()
) -> duckdb.DuckDBPyConnection:
    """``scores``: (city, year, methodology, level, item, score, status) tuples;
    ``published``: (methodology, year, city, kind, value, text_value) figures;
    ``drop_thresholds``: methodologies that publish classes without thresholds."""
    con = duckdb.connect(str(path))
    storage.migrate(con)
    con.execute(
        "INSERT INTO countries (iso2, iso3, name_en) VALUES ('UA','UKR','Ukraine'), "
        "('GE','GEO','Georgia')"
    )
    for code, country, region, pop in CITIES:
        con.execute(
            "INSERT INTO cities (code, country, region, name_en, population) "
            "VALUES (?, ?, ?, ?, ?)",
            [code, country, region, code.upper(), pop],
        )
    con.execute("INSERT INTO programmes (code, name_en) VALUES ('t', 'Test')")
    con.execute(
        "INSERT INTO methodologies (code, programme, year_from, year_to, max_points) "
        "VALUES ('t-1', 't', 2020, 2021, 100), ('t-2', 't', 2022, 2022, 100)"
    )
    for m in ("t-1", "t-2"):
        if m in drop_thresholds:
            continue
        for pos, (cls, lo) in enumerate([("good", 75), ("fair", 50), ("poor", 0)], start=1):
            con.execute(
                "INSERT INTO class_thresholds VALUES (?, ?, ?, ?, NULL, NULL)", [m, pos, cls, lo]
            )
    con.execute("""INSERT INTO areas (methodology, code, position, name_en, max_points) VALUES
        ('t-1', 'A', 1, 'Area A', 60), ('t-1', 'B', 2, 'Area B', 40),
        ('t-2', 'A', 1, 'Area A', 50), ('t-2', 'C', 2, 'Area C', 50)""")
    con.execute("INSERT INTO area_links VALUES ('t-1', 'A', 't-2', 'A')")
    con.execute("""INSERT INTO indicators (methodology, code, area, position, text_en, max_points)
        VALUES ('t-1', 'a1', 'A', 1, 'a1', 20), ('t-1', 'a2', 'A', 2, 'a2', 20),
               ('t-1', 'a3', 'A', 3, 'a3', 20), ('t-1', 'b1', 'B', 4, 'b1', 20),
               ('t-1', 'b2', 'B', 5, 'b2', 20),
               ('t-2', 'a1', 'A', 1, 'a1', 20), ('t-2', 'a2', 'A', 2, 'a2', 30),
               ('t-2', 'c1', 'C', 3, 'c1', 50)""")
    for s in scores:
        con.execute(
            "INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, 1, NULL)", list(s)
        )
    for p in published:
        con.execute(
            "INSERT INTO published_figures VALUES ('d', 't', ?, ?, ?, ?, 'total', "
            "'total', ?, ?, true, 'https://example.org', NULL)",
            list(p),
        )
    for code, cities in projects:
        con.execute("INSERT INTO projects (code, title_en) VALUES (?, ?)", [code, code])
        for city, y0, y1 in cities:
            con.execute("INSERT INTO project_cities VALUES (?, ?, ?, ?)", [code, city, y0, y1])
    results.refresh(con, min_coverage=min_coverage)
    return con


def ind(city, year, scores: dict, methodology="t-1"):
    """Indicator rows: a number is a score, 'na' not applicable, 'nx' not assessed."""
    out = []
    for item, v in scores.items():
        if v == "na":
            out.append((city, year, methodology, "indicator", item, None, "not_applicable"))
        elif v == "nx":
            out.append((city, year, methodology, "indicator", item, None, "not_assessed"))
        else:
            out.append((city, year, methodology, "indicator", item, float(v), "scored"))
    return out
