"""One figure, three views: a year player (slider and a play button that steps through the
years, announcing methodology breaks as it crosses them) and the Chart / Map / Table tabs
drawn for the year it shows. Used by trends, city history, rankings and the slides."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from analytics import dashboard, trends
from pages import charts, common
from pages.common import t

VIEWS = {"chart": "Chart", "map": "Map", "table": "Table"}
ICONS = {"chart": ":material/show_chart:", "map": ":material/map:", "table": ":material/table:"}


def _toggle(key: str, years: list[int]) -> None:
    playing = not st.session_state.get(f"{key}_playing", False)
    if playing and st.session_state.get(f"{key}_year") == years[-1]:
        st.session_state[f"{key}_year"] = years[0]  # from the start again
    st.session_state[f"{key}_playing"] = playing
    st.session_state[f"{key}_clicked"] = True  # the timer starts or stops with a full run


def player(
    key: str,
    years: list[int],
    start: int,
    breaks: dict[int, str],
    draw: Callable[[int], None],
    interval: float = 2.0,
) -> None:
    """``draw(year)`` under a year slider with a play button. Playing steps one year every
    ``interval`` seconds (a fragment that reruns on a timer, so it works offline and moves
    nothing else on the page) and stops at the last year; a year that starts a new
    methodology is announced."""
    ykey, pkey, akey = f"{key}_year", f"{key}_playing", f"{key}_armed"
    if st.session_state.get(ykey) not in years:
        st.session_state[ykey] = start if start in years else years[-1]
    playing = bool(st.session_state.get(pkey)) and len(years) > 1
    st.session_state[akey] = False  # a full run shows the year as it is

    @st.fragment(run_every=interval if playing else None)
    def frame() -> None:
        # An error here: our calm, translated message inside the figure (a fragment's error
        # otherwise shows Streamlit's own box, in English, with links to search engines).
        with common.friendly_errors():
            if st.session_state.pop(f"{key}_clicked", False):
                st.rerun()
            if st.session_state.get(pkey) and st.session_state.get(akey):
                i = years.index(st.session_state[ykey])
                st.session_state[ykey] = years[min(i + 1, len(years) - 1)]
                if i + 1 >= len(years) - 1:  # the last year: stop, and stop the timer
                    st.session_state[pkey] = False
                    st.rerun()
            st.session_state[akey] = True
            c1, c2 = st.columns([2, 9], vertical_alignment="bottom")
            now_playing = bool(st.session_state.get(pkey))
            c1.button(
                t("Pause") if now_playing else t("Play"),
                key=f"{key}_button",
                icon=":material/pause:" if now_playing else ":material/play_arrow:",
                on_click=_toggle,
                args=(key, years),
                type="primary",
                disabled=len(years) < 2,
                help=t("Step through the years"),
            )
            if len(years) > 1:
                year = c2.select_slider(t("Year"), years, key=ykey)
            else:
                year = years[0]
                c2.markdown(f"**{year}**")
            if year in breaks:
                st.warning(
                    t(
                        "{y}: a new methodology. Results from here on are not directly "
                        "comparable with earlier years.",
                        y=year,
                    ),
                    icon=":material/warning:",
                )
            draw(year)

    frame()


def year_marked(module: str, name: str, args: tuple, year: int) -> alt.LayerChart:
    """A history chart from ``module.name(*args)`` with the player's year marked by a rule."""
    chart = getattr(importlib.import_module(module), name)(*args)
    rule = (
        alt.Chart(pd.DataFrame({"year": [year]}))
        .mark_rule(color="#1b3a6b", strokeWidth=2, opacity=0.45)
        .encode(x="year:Q")
    )
    chart.layer = [*chart.layer, rule]
    return chart


def three_views(
    key: str,
    programme: str,
    years: list[int],
    start: int,
    chart: Callable[[int], None],
    table: Callable[[int], None],
    highlight: str = "",
    default: str = "chart",
) -> None:
    """One figure, three views of the same selection (OWID's pattern): Chart, Map and Table
    for the year of the player above them, so that playing steps all three through the
    years. The view chosen stays while the years play."""
    marks = {int(b["year"]): str(b["methodology"]) for b in common.run(trends.breaks, programme)}
    vkey = f"{key}_view"

    def draw(year: int) -> None:
        view = st.segmented_control(
            t("View"),
            list(VIEWS),
            format_func=lambda v: t(VIEWS[v]),
            key=vkey,
            default=default,
            label_visibility="collapsed",
        )
        view = view or default
        if view == "chart":
            chart(year)
        elif view == "map":
            from pages import slides

            common.chart(
                slides.slide_map, programme, year, common.lang(), 820, 560, 13, highlight,
                stretch=False,
            )  # fmt: skip
        else:
            table(year)

    player(key, years, start, marks, draw)


def ranking_bars(programme: str, year: int, lang: str, filters: tuple) -> alt.Chart:
    """The ranking of a programme-year (with the page's filters) as bars of the index,
    highest first, coloured by class; cities without a total are left out (never a zero)."""
    table = common.run(dashboard.ranking, programme, year, lang=lang, **dict(filters))
    df = table[table["total"].notna()]
    n = len(common.run(dashboard.class_list, programme))
    known = df.dropna(subset=["class_position"]).sort_values("class_position")
    df = df.assign(cls=[t(c) if isinstance(c, str) else t("no class") for c in df["class_name"]])
    domain = list(dict.fromkeys(t(c) for c in known["class_name"]))
    colours = ["#{:02x}{:02x}{:02x}".format(*common.class_colour(p, n))
               for p in dict.fromkeys(known["class_position"])]  # fmt: skip
    colour = (
        alt.Color("cls:N", title=t("Class"), scale=alt.Scale(domain=domain, range=colours))
        if domain
        else alt.value("#4575b4")
    )
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X(
                "total:Q",
                title=t("Index"),
                scale=alt.Scale(domain=[0, charts.index_top(programme, year)]),
            ),
            color=colour,
            tooltip=[
                alt.Tooltip("name:N", title=t("City")),
                alt.Tooltip("total:Q", format=".1f", title=t("Index")),
                alt.Tooltip("cls:N", title=t("Class")),
            ],
        )
        .properties(height=max(18 * len(df), 60))
    )
