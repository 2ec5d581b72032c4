"""Every indicator mention links to the indicator's page (issue 15 item 4): the city profile's
indicator table, its gap planner and "what it would take", the compare page's who-meets-what
matrix and the methodology page's list. A link keeps the programme, the year and the language,
and opens the page on that indicator."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from pages.common import INDICATOR_CODE_IN_LINK


def link_params(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def check_links(df, column: str, code_column: str, **expected) -> None:
    assert len(df) > 0
    for url, code in zip(df[column], df[code_column], strict=True):
        path, params = link_params(url)
        assert path == "./indicator", url  # relative: works under any base path
        assert params == {**expected, "indicator": code}, url
        # what the cell shows (the column's display_text, a JS regex): the code itself
        assert re.search(INDICATOR_CODE_IN_LINK, url).group(1) == code


def test_city_indicator_table_links_each_indicator(app):
    at = app("city", city="ua-lviv", programme="tc-transparency", year="2018", lang="uk")
    table = table_with(at, "evidence_url")
    assert len(table) == 91
    check_links(
        table, "indicator_page", "code", lang="uk", programme="tc-transparency", year="2018"
    )
    plan = table_with(at, "total_after")  # the gap planner
    check_links(plan, "indicator_page", "code", lang="uk", programme="tc-transparency", year="2018")


def test_a_link_opens_the_indicator_page_on_that_indicator(app):
    at = app("city", city="ua-lviv", programme="tc-transparency", year="2018", lang="uk")
    url = table_with(at, "evidence_url")["indicator_page"].iloc[5]
    _, params = link_params(url)
    page = app("indicator", **params)
    assert page.selectbox(key="w_indicator").value == params["indicator"]
    assert page.sidebar.selectbox[0].value == "tc-transparency"
    assert page.title[0].value == f"Індикатор {params['indicator']}"  # still in Ukrainian


def test_what_it_would_take_links_its_ticked_indicators(app):
    at = app("city", city="ua-lviv", programme="demo-index", year="2025")
    ticked = table_with(at, "peers_meeting")
    check_links(ticked, "indicator_page", "code", lang="en", programme="demo-index", year="2025")


def test_compare_matrix_links_each_indicator(app):
    at = app(
        "compare", programme="demo-index", year="2025", cities=["ua-lviv", "ua-kyiv"], lang="ru"
    )
    matrix = table_with(at, "max_points")
    check_links(matrix, "indicator_page", "code", lang="ru", programme="demo-index", year="2025")


def test_methodology_list_links_in_a_year_of_that_methodology(app):
    at = app("methodology", programme="tc-transparency", year="2018")
    listed = next(d.value for d in at.dataframe if len(d.value) == 91)
    codes = listed["code"].map(lambda u: link_params(u)[1]["indicator"])
    check_links(
        listed.assign(plain=codes),
        "code",
        "plain",
        lang="en",
        programme="tc-transparency",
        year="2018",
    )
    # a methodology of other years links into its own years, not the year in the sidebar
    at = app("methodology", programme="demo-index", year="2025", methodology="demo-index-2017")
    listed = next(d.value for d in at.dataframe if "text" in d.value.columns and len(d.value) == 90)
    years = {link_params(u)[1]["year"] for u in listed["code"]}
    assert years == {"2020"}


def test_a_year_without_indicator_results_says_so_and_links_the_years_with(app):
    # TI Ukraine 2017: area scores only (the 2017-2018 methodology's indicators scored in 2018)
    at = app("indicator", programme="tc-transparency", year="2017", indicator="A16003")
    said = [str(i.value) for i in at.info]
    assert any(s.startswith("No city has a result on this indicator in 2017") for s in said), said
    assert not [m for m in at.metric if m.label == "Do not meet it"]  # no row of zeros
    (link,) = [p for p in at.get("page_link") if "2018" in p.proto.label]
    assert link.proto.label == "Results on it in 2018"
    # the methodology page's list opens its indicators in 2018, not in the empty 2017
    at = app("methodology", programme="tc-transparency", year="2017")
    listed = next(d.value for d in at.dataframe if len(d.value) == 91)
    assert {link_params(u)[1]["year"] for u in listed["code"]} == {"2018"}


def test_methodology_versions_link_where_the_indicator_continues(app):
    at = app("indicator", programme="demo-index", year="2025", indicator="info-02", lang="uk")
    versions = table_with(at, "results")
    rows = dict(zip(versions["methodology"], versions["results"], strict=True))
    # methodologies by their years and areas by their names: no codes ("demo-index-2021",
    # "info") in the interface
    assert rows["2021–2025"] == ""  # the one shown
    assert set(versions["area"]) == {"Інформація про роботу органів місцевого самоврядування"}
    path, params = link_params(rows["2017–2020"])
    assert path == "./indicator"
    # the latest year of the older methodology (2017-2020), in the same language
    assert params == {
        "lang": "uk",
        "programme": "demo-index",
        "year": "2020",
        "indicator": "info-02",
    }


def test_working_notes_are_named_by_their_column_not_by_an_english_mark(app):
    """TI's 2018 work file: the comments are the analysts' working notes, marked in the data
    "Analysts' working note: …" — the mark showed in English in every language."""
    at = app("indicator", programme="tc-transparency", year="2018", indicator="A16001", lang="uk")
    grid = next(d for d in at.dataframe if "comment" in d.value.columns and len(d.value) == 100)
    comments = grid.value["comment"].dropna()
    assert len(comments) > 50 and not comments.str.contains("Analysts").any()
    assert json.loads(grid.proto.columns)["comment"]["label"] == "Робоча нотатка аналітиків"
    caption = " ".join(str(c.value) for c in at.caption)
    assert "методологія 2017–2018" in caption and "tc-transparency-2017" not in caption
