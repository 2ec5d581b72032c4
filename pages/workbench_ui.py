"""The index workbench drawn on the pages (issue 18): your weights and method choices, how solid
the order is, why a rank moved, and what it would take. Each page calls one function; all
figures come from ``analytics.workbench``."""

from __future__ import annotations

import copy
import functools
import math

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from analytics import dashboard, i18n, workbench
from pages import common
from pages.common import t

LABEL = "Your weights — not the official index"
CHOICE_LABELS = {
    "aggregation": "Aggregation",
    "normalisation": "Normalisation",
    "missing": "Missing indicators",
}
OPTION_LABELS = {
    ("aggregation", "programme"): "the programme's rule (sum)",
    ("aggregation", "geometric"): "geometric mean",
    ("normalisation", "published"): "as published",
    ("normalisation", "minmax"): "min–max across the cities of the year",
    ("normalisation", "zscore"): "z-score",
    ("missing", "programme"): "as the programme counts them",
    ("missing", "excluded"): "excluded, weights re-spread",
}
URL_KEYS = {"aggregation": "agg", "normalisation": "norm", "missing": "miss"}
KIND_LABELS = {"newly met": "newly met", "lost": "lost", "partial": "partial"}
UP, DOWN, BAR = "#4575b4", "#d73027", "#8c8c8c"
MAX_RANGES = 150  # cities drawn in the rank-range chart (one line each)


def _opt(kind: str, option: str) -> str:
    return t(OPTION_LABELS[(kind, option)])


# ------------------------------------------------------------------------------ state


def _wkey(fr: workbench.Frame, area: str) -> str:
    return f"w_wt_{fr.methodology}_{area}"


def _sync_weights(fr: workbench.Frame) -> None:
    """Slider values from the URL when it brings new weights; else kept (or official)."""
    url = common.url_get_list("w")
    joined = "|".join(url)
    if joined != st.session_state.get("u_w"):
        given = workbench.parse_weights(url, fr.areas)
        for a, m in zip(fr.areas, fr.maxima):
            st.session_state[_wkey(fr, a)] = float(given.get(a, m))
        st.session_state["u_w"] = joined
    for a, m in zip(fr.areas, fr.maxima):
        key = _wkey(fr, a)
        st.session_state[key] = float(st.session_state.get(key, m))


def _reset(fr: workbench.Frame) -> None:
    for a, m in zip(fr.areas, fr.maxima):
        st.session_state[_wkey(fr, a)] = float(m)
    for kind, key in URL_KEYS.items():
        st.session_state[f"w_{key}"] = workbench.OFFICIAL_CHOICES[kind]
        st.session_state[f"u_{key}"] = None
        st.session_state[f"keep_{key}"] = None
    st.session_state["u_w"] = ""
    common.url_set(w=None, agg=None, norm=None, miss=None)


def _current(fr: workbench.Frame) -> dict[str, float]:
    return {a: float(st.session_state[_wkey(fr, a)]) for a in fr.areas}


def _controls(fr: workbench.Frame, names: dict[str, str], columns: int) -> dict:
    """Sliders per area, method choices and the reset; returns weights and choices."""
    _sync_weights(fr)
    top = float(max(2 * fr.maxima.max(), 1.0))
    step = 0.5 if fr.maxima.max() >= 5 else 0.1
    cols = st.columns(columns)
    for i, (a, m) in enumerate(zip(fr.areas, fr.maxima)):
        cols[i % columns].slider(
            names.get(a, a),
            0.0,
            top,
            step=step,
            key=_wkey(fr, a),
            help=t("Official weight: {w}", w=common.fmt_num(m, 2)),
        )
    weights = _current(fr)
    url_w = workbench.format_weights(fr, weights)
    st.session_state["u_w"] = "|".join(url_w)
    common.url_set(w=url_w)
    return weights


def _method_controls() -> dict[str, str]:
    cols = st.columns(3)
    picked = {}
    for col, (kind, options) in zip(
        cols,
        (
            ("aggregation", workbench.AGGREGATIONS),
            ("normalisation", workbench.NORMALISATIONS),
            ("missing", workbench.MISSING),
        ),
    ):
        if kind == "normalisation" and picked.get("aggregation") == "geometric":
            options = tuple(o for o in options if o != "zscore")
        key = URL_KEYS[kind]
        picked[kind] = col.selectbox(
            t(CHOICE_LABELS[kind]),
            list(options),
            format_func=lambda o, k=kind: _opt(k, o),
            key=common.bind(key, list(options), workbench.OFFICIAL_CHOICES[kind]),
        )
    common.remember(
        **{
            URL_KEYS[k]: (None if v == workbench.OFFICIAL_CHOICES[k] else v)
            for k, v in picked.items()
        }
    )
    return picked


