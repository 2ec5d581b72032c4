"""A search box beside a city picker that finds a city by any spelling (Lvov, Lwów, Kharkov,
Kishinev, small typos) and selects it — see analytics.search."""

from __future__ import annotations

import streamlit as st

from analytics import dashboard, search
from pages import common
from pages.common import t


def _hits(query: str, codes: list[str]) -> list[tuple[str, str, float]]:
    index = common.run(dashboard.city_search_index)
    allowed = set(codes)
    return [h for h in search.find(index, query, limit=20) if h[0] in allowed][:5]


def find_box(target_key: str, codes: list[str], label: dict, multi: bool = False) -> None:
    """A text box that puts the city closest to what was typed into the widget whose session
    key is ``target_key`` (a selectbox, or with ``multi`` a multiselect it is added to)."""
    key = f"find_{target_key}"

    def pick() -> None:
        hits = _hits(st.session_state.get(key, ""), codes)
        st.session_state[f"{key}_hits"] = hits
        if not hits:
            return
        best = hits[0][0]
        if multi:
            chosen = list(st.session_state.get(target_key) or [])
            if best not in chosen:
                st.session_state[target_key] = [*chosen, best]
        else:
            st.session_state[target_key] = best

    st.text_input(
        t("Find a city by any spelling"),
        key=key,
        on_change=pick,
        placeholder=t("e.g. Lvov, Kharkov, Kishinev"),
        help=t("Names in any language, old names and transliterations; small typos are fine."),
    )
    hits = st.session_state.get(f"{key}_hits")
    if hits is None or not st.session_state.get(key):
        return
    if not hits:
        st.caption(t("No city matches “{q}”.", q=st.session_state[key]))
        return
    found = [
        t("{city} (as “{name}”)", city=label.get(code, code), name=name) for code, name, _ in hits
    ]
    st.caption(t("Found: {cities}", cities="; ".join(found)))
