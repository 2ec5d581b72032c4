"""Every page runs on the shipped database, shows its key elements, and takes its state from
the URL."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.pages.conftest import SVG, html_tables, svg_map, svg_titles, texts

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
    "indicator",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "programme, year",
    [
        ("tc-transparency", "2021"),
        ("tc-transparency", "2018"),
        ("tc-investment", "2018"),
        ("demo-index", "2025"),
        ("tc-wartime", "2022"),
        ("md-idis-localities", "2020"),  # derived totals, no ranks or grades
        ("md-idis-localities", "2024"),
        ("md-idis-districts", "2024"),
        ("ge-lsg-index", "2021"),  # partial coverage
    ],
)
def test_every_page_runs(app, page, programme, year):
    at = app(page, programme=programme, year=year)
    assert at.title, page


def test_moldovan_programmes_keep_units_apart_and_say_what_they_are(app):
    at = app("rankings", programme="md-idis-localities", year="2024")
    table = at.dataframe[0].value
    assert len(table) == 59 and table.iloc[0]["city"] == "md-balti"
    assert not table["city"].str.endswith("-district").any()
    assert "Localities only (district councils are a separate programme)" in texts(at)
    at = app("rankings", programme="md-idis-districts", year="2024")
    table = at.dataframe[0].value
    assert len(table) == 31 and table["city"].str.endswith("-district").all()
    assert "District councils, not cities." in texts(at)
    at = app("rankings", programme="md-idis-localities", year="2020", lang="uk")
    assert set(at.dataframe[0].value["source"]) == {"виведено"}


def test_moldovan_city_profile(app):
    at = app("city", city="md-balti", programme="md-idis-localities", year="2024")
    assert at.title[0].value == "Balti"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Index 2024"].startswith("87") and metrics["Rank"] == "1"
    assert metrics["Class"] == "A+"
    at = app("city", city="md-cahul-district", programme="md-idis-districts", year="2024")
    assert "district council" in texts(at)


def test_georgia_is_labelled_partial_where_shown(app):
    for page in ("rankings", "overview", "methodology"):
        at = app(page, programme="ge-lsg-index", year="2021")
        assert "Partial coverage" in texts(at), page
    # The headline average is the published national one (28 %), not the mean of the seven
    # top and bottom municipalities here ((70 + 66 + 61 + 58 + 55 + 5 + 4) / 7 = 45.6).
    at = app("overview", programme="ge-lsg-index", year="2021")
    metric = next(m for m in at.metric if m.label == "Average index")
    assert metric.value == "28.0" and "45.6" in metric.help


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
    assert missing["class_name"].notna().all()
    # they were assessed (a class exists): never "0", never "not assessed"
    assert (missing["total_label"] == "no total published").all()


def test_rankings_follow_the_index_and_name_the_rank_population(app):
    """tc-transparency 2021: published ranks of 100 for some cities; the order is the index's
    (Mariupol 91, Lviv 85.5, …), a city without a published rank has none (Mykolaiv 71.4, shown
    in its index place), never a rank computed among the cities here."""
    at = app("rankings", programme="tc-transparency", year="2021")
    table = at.dataframe[0].value
    totals = table["total"].dropna().tolist()
    assert totals == sorted(totals, reverse=True)
    assert set(table["rank_source"].dropna()) == {"published"}
    assert set(table["ranked_cities"].dropna()) == {100}
    assert pd.isna(table.set_index("city").loc["ua-mykolaiv", "rank"])  # no published rank
    assert "The programme's own ranks in its published ranking" in texts(at)


def test_rankings_of_a_whole_field_are_computed_of_100(app):
    """tc-transparency 2017: every one of the 100 cities has a total computed here from TI's
    area scores, so the rank is computed among the same 100 (ties share the better rank)."""
    at = app("rankings", programme="tc-transparency", year="2017")
    table = at.dataframe[0].value
    assert set(table["rank_source"].dropna()) == {"computed"}
    assert set(table["ranked_cities"].dropna()) == {100}
    assert table["rank"].notna().sum() == 100


def test_rankings_sparklines_are_images_with_gaps(app):
    import base64

    at = app("rankings", programme="tc-transparency", year="2021")
    table = at.dataframe[0].value.set_index("city")
    svg = base64.b64decode(table.loc["ua-lviv", "sparkline"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "<path" in svg
    assert None in table.loc["ua-lviv", "history"] or len(table.loc["ua-lviv", "history"]) > 0
    assert 0 not in [v for v in table.loc["ua-lviv", "history"] if v is not None]


def test_classes_only_overview_colours_by_class(app):
    at = app("overview", programme="tc-wartime", year="2022")
    metrics = {m.label: m.value for m in at.metric}
    assert "Average index" not in metrics  # no placeholder as a big number
    assert "classes only" not in metrics.values()
    assert any(k.startswith("Share ") for k in metrics)
    assert "gave classes only in 2022" in texts(at)
    root = svg_map(at)
    fills = {
        a.findtext("s:circle/s:title", namespaces=SVG): a.find("s:circle", SVG).get("fill")
        for a in root.findall("s:g/s:a", SVG)
    }
    with_class = [f for t, f in fills.items() if "Class: no class" not in t]
    assert with_class and "#aaaaaa" not in with_class  # every city with a class coloured
    _, frames = map_chart(interactive(at))
    cities = next(f for f in frames.values() if "class_colour" in f.columns)
    colours = set(cities.loc[cities["label_class"] != "no class", "class_colour"])
    assert colours and "#aaaaaa" not in colours  # every city with a class coloured


def test_classes_only_city_has_no_placeholder_metric(app):
    at = app("city", programme="tc-wartime", year="2022", city="ua-lviv")
    values = [m.value for m in at.metric]
    assert "not assessed" not in values and values
    assert {m.label for m in at.metric} >= {"Class"}
    history = at.dataframe[0].value  # the classes by year, not an empty index chart
    assert list(history["year"]) == [2022, 2023] and history["class_label"].notna().all()


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
    # Real published totals never appear under the synthetic banner ...
    assert "Transparency against accountability" not in texts(at)
    at = app("compare", programme="tc-transparency", year="2021", cities=["ua-lviv", "ua-kyiv"])
    assert "Transparency against accountability" in texts(at)  # ... only with a real programme


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


def _vega_specs(at) -> list[dict]:
    import json

    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def _layers(spec: dict) -> list[dict]:
    return [layer for layer in spec.get("layer", [spec])]


@pytest.mark.parametrize(
    "page, query",
    [
        ("city", {"city": "ua-lviv"}),
        ("compare", {"cities": ["ua-lviv", "ua-mariupol", "ua-dnipro"]}),
        ("trends", {"by": "all"}),
    ],
)
def test_history_charts_are_on_time_in_segments_with_breaks(app, page, query):
    """Every history chart: years on a quantitative axis (a missing year keeps its space),
    lines drawn per segment (never across a gap or a break), the breaks marked."""
    at = app(page, programme="tc-transparency", year="2021", **query)
    spec = _vega_specs(at)[0]
    layers = _layers(spec)
    lines = [
        layer
        for layer in layers
        if str(layer.get("mark", {}).get("type", layer.get("mark"))) == "line"
    ]
    assert lines and all(layer["encoding"]["x"]["type"] == "quantitative" for layer in lines)
    assert all(layer["encoding"]["detail"]["field"] == "segment" for layer in lines)
    rules = [layer for layer in layers if "rule" in str(layer.get("mark"))]
    assert rules  # 2019 and 2024 are methodology breaks of tc-transparency
    # no segment spans two methodologies or skips a programme year
    import pyarrow as pa

    el = at.get("vega_lite_chart")[0].proto
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in el.datasets]
    points = next(f for f in frames if "segment" in f.columns)
    years = [2017, 2018, 2019, 2020, 2021, 2024]  # tc-transparency's years
    for _, seg in points.groupby("segment"):
        assert seg["methodology"].nunique() == 1
        ys = sorted(seg["year"])
        assert all(years.index(b) - years.index(a) == 1 for a, b in zip(ys, ys[1:]))


def test_trends_average_over_the_same_cities_by_default(app):
    at = app("trends", programme="tc-transparency", year="2021", by="all")
    t = texts(at)
    assert "(a balanced panel)" in t and "2019–2021: 6 cities" in t
    at = app("trends", programme="tc-transparency", year="2021", by="all", panel="all")
    assert "2017: 100 cities" in texts(at)  # every city of 2017 has a total


def test_like_for_like_within_one_methodology(app):
    at = app("trends", programme="tc-transparency", year="2021", **{"from": "2019", "to": "2021"})
    assert "No city has comparable data in both years." not in texts(at)
    assert {m.label: m.value for m in at.metric}["Cities compared"] == "7"


def test_trends_for_classes_only(app):
    at = app("trends", programme="tc-wartime", year="2023")
    assert "publishes classes only" in texts(at)
    assert "Share of cities in each class" in texts(at)  # classes exist: they are shown


def test_compare_for_classes_only_shows_classes(app):
    at = app("compare", programme="tc-wartime", year="2023", cities=["ua-lviv", "ua-dnipro"])
    assert "gave classes only, no totals" in texts(at)
    table = at.dataframe[0].value
    assert {"transparent", "partially transparent", "non-transparent"} & set(table.stack().dropna())


def test_methodology_page(app):
    at = app("methodology", programme="demo-index", year="2025", methodology="demo-index-2017")
    assert at.selectbox(key="w_methodology").value == "demo-index-2017"
    assert "Statistical coherence" in texts(at)
    at = app("methodology", programme="tc-transparency", year="2017")
    t = texts(at)
    # TI Ukraine's 91 indicators of 2017-2018, en/ru marked as our translations
    assert "the English and Russian texts are our translations" in t
    assert "Transparency International Ukraine, Transparent Cities programme" in t
    assert len(at.dataframe[-1].value) == 91 or any(len(d.value) == 91 for d in at.dataframe)
    assert "Published figures and their sources" in t
    at = app(
        "methodology", programme="tc-transparency", year="2021", methodology="tc-transparency-2019"
    )
    assert "Indicator texts are not published" in texts(at)


def test_first_screen_is_the_real_2018_ranking(app):
    at = app(None)
    assert at.sidebar.selectbox[0].value == "tc-transparency"
    assert at.session_state["w_year"] == 2018
    assert "Synthetic demo data" not in texts(at)
    assert {m.label: m.value for m in at.metric}["Cities assessed"] == "100"
    # the demo is one choice away, labelled
    assert "Synthetic demo index (not real data)" in at.sidebar.selectbox[0].options


def test_city_profile_of_a_real_2018_city(app):
    at = app("city", city="ua-lviv", programme="tc-transparency", year="2018")
    t = texts(at)
    assert "English and Russian are our translations" in t
    assert "analysts' working notes" in t
    table = next(d.value for d in at.dataframe if "evidence_url" in d.value.columns)
    assert len(table) == 91
    assert table["evidence_url"].str.startswith("http").sum() > 40
    at = app("city", city="ua-lviv", programme="tc-transparency", year="2018", lang="uk")
    table = next(d.value for d in at.dataframe if "evidence_url" in d.value.columns)
    assert table["text"].iloc[0].startswith("Чи оприлюднюються")  # TI's own wording


def test_investment_city_without_reply(app):
    at = app("city", city="ua-pryluky", programme="tc-investment", year="2018")
    assert "did not answer the information requests" in texts(at)


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


def interactive(at):
    """Turn the overview's "Interactive map" switch on (the Vega-Lite map)."""
    at.toggle(key="w_map_interactive").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_chart(at):
    """The overview map's Vega-Lite spec and its datasets (Streamlit sends them apart)."""
    import json

    import pyarrow as pa

    proto = at.get("vega_lite_chart")[0].proto
    frames = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in proto.datasets}
    return json.loads(proto.spec), frames


