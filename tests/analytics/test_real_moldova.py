"""Moldova's IDIS Viitorul / INEKO ranking and Georgia's LSG Index, as shipped: hand-checked
figures from the source tables (../shared/data/found/moldova-*, georgia-lsg-index-facts)."""

from __future__ import annotations

import pytest

from analytics import dashboard, results

LOC, DIST, GE = "md-idis-localities", "md-idis-districts", "ge-lsg-index"


def one(ro, sql, params=()):
    rows = ro.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def index_row(ro, programme, year, city):
    return one(
        ro,
        """SELECT total, source, published_total, computed_total, rank, rank_source,
                  class_name, class_source
           FROM indices WHERE programme = ? AND year = ? AND city = ?""",
        (programme, year, city),
    )


def test_balti_2024_is_87_and_first(ro):
    assert index_row(ro, LOC, 2024, "md-balti") == (
        87.0, "published", 87.0, None, 1, "published", "A+", "published",
    )  # fmt: skip
    table = dashboard.ranking(ro, LOC, 2024)
    assert table.iloc[0]["city"] == "md-balti"


@pytest.mark.parametrize("year, localities", [(2018, 60), (2022, 59), (2024, 59)])
def test_editions_have_published_totals_and_grades(ro, year, localities):
    n, totals, grades = one(
        ro,
        """SELECT count(*), count(published_total),
                  count(class_name) FILTER (WHERE class_source = 'published')
           FROM indices WHERE programme = ? AND year = ?""",
        (LOC, year),
    )
    assert n == totals == grades == localities >= 55


def test_district_councils_are_never_ranked_with_localities(ro):
    kinds = dict(
        ro.execute(
            """SELECT i.programme, list(DISTINCT c.kind) FROM indices i
               JOIN cities c ON c.code = i.city WHERE i.programme IN (?, ?) GROUP BY ALL""",
            [LOC, DIST],
        ).fetchall()
    )
    assert kinds == {LOC: ["city"], DIST: ["district"]}
    for year in (2020, 2022, 2024):
        codes = set(dashboard.ranking(ro, LOC, year)["city"])
        assert not any(c.endswith("-district") for c in codes)
    # 32 councils in 2020 and 2022, 31 in 2024 (Orhei absent).
    assert ro.execute(
        "SELECT year, count(*) FROM indices WHERE programme = ? GROUP BY ALL ORDER BY 1", [DIST]
    ).fetchall() == [(2020, 32), (2022, 32), (2024, 31)]


def test_district_ranks_are_computed_among_councils_with_ties_sharing(ro):
    # 2024: Cantemir and Cimișlia 74 → both 4th, Leova 73 → 6th (the source's ranks agree).
    got = ro.execute(
        """SELECT city, total, rank, rank_source, ranked_cities FROM indices
           WHERE programme = ? AND year = 2024 AND rank BETWEEN 3 AND 6 ORDER BY rank, city""",
        [DIST],
    ).fetchall()
    assert got == [
        ("md-soldanesti-district", 75.0, 3, "computed", 31),
        ("md-cantemir-district", 74.0, 4, "computed", 31),
        ("md-cimislia-district", 74.0, 4, "computed", 31),
        ("md-leova-district", 73.0, 6, "computed", 31),
    ]


def test_grades_are_published_never_recomputed(ro):
    # Strășeni 2022 has 75 % and grade A-, Șoldănești 2024 has 75 % and grade A: no band
    # computation could give both, so both must be the published grades.
    assert index_row(ro, DIST, 2022, "md-straseni-district")[6:] == ("A-", "published")
    assert index_row(ro, DIST, 2024, "md-soldanesti-district")[6:] == ("A", "published")
    assert one(
        ro, "SELECT count(*) FROM class_thresholds WHERE methodology = ? AND min_score IS NULL",
        ["md-idis-localities-2017"],
    ) == (16,)  # fmt: skip


