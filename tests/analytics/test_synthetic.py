"""The synthetic demo programme."""

from __future__ import annotations

import duckdb
import pytest

from analytics import reference, storage, synthetic


def fresh(tmp_path, name="x.duckdb"):
    con = duckdb.connect(str(tmp_path / name))
    storage.migrate(con)
    for _, loader in reference.LOADERS:
        loader(con)
    return con


def test_same_seed_same_data(tmp_path):
    a, b = fresh(tmp_path, "a.duckdb"), fresh(tmp_path, "b.duckdb")
    spec = synthetic.DemoSpec(seed=7, years=3)
    synthetic.generate(a, spec)
    synthetic.generate(b, spec)
    assert storage.table_checksums(a) == storage.table_checksums(b)
    c = fresh(tmp_path, "c.duckdb")
    synthetic.generate(c, synthetic.DemoSpec(seed=8, years=3))
    assert storage.table_checksums(c)["scores"] != storage.table_checksums(a)["scores"]


def test_demo_is_flagged_synthetic_everywhere(ro):
    assert ro.execute("SELECT synthetic FROM programmes WHERE code = 'demo-index'").fetchall() == [
        (True,)
    ]
    assert ro.execute("SELECT synthetic FROM projects WHERE code = 'demo-project'").fetchall() == [
        (True,)
    ]
    assert ro.execute(
        "SELECT DISTINCT source FROM scores WHERE methodology LIKE 'demo-%'"
    ).fetchall() == [(synthetic.SOURCE,)]
    # every demo project city is a real city code, but its scores are demo scores only
    assert ro.execute("""SELECT count(*) FROM project_cities WHERE project = 'demo-project'
                         AND city NOT IN (SELECT code FROM cities)""").fetchall() == [(0,)]


def test_demo_scores_are_plausible(ro):
    rows = ro.execute(
        """
        SELECT count(*) FILTER (WHERE s.score > i.max_points + 1e-9 OR s.score < 0),
               count(*) FILTER (WHERE s.status = 'not_applicable'),
               count(*) FILTER (WHERE s.status = 'not_assessed'),
               count(*) FILTER (WHERE s.status = 'scored' AND s.score IS NULL),
               count(DISTINCT s.city), min(s.year), max(s.year), count(*)
        FROM scores s JOIN indicators i ON i.methodology = s.methodology AND i.code = s.item
        WHERE s.methodology LIKE 'demo-%'
          AND NOT (s.year >= 2022 AND list_contains(?::VARCHAR[], s.city))""",
        [list(synthetic.not_assessable())],
    ).fetchall()[0]
    over, na, nass, missing, cities, y0, y1, n = rows
    assert over == 0 and missing == 0
    assert 0.01 < na / n < 0.04 and 0 < nass / n < 0.01
    units = ro.execute(
        "SELECT count(*) FILTER (WHERE kind = 'city'), count(*) FILTER (WHERE kind <> 'city') "
        "FROM cities WHERE NOT synthetic"
    ).fetchall()[0]
    assert units[1] == 32  # Moldova's district councils: never in the demo
    assert (cities, y0, y1) == (units[0], 2017, 2025)  # every city, no district council


def test_demo_methodologies_break_with_shared_indicators(ro):
    m = ro.execute("""SELECT code, year_from, year_to, n_areas, n_indicators FROM methodologies
                      WHERE programme = 'demo-index' ORDER BY year_from""").fetchall()
    assert m == [("demo-index-2017", 2017, 2020, 13, 90), ("demo-index-2021", 2021, 2025, 14, 90)]
    shared = ro.execute("""SELECT count(*) FROM indicators a JOIN indicators b USING (code)
                           WHERE a.methodology = 'demo-index-2017'
                             AND b.methodology = 'demo-index-2021'""").fetchall()[0][0]
    assert 60 <= shared < 90
    sums = ro.execute("""SELECT methodology, round(sum(max_points), 6) FROM indicators
                         WHERE methodology LIKE 'demo-%' GROUP BY ALL ORDER BY 1""").fetchall()
    assert sums == [("demo-index-2017", 100.0), ("demo-index-2021", 100.0)]
    area_sums = ro.execute("""SELECT a.methodology, a.code, a.max_points, sum(i.max_points)
                              FROM areas a JOIN indicators i ON i.methodology = a.methodology
                              AND i.area = a.code WHERE a.methodology LIKE 'demo-%'
                              GROUP BY ALL""").fetchall()
    assert all(abs(r[2] - r[3]) < 0.02 for r in area_sums)


def test_scores_improve_over_time(ro):
    by_year = dict(
        ro.execute("""SELECT year, avg(score) FROM current_scores
                                 WHERE methodology = 'demo-index-2017' AND status = 'scored'
                                 GROUP BY year""").fetchall()
    )
    assert by_year[2020] > by_year[2017]


def test_scale_invents_synthetic_cities(tmp_path):
    con = fresh(tmp_path)
    n = synthetic.generate(con, synthetic.DemoSpec(cities=50, years=2, indicators=20))
    assert con.execute("SELECT count(*) FROM cities WHERE synthetic").fetchall() == [(50,)]
    assert con.execute(
        "SELECT count(DISTINCT city) FROM scores WHERE methodology LIKE 'demo-%'"
    ).fetchall() == [(50,)]
    assert (
        n
        == con.execute("SELECT count(*) FROM scores WHERE methodology LIKE 'demo-%'").fetchall()[0][
            0
        ]
    )
    assert 50 * 2 * 20 * 0.9 < n <= 50 * 2 * 20


@pytest.mark.parametrize("years, expected", [(1, 1), (4, 1), (5, 2), (10, 2)])
def test_number_of_methodologies(tmp_path, years, expected):
    con = fresh(tmp_path)
    synthetic.generate(con, synthetic.DemoSpec(cities=5, years=years, indicators=30))
    assert con.execute(
        "SELECT count(*) FROM methodologies WHERE programme = 'demo-index'"
    ).fetchall() == [(expected,)]


def test_occupied_and_front_line_cities_are_not_assessed_when_they_could_not_be(ro):
    listed = synthetic.not_assessable()
    # Reviewed data, not code: the list names its reason and source for each city.
    assert listed["ua-mariupol"] == (2022, None, "occupied")
    assert listed["ua-kharkiv"][2] == "front line" and "ua-lviv" not in listed
    rows = ro.execute(
        """SELECT city, year, total, rank, change_points FROM indices
           WHERE programme = 'demo-index' AND list_contains(?::VARCHAR[], city)""",
        [list(listed)],
    ).df()
    before, after = rows[rows["year"] < 2022], rows[rows["year"] >= 2022]
    assert before["total"].notna().mean() > 0.9  # assessed before the full-scale invasion
    assert len(after) > 0 and after["total"].isna().all() and after["rank"].isna().all()
    assert after["change_points"].isna().all()  # never a riser or a faller
    scores = ro.execute(
        """SELECT DISTINCT status::VARCHAR FROM scores WHERE methodology LIKE 'demo-%'
           AND city = 'ua-mariupol' AND year >= 2022"""
    ).fetchall()
    assert scores == [("not_assessed",)]


def test_benchmark_cities_are_not_touched_by_the_list(tmp_path):
    con = fresh(tmp_path)
    n = synthetic.generate(con, synthetic.DemoSpec(seed=3, cities=20, years=6, indicators=20))
    share = con.execute(
        "SELECT avg((status = 'not_assessed')::INT) FROM scores WHERE methodology LIKE 'demo-%'"
    ).fetchall()[0][0]
    assert n > 0 and share < 0.01
