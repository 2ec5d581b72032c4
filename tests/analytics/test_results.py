"""Index computation, ranks, classes — checked against hand-computed numbers (see tiny.py)."""

from __future__ import annotations

import pytest

from analytics import results
from tests.analytics.tiny import ind, make

X = ind("x", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": 20, "b2": 20})  # A 30/60, B 40 → 70
V = ind("v", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": 20, "b2": 20})  # same as x → 70
Y = ind("y", 2020, {"a1": 20, "a2": "na", "a3": 10, "b1": 0, "b2": 20})  # A 30/40×60=45, B 20 → 65
Z = ind("z", 2020, {"a1": "na", "a2": "na", "a3": "na", "b1": 20, "b2": 10})  # B 30/40 → 75
W = ind("w", 2020, {"a1": 20, "a2": "nx", "a3": 20, "b1": 20, "b2": 20})  # A 40/40×60, B 40 → 100


def total(con, city, year=2020):
    return con.execute(
        "SELECT total, coverage, rank, class_name FROM indices WHERE city = ? AND year = ?",
        [city, year],
    ).fetchall()[0]


@pytest.mark.parametrize(
    "rows, city, expected_total, expected_coverage",
    [
        (X, "x", 70.0, 1.0),
        (Y, "y", 65.0, 1.0),  # a not-applicable indicator rescales its area
        (Z, "z", 75.0, 1.0),  # a wholly not-applicable area rescales the total
        (W, "w", 100.0, 0.8),  # a not-assessed indicator is missing: coverage 80/100
    ],
)
def test_index_by_hand(tmp_path, rows, city, expected_total, expected_coverage):
    con = make(tmp_path / "t.duckdb", rows)
    got_total, got_cov, *_ = total(con, city)
    assert got_total == pytest.approx(expected_total)
    assert got_cov == pytest.approx(expected_coverage)


def test_area_points_by_hand(tmp_path):
    con = make(tmp_path / "t.duckdb", Y)
    rows = con.execute(
        "SELECT area, points, max_points, share, coverage, not_applicable "
        "FROM area_results ORDER BY area"
    ).fetchall()
    assert rows == [("A", 45.0, 60.0, 0.75, 1.0, False), ("B", 20.0, 40.0, 0.5, 1.0, False)]


@pytest.mark.parametrize("min_coverage, expected", [(0.8, 100.0), (0.81, None)])
def test_coverage_threshold(tmp_path, min_coverage, expected):
    con = make(tmp_path / "t.duckdb", W, min_coverage=min_coverage)
    assert total(con, "w")[0] == expected


def test_ties_use_competition_ranking(tmp_path):
    con = make(tmp_path / "t.duckdb", X + V + Y + Z)
    ranks = dict(con.execute("SELECT city, rank FROM indices").fetchall())
    assert ranks == {"z": 1, "x": 2, "v": 2, "y": 4}


def test_classes_from_thresholds(tmp_path):
    con = make(tmp_path / "t.duckdb", X + Y + Z)
    classes = dict(con.execute("SELECT city, class_name FROM indices").fetchall())
    assert classes == {"z": "good", "x": "fair", "y": "fair"}  # 75 is good: thresholds inclusive


def test_rank_within_country_and_region(tmp_path):
    g = ind("g", 2020, {"a1": 20, "a2": 20, "a3": 20, "b1": 20, "b2": 20})  # 100
    con = make(tmp_path / "t.duckdb", X + Y + Z + g)
    rows = {
        r[0]: r[1:]
        for r in con.execute("SELECT city, rank, rank_country, rank_region FROM indices").fetchall()
    }
    assert rows == {"g": (1, 1, 1), "z": (2, 1, 1), "x": (3, 2, 1), "y": (4, 3, 2)}


def test_published_only_totals_and_published_ranks(tmp_path):
    rows = [
        ("x", 2021, "t-1", "total", "total", 55.0, "scored"),
        ("y", 2021, "t-1", "total", "total", 60.0, "scored"),
    ]
    con = make(tmp_path / "t.duckdb", rows, published=[("t-1", 2021, "x", "rank", 7, None)])
    got = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT city, total, source, rank, rank_source, ranked_cities FROM indices"
        ).fetchall()
    }
    # 2021 has a published ranking, so y (no published rank) gets none: a rank "1 of 2"
    # computed here would be of another population than x's published 7th place.
    assert got == {
        "x": (55.0, "published", 7, "published", None),
        "y": (60.0, "published", None, None, None),
    }


