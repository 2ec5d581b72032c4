"""Every page runs on the shipped database, shows its key elements, and takes its state from
the URL."""

from __future__ import annotations

import pytest

from tests.pages.conftest import texts

PAGES = [
    "overview",
    "rankings",
    "city",
    "compare",
    "trends",
    "projects",
    "methodology",
    "data",
    "present",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "programme, year", [("tc-transparency", "2021"), ("demo-index", "2025"), ("tc-wartime", "2022")]
)
def test_every_page_runs(app, page, programme, year):
    at = app(page, programme=programme, year=year)
    assert at.title, page


def test_overview_headline_and_url_state(app):
    at = app("overview", programme="demo-index", year="2023")
    assert at.sidebar.selectbox[0].value == "demo-index"
    assert at.select_slider(key="w_year").value == 2023
    labels = {m.label for m in at.metric}
    assert {"Cities assessed", "Average index"} <= labels
    assert "Synthetic demo data" in texts(at)
    assert at.query_params["programme"] in ("demo-index", ["demo-index"])


def test_real_programme_is_not_labelled_synthetic(app):
    at = app("overview", programme="tc-transparency", year="2021")
    assert "Synthetic demo data" not in texts(at)
    assert {m.label: m.value for m in at.metric}["Cities assessed"] == "17"


def test_rankings_filters_from_the_url(app):
    at = app("rankings", programme="demo-index", year="2025", country="GE")
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["country"]) == {"GE"}
    assert at.multiselect[0].value == ["GE"]


def test_rankings_search_and_empty_state(app):
    at = app("rankings", programme="demo-index", year="2025", q="Львів")
    assert list(at.dataframe[0].value["city"]) == ["ua-lviv"]
    at = app("rankings", programme="demo-index", year="2025", q="Atlantis")
    assert "No city matches these filters." in texts(at)


def test_rankings_never_show_not_assessed_as_zero(app):
    at = app("rankings", programme="tc-transparency", year="2024")
    table = at.dataframe[0].value
    missing = table[table["total"].isna()]
    assert len(missing) > 0  # classes without a published total
    assert (missing["total_label"] == "not assessed").all()


def test_city_profile_from_the_url(app):
    at = app("city", city="ua-lviv", programme="demo-index", year="2025")
    assert at.title[0].value == "Lviv"
    assert at.selectbox[0].value == "ua-lviv"
    t = texts(at)
    assert "Areas against peers" in t and "What it would take" in t
    assert "How solid is the rank?" in t and "Indicators" in t
    assert len(at.selectbox(key="w_area").options) == 15  # all areas, then each of 14
    assert len(at.dataframe[0].value) == 90


def test_city_drill_down_to_one_area(app):
    at = app("city", city="ua-lviv", programme="demo-index", year="2025", area="procurement")
    table = at.dataframe[0].value
    assert set(table["area"]) == {"procurement"} and len(table) == 2


def test_city_without_results_offers_other_programmes(app):
    at = app("city", city="ge-tbilisi", programme="tc-transparency", year="2021")
    assert "has no results in" in texts(at)


def test_compare_from_the_url(app):
    at = app(
        "compare", programme="demo-index", year="2025", cities=["ua-lviv", "ua-kyiv", "ge-tbilisi"]
    )
    assert at.multiselect[0].value == ["ua-lviv", "ua-kyiv", "ge-tbilisi"]
    assert "Who meets what" in texts(at)
    assert "Transparency against accountability" in texts(at)


def test_compare_needs_two_cities(app):
    at = app("compare", programme="demo-index", year="2025", cities="ua-lviv")
    assert "Choose at least two cities." in texts(at)


def test_trends_like_for_like(app):
    at = app(
        "trends",
        programme="demo-index",
        year="2025",
        by="population_band",
        **{"from": "2019", "to": "2022"},
    )
    t = texts(at)
    assert "Like-for-like" in t and "methodology changes (2021)" in t
    assert {m.label for m in at.metric} >= {"Cities compared", "Mean change, like-for-like"}


def test_trends_for_classes_only(app):
    at = app("trends", programme="tc-wartime", year="2023")
    assert "publishes classes only" in texts(at)


def test_methodology_page(app):
    at = app("methodology", programme="demo-index", year="2025", methodology="demo-index-2017")
    assert at.selectbox(key="w_methodology").value == "demo-index-2017"
    assert "Statistical coherence" in texts(at)
    at = app("methodology", programme="tc-transparency", year="2017")
    t = texts(at)
    assert "Indicator texts are not published" in t
    assert "Published figures and their sources" in t


