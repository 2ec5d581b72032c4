"""An error inside a figure's year player (a Streamlit fragment) shows our calm, translated
message, never Streamlit's own box: seen on Georgia's rankings in Ukrainian, "This app has
encountered an error…" with "Ask Google" and "Ask ChatGPT" links above our message."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def _page() -> None:
    import streamlit as st

    from pages import views

    def draw(year: int) -> None:
        raise KeyError("published_rank")

    st.query_params["lang"] = "uk"
    views.player("t", [2019, 2021], 2021, {}, draw)
    st.write("after the figure")


def test_an_error_in_a_figure_is_our_message_and_the_page_goes_on(monkeypatch):
    monkeypatch.setenv("OCM_SHOW_ERRORS", "0")
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert error.value.startswith("Під час показу цієї сторінки щось пішло не так")
    assert "after the figure" in [m.value for m in at.markdown]


def test_no_error_box_links_to_search_engines():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'showErrorLinks = "false"' in config
