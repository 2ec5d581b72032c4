"""The country backdrop: CPI values exactly as published, WGI estimates, OGP facts and OGP Local
members with their joining years, for all six countries (values read off the source files)."""

from __future__ import annotations

import pytest

from analytics import context

EAP = ["AM", "AZ", "BY", "GE", "MD", "UA"]


@pytest.mark.parametrize(
    "country, score_2024, score_2012",
    # CPI2024_GlobalResultsTrends.csv, columns "CPI score 2024" and "CPI Score 2012"
    [
        ("AM", 47, 34),
        ("AZ", 22, 27),
        ("BY", 33, 31),
        ("GE", 53, 52),
        ("MD", 43, 36),
        ("UA", 35, 26),
    ],
)
def test_cpi_values_are_unchanged(ro, country, score_2024, score_2012):
    cpi = context.cpi(ro, country).set_index("year")
    assert cpi.loc[2024, "score"] == score_2024
    assert cpi.loc[2012, "score"] == score_2012
    assert list(cpi.index) == list(range(2012, 2025))  # every year 2012-2024, no gap


def test_cpi_ranks_with_the_number_of_countries_scored(ro):
    cpi = context.cpi(ro).set_index(["country", "year"])
    # "Rank 2024": Ukraine 105th, Georgia 53rd; 180 countries have a 2024 score (Brunei none)
    assert cpi.loc[("UA", 2024), "rank"] == 105 and cpi.loc[("UA", 2024), "ranked"] == 180
    assert cpi.loc[("GE", 2024), "rank"] == 53
    assert cpi.loc[("UA", 2017), "rank"] == 130  # "Rank 2017" column
    # the source file has no ranks before 2017: missing stays missing
    assert cpi.loc[("UA", 2016), "rank"] != cpi.loc[("UA", 2016), "rank"]  # NaN


def test_cpi_attribution_and_licence(ro):
    src = context.sources(ro).set_index("source")
    cpi = src.loc["Transparency International, Corruption Perceptions Index 2024"]
    assert cpi["licence"] == "CC BY-ND 4.0"
    wgi = src.loc["Kaufmann & Kraay, Worldwide Governance Indicators, World Bank, 2020 update"]
    assert wgi["licence"] == "CC BY 4.0" and (wgi["first_year"], wgi["last_year"]) == (1996, 2019)


def test_wgi_estimates_and_percentile_ranks(ro):
    wgi = context.wgi(ro, "UA").set_index(["measure", "year"])
    # wgi_eap_1996_2019.csv, Ukraine 2019: CC estimate -0.7096 rank 26.44; VA 0.0552 rank 48.28
    assert wgi.loc[("wgi_cc", 2019), "estimate"] == -0.71
    assert wgi.loc[("wgi_cc", 2019), "rank"] == 26.4
    assert wgi.loc[("wgi_va", 2019), "estimate"] == 0.06
    assert wgi.loc[("wgi_va", 2019), "rank"] == 48.3
    # 21 editions: biennial to 2002, then yearly; 1997, 1999, 2001 do not exist
    years = sorted({y for _, y in wgi.index})
    assert len(years) == 21 and 1997 not in years and years[:4] == [1996, 1998, 2000, 2002]


@pytest.mark.parametrize(
    "country, year, status",
    [
        ("UA", 2011, "member"),
        ("UA", 2010, "not yet a member"),
        ("MD", 2011, "not yet a member"),
        ("MD", 2012, "member"),
        ("AZ", 2015, "member"),
        ("AZ", 2016, "inactive"),  # designated inactive 4 May 2016
        ("AZ", 2023, "suspended permanently"),  # 17 Aug 2023
        ("GE", 2023, "member"),
        ("GE", 2024, "suspended"),  # 14 Oct 2024
        ("BY", 2024, "not a member"),  # never joined
    ],
)
def test_ogp_status_by_year(ro, country, year, status):
    assert context.ogp_status(ro, country, year) == status


def test_action_plans_keep_both_counts(ro):
    plans = context.action_plans(ro)
    md = plans[(plans["country"] == "MD") & (plans["measure"] == "ogp_action_plan")]
    # 2023-2025: six commitments per the IRM, seven per the State Chancellery
    assert sorted(md[md["year"] == 2023]["value"]) == [6, 7]
    ua = plans[(plans["country"] == "UA") & (plans["measure"] == "ogp_action_plan")]
    assert dict(zip(ua["period"], ua["value"])) == {"2020-2022": 14, "2023-2025": 10}
    rates = plans[(plans["country"] == "UA") & (plans["measure"] == "ogp_implementation")]
    assert sorted(rates[rates["year"] == 2012]["value"]) == [60, 90]  # alternative kept


def test_ogp_local_members_with_joining_year(ro):
    local = context.ogp_local(ro)
    years = dict(zip(local["city"], local["year"]))
    assert years["ge-tbilisi"] == 2016
    assert years["ua-khmelnytskyi"] == 2020 and years["am-gyumri"] == 2020
    assert years["ge-kutaisi"] == 2022 and years["am-yerevan"] == 2022
    assert len(local) == 13
    assert context.ogp_local_year(ro, "ge-tbilisi") == 2016
    assert context.ogp_local_year(ro, "ua-lviv") is None
    flagged = {r[0] for r in ro.execute("SELECT code FROM cities WHERE ogp_local").fetchall()}
    assert set(local["city"].dropna()) <= flagged


def test_context_for_all_six_countries(ro):
    snap = context.snapshot(ro).set_index("country")
    assert sorted(snap.index) == EAP
    assert snap["cpi_score"].notna().all() and snap["wgi_cc_estimate"].notna().all()
    assert snap.loc["UA", "ogp_status"] == "member" and snap.loc["UA", "ogp_joined"] == 2011
    assert snap.loc["BY", "ogp_status"] == "not a member"
    assert (
        snap.loc["GE", "ogp_local_members"] == 6
    )  # Tbilisi, Akhaltsikhe, Khoni, Ozurgeti, Kutaisi, Rustavi


def test_city_beside_country_never_joins_across_gaps(ro):
    df = context.city_beside_country(ro, "ua-lviv", "tc-transparency")
    cc = df[df["series"] == "wgi_cc_rank"]
    # 1996 | 1998 | 2000 | 2002-2019: four runs of consecutive years
    assert cc.groupby("segment")["year"].agg(list).tolist()[:3] == [[1996], [1998], [2000]]
    assert cc["segment"].nunique() == 4
    cpi = df[df["series"] == "cpi_score"]
    assert cpi["segment"].nunique() == 1 and len(cpi) == 13


def test_city_beside_country_splits_the_city_as_its_history_does(ro):
    """Moldova's editions are every other year: Bălți's index is one line through 2018, 2020,
    2022 as on its history chart (it was cut at every year between two editions); Lviv's is
    cut at the 2019 and 2024 methodology breaks."""
    balti = context.city_beside_country(ro, "md-balti", "md-idis-localities")
    assert balti[balti["series"] == "city"]["segment"].nunique() == 1
    lviv = context.city_beside_country(ro, "ua-lviv", "tc-transparency")
    runs = lviv[lviv["series"] == "city"].groupby("segment")["year"].agg(list).tolist()
    assert runs == [[2017, 2018], [2019, 2020, 2021], [2024]]
