"""Presentation mode (``?present=1``): full-bleed slides for a 1920×1080 projector, offline.

Next and previous with the arrow keys (or Page Down / Page Up, as presentation clickers send),
Esc to leave; the navigation fades after a few seconds and comes back under the mouse. Each
slide picks the programme's year that has data for it, and says so when that is not the year
chosen; the programme, year and city chosen before entering are kept. Figures are SVG drawn on
this server (``pages.slides``): no text under 28 px, nothing fetched.
"""

import streamlit as st

from analytics import dashboard, impact, slides, trends
from pages import common, share_ui, views
from pages import slides as slides_mod
from pages.common import t
from pages.slides import esc, figure

common.guard(__file__)

# Static styling only (no data goes through here): projector type, no chrome, full bleed.
st.markdown(
    """<style>
header, [data-testid="stToolbar"], [data-testid="stSidebar"], [data-testid="stDecoration"],
[data-testid="stSidebarCollapsedControl"] {display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {
    padding: 0.6rem 190px 0 2.5rem !important; max-width: 100% !important;}
/* the right margin keeps the corner QR code clear of the slide */
html, body, [data-testid="stAppViewContainer"] {font-size: 28px; color: #111;}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] span, [data-testid="stMain"] div,
[data-testid="stMain"] button {font-size: max(28px, 1em);}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {font-size: 28px !important;}
h1 {font-size: 60px !important; line-height: 1.15 !important; padding: 0.2rem 0 !important;}
h2 {font-size: 44px !important;} h3 {font-size: 36px !important;}
.big-num, [data-testid="stMain"] div.big-num {font-size: 96px !important; font-weight: 700; line-height: 1.05; color: #1b3a6b;}
[data-testid="stMain"] div.big-label {font-size: 32px !important; color: #333;}
.num-row {display: flex; gap: 5rem; margin: 2rem 0;}
[data-testid="stMain"] .slide-list, [data-testid="stMain"] .slide-list div {font-size: 32px !important;
    line-height: 1.45;}
[data-testid="stMain"] .slide-list b {font-size: 36px !important; display: block;}
[data-testid="stMain"] .slide-list .v {font-weight: 700; color: #1b3a6b; font-size: 32px !important;}
.up {color: #1a7f37;} .down {color: #b42318;}
.slide-figure svg {max-width: 100%; height: auto;}
.st-key-present_nav {opacity: 1; animation: ocm-fade 1s ease 4s forwards;
    position: relative; z-index: 10; flex-wrap: nowrap !important; margin-right: -160px;}
.st-key-present_nav:hover, .st-key-present_nav:focus-within {animation: none; opacity: 1;}
@keyframes ocm-fade {to {opacity: 0;}}
/* Page Up / Page Down (what presentation clickers send) only need their shortcuts: the
   buttons stay mounted but out of sight and out of the reading order. */
.st-key-prev_pg, .st-key-next_pg {visibility: hidden; position: absolute; width: 0; overflow: hidden;}
.st-key-present_qr {position: fixed; right: 18px; bottom: 10px; z-index: 20;
    background: white; padding: 4px; width: auto !important;}
.st-key-present_qr * {font-size: 20px !important;}
</style>""",
    unsafe_allow_html=True,
)

lang = common.lang()
progs = common.run(dashboard.programmes)
codes = list(progs["code"])


def _kept(name: str):
    """A choice made before entering: in the URL, else the one this session last made."""
    return common.url_get(name) or st.session_state.get(f"keep_{name}")


asked = _kept("programme")
programme = str(asked or "")
if programme not in codes:
    programme = "tc-transparency" if "tc-transparency" in codes else codes[0]
row = progs[progs["code"] == programme].iloc[0]
if asked is not None and str(asked) != programme:
    common.notice(
        t(
            "There is no programme {value}; showing {shown}.",
            value=common.shown_value(str(asked)),
            shown=row[f"name_{lang}"] or row["name_en"],
        )
    )
years = [int(y) for y in row["years"]]
wanted = str(_kept("year") or "")
year = int(wanted) if wanted.isdigit() and int(wanted) in years else int(row["richest_year"])
if wanted and str(year) != wanted:
    common.notice(
        t(
            "No results for the year {value}; showing {shown}.",
            value=common.shown_value(wanted),
            shown=year,
        )
    )
