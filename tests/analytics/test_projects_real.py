"""The real EU projects: facts from the shared table, places linked to cities, money counted
once (sums computed by hand below), non-EU comparators flagged, and the impact estimate or the
reason it cannot be made."""

from __future__ import annotations

import pytest

from analytics import dashboard, impact, reference
from tests.analytics.tiny import make


def q(con, sql, *args):
    return con.execute(sql, list(args)).fetchall()


def test_all_real_projects_with_places_and_cities(ro):
    assert q(ro, "SELECT count(*) FROM projects WHERE NOT synthetic") == [(26,)]
    linked = q(
        ro,
        "SELECT count(DISTINCT project) FROM project_cities pc "
        "JOIN projects p ON p.code = pc.project WHERE NOT p.synthetic",
    )[0][0]
    assert linked >= 8  # EUACI I, II, COMUS, EU4ITD, Focal Regions, M4EG II, III, R&R
    assert q(ro, "SELECT count(*) FROM project_places") == [(102,)]
    # the five Integrity Cities of EUACI II plus Mykolaiv (from June 2022)
    assert q(
        ro,
        "SELECT list(city ORDER BY city), list(year_from ORDER BY city) FROM project_cities "
        "WHERE project = 'euaci-2'",
    ) == [
        (
            [
                "ua-chernivtsi",
                "ua-mariupol",
                "ua-mykolaiv",
                "ua-nikopol",
                "ua-sheptytskyi",
                "ua-zhytomyr",
            ],
            [2020, 2020, 2022, 2020, 2020, 2020],
        )
    ]


def test_e_platform_dates_and_ids_from_its_eune_page(ro):
    assert q(
        ro,
        "SELECT start_date::VARCHAR, end_date::VARCHAR, eune_id, eu_project_number, status "
        "FROM project_overview WHERE code = 'transparent-cities-e-platform'",
    ) == [("2020-01-01", "2023-03-31", 732, "411-996", "completed")]


def test_dates_as_published_when_only_a_year_is_known(ro):
    rows = dict(
        (r[0], r[1:])
        for r in q(
            ro,
            "SELECT code, start_date::VARCHAR, end_date::VARCHAR, start_published, end_published "
            "FROM projects WHERE code IN ('pgg-2', 'euaci-2', 'eu4moldova-focal-regions', "
            "'oecd-fight-against-corruption')",
        )
    )
    assert rows["pgg-2"] == ("2019-01-01", "2021-12-31", "2019", "2021")
    assert rows["euaci-2"] == ("2020-05-01", "2024-12-31", "2020-05", "2024")
    assert rows["eu4moldova-focal-regions"] == ("2019-01-01", "2025-12-31", "2019", "2024/2025")
    assert rows["oecd-fight-against-corruption"] == (None, None, "after 2023", None)


def test_alternative_amounts_are_kept_beside_the_headline(ro):
    assert q(
        ro, "SELECT eu_contribution_eur, total_budget_eur FROM projects WHERE code = 'euaci-1'"
    ) == [(15_000_000, 16_340_000)]
    alts = q(
        ro,
        "SELECT kind, amount, currency, source_url LIKE '%kyivpost%' FROM project_amounts "
        "WHERE project = 'euaci-1' ORDER BY position",
    )
    assert alts == [
        ("total_budget", 15_840_000, "EUR", True),
        ("eu_contribution", 14_500_000, "EUR", True),
    ]
    usd = q(
        ro,
        "SELECT amount, currency FROM project_amounts WHERE project = 'eu4moldova-focal-regions'",
    )
    assert usd == [(25_888_889, "USD")]  # not converted


def test_non_eu_comparators_are_flagged_and_left_out(ro):
    assert q(ro, "SELECT code FROM projects WHERE non_eu ORDER BY code") == [
        ("ada-armenia-local-governance",),
        ("undef-building-transparent-cities",),
    ]
    money = dashboard.portfolio(ro)
    assert money["non_eu"] == 2 and money["projects"] == 24


