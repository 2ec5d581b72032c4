"""The dashboard's charts, built with Altair from analytics results.

Each builder takes only hashable parameters and fetches its own data, so ``common.chart`` can
cache the finished Vega-Lite spec per database version: building and validating an Altair chart
costs tens of milliseconds, which would otherwise be paid on every rerun.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analytics import compare, context, dashboard, series, trends
from pages.common import class_colour, group_label, lang, run, t

CLASS_DOMAIN = ["transparent", "partially transparent", "non-transparent"]


def legend(labels: tuple[str, ...], colours: tuple[str, ...]) -> alt.Chart:
    """A one-line legend of coloured dots."""
    df = pd.DataFrame({"label": list(labels), "order": range(len(labels))})
    base = alt.Chart(df).encode(x=alt.X("order:O", axis=None))
    dots = base.mark_circle(size=180, opacity=1).encode(
        color=alt.Color(
            "label:N", scale=alt.Scale(domain=list(labels), range=list(colours)), legend=None
        )
    )
    text = base.mark_text(align="left", dx=10, fontSize=13).encode(text="label:N")
    return (
        (dots + text).properties(height=28, width=190 * len(labels)).configure_view(strokeWidth=0)
    )


def class_legend(programme: str, year: int) -> alt.Chart:
    classes = run(dashboard.overview, programme, year)["classes"].dropna(subset=["position"])
    n = len(run(dashboard.class_list, programme))
    colours = ["#{:02x}{:02x}{:02x}".format(*class_colour(p, n)) for p in classes["position"]]
    return legend(tuple(t(c) for c in classes["class_name"]), tuple(colours))


def year_axis(years: list[int]) -> alt.X:
    """Years as time: a quantitative axis with a tick for each programme year, so a missing
    year takes its space (never an ordinal axis that closes gaps)."""
    lo, hi = (min(years), max(years)) if years else (0, 1)
    return alt.X(
        "year:Q",
        title=t("Year"),
        scale=alt.Scale(domain=[lo - 0.4, hi + 0.4], nice=False, zero=False),
        axis=alt.Axis(values=list(years), format="d", labelAngle=0, grid=False),
    )


def break_marks(programme: str, years: list[int]) -> list[alt.Chart]:
    """Every methodology break inside ``years``: a dashed red rule between the last year of
    the old methodology and the first of the new one, labelled, for every history chart."""
    marks = series.break_positions(run(trends.breaks, programme), years)
    if not marks:
        return []
    df = pd.DataFrame(marks).assign(label=t("new methodology"))
    rule = (
        alt.Chart(df)
        .mark_rule(strokeDash=[5, 4], color="#d73027", strokeWidth=1.5)
        .encode(
            x=alt.X("position:Q"),
            tooltip=[
                alt.Tooltip("methodology:N", title=t("New methodology")),
                alt.Tooltip("year:Q", format="d", title=t("From")),
            ],
        )
    )
    text = (
        alt.Chart(df)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color="#d73027", fontSize=11)
        .encode(x="position:Q", y=alt.value(0), text="label:N")
    )
    return [rule, text]


def index_top(programme: str, year: int | None = None) -> float:
    """The top of a programme's index axis: its methodology's maximum (TI's 2018 investment
    ranking counts to 20; an axis to 100 squashed it into the bottom fifth)."""
    return run(dashboard.scale_max, programme, year)


def history_lines(
    data: pd.DataFrame,
    years: list[int],
    *,
    value: str = "total",
    title: str | None = None,
    group: str | None = None,
    color: alt.Color | alt.ColorValue | None = None,
    tooltip: list | None = None,
    top: float = 100.0,
) -> list[alt.Chart]:
    """Lines over the years from the one series builder (``analytics.series``): straight
    segments that stop at a missing year and at a methodology break, a dot on every value;
    the axis runs from 0 to ``top``, the programme's own maximum (``index_top``)."""
    seg = series.with_segments(data, value=value, group=group, programme_years=years)
    enc: dict = {
        "x": year_axis(years),
        "y": alt.Y(f"{value}:Q", title=title or t("Index"), scale=alt.Scale(domain=[0, top])),
    }
    if tooltip:
        enc["tooltip"] = tooltip
    if color is not None:
        enc["color"] = color
    base = alt.Chart(seg).encode(**enc)
    line = base.mark_line(strokeWidth=2.5, **({} if color is not None else {"color": "#333"}))
    dots = base.mark_point(
        filled=True, size=60, opacity=1, **({} if color is not None else {"color": "#333"})
    )
    return [line.encode(detail="segment:N"), dots]