# ------------------------------------------------------------------------------ your weights


@st.cache_resource(max_entries=256, show_spinner=False)
def _cached(sig: tuple, name: str, methodology: str, year: int, weights: tuple, choices: tuple):
    fr = common.run(workbench.frame, methodology, year)
    return getattr(workbench, name)(fr, dict(weights), **dict(choices))


def _computed(name: str, methodology: str, year: int, weights: dict, choices: dict):
    """``workbench.<name>`` on the frame of a methodology-year, shared by sessions and reruns
    with the same weights and choices (read-only)."""
    return common.cached_call(
        _cached,
        common.signature(),
        name,
        methodology,
        year,
        tuple(sorted(weights.items())),
        tuple(sorted(choices.items())),
    )


def _frame(programme: str, year: int) -> workbench.Frame | None:
    methodology = common.run(workbench.methodology_of, programme, year)
    if methodology is None:
        return None
    return common.run(workbench.frame, methodology, year)


def weights_panel(programme: str, year: int) -> None:
    """The rankings page's workbench: one control per area and the method choices; official
    and chosen ranks side by side, the move, a chart, a download and a summary per choice."""
    with st.container(key="wb_weights"):
        _weights_panel(programme, year)


def _weights_panel(programme: str, year: int) -> None:
    st.subheader(t("Your weights"))
    fr = _frame(programme, year)
    if fr is None or not fr.ok:
        st.info(
            t(
                "The workbench needs area scores for the cities of the year; this "
                "programme-year has published totals, ranks or classes only."
            ),
            icon=":material/tune:",
        )
        return
    lang = common.lang()
    names = common.run(workbench.area_names, fr.methodology, lang=lang)
    st.caption(
        t(
            "Choose how much each area counts. The controls start at the methodology's official "
            "weights (each area's maximum); the index is rescaled to {mx} points whatever the "
            "weights add up to.",
            mx=common.fmt_num(fr.max_points, 0),
        )
    )
    with st.expander(t("Weights and method choices"), expanded=True, icon=":material/tune:"):
        weights = _controls(fr, names, 3)
        choices = _method_controls()
        st.button(
            t("Reset to the official weights"),
            on_click=_reset,
            args=(fr,),
            icon=":material/restart_alt:",
            key="wb_reset",
        )
    w = workbench.weight_vector(fr, weights)
    if not (w > 0).any():
        st.warning(t("Give at least one area a weight above zero."), icon=":material/warning:")
        return
    table = _computed("reweight", fr.methodology, year, weights, choices)
    _results(fr, table, weights, choices, programme, year)


def _results(fr, table: pd.DataFrame, weights, choices, programme: str, year: int) -> None:
    lang = common.lang()
    official = workbench.is_official(fr, workbench.weight_vector(fr, weights), **choices)
    city_names = common.run(dashboard.city_names, fr.cities, lang=lang)
    shown = table.assign(name=table["city"].map(lambda c: city_names.get(c, c)))
    st.warning(t(LABEL), icon=":material/tune:")
    if official:
        st.caption(
            t(
                "These are the official weights and method: the ranks equal the official ones. "
                "Move a control to see how the order changes."
            )
        )
    if fr.excluded_cities:
        st.caption(
            t(
                "{n} cities with a published total but no area scores cannot be reweighted "
                "and are left out; ranks here are among the {m} others.",
                n=len(fr.excluded_cities),
                m=len(fr.cities),
            )
        )
    zs = choices["normalisation"] == "zscore"
    common.table(
        shown,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown), 460),
        key="wb_table",
        column_order=["name", "official_rank", "rank", "move", "official_total", "total"],
        column_config={
            "name": t("City"),
            "official_rank": st.column_config.NumberColumn(t("Official rank"), format="%d"),
            "rank": st.column_config.NumberColumn(t("Your rank"), format="%d", help=t(LABEL)),
            "move": st.column_config.NumberColumn(
                t("Move"), format="%+d", help=t("Places gained under your weights")
            ),
            "official_total": st.column_config.NumberColumn(t("Official index"), format="%.1f"),
            "total": st.column_config.NumberColumn(
                t("Your index (standard deviations)") if zs else t("Your index"),
                format="%.2f" if zs else "%.1f",
                help=t(LABEL),
            ),
        },
    )
    key = tuple(sorted(weights.items()))
    common.chart(moves_chart, programme, year, key, tuple(sorted(choices.items())), lang)
    export = shown[["official_rank", "rank", "move", "city", "name", "official_total", "total"]]
    export = export.assign(
        note=t(LABEL),
        methodology=fr.methodology,
        year=year,
        weights="; ".join(f"{a}={v:g}" for a, v in weights.items()),
        **{k: v for k, v in choices.items()},
    )
    common.downloads(export, f"your-weights-not-official-{programme}-{year}", "wb")
    _summaries(fr, weights)