def test_map_tooltip_is_text_not_html(app):
    at = app("overview", programme="demo-index", year="2025")
    assert not at.get("deck_gl_json_chart")  # no deck.gl bundle on the landing page
    lviv = next(t for t in svg_titles(svg_map(at), "s:g/s:a/s:circle") if "Lviv" in t)
    assert [line.split(": ")[0] for line in lviv.split("\n")] == [
        "City",
        "Country",
        "Index",
        "Class",
        "Rank",
    ]
    assert "<" not in lviv and "rank " in lviv
    spec, frames = map_chart(interactive(at))
    cities = spec["layer"][-1]
    titles = [t["title"] for t in cities["encoding"]["tooltip"]]
    assert titles == ["City", "Country", "Index", "Class", "Rank"]
    points = next(f for f in frames.values() if "label_rank" in f.columns).set_index("city")
    assert points.loc["ua-lviv", "label_rank"].startswith("rank ")
    assert " of " in points.loc["ua-lviv", "label_rank"]  # "rank 3 of 100", as before
    assert "<" not in "".join(points["name"])  # tooltips are Vega text, never HTML


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
        tables = [d.value for d in at.dataframe] + html_tables(at)
        snap = next(d for d in tables if "CPI rank" in d.columns)
        assert len(snap) == 6 and "105 of 180" in set(snap["CPI rank"])
        assert "Corruption Perceptions Index 2024" in texts(at)
        if page == "overview":  # the landing page draws the chart when asked for it
            assert not at.get("vega_lite_chart")
            at.toggle(key="w_backdrop_chart").set_value(True).run()
        assert at.get("vega_lite_chart")
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
        ("movers", "Biggest changes since 2024"),
        ("trend", "Average index"),
        ("city", "Lviv in 30 seconds"),  # the city chosen before entering
        ("effect", "Did the project's cities improve more?"),
    ],
)
def test_presentation_slides_from_the_url(app, slide, heading):
    at = app(None, present="1", programme="demo-index", year="2025", city="ua-lviv", slide=slide)
    assert at.title[0].value == heading
    assert len(at.sidebar.selectbox) == 0  # no sidebar controls in presentation mode