def city_history(programme: str, city: str) -> alt.Chart:
    """A city's index over the years: segments within a methodology and between adjacent
    years, breaks marked, project years shaded."""
    hist = run(trends.city_series, programme, city)
    years = run(trends.programme_years, programme)
    layers = []
    projects = run(dashboard.city_projects, city)
    if not projects.empty and years:
        spans = projects.assign(
            start=projects["year_from"].astype(int),
            end=projects["year_to"].astype(int),
            project=projects[f"title_{lang()}"].fillna(projects["title_en"])
            + projects["synthetic"].map({True: " (" + t("synthetic") + ")", False: ""}),
        )
        spans = spans[(spans["end"] >= min(years)) & (spans["start"] <= max(years))]
        if not spans.empty:
            layers.append(
                alt.Chart(spans)
                .mark_rect(opacity=0.15, color="#4575b4")
                .encode(
                    x=alt.X("start:Q"),
                    x2="end:Q",
                    tooltip=[alt.Tooltip("project:N", title=t("Project"))],
                )
            )
    layers += history_lines(
        hist,
        years,
        top=index_top(programme),
        tooltip=[
            alt.Tooltip("year:Q", format="d", title=t("Year")),
            alt.Tooltip("total:Q", format=".1f", title=t("Index")),
            alt.Tooltip("class_name:N", title=t("Class")),
            alt.Tooltip("methodology:N", title=t("Methodology")),
        ],
    )
    layers += break_marks(programme, years)
    return alt.layer(*layers).properties(height=260)


def area_bars(
    methodology: str, year: int, city: str, peers: tuple[str, ...], lang: str
) -> alt.Chart:
    """The city's share of each area's maximum, with the peer median as a tick."""
    areas = run(dashboard.area_vs_peers, methodology, year, city, peers, lang=lang)
    df = areas.assign(pct=areas["share"] * 100, peer=areas["peer_median"] * 100)
    order = list(df["area_name"])
    bars = (
        alt.Chart(df)
        .mark_bar(color="#4575b4")
        .encode(
            y=alt.Y("area_name:N", sort=order, title=None),
            x=alt.X("pct:Q", title=t("% of the area's maximum"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("area_name:N", title=t("Area")),
                alt.Tooltip("points:Q", title=t("Points"), format=".2f"),
                alt.Tooltip("max_points:Q", title=t("Maximum"), format=".2f"),
                alt.Tooltip("peer:Q", title=t("Peer median, %"), format=".0f"),
            ],
        )
    )
    ticks = (
        alt.Chart(df)
        .mark_tick(color="#d73027", thickness=3, size=18)
        .encode(y=alt.Y("area_name:N", sort=order), x="peer:Q")
    )
    return (bars + ticks).properties(height=28 * len(df) + 40)


def compare_history(programme: str, cities: tuple[str, ...], lang: str) -> alt.Chart:
    """Several cities' index over the years, each as segments (see ``history_lines``)."""
    idx = run(dashboard.history, programme, cities, lang=lang)
    years = run(trends.programme_years, programme)
    layers = history_lines(
        idx,
        years,
        group="city",
        top=index_top(programme),
        color=alt.Color("name:N", title=t("City"), scale=alt.Scale(scheme="tableau10")),
        tooltip=[
            alt.Tooltip("name:N", title=t("City")),
            alt.Tooltip("year:Q", format="d", title=t("Year")),
            alt.Tooltip("total:Q", format=".1f", title=t("Index")),
            alt.Tooltip("class_name:N", title=t("Class")),
            alt.Tooltip("methodology:N", title=t("Methodology")),
        ],
    )
    return alt.layer(*layers, *break_marks(programme, years)).properties(height=280)


def compare_heat(methodology: str, year: int, cities: tuple[str, ...], lang: str) -> alt.Chart:
    prof = run(compare.area_profiles, methodology, year, cities)
    names = run(dashboard.city_names, cities, lang=lang)
    area_col = f"name_{lang}" if f"name_{lang}" in prof else "name_en"
    prof = prof.assign(
        name=prof["city"].map(names),
        pct=prof["share"] * 100,
        area_name=prof[area_col].fillna(prof["name_en"]),
    )
    order = list(dict.fromkeys(prof["area_name"]))
    heat = (
        alt.Chart(prof)
        .mark_rect()
        .encode(
            x=alt.X("name:N", title=None, sort=[names[c] for c in cities]),
            y=alt.Y("area_name:N", sort=order, title=None),
            color=alt.Color(
                "pct:Q", title=t("% of maximum"), scale=alt.Scale(scheme="viridis", domain=[0, 100])
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("City")),
                alt.Tooltip("area_name:N", title=t("Area")),
                alt.Tooltip("points:Q", format=".2f", title=t("Points")),
                alt.Tooltip("max_points:Q", format=".2f", title=t("Maximum")),
            ],
        )
    )
    # a cell without a score stays empty: no "null" written into it
    text = (
        heat.transform_filter("isValid(datum.pct)")
        .mark_text(fontSize=12)
        .encode(
            text=alt.Text("pct:Q", format=".0f"),
            color=alt.condition("datum.pct > 60", alt.value("black"), alt.value("white")),
        )
    )
    return (heat + text).properties(height=30 * len(order) + 40)