def moves_chart(programme: str, year: int, weights: tuple, choices: tuple, lang: str) -> dict:
    """Official rank against the rank under your weights, one line per city that moves.

    Every weight a user tries is a new chart, so it is not built through Altair each time:
    the chart is built once per language (``_moves_template``) and gets the cities that move,
    their order and its height filled in."""
    fr = _frame(programme, year)
    assert fr is not None
    table = workbench.reweight(fr, dict(weights), **dict(choices))
    names = common.run(dashboard.city_names, fr.cities, lang=lang)
    moved = table[table["move"].abs() > 0].assign(name=lambda d: d["city"].map(names))
    moved = moved.reindex(moved["move"].abs().sort_values(ascending=False).index).head(30)
    title = t(LABEL)
    if moved.empty:
        df = pd.DataFrame({"x": [0], "y": [0], "text": [t("No city changes rank.")]})
        return (
            alt.Chart(df)
            .mark_text(fontSize=14)
            .encode(x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None), text="text:N")
            .properties(height=60, title=title)
            .to_dict(validate=False)
        )
    cities = [{k: _json_value(v) for k, v in rec.items()} for rec in moved.to_dict("records")]
    up, down = t("up"), t("down")
    rows = [  # a row per city and rank (official, yours), as Altair writes a DataFrame's rows
        {**rec, "which": which, "r": rec[column], "dir": up if rec["move"] > 0 else down}
        for which, column in ((t("Official rank"), "official_rank"), (t("Your rank"), "rank"))
        for rec in cities
    ]
    spec = copy.deepcopy(_moves_template(lang))
    order = [rec["name"] for rec in cities]
    for layer in spec["layer"]:
        layer["encoding"]["y"]["sort"] = order
    spec["height"] = 22 * len(moved) + 40
    spec["datasets"] = {"moves": rows}
    spec["data"] = {"name": "moves"}
    return spec