name = row[f"name_{lang}"] or row["name_en"]
chosen_city = _kept("city")
if common.url_get("present") != "1":  # opened from the page list: show it as slides
    common.url_set(present="1", programme=programme, year=year, city=chosen_city)
    st.rerun()
common.url_set(programme=programme, year=year)

counts = common.run(slides.year_counts, programme)
by_year = counts.set_index("year")
map_years = [int(y) for y in counts.loc[(counts["totals"] + counts["classes"]) > 0, "year"]]
total_years = [int(y) for y in counts.loc[counts["totals"] > 0, "year"]]
projects = [
    p
    for p in common.run(slides.impact_projects)
    if common.run(impact.project_impact, p).get("effect") is not None
]

SLIDES = ["title", "map", "play", "movers", "city", "trend"] + (["effect"] if projects else [])
if len(map_years) < 2:
    SLIDES.remove("play")
if len(total_years) < 2:
    SLIDES.remove("trend")
asked = common.url_get("slide") or "0"
slide = (
    int(asked)
    if asked.isdigit() and int(asked) < len(SLIDES)
    else (SLIDES.index(asked) if asked in SLIDES else 0)
)


def go(step: int) -> None:
    st.query_params["slide"] = str((slide + step) % len(SLIDES))


def leave() -> None:
    st.session_state["_leave"] = True


if st.session_state.pop("_leave", False):
    params = {
        k: st.query_params.get_all(k)
        for k in st.query_params
        if k not in ("present", "slide", "auto")
    }
    st.switch_page("pages/overview.py", query_params=params)

with st.container(key="present_nav", horizontal=True, vertical_alignment="center"):
    st.button(
        t("Previous"),
        key="prev",
        icon=":material/arrow_back:",
        shortcut="Left",
        on_click=go,
        args=(-1,),
        help=t("Previous (←)"),
    )
    st.button(
        t("Next"),
        key="next",
        icon=":material/arrow_forward:",
        shortcut="Right",
        on_click=go,
        args=(1,),
        help=t("Next (→)"),
    )
    # Presentation clickers send Page Up / Page Down.
    st.button(
        "", key="prev_pg", icon=":material/skip_previous:", shortcut="PageUp", on_click=go,
        args=(-1,), type="tertiary", help=t("Previous (←)"),
    )  # fmt: skip
    st.button(
        "", key="next_pg", icon=":material/skip_next:", shortcut="PageDown", on_click=go,
        args=(1,), type="tertiary", help=t("Next (→)"),
    )  # fmt: skip
    st.markdown(f"{slide + 1} / {len(SLIDES)} · {esc(name)}")
    auto = st.toggle(t("Auto-advance"), key="auto", value=common.url_get("auto") == "1")
    st.button(
        t("Exit"),
        key="exit",
        icon=":material/close:",
        shortcut="Escape",
        on_click=leave,
        help=t("Leave the presentation (Esc)"),
    )

if bool(row["synthetic"]):
    common.synthetic_banner(True)


def shown_year(kind: str, column: str) -> int | None:
    """The year a slide shows: the chosen one when it has data, else the nearest that has,
    said on the slide."""
    pick = slides.pick_year({int(y): int(n) for y, n in by_year[column].items()}, year)
    if pick is not None and pick != year:
        st.caption(t("No data for this slide in {y}; showing {s}.", y=year, s=pick))
    return pick


def numbers(items: list[tuple[str, str]]) -> None:
    cells = "".join(
        f'<div><div class="big-num">{esc(v)}</div><div class="big-label">{esc(k)}</div></div>'
        for k, v in items
    )
    st.markdown(f'<div class="num-row">{cells}</div>', unsafe_allow_html=True)


def arrow(change: int | float | None, better_when_up: bool = True) -> str:
    """An arrow drawn in SVG (no font needed), green for better, red for worse."""
    if change is None or change == 0:
        return ""
    up = change > 0
    good = up == better_when_up
    path = "M12 2 L22 20 L2 20 Z" if up else "M2 4 L22 4 L12 22 Z"
    colour = "#1a7f37" if good else "#b42318"
    return (
        f'<svg width="56" height="56" viewBox="0 0 24 24" style="vertical-align:middle">'
        f'<path d="{path}" fill="{colour}"/></svg>'
    )


