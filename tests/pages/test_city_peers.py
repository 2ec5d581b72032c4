"""The city profile's "areas against peers": with no peer city assessed, the caption says so
instead of a "median of 0 peer cities"."""

from __future__ import annotations

from tests.pages.conftest import texts


def test_no_peer_city_means_no_peer_median(app):
    # Bălți, Moldova's localities 2024: no other city of its country and population band
    at = app("city", programme="md-idis-localities", year="2024", city="md-balti", lang="ru")
    shown = texts(at)
    assert "медиана 0" not in shown
    assert "медианы похожих городов нет" in shown


def test_peer_median_names_how_many_peers(app):
    at = app("city", programme="tc-transparency", year="2018", city="ua-lviv")
    shown = texts(at)
    assert "the tick is the median of" in shown
    assert "the tick is the median of 0 " not in shown