def test_real_portfolio_counted_once(ro):
    """EU contributions published (EUR): EU for Integrity 2.5m (AM AZ BY GE MD UA), EUACI I 15m
    (UA), EUACI II 15m (UA), U-LEAD I 95m (UA), U-LEAD III 40m (UA), PGG III 15m (five
    countries), Focal Regions 23m (MD), EU4ITD 8.5m (GE), Edinet 4,140,186 (MD), M4EG
    Response and Renewal 1.8m (UA 70%, MD 30% per its source), East of Ukraine 56.5m (UA).
    Total once: 276,440,186. UA: 15+15+95+40+56.5 = 221.5m + 0.7 x 1.8m = 222,760,000.
    MD: 23m + 4,140,186 + 0.3 x 1.8m = 27,680,186. GE: 8,500,000. Several countries, not
    split: 2.5m + 15m = 17,500,000. 222,760,000 + 27,680,186 + 8,500,000 + 17,500,000 =
    276,440,186."""
    money = dashboard.portfolio(ro)
    assert money["eu_contribution_eur"] == 276_440_186
    assert money["with_amount"] == 11
    by = dashboard.contribution_by(ro, "countries")
    amounts = {
        (r.item if r.kind == "item" else r.kind): r.eu_contribution_eur
        for r in by.itertuples()
        if r.eu_contribution_eur == r.eu_contribution_eur
    }
    assert amounts == pytest.approx(
        {"UA": 222_760_000, "MD": 27_680_186, "GE": 8_500_000, "several": 17_500_000}
    )
    assert sum(amounts.values()) == pytest.approx(money["eu_contribution_eur"])
    # AM has projects working there but no money attributable to it alone
    am = by[by["item"] == "AM"].iloc[0]
    assert am["projects"] >= 5 and am["amount_projects"] == 0


def _money_db(tmp_path):
    """A: UA+GE+MD, EUR 3,000,000, no split. B: UA, 1,000,000. C: UA+MD, 2,000,000 split 70/30
    by its source. N: non-EU comparator in UA, 500,000. S: synthetic, UA, 9,000,000."""
    con = make(tmp_path / "m.duckdb", [])
    for code, countries, eur, non_eu, synthetic in [
        ("A", ["UA", "GE", "MD"], 3_000_000, False, False),
        ("B", ["UA"], 1_000_000, False, False),
        ("C", ["UA", "MD"], 2_000_000, False, False),
        ("N", ["UA"], 500_000, True, False),
        ("S", ["UA"], 9_000_000, False, True),
    ]:
        con.execute(
            "INSERT INTO projects (code, title_en, countries, eu_contribution_eur, non_eu, "
            "synthetic) VALUES (?, ?, ?, ?, ?, ?)",
            [code, code, countries, eur, non_eu, synthetic],
        )
    con.execute(
        "INSERT INTO project_amounts (project, position, kind, country, share) VALUES "
        "('C', 1, 'country_split', 'UA', 0.7), ('C', 2, 'country_split', 'MD', 0.3)"
    )
    return con


def test_three_country_project_counted_once(tmp_path):
    """Total: A 3m + B 1m + C 2m = 6,000,000 (N and S left out), not 3 x 3m + 1m + 2 x 2m.
    UA: B 1m + 0.7 x C 2m = 2,400,000. MD: 0.3 x 2m = 600,000. GE: nothing of its own.
    Several countries, not split: A 3,000,000. 2.4m + 0.6m + 3m = 6,000,000."""
    con = _money_db(tmp_path)
    assert dashboard.portfolio(con)["eu_contribution_eur"] == 6_000_000
    by = dashboard.contribution_by(con, "countries")
    rows = {(r.item if r.kind == "item" else r.kind): r for r in by.itertuples()}
    assert rows["UA"].eu_contribution_eur == pytest.approx(2_400_000)
    assert rows["MD"].eu_contribution_eur == pytest.approx(600_000)
    assert rows["several"].eu_contribution_eur == 3_000_000
    assert rows["GE"].eu_contribution_eur != rows["GE"].eu_contribution_eur  # NaN: no own money
    assert by["eu_contribution_eur"].sum() == pytest.approx(6_000_000)
    # projects working in each country: A counts once in each of its three
    assert (rows["UA"].projects, rows["MD"].projects, rows["GE"].projects) == (3, 2, 1)