def test_total_from_area_scores_is_their_sum_and_compared_with_published(tmp_path):
    rows = [
        ("u", 2021, "t-1", "area", "A", 30.0, "scored"),
        ("u", 2021, "t-1", "area", "B", 20.0, "scored"),
        ("u", 2021, "t-1", "total", "total", 50.1, "scored"),
    ]
    con = make(tmp_path / "t.duckdb", [r if r[0] != "u" else ("x", *r[1:]) for r in rows])
    row = con.execute(
        "SELECT total, source, computed_total, computed_from, published_total "
        "FROM indices WHERE city = 'x'"
    ).fetchall()
    assert row == [(50.1, "published", 50.0, "areas", 50.1)]
    diff = results.compare_totals(con)
    assert diff["difference"].tolist() == [-0.1]


def test_partial_area_scores_give_no_total(tmp_path):
    con = make(tmp_path / "t.duckdb", [("x", 2021, "t-1", "area", "A", 30.0, "scored")])
    assert con.execute("SELECT total, coverage FROM indices").fetchall() == [(None, 0.6)]


def test_change_from_previous_year_and_breaks(tmp_path):
    rows = (
        X
        + ind("x", 2021, {"a1": 20, "a2": 20, "a3": 0, "b1": 20, "b2": 20})  # 80
        + ind("x", 2022, {"a1": 20, "a2": 30, "c1": 0}, methodology="t-2")  # 50
        + Y
        + ind("y", 2021, {"a1": 20, "a2": 20, "a3": 20, "b1": 20, "b2": 20})
    )  # 100
    con = make(tmp_path / "t.duckdb", rows)
    got = con.execute("""SELECT year, total, prev_year, change_points, rank, change_rank,
                                across_break FROM indices WHERE city = 'x' ORDER BY year""").fetchall()
    assert got == [
        (2020, 70.0, None, None, 1, None, False),
        (2021, 80.0, 2020, 10.0, 2, -1, False),
        (2022, 50.0, 2021, -30.0, 1, 1, True),
    ]


def test_real_published_areas_reproduce_the_published_total(built_db, tmp_path):
    """Area scores of a city-year from the published data, imported in the import format,
    give the published total within ±0.15 points."""
    import csv
    import shutil

    from analytics import storage
    from analytics.importer import import_bytes
    from analytics.paths import REFERENCE_DIR

    db = tmp_path / "db.duckdb"
    shutil.copyfile(built_db, db)
    picked = [
        r
        for r in csv.DictReader((REFERENCE_DIR / "published.csv").open(encoding="utf-8"))
        if r["kind"] == "score"
        and r["level"] == "area"
        and r["preferred"] == "True"
        and r["year"] == "2021"
        and r["programme"] == "tc-accountability"
        and r["city"] in ("ua-konotop", "ua-berdychiv")
    ]
    assert len(picked) == 28
    with storage.writing(db) as con:  # start from a database without them
        con.execute("""DELETE FROM scores WHERE level = 'area' AND year = 2021
                       AND methodology = 'tc-accountability-2020'
                       AND city IN ('ua-konotop', 'ua-berdychiv')""")
    lines = ["programme,year,city,level,code,score,source"] + [
        f"{r['programme']},{r['year']},{r['city']},area,{r['item']},{r['value']},{r['source_url']}"
        for r in picked
    ]
    report = import_bytes(db, ("\n".join(lines) + "\n").encode(), "published-areas.csv")
    assert report.inserted == 28
    con = storage.connect_read_only(db)
    got = con.execute("""SELECT city, computed_total, published_total, computed_from
                         FROM indices WHERE programme = 'tc-accountability' AND year = 2021
                         AND city IN ('ua-konotop', 'ua-berdychiv') ORDER BY city""").fetchall()
    assert [(c, f) for c, _, _, f in got] == [("ua-berdychiv", "areas"), ("ua-konotop", "areas")]
    for city, computed, published, _ in got:
        assert abs(computed - published) <= 0.15, city


