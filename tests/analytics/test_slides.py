"""What the slides and the figure source lines are made of, checked by hand."""

from __future__ import annotations

import pandas as pd

from analytics import figures, slides


def test_pick_year_keeps_the_chosen_year_when_it_has_data():
    assert slides.pick_year({2017: 0, 2018: 100, 2019: 11}, 2018) == 2018


def test_pick_year_falls_back_to_the_nearest_year_with_data_later_on_a_tie():
    # 2017 has no changes (nothing before it): 2016 and 2018 are both one year away
    assert slides.pick_year({2016: 3, 2017: 0, 2018: 100}, 2017) == 2018
    assert slides.pick_year({2017: 0, 2020: 7, 2024: 0}, 2017) == 2020
    assert slides.pick_year({2017: 0, 2018: 0}, 2017) is None


def test_extremes_flag_the_top_and_bottom_k_and_skip_missing():
    pts = pd.DataFrame(
        {
            "name": ["a", "b", "c", "d", "e", "f"],
            "total": [10.0, 90.0, None, 50.0, 70.0, 30.0],
        }
    )
    ext = slides.extremes(pts, k=2)
    assert list(ext["name"]) == ["b", "e", "d", "f", "a"]  # c has no total: never a zero
    assert list(ext["extreme"]) == ["top", "top", "", "bottom", "bottom"]


def test_city_story_of_lviv_2018(ro):
    story = slides.city_story(ro, "tc-transparency", 2018, "ua-lviv", "en")
    # TI Ukraine 2018: 65.7 (computed from 91 indicators), 2017: 57.0 — same methodology
    assert story["total"] == 65.7 and story["prev_total"] == 57.0 and story["prev_year"] == 2017
    assert round(story["change_points"], 1) == 8.7
    assert story["assessed"] == 91 and 0 < story["met"] <= 91
    # 2017 has area scores only: what rose is told by area, not by indicator
    assert story["newly_level"] == "area" and story["newly_met"]
    assert all(gain > 0 for _, gain in story["newly_met"])
    nxt = story["next"]
    assert nxt is not None and nxt["met_by"] and nxt["gain"] > 0


def test_city_story_is_none_without_a_result(ro):
    assert slides.city_story(ro, "tc-transparency", 2018, "ge-tbilisi", "en") is None


def test_source_of_a_programme_or_methodology(ro):
    by_programme = figures.source_of(ro, "tc-transparency")
    assert by_programme == figures.source_of(ro, "tc-transparency-2019")
    assert by_programme["website"] == "transparentcities.in.ua"
    assert not by_programme["synthetic"]
    assert figures.source_of(ro, "demo-index")["synthetic"]
    assert figures.source_of(ro, "ua-lviv") is None


# ------------------------------------------------------------------------------ map labels


def test_mercator_by_hand_and_back():
    m = slides.Mercator(scale=1000.0, tx=500.0, ty=400.0)
    assert [round(v, 9) for v in m.point(0.0, 0.0)] == [500.0, 400.0]
    # one radian of longitude is 1000 px; ln tan(π/4 + φ/2) = 1 at φ = 2·atan(e) − π/2 = 49.60494°
    x, y = m.point(57.29577951, 49.604937)
    assert round(x, 3) == 1500.0 and round(y, 1) == -600.0
    lon, lat = m.lonlat(1500.0, -600.0)
    assert round(lon, 5) == 57.29578 and round(lat, 4) == 49.6049


def test_the_projection_puts_a_dot_where_vega_draws_it():
    """The labels are placed in pixels of this projection: Vega must draw the dots there."""
    import re

    import altair as alt
    import vl_convert

    pts = pd.DataFrame({"lon": [24.03, 35.05, 30.52], "lat": [49.84, 48.46, 50.45]})
    m = slides.fit_mercator(list(zip(pts["lon"], pts["lat"])), 600, 400, 20)
    chart = (
        alt.Chart(pts)
        .mark_circle(size=50)
        .encode(longitude="lon:Q", latitude="lat:Q")
        .project("mercator", scale=m.scale, translate=[m.tx, m.ty])
        .properties(width=600, height=400, autosize=alt.AutoSizeParams(type="pad"), padding=0)
    )
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    drawn = [(float(a), float(b)) for a, b in re.findall(r"translate\(([-\d.]+),([-\d.]+)\)", svg)]
    for lon, lat in zip(pts["lon"], pts["lat"]):
        x, y = m.point(lon, lat)
        assert any(abs(x - a) < 0.01 and abs(y - b) < 0.01 for a, b in drawn), (x, y, drawn)