def _json_value(value):
    """A cell as Altair writes it into a chart: missing and infinite numbers as null."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


@functools.lru_cache(maxsize=len(i18n.LANGUAGES))
def _moves_template(lang: str) -> dict:
    """The moves chart without its cities (see ``moves_chart``), in ``lang``."""
    base = alt.Chart(alt.NamedData(name="moves")).encode(
        y=alt.Y("name:N", sort=[], title=None),
        x=alt.X("r:Q", title=t("Rank"), scale=alt.Scale(reverse=True, zero=False)),
        color=alt.Color(
            "dir:N",
            scale=alt.Scale(domain=[t("up"), t("down")], range=[UP, DOWN]),
            title=t("Move"),
        ),
        tooltip=[
            alt.Tooltip("name:N", title=t("City")),
            alt.Tooltip("official_rank:Q", title=t("Official rank")),
            alt.Tooltip("rank:Q", title=t("Your rank")),
        ],
    )
    lines = base.mark_line().encode(detail="name:N")
    points = base.mark_point(filled=True, size=60).encode(shape=alt.Shape("which:N", title=None))
    return (
        (lines + points)
        .properties(
            height=40,
            title=alt.TitleParams(t(LABEL), subtitle=t("The cities that move most (up to 30)")),
        )
        .to_dict(validate=False)
    )


def _summaries(fr: workbench.Frame, weights: dict[str, float]) -> None:
    st.markdown(f"**{t('What each method choice does to the order')}**")
    s = _computed("choice_summaries", fr.methodology, fr.year, weights, {})
    s = s[[o != workbench.OFFICIAL_CHOICES[c] for c, o in zip(s["choice"], s["option"])]]
    names = common.run(dashboard.city_names, fr.cities, lang=common.lang())
    lines = []
    for r in s.itertuples():
        moved = ", ".join(names.get(c, c) for c in r.moved_cities[:5])
        more = f" +{len(r.moved_cities) - 5}" if len(r.moved_cities) > 5 else ""
        lines.append(
            "- "
            + t(
                "{choice}: {option} — Spearman {rho} with the official ranking; median shift "
                "{shift} places; {n} cities move more than 5 places{cities}.",
                choice=t(CHOICE_LABELS[r.choice]),
                option=_opt(r.choice, r.option),
                rho=common.fmt_num(r.spearman, 3) if not np.isnan(r.spearman) else "—",
                shift=common.fmt_num(r.median_shift, 1),
                n=r.moved_over,
                cities=f" ({moved}{more})" if moved else "",
            )
        )
    st.markdown("\n".join(lines))
    st.caption(
        t("Each line changes one choice and keeps your weights and the other choices official.")
    )


def compact_weights(programme: str, year: int, city: str) -> None:
    """The city profile's version: the same controls (and URL) in a popover, and the city's
    official and chosen rank."""
    fr = _frame(programme, year)
    if fr is None or not fr.ok or city not in fr.cities:
        return
    names = common.run(workbench.area_names, fr.methodology, lang=common.lang())
    with st.popover(t("Your weights"), icon=":material/tune:"):
        weights = _controls(fr, names, 2)
        st.button(
            t("Reset to the official weights"),
            on_click=_reset,
            args=(fr,),
            key="wb_reset_city",
            icon=":material/restart_alt:",
        )
    w = workbench.weight_vector(fr, weights)
    if not (w > 0).any() or workbench.is_official(fr, w):
        return
    row = workbench.reweight(fr, weights).set_index("city").loc[city]
    st.caption(
        t(
            "{label}: rank {r} (official {o}), index {x} (official {ox}).",
            label=t(LABEL),
            r=int(row["rank"]),
            o=int(row["official_rank"]),
            x=common.fmt_num(row["total"]),
            ox=common.fmt_num(row["official_total"]),
        )
    )


# ------------------------------------------------------------------------------ rank ranges


def rank_ranges(programme: str, year: int) -> None:
    """How solid the order is: each city's median rank and 90 % interval, with a lay sentence."""
    fr = _frame(programme, year)
    if fr is None or not fr.ok:
        return
    st.subheader(t("How solid is the order?"))
    st.write(
        t(
            "Each line shows where a city's rank falls in 90% of 1,000 variations: every "
            "area's weight between half and one and a half times its official weight, scores "
            "added up or combined by geometric mean, as published or min–max rescaled. "
            "Cities within the same band cannot be told apart: their order depends on these "
            "choices, not on clear differences."
        )
    )
    with st.container(key="wb_ranges"):
        common.chart(rank_range_chart, programme, year, common.lang())
        if len(fr.cities) > MAX_RANGES:
            st.caption(
                t(
                    "Showing the {k} cities with the best median rank of {n}.",
                    k=MAX_RANGES,
                    n=common.fmt_int(len(fr.cities)),
                )
            )