def title_slide() -> None:
    y = shown_year("title", "results")
    ov = common.run(dashboard.overview, programme, y)
    st.title(name)
    st.header(t("Transparency and accountability of city governments in the Eastern Partnership"))
    items = [(t("Cities assessed in {y}", y=y), common.fmt_int(ov["assessed"]))]
    if ov["with_total"]:
        items.append((t("Average index"), common.fmt_num(ov["mean"])))
    classes = ov["classes"]
    if not classes.empty:
        top = classes.iloc[0]
        items.append(
            (t("Share {cls}", cls=common.label(top["class_name"])), common.fmt_pct(top["share"]))
        )
    numbers(items)


def city_list(rows, title: str) -> str:
    lines = "".join(
        f'<div>{esc(r.name)} · <span class="v">{common.fmt_num(r.total)}</span></div>'
        for r in rows.itertuples()
    )
    return f'<div class="slide-list"><b>{esc(title)}</b>{lines}</div>'


def map_slide(y: int, height: int = 780, big_year: bool = False) -> None:
    left, right = st.columns([2.1, 1])
    with left:
        figure(slides_mod.slide_map, programme, y, lang, 1080, height)
    top, bottom = slides_mod.map_lists(programme, y, lang)
    with right:
        if big_year:
            st.markdown(f'<div class="big-num">{y}</div>', unsafe_allow_html=True)
        if not top.empty:
            st.markdown(city_list(top, t("Highest")), unsafe_allow_html=True)
            st.markdown(city_list(bottom, t("Lowest")), unsafe_allow_html=True)


def movers_slide() -> None:
    y = shown_year("movers", "changes")
    ov = common.run(dashboard.overview, programme, y)
    st.title(t("Biggest changes since {p}", p=int(ov["prev_year"])))
    cols = st.columns(2)
    for col, frame, head in (
        (cols[0], ov["risers"], t("Biggest risers")),
        (cols[1], ov["fallers"], t("Biggest fallers")),
    ):
        lines = "".join(
            f"<div>{arrow(r.change_points)} {esc(getattr(r, f'name_{lang}') or r.name_en)} · "
            f'<span class="v">{common.fmt_num(r.total)}</span> '
            f"({common.fmt_num(r.change_points, sign=True)})</div>"
            for r in frame.itertuples()
        )
        col.markdown(
            f'<div class="slide-list"><b>{esc(head)}</b>{lines or esc(t("none"))}</div>',
            unsafe_allow_html=True,
        )


def story_city(y: int) -> str | None:
    points = common.run(dashboard.map_points, programme, y, lang=lang)
    have = set(points.loc[points["total"].notna(), "city"])
    if chosen_city in have:
        return chosen_city
    risers = common.run(dashboard.overview, programme, y)["risers"]
    if not risers.empty:
        return str(risers.iloc[0]["city"])
    ranked = points[points["total"].notna()].sort_values("total", ascending=False)
    return None if ranked.empty else str(ranked.iloc[0]["city"])


def city_slide() -> None:
    y = shown_year("city", "totals")
    city = story_city(y)
    story = common.run(slides.city_story, programme, y, city, lang=lang) if city else None
    if story is None:
        st.header(t("No city has an index in this programme."))
        return
    st.title(t("{city} in 30 seconds", city=story["name"]))
    left, right = st.columns([1, 1.05])
    with left:
        items = [(t("Index {y}", y=y), common.fmt_points(story["total"]))]
        if story["rank"] is not None:
            rank = f"{story['rank']}"
            items.append((t("Rank of {n}", n=story["ranked_cities"] or "—"), rank))
        numbers(items)
        lines = []
        if story["change_points"] is not None:
            lines.append(
                f"{arrow(story['change_points'])} "
                + esc(
                    t(
                        "{d} points since {p}",
                        d=common.fmt_num(story["change_points"], sign=True),
                        p=story["prev_year"],
                    )
                )
            )
        if story["change_rank"] is not None and story["prev_rank"] is not None:
            lines.append(
                f"{arrow(story['prev_rank'] - story['rank'])} "
                + esc(t("rank {a} → {b}", a=story["prev_rank"], b=story["rank"]))
            )
        if story["met"] is not None:
            lines.append(esc(t("{m} of {n} indicators met", m=story["met"], n=story["assessed"])))
        st.markdown(
            '<div class="slide-list">' + "".join(f"<div>{x}</div>" for x in lines) + "</div>",
            unsafe_allow_html=True,
        )
        newly(story)
        nxt = story["next"]
        if nxt:
            peer = (
                t("{c} (a peer) already meets it", c=nxt["met_by"])
                if nxt["met_by_peer"]
                else t("{c} already meets it", c=nxt["met_by"])
            )
            st.markdown(
                f'<div class="slide-list"><b>{esc(t("Next step"))}</b>'
                f"<div>{esc(short(nxt['text'], 90))}</div><div>{esc(peer)}</div></div>",
                unsafe_allow_html=True,
            )
    with right:
        figure(slides_mod.slide_city, programme, city, lang)


