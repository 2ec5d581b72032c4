"""The city pickers find a city by any spelling (issue 15 item 5)."""

from __future__ import annotations

from tests.pages.conftest import texts


def test_city_profile_find_box_selects_the_city(app):
    at = app("city", programme="tc-transparency", year="2021", city="ua-kyiv")
    at.text_input(key="find_w_city").input("Kharkov").run()
    assert not at.exception
    assert at.selectbox(key="w_city").value == "ua-kharkiv"
    assert "Kharkov" in texts(at) or "Харков" in texts(at)  # says which spelling matched


def test_compare_find_box_adds_the_city(app):
    at = app("compare", programme="tc-transparency", year="2021", cities=["ua-lviv", "ua-kyiv"])
    at.text_input(key="find_w_cities").input("Lwiw").run()
    assert at.multiselect(key="w_cities").value == ["ua-lviv", "ua-kyiv"]  # Lviv was there
    at.text_input(key="find_w_cities").input("Odessa").run()
    assert at.multiselect(key="w_cities").value == ["ua-lviv", "ua-kyiv", "ua-odesa"]


def test_no_match_says_so(app):
    at = app("city", programme="tc-transparency", year="2021")
    at.text_input(key="find_w_city").input("Atlantis").run()
    assert "No city matches “Atlantis”." in texts(at)