def _published_year(tmp_path, with_size=True):
    """2021: totals published for four cities, ranks for three of them (of a published
    ranking of 100); the computed order here would be y 60 (1), x 55 (2), u 30 (3), z 19.5
    (4) — mixed with the published 4, 12, 41 it would interleave."""
    rows = [
        ("x", 2021, "t-1", "total", "total", 55.0, "scored"),
        ("y", 2021, "t-1", "total", "total", 60.0, "scored"),
        ("z", 2021, "t-1", "total", "total", 19.5, "scored"),
        ("w", 2021, "t-1", "total", "total", 30.0, "scored"),
    ]
    published = [
        ("t-1", 2021, "y", "rank", 4, None),
        ("t-1", 2021, "x", "rank", 12, None),
        ("t-1", 2021, "z", "rank", 41, None),
    ]
    if with_size:
        published.append(("t-1", 2021, None, "ranked", 100, "cities in the published ranking"))
    return make(tmp_path / "t.duckdb", rows, published=published)


def test_published_and_computed_ranks_never_share_a_column(tmp_path):
    con = _published_year(tmp_path)
    got = con.execute(
        "SELECT city, total, rank, rank_source, ranked_cities, rank_country FROM indices "
        "ORDER BY city"
    ).fetchall()
    assert got == [
        ("w", 30.0, None, None, None, 3),  # no published rank: none, not a computed "3"
        ("x", 55.0, 12, "published", 100, 2),
        ("y", 60.0, 4, "published", 100, 1),
        ("z", 19.5, 41, "published", 100, 4),
    ]


def test_ranking_table_is_in_the_order_of_the_index(tmp_path):
    from analytics import dashboard

    con = _published_year(tmp_path)
    table = dashboard.ranking(con, "t", 2021)
    assert list(table["city"]) == ["y", "x", "w", "z"]  # 60, 55, 30, 19.5
    assert table["rank"].tolist()[:2] == [4, 12] and table["rank"].isna().tolist()[2]


def test_computed_ranks_where_nothing_is_published(tmp_path):
    con = make(tmp_path / "t.duckdb", X + Y + Z)
    got = con.execute(
        "SELECT city, rank, rank_source, ranked_cities FROM indices ORDER BY rank"
    ).fetchall()
    assert got == [("z", 1, "computed", 3), ("x", 2, "computed", 3), ("y", 3, "computed", 3)]


def test_rank_change_only_between_ranks_of_one_kind(tmp_path):
    rows = (
        X
        + Y
        + [  # 2020 computed (x 2nd of 2), 2021 published (x 12th of 100)
            ("x", 2021, "t-1", "total", "total", 55.0, "scored"),
            ("y", 2021, "t-1", "total", "total", 60.0, "scored"),
        ]
    )
    con = make(
        tmp_path / "t.duckdb",
        rows,
        published=[("t-1", 2021, "x", "rank", 12, None), ("t-1", 2021, "y", "rank", 4, None)],
    )
    got = con.execute(
        "SELECT year, rank, rank_source, prev_rank, change_rank FROM indices WHERE city = 'x' "
        "ORDER BY year"
    ).fetchall()
    assert got == [(2020, 1, "computed", None, None), (2021, 12, "published", 1, None)]


@pytest.mark.parametrize(
    "rank, source, of, expected",
    [
        (4, "published", 100, ("4", "of 100 in the programme's published ranking")),
        (4, "published", None, ("4", "in the programme's published ranking")),
        (3, "computed", 17, ("3", "of 17 cities with a total here (computed)")),
        (None, None, None, ("—", "no rank for this city in this year")),
        (float("nan"), None, float("nan"), ("—", "no rank for this city in this year")),
    ],
)
def test_rank_text(rank, source, of, expected):
    assert results.rank_text(rank, source, of) == expected


def test_rank_text_in_ukrainian():
    assert results.rank_text(4, "published", 100, "uk") == (
        "4",
        "з 100 в опублікованому рейтингу програми",
    )


def test_rank_header_names_the_population():
    assert results.rank_header(["published", None], [100, None])[0] == "Rank of 100 (published)"
    assert results.rank_header(["computed"] * 3, [17] * 3)[0] == "Rank among 17 here (computed)"