def test_charts_can_be_saved_as_svg(app):
    at = app("trends", programme="demo-index", year="2025")
    assert any(b.label == "SVG" for b in at.get("download_button"))
    from pages.common import _svg

    svg = _svg(
        {
            "mark": "bar",
            "data": {"values": [{"a": 1}]},
            "encoding": {"x": {"field": "a", "type": "quantitative"}},
        }
    )
    assert svg.startswith(b"<svg")


def test_map_tooltip_is_text_not_html(app):
    import json

    at = app("overview", programme="demo-index", year="2025")
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert "{name}" in tooltip["text"] and "html" not in tooltip


@pytest.mark.parametrize("lang, title, city", [("uk", "Огляд", "Львів"), ("ru", "Обзор", "Львов")])
def test_language_from_the_url(app, lang, title, city):
    at = app(None, programme="demo-index", year="2025", lang=lang)
    assert at.title[0].value == title
    average = [m.value for m in at.metric if m.label in ("Середній індекс", "Средний индекс")]
    assert average and "," in average[0]  # 65,0 — decimal comma in both languages
    at = app("city", programme="demo-index", year="2025", city="ua-lviv", lang=lang)
    assert at.title[0].value == city


def test_projects_page(app):
    at = app("projects", project="transparent-cities-e-platform")
    t = texts(at)
    assert "Timeline" in t and "Targets" in t
    targets = next(d.value for d in at.dataframe if "actual_label" in d.value.columns)
    assert list(targets["target"]) == [20, 50, 14, 30, 5, 20000, 2000]
    assert set(targets["actual_label"]) == {"no data yet"}
    assert "2020-01-01 – 2023-03-31" in t  # dates from the EU Neighbours East page


def test_projects_page_counts_money_once_and_flags_comparators(app):
    at = app("projects", project="undef-building-transparent-cities")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["EU contribution, € (each project once)"] == "276,440,186"
    assert metrics["Non-EU comparators"] == "2"
    assert any("Not EU-funded" in w.value for w in at.warning)
    table = next(d.value for d in at.dataframe if "funding" in d.value.columns)
    assert (table["funding"] == "not EU-funded (comparator)").sum() == 2
    assert "The sources name no cities for this project." in texts(at)


def test_projects_page_real_places_and_reason_in_ukrainian(app):
    at = app("projects", project="euaci-1", lang="uk")
    t = texts(at)
    assert "Немає оціненого року до початку проєкту в 2017" in t
    places = next(d.value for d in at.dataframe if "role" in d.value.columns)
    assert set(places["name"]) == {"Чернівці", "Житомир"}


def test_backdrop_on_overview_trends_and_city(app):
    for page, query in (
        ("overview", {"programme": "tc-transparency", "year": "2021"}),
        ("trends", {"programme": "tc-transparency"}),
    ):
        at = app(page, **query)
        assert "Country backdrop" in texts(at)
        snap = next(d.value for d in at.dataframe if "CPI rank" in d.value.columns)
        assert len(snap) == 6 and "105 of 180" in set(snap["CPI rank"])
        assert "Corruption Perceptions Index 2024" in texts(at)
    at = app("city", city="ua-vinnytsia", programme="tc-transparency", year="2021", lang="uk")
    t = texts(at)
    assert "Контекст країни" in t and "член OGP Local з 2020" in t and "CPI 2024: 35" in t


def test_project_impact_with_its_caveat(app):
    at = app("projects", project="demo-project")
    assert "Synthetic demo data" in texts(at)
    assert any("not proof" in w.value for w in at.warning)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Difference in change, points"].startswith("+")


@pytest.mark.parametrize(
    "slide, heading",
    [
        ("0", "Synthetic demo index (not real data)"),
        ("2", "Biggest risers"),
        ("3", "Average index"),
    ],
)
def test_presentation_slides_from_the_url(app, slide, heading):
    at = app(None, present="1", programme="demo-index", year="2025", slide=slide)
    assert at.title[0].value == heading
    assert len(at.sidebar.selectbox) == 0  # no sidebar controls in presentation mode


def test_presentation_steps_forward_and_wraps(app):
    at = app(None, present="1", programme="demo-index", year="2025", slide="4")
    at.button(key="next").click().run()
    assert at.query_params["slide"] in ("0", ["0"])


def test_city_offers_the_scorecard(app):
    at = app("city", city="ua-lviv", programme="demo-index", year="2025")
    labels = {b.label for b in at.get("download_button")}
    assert {"Scorecard PDF", "Scorecard PNG"} <= labels
