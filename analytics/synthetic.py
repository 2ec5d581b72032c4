"""A synthetic demo programme, generated from a fixed seed.

Real published results stop at totals and a few area scores; the dashboard's drill-down down to
single indicators needs indicator-level data. This module makes such data, clearly flagged as
synthetic everywhere (programme, methodologies, cities it invents, the demo project), under a
methodology shaped like Transparent Cities': 13 areas and ~90 indicators until 2020, then a
break to 14 areas where most indicators carry over under the same codes.

How a score comes about: every city has a starting level and a yearly growth, every area and
indicator a difficulty; their sum (plus noise) gives the chance that an indicator is fully met,
partly met (half the points) or unmet. Some indicators do not apply to some cities at all
(not_applicable), a few are not assessed in a year, and cities outside Ukraine join in 2019.
A demo project gives its cities an extra push from its second year, so the impact estimate
has something real to find.

Cities under occupation or on the front line (``data/reference/not_assessable.csv``, reviewed
by hand, with the reason and a source) are generated as not assessed in the years they could
not be assessed, as the real programme did: the demo never shows them as leaders or risers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from .paths import REFERENCE_DIR

PROGRAMME = "demo-index"
SOURCE = "synthetic demo generator"
DEMO_PROJECT = "demo-project"

AREAS = [  # code, en, uk, ru — the 14 areas of Transparent Cities 2019
    (
        "info",
        "Information on the work of local government",
        "Інформація про роботу органів місцевого самоврядування",
        "Информация о работе органов местного самоуправления",
    ),
    ("access", "Access and participation", "Доступ і участь", "Доступ и участие"),
    ("procurement", "Procurement", "Закупівлі", "Закупки"),
    ("housing", "Housing policy", "Житлова політика", "Жилищная политика"),
    (
        "grants",
        "Financial and material assistance, grants",
        "Фінансова і матеріальна допомога, гранти",
        "Финансовая и материальная помощь, гранты",
    ),
    ("social", "Social services", "Соціальні послуги", "Социальные услуги"),
    ("hr", "HR matters", "Кадрові питання", "Кадровые вопросы"),
    (
        "ethics",
        "Anti-corruption policy and professional ethics",
        "Антикорупційна політика і професійна етика",
        "Антикоррупционная политика и профессиональная этика",
    ),
    (
        "land",
        "Land use and construction policy",
        "Землекористування і будівництво",
        "Землепользование и строительство",
    ),
    ("enterprises", "Municipal enterprises", "Комунальні підприємства", "Коммунальные предприятия"),
    ("property", "Municipal property", "Комунальне майно", "Коммунальное имущество"),
    ("education", "Education", "Освіта", "Образование"),
    ("budget", "Budget process", "Бюджетний процес", "Бюджетный процесс"),
    (
        "investment",
        "Investment and economic development",
        "Інвестиції та економічний розвиток",
        "Инвестиции и экономическое развитие",
    ),
]
CLASSES = [("transparent", 75.0), ("partially transparent", 50.0), ("non-transparent", 0.0)]


@dataclass(frozen=True)
class DemoSpec:
    """What to generate: ``cities=None`` uses the database's real cities."""

    seed: int = 2017
    cities: int | None = None
    years: int = 9
    first_year: int = 2017
    indicators: int = 90
    break_after: int = 4  # years under the first methodology

    @property
    def year_list(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


def _methodologies(spec: DemoSpec, rng: np.random.Generator) -> list[dict]:
    """Two methodology versions with indicators, points summing to 100 in each."""
    n = spec.indicators
    years = spec.year_list
    v1_years = years[: spec.break_after] or years
    v2_years = years[spec.break_after :]
    # Version 1: 13 areas (no investment area). Indicators spread over areas unevenly.
    areas_v1 = [a[0] for a in AREAS[:13]]
    shares = rng.dirichlet(np.full(13, 6.0))
    if n < 13:
        raise ValueError("the demo methodology needs at least 13 indicators (one per area)")
    counts = 1 + rng.multinomial(n - 13, shares)
    v1: list[dict] = []
    for area, k in zip(areas_v1, counts):
        for j in range(1, k + 1):
            v1.append(
                {
                    "code": f"{area}-{j:02d}",
                    "area": area,
                    "weight": float(rng.choice([1, 2], p=[0.6, 0.4])),
                    "kind": "legal_requirement" if rng.random() < 0.55 else "best_practice",
                    "difficulty": float(rng.normal(0, 1.0)),
                }
            )
    out: list[dict] = [
        {
            "code": f"{PROGRAMME}-{v1_years[0]}",
            "years": v1_years,
            "areas": areas_v1,
            "indicators": v1,
        }
    ]
    if v2_years:
        # Version 2 drops ~10% of indicators, keeps the rest (same codes), adds an investment
        # area and a few new ones, and keeps the total count at n.
        keep = [dict(ind) for ind in v1 if rng.random() > 0.10]
        n_inv = max(3, n // 15)
        new = [
            {
                "code": f"investment-{j:02d}",
                "area": "investment",
                "weight": 1.0,
                "kind": "best_practice",
                "difficulty": float(rng.normal(0.3, 1.0)),
            }
            for j in range(1, n_inv + 1)
        ]
        extra = n - len(keep) - len(new)
        for j in range(1, max(0, extra) + 1):
            area = areas_v1[j % 13]
            new.append(
                {
                    "code": f"{area}-n{j:02d}",
                    "area": area,
                    "weight": 1.0,
                    "kind": "best_practice",
                    "difficulty": float(rng.normal(0.2, 1.0)),
                }
            )
        v2 = (keep + new)[:n]
        out.append(
            {
                "code": f"{PROGRAMME}-{v2_years[0]}",
                "years": v2_years,
                "areas": [a[0] for a in AREAS],
                "indicators": v2,
            }
        )
    for m in out:
        w = np.array([i["weight"] for i in m["indicators"]])
        pts = np.round(100 * w / w.sum(), 2)
        pts[-1] = round(100 - pts[:-1].sum(), 2)
        for ind, p in zip(m["indicators"], pts):
            ind["max"] = float(p)
    return out


def _programme_document(meths: list[dict]) -> dict:
    names = {a[0]: a[1:] for a in AREAS}
    methodologies: list[dict] = []
    for idx, m in enumerate(meths):
        indicators = []
        for ind in m["indicators"]:
            en, uk, ru = names[ind["area"]]
            indicators.append(
                {
                    "code": ind["code"],
                    "area": ind["area"],
                    "max": ind["max"],
                    "kind": ind["kind"],
                    "en": f"{en}: demo indicator {ind['code']}",
                    "uk": f"{uk}: демо-індикатор {ind['code']}",
                    "ru": f"{ru}: демо-индикатор {ind['code']}",
                }
            )
        area_max: dict[str, float] = {}
        for ind in m["indicators"]:
            area_max[ind["area"]] = area_max.get(ind["area"], 0.0) + ind["max"]
        areas = [
            {
                "code": a,
                "en": names[a][0],
                "uk": names[a][1],
                "ru": names[a][2],
                "max": round(area_max.get(a, 0.0), 2),
            }
            for a in m["areas"]
            if a in area_max
        ]
        if idx > 0:
            prev = {a["code"] for a in methodologies[-1]["areas"]}
            for a in areas:
                if a["code"] in prev:
                    a["from"] = a["code"]
        methodologies.append(
            {
                "code": m["code"],
                "years": m["years"],
                "n_areas": len(areas),
                "n_indicators": len(indicators),
                "max_points": 100,
                "indicator_points": "synthetic: full, half or no points per indicator",
                "classes": [{"class": c, "min": v, "note": "demo thresholds"} for c, v in CLASSES],
                "areas": areas,
                "indicators": indicators,
            }
        )
    return {
        "programmes": [
            {
                "code": PROGRAMME,
                "synthetic": True,
                "country": None,
                "name_en": "Synthetic demo index (not real data)",
                "name_uk": "Синтетичний демо-індекс (не реальні дані)",
                "name_ru": "Синтетический демо-индекс (не реальные данные)",
                "organisation": "Open Cities Monitor",
                "description_en": "Generated by Open Cities Monitor from a fixed seed to demonstrate "
                "indicator-level views. No city was assessed.",
                "description_uk": "Згенеровано Open Cities Monitor з фіксованого зерна, щоб показати "
                "перегляд за індикаторами. Жодне місто не оцінювалося.",
                "description_ru": "Сгенерировано Open Cities Monitor из фиксированного зерна, чтобы "
                "показать просмотр по индикаторам. Ни один город не оценивался.",
                "methodologies": methodologies,
            }
        ]
    }


def not_assessable(ref: Path = REFERENCE_DIR) -> dict[str, tuple[int, int | None, str]]:
    """City code → (first year, last year or None, reason) of the years it was not assessable."""
    path = ref / "not_assessable.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {
            r["city"]: (
                int(r["year_from"]),
                int(r["year_to"]) if r["year_to"] else None,
                r["reason"],
            )
            for r in csv.DictReader(f)
        }


def _not_assessable_mask(codes: np.ndarray, years: np.ndarray, ref: Path) -> np.ndarray:
    """True for the (city, year) pairs the demo must leave not assessed."""
    mask = np.zeros((len(codes), len(years)), dtype=bool)
    index = {c: i for i, c in enumerate(codes)}
    for city, (y0, y1, _) in not_assessable(ref).items():
        if city in index:
            mask[index[city]] = (years >= y0) & (years <= (y1 if y1 is not None else years.max()))
    return mask


def _make_cities(con: duckdb.DuckDBPyConnection, n: int, rng: np.random.Generator) -> None:
    """Invent ``n`` synthetic cities scattered around the real ones (for benchmarks)."""
    real = con.execute(
        "SELECT country, region, lat, lon FROM cities WHERE NOT synthetic"
    ).fetchall()
    pick = rng.integers(0, len(real), n)
    pop = np.round(np.exp(rng.normal(10.8, 1.0, n))).astype(int)
    rows = []
    for i in range(n):
        country, region, lat, lon = real[pick[i]]
        name = f"Synthetic city {i + 1:05d}"
        rows.append(
            [
                f"syn-{i + 1:05d}",
                country,
                region,
                name,
                f"Синтетичне місто {i + 1:05d}",
                f"Синтетический город {i + 1:05d}",
                name,
                [],
                float(lat + rng.normal(0, 0.3)),
                float(lon + rng.normal(0, 0.3)),
                int(pop[i]),
                None,
                False,
                False,
                False,
                True,
            ]
        )
    con.executemany(
        "INSERT INTO cities (code, country, region, name_en, name_uk, name_ru, name_native, "
        "aliases, lat, lon, population, geonameid, capital, ogp_local, in_tc_ranking, synthetic) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def generate(
    con: duckdb.DuckDBPyConnection,
    spec: DemoSpec = DemoSpec(),
    batch: int = 2,
    progress=None,
    ref: Path = REFERENCE_DIR,
) -> int:
    """Add the demo programme, its scores (one import batch) and the demo project.

    Returns the number of score rows written.
    """
    from .reference import load_programme_document, upsert_projects

    say = progress or (lambda *_: None)
    rng = np.random.default_rng(spec.seed)
    if spec.cities is not None:
        say("inventing synthetic cities")
        _make_cities(con, spec.cities, rng)
        city_rows = con.execute(
            "SELECT code, country FROM cities WHERE synthetic ORDER BY code"
        ).fetchall()
    else:
        # District councils are another tier of government: the demo scores cities only.
        city_rows = con.execute(
            "SELECT code, country FROM cities WHERE NOT synthetic AND kind = 'city' ORDER BY code"
        ).fetchall()
    codes = np.array([c for c, _ in city_rows], dtype=object)
    is_ua = np.array([k == "UA" for _, k in city_rows])
    n_c = len(codes)

    meths = _methodologies(spec, rng)
    load_programme_document(con, _programme_document(meths))

    # City traits: level, growth; project cities get a push from the project's second year.
    level = rng.normal(-0.6, 0.9, n_c) + np.where(is_ua, 0.2, -0.3)
    growth = rng.normal(0.22, 0.12, n_c)
    years = np.array(spec.year_list)
    proj_n = min(15, max(2, n_c // 10))
    proj_idx = rng.choice(
        np.flatnonzero(is_ua) if is_ua.sum() >= proj_n else np.arange(n_c), proj_n, replace=False
    )
    proj_start = spec.first_year + min(2, spec.years - 1)
    proj_end = min(proj_start + 3, years[-1])
    boost = np.zeros((n_c, len(years)))
    boost[np.ix_(proj_idx, years > proj_start)] = 0.8
    # Assessed city-years: non-Ukrainian cities join in 2019; ~3% of city-years are skipped.
    assessed = rng.random((n_c, len(years))) > 0.03
    if spec.cities is None:  # the real cities outside Ukraine join later (benchmark cities don't)
        assessed &= ~((~is_ua)[:, None] & (years[None, :] < 2019))
    area_effect = {a[0]: rng.normal(0, 0.6) for a in AREAS}
    # Applied after every random draw, so the other cities' data stays as it was.
    unassessable = _not_assessable_mask(codes, years, ref)

    say("generating indicator scores")
    tables = []
    for m in meths:
        inds = m["indicators"]
        n_i = len(inds)
        yidx = np.array([list(years).index(y) for y in m["years"]])
        diff = np.array([i["difficulty"] + area_effect[i["area"]] for i in inds])
        maxp = np.array([i["max"] for i in inds])
        not_applicable = rng.random((n_c, n_i)) < 0.02  # fixed for a city across years
        t = (years[yidx] - spec.first_year)[None, :, None]
        latent = (
            level[:, None, None]
            + growth[:, None, None] * t
            - diff[None, None, :]
            + boost[:, yidx][:, :, None]
            + rng.normal(0, 0.5, (n_c, len(yidx), n_i))
        )
        p = 1 / (1 + np.exp(-latent))
        u = rng.random(p.shape)
        frac = np.where(u < p**1.4, 1.0, np.where(u < p, 0.5, 0.0))
        score = frac * maxp[None, None, :]
        status = np.zeros(p.shape, dtype=np.int8)  # 0 scored, 1 not_applicable, 2 not_assessed
        status[np.broadcast_to(not_applicable[:, None, :], p.shape)] = 1
        status[(rng.random(p.shape) < 0.005) & (status == 0)] = 2
        status[np.broadcast_to(unassessable[:, yidx][:, :, None], p.shape)] = 2
        keep = np.broadcast_to(assessed[:, yidx][:, :, None], p.shape)
        ci, yi, ii = np.nonzero(keep)
        st = status[ci, yi, ii]
        sc = np.where(st == 0, score[ci, yi, ii], np.nan)
        tables.append(
            pa.table(
                {
                    "city": pa.DictionaryArray.from_arrays(
                        pa.array(ci, pa.int32()), pa.array(codes)
                    ),
                    "year": pa.array(years[yidx][yi].astype(np.int16)),
                    "methodology": pa.array(
                        np.full(len(ci), m["code"], dtype=object)
                    ).dictionary_encode(),
                    "item": pa.DictionaryArray.from_arrays(
                        pa.array(ii, pa.int32()), pa.array([i["code"] for i in inds])
                    ),
                    "score": pa.array(sc, from_pandas=True),
                    "status": pa.DictionaryArray.from_arrays(
                        pa.array(st.astype(np.int32)),
                        pa.array(["scored", "not_applicable", "not_assessed"]),
                    ),
                }
            )
        )
    total = 0
    say("writing scores")
    for tbl in tables:
        con.register("demo_scores", tbl)
        con.execute(
            """INSERT INTO scores
               SELECT city::VARCHAR, year, methodology::VARCHAR, 'indicator', item::VARCHAR,
                      score, status::VARCHAR::score_status, NULL, NULL, ?, ?, NULL
               FROM demo_scores""",
            [SOURCE, batch],
        )
        con.unregister("demo_scores")
        total += tbl.num_rows

    upsert_projects(
        con,
        [
            {
                "code": DEMO_PROJECT,
                "synthetic": True,
                "title_en": "Demo project",
                "title_uk": "Демо-проєкт",
                "title_ru": "Демо-проект",
                "start": f"{proj_start}-01-01",
                "end": f"{proj_end}-12-31",
                "countries": sorted({city_rows[i][1] for i in proj_idx}),
                "summary_en": "Invented to demonstrate the project impact view on the synthetic demo "
                "index. Its cities were given a planted improvement.",
                "summary_uk": "Вигаданий, щоб показати оцінку впливу проєкту на синтетичному "
                "демо-індексі. Його містам додано закладене покращення.",
                "summary_ru": "Придуман, чтобы показать оценку влияния проекта на синтетическом "
                "демо-индексе. Его городам добавлено заложенное улучшение.",
                "sources": [f"{SOURCE}, seed {spec.seed}"],
                "cities": [
                    {"city": codes[i], "year_from": proj_start, "year_to": int(proj_end)}
                    for i in sorted(proj_idx)
                ],
            }
        ],
    )
    return total