def rank_range_chart(programme: str, year: int, lang: str) -> alt.Chart:
    methodology = common.run(workbench.methodology_of, programme, year)
    rr = common.run(workbench.rank_ranges_for, methodology, year, n=1000, seed=0)
    rr = rr.head(MAX_RANGES)
    names = common.run(dashboard.city_names, tuple(rr["city"]), lang=lang)
    df = rr.assign(name=rr["city"].map(names))
    order = list(df["name"])
    base = alt.Chart(df).encode(
        y=alt.Y(
            "name:N", sort=order, title=None, axis=alt.Axis(labelFontSize=10, labelOverlap=False)
        )
    )
    tips = [
        alt.Tooltip("name:N", title=t("City")),
        alt.Tooltip("official_rank:Q", title=t("Official rank")),
        alt.Tooltip("median_rank:Q", title=t("Median rank")),
        alt.Tooltip("p05_rank:Q", title=t("Best rank (5%)")),
        alt.Tooltip("p95_rank:Q", title=t("Worst rank (95%)")),
    ]
    band = base.mark_rule(color=UP, strokeWidth=3, opacity=0.6).encode(
        x=alt.X(
            "p05_rank:Q",
            title=t("Rank"),
            scale=alt.Scale(reverse=True, zero=False),
            axis=alt.Axis(orient="top"),
        ),
        x2="p95_rank:Q",
        tooltip=tips,
    )
    median = base.mark_point(color=UP, filled=True, size=30).encode(x="median_rank:Q", tooltip=tips)
    off = base.mark_tick(color=DOWN, thickness=2, size=10).encode(x="official_rank:Q", tooltip=tips)
    return (band + median + off).properties(
        height=max(15 * len(df), 120),
        title=alt.TitleParams(
            t("Rank ranges"),
            subtitle=t("Line: 90% interval · dot: median rank · red tick: official rank"),
        ),
    )


# ------------------------------------------------------------------------------ why a rank moved


def _sentence(e: dict, city_name: str) -> str:
    s = e["status"]
    if s == "none":
        return t("{city} has no earlier year to compare with.", city=city_name)
    if s == "break":
        return t(
            "{a} and {b} fall under different methodologies with no linked areas: the change "
            "cannot be compared.",
            a=e["year_a"],
            b=e["year_b"],
        )
    if s == "linked":
        return t(
            "Across the methodology change, only the {k} linked areas compare like for like: on "
            "them {city} went from {ta} to {tb} points ({d}) from {a} to {b}. Ranks are not "
            "compared across the change.",
            k=len(e["areas"]),
            city=city_name,
            ta=common.fmt_num(e["total_a"]),
            tb=common.fmt_num(e["total_b"]),
            d=common.fmt_num(e["change"], sign=True),
            a=e["year_a"],
            b=e["year_b"],
        )
    text = t(
        "From {a} to {b} {city} went from {ta} to {tb} points ({d}).",
        a=e["year_a"],
        b=e["year_b"],
        city=city_name,
        ta=common.fmt_num(e["total_a"]),
        tb=common.fmt_num(e["total_b"]),
        d=common.fmt_num(e["change"], sign=True),
    )
    if e.get("rank_note"):
        text += " " + t(
            "Its ranks in {a} and {b} are among different numbers of cities ({na} and {nb}), "
            "so the rank change is not split.",
            a=e["year_a"],
            b=e["year_b"],
            na=e["ranked_a"],
            nb=e["ranked_b"],
        )
    if "rank_if_unchanged" in e:
        text += " " + t(
            "With its {a} score it would have been at rank {cf} in {b}; its own change moved "
            "it to rank {r}.",
            a=e["year_a"],
            b=e["year_b"],
            cf=e["rank_if_unchanged"],
            r=int(e["rank_b"]),
        )
    return text