def test_published_2017_totals_are_preferred_over_derived(ro):
    # Derived from the 2018 change the sibling table gives Bălți 83 and Criuleni 28; the
    # published 2017 page says 84 and 27.
    assert index_row(ro, LOC, 2017, "md-balti")[:2] == (84.0, "published")
    assert index_row(ro, LOC, 2017, "md-balti")[4:6] == (1, "published")
    assert index_row(ro, LOC, 2017, "md-criuleni")[:2] == (27.0, "published")
    # The derived figures stay as alternatives, never preferred.
    assert ro.execute(
        """SELECT value, preferred FROM published_figures WHERE programme = ? AND year = 2017
           AND city = 'md-balti' AND kind IN ('score', 'derived') ORDER BY value""",
        [LOC],
    ).fetchall() == [(83.0, False), (84.0, True)]
    # Budești's 2017 grade is not in the stored pages: a total and rank, no class.
    assert index_row(ro, LOC, 2017, "md-budesti")[4:7] == (18, "published", None)


def test_2020_totals_are_labelled_derived_and_not_ranked(ro):
    # Bălți 2022: 79 % with change +3 → 76 (the 2020 press release says 76).
    assert index_row(ro, LOC, 2020, "md-balti") == (
        76.0, "derived", None, None, None, None, None, None,
    )  # fmt: skip
    quote = one(
        ro,
        """SELECT quote FROM published_figures WHERE programme = ? AND year = 2020
           AND city = 'md-balti' AND kind = 'derived'""",
        [LOC],
    )[0]
    assert quote.startswith("derived by Open Cities Monitor: 2022 total 79 % minus")
    assert one(ro, "SELECT count(*) FROM indices WHERE programme = ? AND year = 2020", [LOC]) == (
        59,
    )


def test_published_ranks_keep_their_tie_breaks_and_are_never_mixed_with_computed(ro):
    # 2022: Cimișlia and Ungheni both 47 %, published 5th and 6th.
    assert index_row(ro, LOC, 2022, "md-cimislia")[4:6] == (5, "published")
    assert index_row(ro, LOC, 2022, "md-ungheni")[4:6] == (6, "published")
    # The bottom 10 of 2022 have no published rank (only an ascending page lists them): they
    # get none, rather than a computed rank in the column of published ones.
    assert index_row(ro, LOC, 2022, "md-criuleni")[:6] == (2.0, "published", 2.0, None, None, None)
    assert one(
        ro,
        """SELECT count(*) FILTER (WHERE rank_source = 'published'),
                  count(*) FILTER (WHERE rank_source = 'computed'), count(*)
           FROM indices WHERE programme = ? AND year = 2022""",
        [LOC],
    ) == (49, 0, 59)
    # The bottom of the table is still in index order, the unranked after the ranked.
    table = dashboard.ranking(ro, LOC, 2022)
    assert list(table["total"]) == sorted(table["total"], reverse=True)


def test_criterion_scores_are_loaded_as_published_area_scores(ro):
    # Bălți 2022, criteria I–IX: 94 66 92 17 92 100 75 100 100 (wide table, page A22_*).
    got = ro.execute(
        """SELECT item, score, status, source, batch > 1 FROM current_scores
           WHERE city = 'md-balti' AND year = 2022 AND level = 'area' ORDER BY score, item""",
    ).fetchall()
    assert [(i, s) for i, s, *_ in got] == [
        ("IV", 17.0), ("II", 66.0), ("VII", 75.0), ("III", 92.0), ("V", 92.0), ("I", 94.0),
        ("IX", 100.0), ("VI", 100.0), ("VIII", 100.0),
    ]  # fmt: skip
    assert {r[2:] for r in got} == {
        ("scored", "IDIS Viitorul / INEKO, localtransparency.viitorul.org", True)
    }
    share = one(
        ro,
        """SELECT share FROM area_results WHERE city = 'md-balti' AND year = 2022
           AND area = 'I'""",
    )[0]
    assert share == pytest.approx(0.94)