def test_rank_note_counts_the_few_published_ranks_instead_of_denying_them():
    """TC 2017: TI published ranks for 24 of the 100 cities (Mykolaiv 4th, Kyiv 5th; from the
    totals here Kyiv is 4th, Mykolaiv 5th). The note once said "published no ranks"."""
    published = [1, 4, 5, None, None]
    ranks = [1, 5, 4, 6, 7]
    head, note = results.rank_header(["computed"] * 5, [100] * 5, "en", published, ranks)
    assert head == "Rank among 100 here (computed)"
    assert note == (
        "The programme published ranks for 3 of these 100 cities only: so that one column "
        "holds one population, the ranks here are computed for all 100 from their totals; for "
        "2 of those 3 the published rank differs (column “Published rank”)."
    )
    _, none_published = results.rank_header(["computed"] * 2, [17] * 2, "en", [None] * 2, [1, 2])
    assert none_published.startswith("The programme published no ranks for this year")


def test_scorecard_never_puts_a_published_rank_over_the_cities_here(tmp_path, monkeypatch):
    """Scorecard of x: published 12th of 100 — never "12 / 4" (the four cities with a total)."""
    from analytics import scorecard

    con = _published_year(tmp_path)
    texts = []
    real = scorecard.plt.Figure.text

    def spy(self, x, y, s, *a, **kw):
        texts.append(" ".join(str(s).split()))  # the note is wrapped over lines
        return real(self, x, y, s, *a, **kw)

    monkeypatch.setattr(scorecard.plt.Figure, "text", spy)
    scorecard.render(con, "x", 2021, programme="t", fmt="png")
    assert "12" in texts
    assert any("of 100 in the programme's published ranking" in s for s in texts)
    assert not any("/" in s and "12" in s for s in texts)


def test_classes_without_thresholds_take_their_position_elsewhere(tmp_path):
    """A classes-only methodology (no thresholds): the class keeps the position it has in the
    programme's other methodology, so maps and legends can colour it."""
    con = make(
        tmp_path / "t.duckdb",
        [],
        published=[
            ("t-2", 2022, "x", "class", None, "fair"),
            ("t-2", 2022, "y", "class", None, "good"),
        ],
        drop_thresholds=("t-2",),
    )
    got = con.execute(
        "SELECT city, total, class_name, class_position, class_source FROM indices ORDER BY city"
    ).fetchall()
    assert got == [("x", None, "fair", 2, "published"), ("y", None, "good", 1, "published")]


def test_a_whole_field_is_ranked_by_its_totals(tmp_path):
    """All the published ranking's cities have a total here (2 of 2): the computed ranks are
    of the same population and are shown — z 75 first, x 70 second — though the programme
    published x as 1st (e.g. before a correction)."""
    con = make(
        tmp_path / "t.duckdb",
        X + Z,
        published=[
            ("t-1", 2020, "x", "rank", 1, None),
            ("t-1", 2020, None, "ranked", 2, "cities in the published ranking"),
        ],
    )
    got = con.execute(
        "SELECT city, rank, rank_source, ranked_cities FROM indices ORDER BY city"
    ).fetchall()
    assert got == [("x", 2, "computed", 2), ("z", 1, "computed", 2)]


def test_a_partial_field_keeps_the_published_ranks(tmp_path):
    """The same two cities of a ranking of 100: the published rank, of 100; z none."""
    con = make(
        tmp_path / "t.duckdb",
        X + Z,
        published=[
            ("t-1", 2020, "x", "rank", 1, None),
            ("t-1", 2020, None, "ranked", 100, "cities in the published ranking"),
        ],
    )
    got = con.execute(
        "SELECT city, rank, rank_source, ranked_cities FROM indices ORDER BY city"
    ).fetchall()
    assert got == [("x", 1, "published", 100), ("z", None, None, None)]


def test_rank_of_n_in_the_form_the_language_counts_with():
    """Moldova's 31 district councils in Russian: "из 31 городов" (31 takes the singular)."""
    assert results.rank_text(17, "computed", 31, "ru")[1] == (
        "из 31 города, имеющих здесь итог (вычислено)"
    )
    assert results.rank_text(3, "computed", 22, "ru")[1].startswith("из 22 городов")
    assert results.rank_text(6, "computed", 100, "uk")[1].startswith("з 100 міст,")
    assert results.rank_text(6, "computed", 21, "uk")[1].startswith("з 21 міста,")
    assert results.rank_text(6, "computed", 100)[1] == "of 100 cities with a total here (computed)"
