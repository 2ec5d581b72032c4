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