def test_missing_and_dashed_criteria_are_not_assessed_never_zero(ro):
    # 2018 Zaim, criterion VI: the portal shows "–"; criterion III is not on the stored pages.
    rows = dict(
        ro.execute(
            """SELECT item, (status, score, comment) FROM current_scores WHERE city = 'md-zaim'
               AND year = 2018 AND level = 'area' AND item IN ('III', 'VI')"""
        ).fetchall()
    )
    assert rows["VI"][:2] == ("not_assessed", None) and "dash" in rows["VI"][2]
    assert rows["III"][:2] == ("not_assessed", None) and "not shown" in rows["III"][2]


def test_no_total_is_computed_from_criteria_with_unpublished_weights(ro):
    diffs = results.compare_totals(ro)
    assert not diffs["programme"].isin([LOC, DIST, GE]).any()
    assert one(
        ro,
        "SELECT count(computed_total) FROM indices WHERE programme IN (?, ?, ?)",
        (LOC, DIST, GE),
    ) == (0,)


def test_moldovan_names_in_four_languages_with_other_spellings(ro):
    rows = {
        r[0]: r[1:]
        for r in ro.execute(
            """SELECT code, name_en, name_uk, name_ru, name_native, aliases, kind FROM cities
               WHERE code IN ('md-balti', 'md-singerei', 'md-stefan-voda', 'md-cahul-district')"""
        ).fetchall()
    }
    assert rows["md-balti"][:4] == ("Balti", "Бєльці", "Бельцы", "Bălți")
    assert "Bălţi" in rows["md-balti"][4]  # cedilla spelling of GeoNames and older pages
    assert "Sângerei" in rows["md-singerei"][4]  # the spelling with â
    assert "Суворово" in rows["md-stefan-voda"][4]  # the Soviet-era name
    assert rows["md-cahul-district"][3] == "Raionul Cahul"
    assert rows["md-cahul-district"][5] == "district"
    n = one(ro, "SELECT count(*) FROM cities WHERE country = 'MD' AND kind = 'city'")[0]
    assert n == 60


def test_georgia_is_partial_and_keeps_ranks_of_64(ro):
    assert index_row(ro, GE, 2021, "ge-poti")[:2] == (70.0, "published")
    assert index_row(ro, GE, 2021, "ge-poti")[4:6] == (1, "published")
    assert index_row(ro, GE, 2019, "ge-akhalkalaki")[:6] == (
        6.0, "published", 6.0, None, 64, "published",
    )  # fmt: skip
    # "lowest" of 64 in 2021: Adigeni 4 %
    assert index_row(ro, GE, 2021, "ge-adigeni")[4:6] == (64, "published")
    averages = dict(
        ro.execute(
            """SELECT year, value FROM published_figures WHERE programme = ? AND kind = 'average'
               AND level = 'total' AND text_value IS NULL ORDER BY year""",
            [GE],
        ).fetchall()
    )
    assert averages == {2017: 21.0, 2019: 28.0, 2021: 28.0, 2023: 33.0}
    name, note = one(ro, "SELECT name_en, note_en FROM programmes WHERE code = ?", [GE])
    assert "(partial)" in name and note.startswith("Partial coverage")
    assert dashboard.programme_info(ro, GE)["note_uk"].startswith("Часткове охоплення")


def test_other_spellings_import(db):
    import duckdb

    from analytics import importer

    # GeoNames' cedilla spelling, the source's "Raionul …" without ă, and a Russian name.
    data = (
        "programme;year;city;level;code;score\n"
        "md-idis-localities;2024;Bălţi;area;II;50\n"
        "md-idis-districts;2024;Raionul Calarași;area;IV;29\n"
        "md-idis-localities;2024;Штефан-Водэ;area;II;40\n"
    ).encode()
    report = importer.import_bytes(db, data, "spellings.csv", "test")
    assert report.problems == [] and report.inserted == 3
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute(
        """SELECT city, item, score FROM current_scores WHERE batch = ? ORDER BY city""",
        [report.batch],
    ).fetchall()
    assert got == [
        ("md-balti", "II", 50.0),
        ("md-calarasi-district", "IV", 29.0),
        ("md-stefan-voda", "II", 40.0),
    ]