def waterfall_chart(programme: str, city: str, year_b: int, year_a: int, lang: str) -> alt.Chart:
    """The change in points, step by step: the earlier index, each area's change, the later."""
    e = common.run(workbench.explain, programme, city, year_b, year_a)
    areas = e["areas"]
    col = f"name_{lang}" if f"name_{lang}" in areas else "name_en"
    names = areas[col].fillna(areas["name_en"]) if col in areas else areas["area"]
    names = names.where(areas["area"] != workbench.ONE_YEAR, t("Areas assessed in one year only"))
    steps = [(t("Index {y}", y=e["year_a"]), 0.0, e["total_a"], "total")]
    level = e["total_a"]
    for name, d in zip(names, areas["change"]):
        if abs(d) < 0.005:
            continue
        steps.append((str(name), level, level + d, "up" if d > 0 else "down"))
        level += d
    if abs(e.get("residual", 0.0)) >= 0.005:
        d = e["residual"]
        steps.append((t("Published vs computed"), level, level + d, "up" if d > 0 else "down"))
        level += d
    steps.append((t("Index {y}", y=e["year_b"]), 0.0, e["total_b"], "total"))
    df = pd.DataFrame(steps, columns=["step", "start", "end", "kind"])
    df["change"] = df["end"] - df["start"]
    df["kind_label"] = df["kind"].map({"total": t("Index"), "up": t("up"), "down": t("down")})
    # the steps are small beside the totals: the axis spans the steps (and both totals' ends)
    levels = pd.concat([df.loc[df["kind"] != "total", ["start", "end"]].stack(), df["end"]])
    lo, hi = float(levels.min()), float(levels.max())
    pad = max((hi - lo) * 0.15, 0.5)
    domain = [max(lo - pad, 0.0), hi + pad]
    cut = domain[0] > 0
    return (
        alt.Chart(df.reset_index())
        .mark_bar(clip=True)
        .encode(
            y=alt.Y(
                "step:N",
                sort=list(df["step"]),
                title=None,
                axis=alt.Axis(labelLimit=320, labelOverlap=False),
            ),
            x=alt.X(
                "start:Q",
                title=t("Points (the axis does not start at 0)") if cut else t("Points"),
                scale=alt.Scale(domain=domain, zero=False),
            ),
            x2="end:Q",
            color=alt.Color(
                "kind_label:N",
                scale=alt.Scale(domain=[t("Index"), t("up"), t("down")], range=[BAR, UP, DOWN]),
                title=None,
            ),
            tooltip=[
                alt.Tooltip("step:N", title=t("Area")),
                alt.Tooltip("start:Q", title=t("From"), format=".2f"),
                alt.Tooltip("end:Q", title=t("To"), format=".2f"),
                alt.Tooltip("change:Q", title=t("Points"), format="+.2f"),
            ],
        )
        .properties(height=28 * len(df) + 40, title=t("Why the index changed, by area"))
    )


def why_moved(programme: str, city: str, year: int, *, key: str = "why") -> None:
    """Why the city's index and rank moved: a sentence, a waterfall by area and the indicators
    newly met, lost and partly changed."""
    with st.container(key=f"wb_{key}_{city}"):
        _why_moved(programme, city, year, key)


def _why_moved(programme: str, city: str, year: int, key: str) -> None:
    lang = common.lang()
    earlier = common.run(workbench.comparable_years, programme, city, year)
    names = common.run(dashboard.city_names, (city,), lang=lang)
    name = names.get(city, city)
    if not earlier:
        st.caption(t("{city} has no earlier year to compare with.", city=name))
        return
    year_a = earlier[0]
    if len(earlier) > 1:
        year_a = st.selectbox(
            t("Compare {y} with", y=year), earlier, key=f"{key}_from_{city}_{year}"
        )
    e = common.run(workbench.explain, programme, city, year, year_a)
    st.write(_sentence(e, name))
    if e["status"] not in ("same", "linked"):
        return
    if not common.run(workbench.total_is_sum_of_areas, programme, year):
        st.caption(
            t(
                "This programme publishes totals that are not the sum of their area scores: "
                "the change cannot be split by area."
            )
        )
        return
    if e["areas"].empty:
        st.caption(t("No area scores in one of the two years: the change cannot be split by area."))
        return
    common.chart(waterfall_chart, programme, city, year, year_a, lang, export=False)
    if abs(e.get("residual", 0.0)) >= 0.005:
        st.caption(
            t(
                "{d} points of the change are the gap between a published total and the sum "
                "of its area scores (shown as its own step).",
                d=common.fmt_num(e["residual"], 2, sign=True),
            )
        )
    ind = e.get("indicators")
    if ind is not None and len(ind):
        changed = ind[ind["kind"] != "unchanged"]
        parts = []
        for kind in ("newly met", "lost", "partial"):
            sub = changed[changed["kind"] == kind]
            if len(sub):
                parts.append(
                    t(
                        "{kind}: {n} ({d} points)",
                        kind=t(KIND_LABELS[kind]),
                        n=len(sub),
                        d=common.fmt_num(sub["change"].sum(), 2, sign=True),
                    )
                )
        if parts:
            st.caption(t("Indicators") + " — " + " · ".join(parts))
            common.downloads(
                changed.assign(city=city, year_from=year_a, year_to=year),
                f"why-{city}-{year_a}-{year}",
                f"why_{key}_{city}",
            )


# ------------------------------------------------------------------------------ what it would take