def test_loader_tolerates_places_that_are_not_cities_and_links_them_later(tmp_path):
    con = make(tmp_path / "p.duckdb", [])
    project = {
        "code": "p1",
        "title_en": "P1",
        "start": None,
        "places": [
            {
                "name_en": "Nowhere",
                "kind": "city",
                "country": "UA",
                "geonameid": 999,
                "year_from": 2020,
                "year_to": 2021,
            },
            {"name_en": "Oblast", "kind": "region", "country": "UA", "region": "UA-99"},
            {
                "name_en": "X town",
                "kind": "city",
                "country": "UA",
                "city": "x",
                "year_from": 2020,
                "year_to": 2022,
            },
        ],
    }
    reference.upsert_projects(con, [project])
    assert q(con, "SELECT name_en, city, region FROM project_places ORDER BY position") == [
        ("Nowhere", None, None),
        ("Oblast", None, None),
        ("X town", "x", None),
    ]
    assert q(con, "SELECT city, year_from, year_to FROM project_cities") == [("x", 2020, 2022)]
    # a city with that GeoNames id arrives (another branch's cities): the same file links it
    con.execute("UPDATE cities SET geonameid = 999 WHERE code = 'y'")
    reference.upsert_projects(con, [project])
    assert q(con, "SELECT city FROM project_places WHERE name_en = 'Nowhere'") == [("y",)]
    assert q(con, "SELECT count(*) FROM project_cities WHERE project = 'p1'") == [(2,)]


def test_places_not_in_the_city_list_stay_listed_by_name(ro):
    places = dashboard.project_places(ro, "m4eg-2", "uk")
    areni = places[places["role_source"].str.contains("sustainable tourism")].iloc[0]
    assert areni["name"] == "Арені" and not areni["linked"]
    batumi = places[places["city"] == "ge-batumi"].iloc[0]
    assert batumi["linked"] and batumi["name"] == "Батумі"
    east = dashboard.project_places(ro, "eu-east-ukraine-recovery")
    assert east["region"].tolist()[:2] == ["UA-DONETSK", "UA-LUHANSK"]
    assert east["city"].isna().all()


@pytest.mark.parametrize(
    "project, why, facts",
    [
        ("transparent-cities-e-platform", "no_places", {}),  # "50 cities", not listed
        ("belarus-local-economic-development", "no_city_here", {"places": 12}),
        ("euaci-3", "no_dates", {}),
        # Chernivtsi signed in 2017, the ranking's first year: nothing before it
        ("euaci-1", "no_year_before", {"start": 2017}),
    ],
)
def test_impact_says_why_it_cannot_be_estimated(ro, project, why, facts):
    out = impact.project_impact(ro, project, n_boot=100)
    assert out["effect"] is None and out["why"] == why
    for k, v in facts.items():
        assert out[k] == v


def test_impact_runs_on_real_cities_where_the_years_allow(ro):
    out = impact.project_impact(ro, "euaci-2", n_boot=200)
    assert out["effect"] is not None and out["programme"] == "tc-transparency"
    assert out["n_treated"] >= 2 and "not proof" in out["caveat"]


def test_impact_reason_with_years(tmp_path):
    """Project p from 2021; its cities x, y assessed only in 2022: no year before 2021."""
    rows = [(c, 2022, "t-2", "total", "total", 60.0, "scored") for c in ("x", "y", "w", "v")]
    con = make(
        tmp_path / "i.duckdb", rows, projects=[("p", [("x", 2021, 2022), ("y", 2021, 2022)])]
    )
    out = impact.project_impact(con, "p", n_boot=50)
    assert (out["why"], out["start"], out["years"]) == ("no_year_before", 2021, [2022])


def test_shipped_projects_file_passes_the_import_check_and_bad_places_are_refused():
    import yaml

    from analytics.paths import REFERENCE_DIR
    from analytics.projects import check_projects

    doc = yaml.safe_load((REFERENCE_DIR / "projects.yaml").read_text(encoding="utf-8"))
    assert check_projects(doc, {"AM", "AZ", "BY", "GE", "MD", "UA"}, set()) == []
    bad = {
        "projects": [
            {
                "code": "x",
                "title_en": "X",
                "places": [{}],
                "amounts": [{"kind": "k", "amount": "lots"}],
            }
        ]
    }
    assert check_projects(bad, set(), set()) == [
        "project x: every place needs 'name_en'",
        "project x: amount 'k': 'amount' must be a non-negative number",
    ]
