"""The dashboard's charts, built with Altair from analytics results.

Each builder takes only hashable parameters and fetches its own data, so ``common.chart`` can
cache the finished Vega-Lite spec per database version: building and validating an Altair chart
costs tens of milliseconds, which would otherwise be paid on every rerun.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analytics import compare, context, dashboard, trends
from pages.common import CLASS_COLOURS, NO_CLASS_COLOUR, lang, run, t

CLASS_DOMAIN = ["transparent", "partially transparent", "non-transparent"]
CLASS_RANGE = ["#4575b4", "#fee090", "#d73027"]


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
    colours = [
        "#{:02x}{:02x}{:02x}".format(*tuple(CLASS_COLOURS.get(int(p), NO_CLASS_COLOUR)))
        for p in classes["position"]
    ]
    return legend(tuple(t(c) for c in classes["class_name"]), tuple(colours))


def city_history(programme: str, city: str) -> alt.Chart:
    """A city's index over the years, methodology breaks dashed, project years shaded."""
    series = run(trends.city_series, programme, city)
    years = [int(y) for y in series["year"]]
    hist = series.assign(year=series["year"].astype(int))
    layers = []
    projects = run(dashboard.city_projects, city)
    if not projects.empty:
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
                    x=alt.X("start:O"),
                    x2="end:O",
                    tooltip=[alt.Tooltip("project:N", title=t("Project"))],
                )
            )
    layers.append(
        alt.Chart(hist)
        .mark_line(point=True, color="#333")
        .encode(
            x=alt.X("year:O", title=t("Year")),
            y=alt.Y("total:Q", title=t("Index"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("year:O", title=t("Year")),
                alt.Tooltip("total:Q", format=".1f", title=t("Index")),
                alt.Tooltip("class_name:N", title=t("Class")),
                alt.Tooltip("methodology:N", title=t("Methodology")),
            ],
        )
    )
    breaks = pd.DataFrame(run(trends.breaks, programme))
    if not breaks.empty and breaks["year"].isin(years).any():
        layers.append(
            alt.Chart(breaks[breaks["year"].isin(years)])
            .mark_rule(strokeDash=[4, 4], color="#d73027")
            .encode(x="year:O", tooltip=[alt.Tooltip("methodology:N", title=t("New methodology"))])
        )
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
    idx = run(dashboard.history, programme, cities, lang=lang)
    return (
        alt.Chart(idx.assign(year=idx["year"].astype(int)))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=t("Year")),
            y=alt.Y("total:Q", title=t("Index"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("name:N", title=t("City"), scale=alt.Scale(scheme="tableau10")),
            tooltip=[
                alt.Tooltip("name:N", title=t("City")),
                alt.Tooltip("year:O", title=t("Year")),
                alt.Tooltip("total:Q", format=".1f", title=t("Index")),
                alt.Tooltip("class_name:N", title=t("Class")),
                alt.Tooltip("methodology:N", title=t("Methodology")),
            ],
        )
        .properties(height=280)
    )


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
    text = heat.mark_text(fontSize=12).encode(
        text=alt.Text("pct:Q", format=".0f"),
        color=alt.condition("datum.pct > 60", alt.value("black"), alt.value("white")),
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


def trends_line(programme: str, by: str, label: str) -> alt.Chart:
    agg = run(trends.aggregate, programme, by)
    data = agg[agg["with_total"] > 0].assign(year=lambda d: d["year"].astype(int))
    if by == "region":
        top = data.groupby("region")["cities"].max().sort_values(ascending=False).head(10).index
        data = data[data["region"].isin(top)]
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=t("Year")),
            y=alt.Y("mean:Q", title=t("Mean index"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(f"{by}:N", title=label),
            tooltip=[
                alt.Tooltip(f"{by}:N", title=label),
                alt.Tooltip("year:O", title=t("Year")),
                alt.Tooltip("mean:Q", format=".1f", title=t("Mean index")),
                alt.Tooltip("median:Q", format=".1f", title=t("Median")),
                alt.Tooltip("with_total:Q", title=t("Cities")),
            ],
        )
    )
    layers = [line]
    breaks = pd.DataFrame(run(trends.breaks, programme))
    if not breaks.empty:
        layers.append(
            alt.Chart(breaks)
            .mark_rule(strokeDash=[4, 4], color="#d73027")
            .encode(x="year:O", tooltip=[alt.Tooltip("methodology:N", title=t("New methodology"))])
        )
    return alt.layer(*layers).properties(height=300)


def trends_box(programme: str) -> alt.Chart:
    dist = run(trends.distribution, programme)
    return (
        alt.Chart(dist)
        .mark_boxplot(extent="min-max", color="#4575b4")
        .encode(
            x=alt.X("year:O", title=t("Year")),
            y=alt.Y("total:Q", title=t("Index"), scale=alt.Scale(domain=[0, 100])),
        )
        .properties(height=260)
    )


def trends_classes(programme: str) -> alt.Chart:
    agg = run(trends.aggregate, programme, "all")
    shares = [c for c in agg.columns if c.startswith("share ")]
    long = agg.melt(id_vars=["year"], value_vars=shares, var_name="class", value_name="share")
    long["class"] = long["class"].str.removeprefix("share ").map(t)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=t("Year")),
            y=alt.Y("share:Q", title=t("Share"), axis=alt.Axis(format="%")),
            color=alt.Color(
                "class:N",
                title=t("Class"),
                scale=alt.Scale(domain=[t(c) for c in CLASS_DOMAIN], range=CLASS_RANGE),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=t("Year")),
                alt.Tooltip("class:N", title=t("Class")),
                alt.Tooltip("share:Q", format=".0%", title=t("Share")),
            ],
        )
        .properties(height=240)
    )


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
                legend=alt.Legend(orient="top"),
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