def short(text: str, n: int) -> str:
    """``text`` cut at a word before ``n`` characters, with an ellipsis."""
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"


def newly(story: dict) -> None:
    items = story["newly_met"][:2]
    if not items:
        return
    if story["newly_level"] == "indicator":
        head = t("Newly met since {p}", p=story["prev_year"])
        lines = "".join(f"<div>{esc(short(x, 90))}</div>" for x in items)
    else:
        head = t("Areas that rose most since {p}", p=story["prev_year"])
        lines = "".join(
            f"<div>{esc(n)} · <span class='v'>{common.fmt_num(g, decimals=0, sign=True)}"
            f" {esc(t('pp'))}</span></div>"
            for n, g in items
        )
    st.markdown(f'<div class="slide-list"><b>{esc(head)}</b>{lines}</div>', unsafe_allow_html=True)


def trend_slide() -> None:
    st.title(t("Average index"))
    figure(slides_mod.slide_trend, programme, lang)
    sizes = trends.panel_sizes(common.run(trends.panel_means, programme, "all"))
    st.caption(
        t(
            "The same cities in every year of each methodology: {parts}. Dashed red: a "
            "new methodology.",
            parts="; ".join(
                t(
                    "{a}–{b}: {n} cities" if d["first"] != d["last"] else "{a}: {n} cities",
                    a=d["first"],
                    b=d["last"],
                    n=d["n"],
                )
                for d in sizes
            ),
        )
    )


def effect_slide() -> None:
    project = projects[0]
    est = common.run(impact.project_impact, project)
    prog = est["programme"]
    info = common.run(dashboard.project_detail, project, lang=lang)
    synthetic = bool(info.get("synthetic"))
    if synthetic and not bool(row["synthetic"]):
        common.synthetic_banner(True)
    st.title(t("Did the project's cities improve more?"))
    pname = progs.set_index("code").loc[prog]
    st.caption(f"{info.get('title') or project} · {pname[f'name_{lang}'] or pname['name_en']}")
    left, right = st.columns([2, 1])
    with left:
        figure(slides_mod.slide_effect, project, prog, lang)
    with right:
        numbers([(t("Difference in change, points"), common.fmt_num(est["effect"], sign=True))])
        figure(slides_mod.slide_estimate, project, lang, source=False)
        st.markdown(
            '<div class="slide-list">'
            + esc(
                t(
                    "95% interval {lo} to {hi}; {a} participating and {b} other cities.",
                    lo=common.fmt_num(est["ci_low"], sign=True),
                    hi=common.fmt_num(est["ci_high"], sign=True),
                    a=est["n_treated"],
                    b=est["n_control"],
                )
            )
            + "</div>",
            unsafe_allow_html=True,
        )
        st.caption(t(impact.CAVEAT))


def play_slide() -> None:
    st.title(t("The years, one by one"))
    marks = {int(b["year"]): str(b["methodology"]) for b in common.run(trends.breaks, programme)}
    start = map_years[0]
    views.player(
        "present_play",
        map_years,
        start,
        marks,
        lambda y: map_slide(y, height=560, big_year=True),
        interval=2.5,
    )


kind = SLIDES[slide]
if kind == "title":
    title_slide()
elif kind == "map":
    y = shown_year("map", "results")
    st.title(t("Where cities stand in {y}", y=y))
    map_slide(y)
elif kind == "play":
    play_slide()
elif kind == "movers":
    movers_slide()
elif kind == "city":
    city_slide()
elif kind == "trend":
    trend_slide()
else:
    effect_slide()

with st.container(key="present_qr"):
    share_ui.corner_qr("present", width=130)

if auto:

    @st.fragment(run_every=12)
    def _tick():
        if st.session_state.get("_ticked"):
            go(1)
            st.session_state["_ticked"] = False
            st.rerun()
        st.session_state["_ticked"] = True

    _tick()