def tva_scatter(cities: tuple[str, ...], lang: str) -> alt.Chart:
    data = run(dashboard.transparency_vs_accountability, (), lang=lang)
    plot = data.assign(chosen=data["city"].isin(list(cities)))
    return (
        alt.Chart(plot)
        .mark_circle(size=90)
        .encode(
            x=alt.X(
                "transparency:Q", title=t("Transparency index"), scale=alt.Scale(domain=[0, 100])
            ),
            y=alt.Y(
                "accountability:Q",
                title=t("Accountability index"),
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.condition("datum.chosen", alt.value("#d73027"), alt.value("#9aa7b5")),
            shape=alt.Shape("year:N", title=t("Year")),
            tooltip=[
                alt.Tooltip("name:N", title=t("City")),
                alt.Tooltip("year:N", title=t("Year")),
                alt.Tooltip("transparency:Q", format=".1f", title=t("Transparency index")),
                alt.Tooltip("accountability:Q", format=".1f", title=t("Accountability index")),
            ],
        )
        .properties(height=320)
    )


def trends_line(
    programme: str, by: str, label: str, panel: str = "balanced", years: tuple[int, ...] = ()
) -> alt.Chart:
    """The average index per year and group over the same cities (``trends.panel_means``),
    as segments per methodology, breaks marked; n in the tooltip."""
    data = run(trends.panel_means, programme, by, panel=panel, years=years)
    shown = list(years) or run(trends.programme_years, programme)
    if by == "region" and not data.empty:
        top = data.groupby("region")["n"].max().sort_values(ascending=False).head(10).index
        data = data[data["region"].isin(top)]
    data = data.assign(
        grp_label=data[by].map(lambda g: t("all cities") if by == "all" else group_label(by, g))
    )
    layers = history_lines(
        data,
        shown,
        value="mean",
        title=t("Mean index"),
        group=by,
        top=index_top(programme),
        color=alt.Color("grp_label:N", title=label),
        tooltip=[
            alt.Tooltip("grp_label:N", title=label),
            alt.Tooltip("year:Q", format="d", title=t("Year")),
            alt.Tooltip("mean:Q", format=".1f", title=t("Mean index")),
            alt.Tooltip("median:Q", format=".1f", title=t("Median")),
            alt.Tooltip("n:Q", title=t("Cities averaged (n)")),
        ],
    )
    return alt.layer(*layers, *break_marks(programme, shown)).properties(height=300)


def trends_box(programme: str) -> alt.Chart:
    dist = run(trends.distribution, programme)
    years = run(trends.programme_years, programme)
    box = (
        alt.Chart(dist)
        .mark_boxplot(extent="min-max", color="#4575b4", size=24)
        .encode(
            x=year_axis(years),
            y=alt.Y("total:Q", title=t("Index"), scale=alt.Scale(domain=[0, index_top(programme)])),
        )
    )
    return alt.layer(box, *break_marks(programme, years)).properties(height=260)


#: purples, darkest first, for classes published outside a methodology's own (2017's bands)
OTHER_CLASSES = ("#3f007d", "#54278f", "#6a51a3", "#807dba", "#9e9ac8", "#bcbddc")


def trends_classes(programme: str) -> alt.Chart:
    agg = run(trends.aggregate, programme, "all")
    shares = [c for c in agg.columns if c.startswith("share ")]
    long = agg.melt(id_vars=["year"], value_vars=shares, var_name="class", value_name="share")
    long = long[long["share"].notna()]  # a class the year does not have: no bar, never 0
    names = long["class"].str.removeprefix("share ")
    long = long.assign(**{"class": names.map(t)})
    own = run(dashboard.class_list, programme) or CLASS_DOMAIN
    # classes published outside the methodology's own (TI's 2017 letter bands), after them
    extra = sorted(set(names) - set(own))
    colours = ["#{:02x}{:02x}{:02x}".format(*class_colour(i, len(own))) for i in
               range(1, len(own) + 1)]  # fmt: skip
    # in purples of their own: never the colour of one of the methodology's classes
    colours += [OTHER_CLASSES[round(i * (len(OTHER_CLASSES) - 1) / max(len(extra) - 1, 1))]
                for i in range(len(extra))]  # fmt: skip
    domain = [*own, *extra]
    years = run(trends.programme_years, programme)
    bars = (
        alt.Chart(long)
        .mark_bar(size=24)
        .encode(
            x=year_axis(years),
            y=alt.Y("share:Q", title=t("Share"), axis=alt.Axis(format="%")),
            color=alt.Color(
                "class:N",
                title=t("Class"),
                scale=alt.Scale(domain=[t(c) for c in domain], range=colours),
            ),
            tooltip=[
                alt.Tooltip("year:Q", format="d", title=t("Year")),
                alt.Tooltip("class:N", title=t("Class")),
                alt.Tooltip("share:Q", format=".0%", title=t("Share")),
            ],
        )
    )
    return alt.layer(bars, *break_marks(programme, years)).properties(height=240)


def project_timeline(lang_code: str) -> alt.Chart:
    """Projects as bars from start to end (undated ones are left out). Colour: EU-funded,
    non-EU comparator or synthetic; a light bar has no published end and runs to today."""
    df = run(dashboard.project_list, lang=lang_code)
    funding = {
        "eu": t("EU-funded"),
        "non_eu": t("not EU-funded (comparator)"),
        "synthetic": t("synthetic"),
    }
    df = df[df["start_date"].notna()].assign(
        label=lambda d: (
            d["title"].str.slice(0, 60)
            + d["synthetic"].map({True: " (" + t("synthetic") + ")", False: ""})
            + d["non_eu"].map({True: " (" + t("not EU-funded") + ")", False: ""})
        ),
        end=lambda d: d["end_date"].fillna(pd.Timestamp.today()),
        end_known=lambda d: d["end_date"].notna(),
        funding=lambda d: [
            funding["synthetic"] if s else funding["non_eu"] if n else funding["eu"]
            for s, n in zip(d["synthetic"], d["non_eu"])
        ],
        end_label=lambda d: d["end_date"].map(
            lambda v: t("end not published") if pd.isna(v) else f"{v:%Y-%m-%d}"
        ),
    )
    return (
        alt.Chart(df)
        .mark_bar(height=16)
        .encode(
            x=alt.X("start_date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            x2="end:T",
            y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=420)),
            color=alt.Color(
                "funding:N",
                title=None,
                # labelLimit 0: the whole label ("not EU-funded (for comparison)" was cut)
                legend=alt.Legend(orient="top", labelLimit=0),
                scale=alt.Scale(
                    domain=list(funding.values()), range=["#4575b4", "#e08214", "#bbbbbb"]
                ),
            ),
            opacity=alt.Opacity(
                "end_known:N", legend=None, scale=alt.Scale(domain=[True, False], range=[1, 0.35])
            ),
            tooltip=[
                alt.Tooltip("title:N", title=t("Project")),
                alt.Tooltip("start_date:T", title=t("Start")),
                alt.Tooltip("end_label:N", title=t("End")),
                alt.Tooltip("funding:N", title=t("Funding")),
            ],
        )
        .properties(height=26 * len(df) + 40)
    )


def contribution(field: str, lang_code: str) -> alt.Chart:
    """EU contribution per country or priority area, each euro counted once: multi-country
    money the source does not split is one bar "several", never a bar in each country."""
    df = run(dashboard.contribution_by, field)
    names = dict(run(context.countries, lang=lang_code).itertuples(index=False))
    several = (
        t("several countries, not split") if field == "countries" else t("several areas, not split")
    )
    labels = {"several": several, "none": t("not classified")}
    df = df[df["eu_contribution_eur"].notna()].assign(
        label=lambda d: [
            labels[k] if k in labels else (names.get(i, i) if field == "countries" else t(i))
            for i, k in zip(d["item"], d["kind"])
        ],
        shared=lambda d: d["kind"] != "item",
    )
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
            x=alt.X("eu_contribution_eur:Q", title=t("EU contribution, €")),
            color=alt.Color(
                "shared:N",
                legend=None,
                scale=alt.Scale(domain=[False, True], range=["#4575b4", "#9e9ac8"]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("eu_contribution_eur:Q", format=",.0f", title=t("EU contribution, €")),
                alt.Tooltip("amount_projects:Q", title=t("Projects whose money is counted there")),
            ],
        )
        .properties(height=alt.Step(26))
    )