def test_presentation_steps_forward_and_wraps(app):
    at = app(None, present="1", programme="demo-index", year="2025", slide="6")
    at.button(key="next").click().run()
    assert at.query_params["slide"] in ("0", ["0"])


def test_city_offers_the_scorecard(app):
    at = app("city", city="ua-lviv", programme="demo-index", year="2025")
    labels = {b.label for b in at.get("download_button")}
    assert {"Scorecard PDF", "Scorecard PNG"} <= labels


def test_indicator_page_shows_who_meets_it(app):
    at = app("indicator", programme="demo-index", year="2025", indicator="info-02")
    assert at.selectbox(key="w_indicator").value == "info-02"
    labels = {m.label for m in at.metric}
    assert {"Cities assessed", "Meet it fully", "Meet it partly", "Do not meet it"} <= labels
    assert at.query_params["indicator"] in ("info-02", ["info-02"])


def test_indicator_page_explains_a_programme_without_indicators(app):
    at = app("indicator", programme="tc-wartime", year="2022")
    assert "no indicator-level results" in texts(at)


def test_class_colours_stretch_over_many_classes():
    from pages.common import class_colour

    # Three classes keep their palette; 16 grades run blue → yellow → red. Grade 8 of 16 sits
    # at 7/15 × 2 = 0.933 of the blue → yellow step: 69 + 185 × 0.933 = 242, 117 + 107 × 0.933
    # = 217, 180 − 36 × 0.933 = 146.
    assert [class_colour(p, 3) for p in (1, 2, 3)] == [
        [69, 117, 180], [254, 224, 144], [215, 48, 39],
    ]  # fmt: skip
    assert class_colour(1, 16) == [69, 117, 180] and class_colour(16, 16) == [215, 48, 39]
    assert class_colour(8, 16) == [242, 217, 146]
    assert class_colour(None, 16) == [170, 170, 170]
