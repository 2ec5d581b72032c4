"""An import recomputes only what it touches, and the result equals a full recompute.

Random batches (fixed seeds) go through the importer's own checks and write
(``importer.import_into``) into the tiny database (tiny.py) widened to 16 cities and the
years 2020–2024, with published ranks, a published ranking size, published classes and a
derived total; after each batch the incremental refresh (``results.refresh(touched=…)``) must
leave ``area_results`` and ``indices`` exactly as a full recompute does, row for row.
"""

from __future__ import annotations

import csv
import io
import random

import pytest

from analytics import importer, results, storage
from tests.analytics.tiny import ind, make

EXTRA = [(f"c{i:02d}", "UA", "UA-1" if i % 2 else "UA-2") for i in range(10)]
CITIES = ["x", "y", "z", "w", "v", "g"] + [c for c, _, _ in EXTRA]
INDICATORS = {
    "t-1": {"a1": 20, "a2": 20, "a3": 20, "b1": 20, "b2": 20},
    "t-2": {"a1": 20, "a2": 30, "c1": 50},
}
AREAS = {"t-1": {"A": 60, "B": 40}, "t-2": {"A": 50, "C": 50}}
HEADER = ["programme", "year", "city", "level", "code", "score", "status", "comment"]

# published figures: (methodology, year, city, kind, value, text_value)
PUBLISHED = [
    ("t-1", 2021, "x", "rank", 1, None),
    ("t-1", 2021, "y", "rank", 2, None),
    ("t-1", 2021, "z", "rank", 3, None),
    ("t-1", 2021, None, "ranked", 40, None),  # a ranking larger than the field here
    ("t-2", 2023, "w", "rank", 2, None),  # a ranking of unknown size
    ("t-2", 2023, "v", "rank", 1, None),
    ("t-2", 2022, "g", "class", None, "good"),  # a class the publisher gave
    ("t-1", 2020, "c03", "derived", 61.5, None),  # a total derived from published figures
]


def _methodology(year: int) -> str:
    return "t-1" if year <= 2021 else "t-2"


def _status_score(rng: random.Random, maximum: float) -> tuple[str, str]:
    """A random (score, status) cell pair: mostly scored, sometimes not applicable/assessed."""
    roll = rng.random()
    if roll < 0.1:
        return "", "not_applicable"
    if roll < 0.18:
        return "", "not_assessed"
    return str(rng.choice([0, maximum / 2, maximum, round(rng.uniform(0, maximum), 1)])), "scored"


def _batch(seed: int) -> bytes:
    """A CSV of one to three groups: random cities, years, levels (indicator, area, total)."""
    rng = random.Random(seed)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    written: set[tuple[int, str, str]] = set()
    for _ in range(rng.randint(1, 3)):
        year = rng.randint(2020, 2024)
        m = _methodology(year)
        level = rng.choices(["indicator", "area", "total"], weights=[6, 3, 2])[0]
        for city in rng.sample(CITIES, rng.randint(1, 5)):
            if (year, level, city) in written:
                continue
            written.add((year, level, city))
            name = city.upper()
            if level == "total":
                w.writerow(
                    [
                        "t",
                        year,
                        name,
                        "total",
                        "total",
                        round(rng.uniform(20, 100), 2),
                        "scored",
                        "batch",
                    ]
                )
                continue
            items = INDICATORS[m] if level == "indicator" else AREAS[m]
            chosen = [k for k in items if rng.random() < 0.85] or list(items)[:1]
            for code in chosen:
                score, status = _status_score(rng, items[code])
                w.writerow(["t", year, name, level, code, score, status, f"seed {seed}"])
    return out.getvalue().encode()


def _snapshot(con, table: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def _widen(con) -> None:
    """The tiny database with 10 more cities, t-2 running to 2024 and published figures."""
    con.execute("UPDATE methodologies SET year_to = 2024 WHERE code = 't-2'")
    for code, country, region in EXTRA:
        con.execute(
            "INSERT INTO cities (code, country, region, name_en) VALUES (?, ?, ?, ?)",
            [code, country, region, code.upper()],
        )
    for m, year, city, kind, value, text in PUBLISHED:
        con.execute(
            "INSERT INTO published_figures VALUES ('d', 't', ?, ?, ?, ?, 'total', 'total', ?, ?, "
            "true, 'https://example.org', NULL)",
            [m, year, city, kind, value, text],
        )
    con.execute(
        "INSERT INTO import_batches VALUES (1, 'start', '', 0, now(), NULL, 'imported', '')"
    )
    results.refresh(con)


@pytest.fixture
def con(tmp_path):
    start = (
        ind("x", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": 20, "b2": 20})
        + ind("y", 2020, {"a1": 20, "a2": "na", "a3": 10, "b1": 0, "b2": 20})
        + ind("x", 2021, {"a1": 20, "a2": 20, "a3": 0, "b1": 20, "b2": 20})
        + ind("z", 2021, {"a1": "na", "a2": "na", "a3": "na", "b1": 20, "b2": 10})
        + ind("w", 2023, {"a1": 20, "a2": "nx", "c1": 50}, methodology="t-2")
        + ind("x", 2024, {"a1": 20, "a2": 30, "c1": 0}, methodology="t-2")
        + [("v", 2023, "t-2", "total", "total", 88.0, "scored")]
    )
    con = make(tmp_path / "t.duckdb", start)
    _widen(con)
    yield con
    con.close()


def test_incremental_equals_full_after_each_of_24_random_imports(con):
    imported = 0
    for seed in range(24):
        report = importer.import_into(con, _batch(seed), f"batch-{seed}.csv", "test")
        assert report.ok, report.problems
        if report.unchanged:
            continue
        imported += 1
        results.refresh(con, touched=results.TOUCHED)
        con.execute(f"DROP TABLE {results.TOUCHED}")
        partial = {t: _snapshot(con, t) for t in ("area_results", "indices")}
        results.refresh(con)
        for table in ("area_results", "indices"):
            assert partial[table] == _snapshot(con, table), f"seed {seed}: {table} differs"
    assert imported >= 20
    # the batches reached every level, published ranks and the years after a touched one
    levels = {r[0] for r in con.execute("SELECT DISTINCT level FROM current_scores").fetchall()}
    assert levels == {"indicator", "area", "total"}
    assert con.execute("SELECT count(*) FROM indices WHERE rank_source = 'published'").fetchall()
    assert con.execute("SELECT count(*) FROM indices WHERE prev_year IS NOT NULL").fetchall()[0][0]


def test_refresh_of_nothing_touched_changes_nothing(con):
    before = {t: _snapshot(con, t) for t in ("area_results", "indices")}
    con.execute("CREATE TEMP TABLE nothing (methodology VARCHAR, year SMALLINT, city VARCHAR)")
    results.refresh(con, touched="nothing")
    assert before == {t: _snapshot(con, t) for t in ("area_results", "indices")}


def test_import_bytes_writes_results_equal_to_a_full_recompute(tmp_path):
    """The write path: an import through ``storage.writing`` recomputes only what it touched,
    and the file it swaps in holds what a full recompute gives (the deep health check)."""
    from analytics import health

    db = tmp_path / "t.duckdb"
    con = make(db, ind("x", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": 20, "b2": 20}))
    _widen(con)
    con.close()
    for seed in (3, 5, 8):
        report = importer.import_bytes(db, _batch(seed), f"b{seed}.csv", "test")
        assert report.ok and not report.unchanged
    assert health.verify(db, deep=True).results_checked
    con = storage.connect_read_only(db)
    try:
        assert con.execute("SELECT count(*) FROM indices").fetchall()[0][0] > 1
    finally:
        con.close()