def what_it_would_take(
    methodology: str, year: int, city: str, proposed: list[str], programme: str | None = None
) -> None:
    """Tick the indicators the city could meet next (default: the gap planner's proposals):
    the new total, class and rank, and who already meets each; the ticks live in the URL.
    With ``programme``, each indicator's code links to its page."""
    out = common.run(workbench.what_if, methodology, year, city, ())
    if out.get("reason"):
        return
    cand = out["candidates"]
    lang = common.lang()
    text = (
        cand[f"text_{lang}"].fillna(cand["text_en"]) if f"text_{lang}" in cand else cand["text_en"]
    )
    label = {
        c: f"{c} — {tx} (+{common.fmt_num(g, 2)})"
        for c, tx, g in zip(cand["code"], text, cand["gain"])
    }
    codes = list(cand["code"])
    ident = f"{methodology}|{year}|{city}"
    if st.session_state.get("wb_tick_for") != ident:  # another city: start from its proposals
        for k in ("w_tick", "keep_tick"):
            st.session_state.pop(k, None)
        st.session_state["wb_tick_for"] = ident
    picked = st.multiselect(
        t("Indicators the city could meet next"),
        codes,
        format_func=lambda c: label.get(c, c),
        placeholder=t("Choose indicators"),
        key=common.bind_list("tick", codes, [c for c in proposed if c in codes]),
    )
    common.remember(tick=picked)
    res = common.run(workbench.what_if, methodology, year, city, tuple(sorted(picked)))
    c = st.columns(3)
    c[0].metric(
        t("Index after"),
        common.fmt_num(res["new_total"]),
        delta=common.fmt_num(res["new_total"] - res["current"], sign=True),
    )
    c[1].metric(t("Class after"), common.label(res["new_class"]) or "—")
    c[2].metric(
        t("Rank after"),
        str(res["new_rank"]),
        delta=None if res["rank"] is None else f"{int(res['rank']) - res['new_rank']:+d}",
        help=t("Among this year's cities, their totals kept as they are"),
    )
    if res["ticked"].empty:
        return
    names = common.run(
        dashboard.city_names,
        tuple(sorted({x for cs in res["ticked"]["met_by"] for x in cs})),
        lang=lang,
    )
    ticked = res["ticked"].assign(
        text=lambda d: (
            d[f"text_{lang}"].fillna(d["text_en"]) if f"text_{lang}" in d else d["text_en"]
        ),
        already=lambda d: d["met_by"].map(
            lambda cs: (
                ", ".join(names.get(x, x) for x in cs[:6])
                + (f" +{len(cs) - 6}" if len(cs) > 6 else "")
                or t("no city yet")
            )
        ),
    )
    if programme:
        ticked = ticked.assign(indicator_page=common.indicator_links(ticked, programme, year))
    common.table(
        ticked,
        hide_index=True,
        width="stretch",
        key="wb_ticked",
        column_order=[
            "indicator_page" if programme else "code",
            *("text", "gain", "peers_meeting", "already"),
        ],
        column_config={
            "code": t("Code"),
            "indicator_page": common.indicator_column(),
            "text": st.column_config.TextColumn(t("Indicator"), width="large"),
            "gain": st.column_config.NumberColumn(t("Adds"), format="+%.2f"),
            "peers_meeting": st.column_config.NumberColumn(t("Peers meeting it"), format="%d"),
            "already": t("Already met by"),
        },
    )


# ------------------------------------------------------------------------------ methodology


def method_notes() -> None:
    """One sentence per method choice of the workbench, on the methodology page."""
    st.subheader(t("Workbench choices"))
    st.caption(
        t(
            "The rankings page lets you change the weights and these choices; whatever is "
            "computed that way is labelled “your weights — not the official index”."
        )
    )
    lines = []
    for kind, options in workbench.METHOD_NOTES.items():
        for option, sentence in options.items():
            lines.append(f"- **{t(CHOICE_LABELS[kind])} — {_opt(kind, option)}.** {t(sentence)}")
    st.markdown("\n".join(lines))


def why_moved_each(programme: str, cities: list[str], year: int) -> None:
    """The compare page: why each city's rank moved, one tab per city."""
    st.subheader(t("Why the rank moved"))
    lang = common.lang()  # names kept per city (as ``why_moved`` asks for them), not per set
    names = {c: common.run(dashboard.city_names, (c,), lang=lang).get(c, c) for c in cities}
    for tab, city in zip(st.tabs([names.get(c, c) for c in cities]), cities):
        with tab:
            why_moved(programme, city, year, key="cmp")