def test_fit_fills_one_side_and_centres_the_other():
    # a box 2 radians wide at the equator (x: −1..1), nearly flat: the width decides
    m = slides.fit_mercator([(-57.29578, 0.0), (57.29578, 1.0)], 1000, 800, 50)
    assert round(m.scale, 3) == 450.0  # (1000 − 2·50) / 2 rad
    x0, y0 = m.point(-57.29578, 0.0)
    x1, y1 = m.point(57.29578, 1.0)
    assert round(x0, 3) == 50.0 and round(x1, 3) == 950.0
    assert round((y0 + y1) / 2, 3) == 400.0  # centred in the height


def ten_px_a_letter(text: str, px: int) -> float:
    return 10.0 * len(text)


def test_two_close_cities_label_away_from_each_other_by_hand():
    # dots 30 px apart, radius 5, gap 4, type 30 px (boxes 36 px high): "Dnipro" to the right
    # would cover the other dot, so it goes left, its right edge 9 px from its dot; the other
    # goes right, its left edge 9 px from its dot
    a, b = slides.place_labels(
        [("a", "Dnipro", 100, 100), ("b", "Svitlovodsk", 130, 100)],
        400,
        300,
        30,
        dot_radius=5,
        measure=ten_px_a_letter,
    )
    assert a.box == (31.0, 82.0, 91.0, 118.0) and a.centre == (61.0, 100.0) and not a.leader
    assert b.box == (139.0, 82.0, 249.0, 118.0) and b.centre == (194.0, 100.0) and not b.leader


def assert_clear(labels, items, width, height, radius, gap=4.0):
    boxes = [lab.box for lab in labels]
    for i, p in enumerate(boxes):
        assert p[0] >= 0 and p[1] >= 0 and p[2] <= width and p[3] <= height, p
        for q in boxes[i + 1 :]:
            assert (
                p[2] + gap <= q[0] or q[2] + gap <= p[0] or p[3] + gap <= q[1] or q[3] + gap <= p[1]
            )
        for _, _, x, y in items:  # no label over a named dot, its own included
            nx, ny = min(max(x, p[0]), p[2]), min(max(y, p[1]), p[3])
            assert (nx - x) ** 2 + (ny - y) ** 2 >= (radius + gap) ** 2


def test_a_tight_cluster_gets_labels_that_cover_nothing_with_leaders():
    # ten cities within 40 px of each other: no label fits right beside every dot
    items = [(f"c{i}", f"City {i}", 300 + (i % 5) * 9, 200 + (i // 5) * 12) for i in range(10)]
    labels = slides.place_labels(items, 700, 500, 30, dot_radius=6, measure=ten_px_a_letter)
    assert [lab.key for lab in labels] == [k for k, *_ in items]  # every one placed
    assert_clear(labels, items, 700, 500, 6)
    assert sum(lab.leader for lab in labels) >= 5  # moved away: joined to the dot by a line
    for lab in labels:
        if not lab.leader:  # right beside its dot, at its height
            assert lab.centre[1] == lab.dot[1]


def test_a_label_stays_inside_the_map():
    (lab,) = slides.place_labels(
        [("x", "Mariupol", 690, 10)], 700, 500, 30, dot_radius=6, measure=ten_px_a_letter
    )
    assert lab.box[2] <= 700 and lab.box[1] >= 0 and lab.box[0] < 690  # to the left, below


def test_the_2018_map_labels_do_not_overlap(ro):
    """TI Ukraine 2018 on the map slide (1080 × 677 px, 30 px type): Dnipro and Svitlovodsk,
    Drohobych and Stryi sit close; all ten of the top and bottom five are labelled, clear of
    each other and of the named dots, inside the map."""
    from analytics import dashboard

    points = dashboard.map_points(ro, "tc-transparency", 2018, lang="uk")
    points = points[points["total"].notna()]
    feats = [
        f for f in dashboard.country_outlines(ro, lang="uk")["features"]
        if f["properties"]["iso2"] == "UA"
    ]  # fmt: skip
    proj = slides.map_projection(feats, points, 1080, 677)
    labels = slides.map_labels(points, proj, 1080, 677, 30, dot_radius=12.6, highlight="ua-lviv")
    assert len(labels) == 11 and labels["kind"].value_counts().to_dict() == {
        "top": 5,
        "bottom": 5,
        "chosen": 1,
    }
    placed = [
        slides.Label(r.city, r.label, proj.point(r.dot_lon, r.dot_lat), (0, 0),
                     (r.x0, r.y0, r.x1, r.y1), r.leader)
        for r in labels.itertuples()
    ]  # fmt: skip
    items = [(p.key, p.text, *p.dot) for p in placed]
    assert_clear(placed, items, 1080, 677, 12.6)
    # the label's centre, as drawn (lon, lat), is the centre of its box
    for r in labels.itertuples():
        x, y = proj.point(r.lon, r.lat)
        assert abs(x - (r.x0 + r.x1) / 2) < 1e-6 and abs(y - (r.y0 + r.y1) / 2) < 1e-6
