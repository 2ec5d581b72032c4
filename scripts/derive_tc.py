"""Derive TI Ukraine's Transparent Cities 2017-2018 data at indicator level (maintainer's tool).

Called from ``derive_reference.main()``; reads ``../shared/data/found/`` (read its READMEs'
known traps first) and writes, in ``data/reference/``:

    cities.csv (Ukrainian part)            the official 100-city list (current names, former
                                           names as aliases) + cities only later rankings list
    scores/tc-transparency-2018-indicators.csv   9,100 final 2018 scores (import format)
    scores/tc-transparency-2017-areas.csv        1,300 2017 area scores (import format)
    scores/tc-investment-2018-indicators.csv     1,700 investment-ranking scores (import format)
    indicators.csv                         indicator texts: uk = TI's wording, en/ru = ours
    indicator_notes.csv                    analysts' working notes beside the scores
    published.csv (appended)               TI's 2017 letter bands; investment totals 2018

and prints the computed-vs-published report (also written to docs/tc-computed-vs-published.md).
Area points and totals are never written: the engine computes them from the scores.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analytics.importer import COLUMNS
from analytics.reference import PUBLISHED_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
WORKFILE = Path("data/found/tc-2017-2018-ti-workfile")
INVEST = Path("data/found/tc-2018-investment-transparency-texty")
TRANSLATIONS = Path(__file__).with_name("tc_indicator_translations.yaml")

WORKBOOK_URL = (
    "https://github.com/NadiaRom/TI-cities/tree/825bafe1148de5798e160af6cdcb778d5f3fb7d2/data"
)
TEXTY_URL = "https://github.com/texty/transparency/blob/3c6dc29648ebc59ba0c55f5da061588aa3f6f491/data/geocoded.csv"
ATTRIBUTION = "Transparency International Ukraine, Transparent Cities programme"
SOURCE_2018 = f"{ATTRIBUTION}: final 2018 scores (workbook sheet 100 міст, via NadiaRom/TI-cities)"
SOURCE_2017 = f"{ATTRIBUTION}: 2017 area scores (workbook sheet 100 міст_2017_2018)"
SOURCE_INV = f"{ATTRIBUTION}: Investment Sector Transparency Ranking 2018 (via Texty.org.ua)"
TEXT_SOURCE = "uk: TI Ukraine's wording; en, ru: our translation (Open Cities Monitor)"

# Russian for the new names of 2024 (GeoNames' Russian name is the former one).
# Russian names GeoNames gets wrong for cities of the official list.
RU_FIXES = {
    "Pivdennoukrainsk": "Пивденноукраинск",
    "Sheptytskyi": "Шептицкий",
    "Sambir": "Самбор",
    "Kupiansk": "Купянск",
}
FORMER_RU = {
    "Pivdennoukrainsk": ["Южноукраинск"],
    "Sheptytskyi": ["Червоноград"],
    "Samar": ["Новомосковск"],
}
# 2017 letter bands as the workbook states them: lowest total of each band.
BAND_CUTS = (("F", 55), ("G", 50), ("H", 40), ("I", 20), ("J", 0))
LINK = re.compile(r"https?://[^\s,;<>\"\\]+")
INDICATOR_ID = re.compile(r"^A\d{5}$")

Records = tuple[dict[int, dict], dict[str, int]]


# --------------------------------------------------------------------------------------------
# Names


def clean_name(name: str) -> str:
    """A city name as written in TI's files, made comparable: typographic apostrophe, no
    stray spaces (``Кам'янець- Подільський`` → ``Кам’янець-Подільський``)."""
    name = re.sub(r"['ʼ`´]", "’", name.strip())
    name = re.sub(r"\s*-\s*", "-", name)
    return re.sub(r"\s+", " ", name)


def key(name: str) -> str:
    return re.sub(r"[\s'’ʼ`´\-]", "", name.lower())


def clean_text(text: str) -> str:
    """TI's question text without the line breaks and hyphenation of the spreadsheet cells."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # "офі-\nційний"
    text = re.sub(r"(\w)\n(\w)", r"\1\2", text)  # "зе\nмлю": a break inside a word
    text = re.sub(r"(\w)- (\w)", r"\1\2", text)  # "попе- редні", "поси- лання"
    return re.sub(r"\s+", " ", text).strip()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------------------------
# Cities (one of derive_reference.CITY_ROWS)


def ukraine_cities(shared: Path, geo: dict[str, Any]) -> Records:
    """The Ukrainian rows: the official 100 cities of the 2017-2018 ranking, then every city
    named only in later published results. Returns records by GeoNames id and a map from each
    published English name to its GeoNames id."""
    record: Callable[..., dict] = geo["record"]
    records: dict[int, dict] = {}
    names: dict[str, int] = {}
    for r in _read(shared / WORKFILE / "tc_100_cities_2018.csv"):
        gid = int(r["geonameid"])
        en = r["city_en_current"]
        rec = record(geo["by_id"][gid], "UA", uk_hint=clean_name(r["city_uk_current"]), en_hint=en)
        rec["name_ru"] = RU_FIXES.get(en, rec["name_ru"])
        former = {r["city_en_2018"], clean_name(r["city_uk"]), clean_name(r["city_uk_in_file"])}
        former |= set(FORMER_RU.get(en, []))
        current = {rec["name_en"], rec["name_uk"], rec["name_ru"], rec["name_native"]}
        rec["aliases"] = sorted({*rec["aliases"], *(f for f in former if f not in current)})
        rec["in_tc_ranking"] = True
        rec["official_2018"] = True
        records[gid] = rec
        names[en] = names[r["city_en_2018"]] = gid
    later = _later_cities(shared, geo, records)
    for en, (gid, extra) in later.items():
        names[en] = gid
        if extra is not None and gid not in records:
            records[gid] = extra
    return records, names


def _later_cities(
    shared: Path, geo: dict[str, Any], known: dict[int, dict]
) -> dict[str, tuple[int, dict | None]]:
    """Cities of the published results (tc_published.csv) outside the official 100."""
    rows = _read(shared / "data/published/tc_published.csv")
    published: dict[str, str] = {}
    for r in rows:
        en = r["city_en"]
        if en and not en[0].isdigit() and not en.isupper() and "_" not in en:
            published.setdefault(en, r["city_uk"])
    out: dict[str, tuple[int, dict | None]] = {}
    for en, uk in published.items():
        gid = geo["geonames_ids"].get(en)
        if gid is None:
            hits = geo["by_norm"].get(geo["norm"](uk), []) + geo["by_norm"].get(geo["norm"](en), [])
            if not hits:
                raise SystemExit(f"no GeoNames city for published name {en} / {uk}")
            gid = int(max(hits, key=lambda c: c["population"])["geonameid"])
        if gid in known or en in geo["renamed"]:
            out[en] = (gid, None)
            continue
        rec = geo["record"](geo["by_id"][gid], "UA", uk_hint=uk, en_hint=en)
        rec["in_tc_ranking"] = True
        out[en] = (gid, rec)
    return out


def city_codes(ref: Path) -> dict[str, str]:
    """Every spelling of a Ukrainian city (names and aliases, compared by ``key``) → code."""
    out: dict[str, str] = {}
    for r in _read(ref / "cities.csv"):
        if r["country"] != "UA":
            continue
        for n in [r["name_en"], r["name_uk"], r["name_ru"], *r["aliases"].split("|")]:
            if n:
                out.setdefault(key(n), r["code"])
    return out


# --------------------------------------------------------------------------------------------
# Methodology: areas, indicators and texts


def area_codes(ref: Path, methodology: str) -> dict[str, str]:
    """English area names and aliases of a methodology (by ``key``) → area code."""
    doc = yaml.safe_load((ref / "programmes.yaml").read_text(encoding="utf-8"))
    meth = next(
        m for p in doc["programmes"] for m in p["methodologies"] if m["code"] == methodology
    )
    return {key(n): a["code"] for a in meth["areas"] for n in [a["en"], *a.get("aliases", [])]}


def indicator_rows(shared: Path, ref: Path) -> list[dict[str, Any]]:
    """Both methodologies' indicators: code, area, position, maximum, texts in three languages."""
    ours = yaml.safe_load(TRANSLATIONS.read_text(encoding="utf-8"))
    areas = area_codes(ref, "tc-transparency-2017")
    rows = []
    for pos, r in enumerate(_read(shared / WORKFILE / "tc2018_indicator_catalogue.csv"), 1):
        rows.append(
            {
                "methodology": "tc-transparency-2017",
                "code": r["indicator_id"],
                "area": areas[key(r["area_en"])],
                "position": pos,
                "max_points": r["max_points"],
                "text_uk": clean_text(r["question_uk"]),
                "text_en": ours[r["indicator_id"]]["en"],
                "text_ru": ours[r["indicator_id"]]["ru"],
                "text_source": TEXT_SOURCE,
            }
        )
    for pos, r in enumerate(_read(shared / INVEST / "tc2018inv_indicator_catalogue.csv"), 1):
        rows.append(
            {
                "methodology": "tc-investment-2018",
                "code": r["indicator_id"],
                "area": "investment",
                "position": pos,
                "max_points": r["max_points"],
                "text_uk": clean_text(r["question_uk"]),
                "text_en": ours[r["indicator_id"]]["en"],
                "text_ru": ours[r["indicator_id"]]["ru"],
                "text_source": TEXT_SOURCE,
            }
        )
    missing = [r["code"] for r in rows if not (r["text_en"] and r["text_ru"])]
    assert not missing, f"no translation for {missing}"
    return rows


# --------------------------------------------------------------------------------------------
# Scores and notes

SCORE_FIELDS = list(COLUMNS)  # the import format (docs/import-format.md)
NOTE_FIELDS = ["methodology", "year", "city", "indicator", "kind", "text", "url", "source"]


def _number(text: str) -> Decimal | None:
    t = text.strip().replace(",", ".")
    return Decimal(t) if re.fullmatch(r"[+-]?\d+(\.\d+)?", t) else None


def _evidence(links: str) -> str | None:
    """The first web address among an analyst's links (local file paths are not evidence)."""
    found = LINK.findall(links)
    return found[0].rstrip(".") if found else None


def scores_2018(shared: Path, codes: dict[str, str]) -> tuple[list[dict], list[dict], dict]:
    """The 2018 indicator scores (official: ``score_in_ti_total``) with evidence and comments
    from the analysts' sheets; the notes that have no column in the import format; counts."""
    notes_src = _read(shared / WORKFILE / "tc2018_city_sheet_notes.csv")
    catalogue = {
        r["indicator_id"] for r in _read(shared / WORKFILE / "tc2018_indicator_catalogue.csv")
    }
    by_key: dict[tuple[str, str], dict] = {}
    stats: dict[str, Any] = defaultdict(int)
    unknown_ids: set[str] = set()
    for n in notes_src:
        city = codes[key(clean_name(n["city_uk"]))]
        ident = n["indicator_id"].strip()
        if ident not in catalogue:
            stats["note rows with an indicator id outside the 91"] += 1
            unknown_ids.add(ident)
            continue
        by_key[(city, ident)] = n
    stats["unknown indicator ids"] = len(unknown_ids)
    scores, notes = [], []
    for r in _read(shared / WORKFILE / "tc2018_indicator_scores.csv"):
        city = codes[key(clean_name(r["city_uk"]))]
        ident = r["indicator_id"]
        official, recorded = r["score_in_ti_total"], r["score"]
        n = by_key.get((city, ident), {})
        comment = n.get("analyst_comment", "").strip()
        evidence = _evidence(n.get("source_links", ""))
        scores.append(
            {
                "programme": "tc-transparency",
                "year": 2018,
                "city": clean_name(r["city_uk"]),
                "country": "UA",
                "level": "indicator",
                "code": ident,
                "score": official,
                "status": "scored",
                "evidence_url": evidence or "",
                "comment": f"Analysts' working note: {comment}" if comment else "",
                "source": SOURCE_2018,
            }
        )
        stats["evidence links"] += bool(evidence)
        stats["comments"] += bool(comment)
        base = {
            "methodology": "tc-transparency-2017",
            "year": 2018,
            "city": city,
            "indicator": ident,
        }
        if Decimal(official) != Decimal(recorded):
            notes.append(
                {**base, "kind": "uncounted", "text": recorded, "url": "", "source": SOURCE_2018}
            )
        rec = n.get("recommendation", "").strip()
        if rec:
            notes.append(
                {**base, "kind": "recommendation", "text": rec, "url": "", "source": SOURCE_2018}
            )
            stats["recommendations"] += 1
        links = n.get("source_links", "").strip().strip("\ufeff").strip()
        if links and links != evidence:
            notes.append(
                {
                    **base,
                    "kind": "evidence",
                    "text": links,
                    "url": evidence or "",
                    "source": SOURCE_2018,
                }
            )
        sheet = n.get("sheet_value_2018", "").strip()
        if sheet:
            value = _number(sheet)
            if value is None or value != Decimal(recorded):
                notes.append(
                    {**base, "kind": "sheet_value", "text": sheet, "url": "", "source": SOURCE_2018}
                )
                stats["sheet values that differ from the final score (or are not numbers)"] += 1
            if value is None:
                stats["sheet values that are not numbers"] += 1
    return scores, notes, dict(stats)


def scores_2017(shared: Path) -> list[dict]:
    """The 2017 area scores, in the import format (areas named as in TI's file)."""
    return [
        {
            "programme": "tc-transparency",
            "year": 2017,
            "city": clean_name(r["city_uk"]),
            "country": "UA",
            "level": "area",
            "code": r["area_en"],
            "score": r["score"],
            "status": "scored",
            "evidence_url": "",
            "comment": "",
            "source": SOURCE_2017,
        }
        for r in _read(shared / WORKFILE / "tc2017_area_scores.csv")
    ]


NO_REPLY = "no_reply"


def scores_investment(shared: Path, codes: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """The investment ranking: published scores, text-typed cells as TI's total counted them
    (0, with the recorded value as a note), and a note for cities that did not reply."""
    rows = _read(shared / INVEST / "tc2018inv_indicator_scores.csv")
    scores, notes = [], []
    per_city: dict[str, list[Decimal]] = defaultdict(list)
    for r in rows:
        city = codes[key(clean_name(r["city_uk"]))]
        counted = r["counted_in_published_total"] == "1"
        scores.append(
            {
                "programme": "tc-investment",
                "year": 2018,
                "city": clean_name(r["city_uk"]),
                "country": "UA",
                "level": "indicator",
                "code": r["indicator_id"],
                "score": r["score"] if counted else "0",
                "status": "scored",
                "evidence_url": "",
                "comment": "",
                "source": SOURCE_INV,
            }
        )
        per_city[city].append(Decimal(r["score"]))
        if not counted:
            notes.append(
                {
                    "methodology": "tc-investment-2018",
                    "year": 2018,
                    "city": city,
                    "indicator": r["indicator_id"],
                    "kind": "uncounted",
                    "text": r["score"],
                    "url": "",
                    "source": SOURCE_INV,
                }
            )
    for city, values in per_city.items():
        if not any(values):
            notes.append(
                {
                    "methodology": "tc-investment-2018",
                    "year": 2018,
                    "city": city,
                    "indicator": "",
                    "kind": NO_REPLY,
                    "text": "",
                    "url": "",
                    "source": SOURCE_INV,
                }
            )
    return scores, notes


# --------------------------------------------------------------------------------------------
# Published figures: 2017 bands, investment totals


# The columns of published.csv, as the product reads them (one list, in analytics.reference).
PUBLISHED_FIELDS = PUBLISHED_COLUMNS


def published_rows(shared: Path, codes: dict[str, str]) -> list[dict]:
    out = []
    for r in _read(shared / WORKFILE / "tc2017_bands.csv"):
        out.append(
            {
                "dataset": "transparency_ranking_100_bands",
                "programme": "tc-transparency",
                "methodology": "tc-transparency-2017",
                "year": 2017,
                "city": codes[key(clean_name(r["city_uk"]))],
                "kind": "class",
                "level": "total",
                "item": "total",
                "value": "",
                "text_value": f"band {r['band']}",
                "preferred": True,
                "source_url": WORKBOOK_URL,
                "quote": f"2017 letter band {r['band']} (workbook sheet 100 міст_2017_2018)",
            }
        )
    for r in _read(shared / INVEST / "tc2018inv_city_totals.csv"):
        out.append(
            {
                "dataset": "investment_ranking_2018",
                "programme": "tc-investment",
                "methodology": "tc-investment-2018",
                "year": 2018,
                "city": codes[key(clean_name(r["city_uk"]))],
                "kind": "score",
                "level": "total",
                "item": "total",
                "value": r["published_total"],
                "text_value": "",
                "preferred": True,
                "source_url": TEXTY_URL,
                "quote": f"{r['city_uk_source']}: {r['published_total']} of {r['max_total']}",
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# The computed-vs-published report


def half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def competition_ranks(totals: dict[str, Decimal]) -> dict[str, int]:
    """Ranks "1, 2, 2, 4" of totals rounded half-up to 0.01 (ties share the better rank)."""
    keyed = {c: half_up(v) for c, v in totals.items()}
    ordered = sorted(keyed.values(), reverse=True)
    return {c: ordered.index(v) + 1 for c, v in keyed.items()}


def _sums(shared: Path, ref: Path, codes: dict[str, str]) -> dict[str, dict]:
    """What TI's own scores add up to, in decimal: totals and area points per city."""
    amap = area_codes(ref, "tc-transparency-2017")
    out: dict[str, dict] = {
        k: defaultdict(Decimal) for k in ("t18", "naive18", "a18", "t17", "a17", "inv", "inv_naive")
    }
    for r in _read(shared / WORKFILE / "tc2018_indicator_scores.csv"):
        city = codes[key(clean_name(r["city_uk"]))]
        out["t18"][city] += Decimal(r["score_in_ti_total"])
        out["naive18"][city] += Decimal(r["score"])
        out["a18"][(city, amap[key(r["area_en"])])] += Decimal(r["score_in_ti_total"])
    for r in _read(shared / WORKFILE / "tc2017_area_scores.csv"):
        city = codes[key(clean_name(r["city_uk"]))]
        out["t17"][city] += Decimal(r["score"])
        out["a17"][(city, amap[key(r["area_en"])])] = Decimal(r["score"])
    for r in _read(shared / INVEST / "tc2018inv_indicator_scores.csv"):
        city = codes[key(clean_name(r["city_uk"]))]
        out["inv_naive"][city] += Decimal(r["score"])
        if r["counted_in_published_total"] == "1":
            out["inv"][city] += Decimal(r["score"])
    return out


def _computed(sums: dict[str, dict]) -> dict[tuple[str, int], dict]:
    return {
        ("tc-transparency", 2017): sums["t17"],
        ("tc-transparency", 2018): sums["t18"],
        ("tc-investment", 2018): sums["inv"],
    }


def _report_totals(pub: list[dict], sums: dict[str, dict]) -> list[str]:
    lines = ["## Totals and area points: computed from TI's own scores vs published"]
    computed = _computed(sums)
    areas = {2017: sums["a17"], 2018: sums["a18"]}
    checked = 0
    for r in pub:
        if r["kind"] != "score" or not r["value"]:
            continue
        year = int(r["year"])
        if r["level"] == "total":
            comp = computed.get((r["programme"], year), {}).get(r["city"])
        elif r["programme"] == "tc-transparency" and year in areas:
            comp = areas[year].get((r["city"], r["item"]))
        else:
            comp = None
        if comp is None:
            continue
        checked += 1
        if half_up(comp) != half_up(Decimal(r["value"])):
            mark = "preferred" if r["preferred"] == "True" else "alternative"
            lines.append(
                f"- {r['programme']} {year} {r['city']} {r['level']} {r['item']}: computed "
                f"{half_up(comp)}, published {r['value']} ({mark}; {r['source_url']})"
            )
    lines.append(f"({checked} published figures checked, {len(lines) - 1} differ)")
    return lines


def _report_uncounted(sums: dict[str, dict]) -> list[str]:
    lines = ["## Text-typed cells TI's totals did not count (official = the counted sum)"]
    for city, total in sorted(sums["t18"].items()):
        if total != sums["naive18"][city]:
            lines.append(
                f"- tc-transparency 2018 {city}: all scores add up to {sums['naive18'][city]}, "
                f"TI counted {total} (A16044 holds 0.5 typed as text); official {total}"
            )
    for city, total in sorted(sums["inv"].items()):
        if total != sums["inv_naive"][city]:
            lines.append(
                f"- tc-investment 2018 {city}: all scores add up to {sums['inv_naive'][city]}, "
                f"TI published {total}; official {total}"
            )
    return lines


def _report_ranks(pub: list[dict], sums: dict[str, dict]) -> list[str]:
    lines = [
        "## Ranks: computed (competition ranking of the totals shown, rounded half-up to 0.01; "
        "ties share the better rank) vs published"
    ]
    for (programme, year), totals in _computed(sums).items():
        shown = dict(totals)  # the published total is the official one where TI published it
        for r in pub:
            if (r["programme"], int(r["year"]), r["kind"], r["level"], r["preferred"]) == (
                programme,
                year,
                "score",
                "total",
                "True",
            ):
                shown[r["city"]] = Decimal(r["value"])
        ranks = competition_ranks(shown)
        for r in pub:
            if (r["programme"], int(r["year"]), r["kind"]) != (programme, year, "rank"):
                continue
            got = ranks.get(r["city"])
            if got is not None and got != int(float(r["value"])):
                mark = "preferred" if r["preferred"] == "True" else "alternative"
                lines.append(
                    f"- {programme} {year} {r['city']}: computed rank {got} (total "
                    f"{half_up(shown[r['city']])}), published {r['value']} ({mark}; "
                    f"{r['source_url']})"
                )
    return lines


def _report_bands(shared: Path, codes: dict[str, str], sums: dict[str, dict]) -> list[str]:
    lines = [
        "## 2017 bands: TI's band (shown) vs the stated cut-offs "
        "(F 55-60, G 50-55, H 40-50, I 20-40, J <20) applied to the sum of the 13 areas"
    ]
    for r in _read(shared / WORKFILE / "tc2017_bands.csv"):
        city = codes[key(clean_name(r["city_uk"]))]
        total = sums["t17"][city]
        by_cut = next(b for b, lo in BAND_CUTS if total >= lo)
        if by_cut != r["band"]:
            lines.append(f"- {city}: total {total} → {by_cut} by the cut-offs; TI gave {r['band']}")
    return lines


def report(shared: Path, ref: Path, codes: dict[str, str]) -> list[str]:
    """Every difference between what TI published and what its scores add up to."""
    pub = [
        r
        for r in _read(ref / "published.csv")
        if r["programme"] in ("tc-transparency", "tc-investment")
    ]
    sums = _sums(shared, ref, codes)
    return [
        *_report_totals(pub, sums),
        *_report_uncounted(sums),
        *_report_ranks(pub, sums),
        *_report_bands(shared, codes, sums),
    ]


# --------------------------------------------------------------------------------------------


def _write(path: Path, fields: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def derive(shared: Path, ref: Path) -> None:
    """Write the Transparent Cities files (cities.csv and published.csv must exist) and print
    the computed-vs-published report."""
    codes = city_codes(ref)
    scores18, notes18, stats = scores_2018(shared, codes)
    inv, inv_notes = scores_investment(shared, codes)
    _write(ref / "scores/tc-transparency-2018-indicators.csv", SCORE_FIELDS, scores18)
    _write(ref / "scores/tc-transparency-2017-areas.csv", SCORE_FIELDS, scores_2017(shared))
    _write(ref / "scores/tc-investment-2018-indicators.csv", SCORE_FIELDS, inv)
    indicators = indicator_rows(shared, ref)
    _write(ref / "indicators.csv", list(indicators[0]), indicators)
    _write(ref / "indicator_notes.csv", NOTE_FIELDS, notes18 + inv_notes)
    extra = published_rows(shared, codes)
    with (ref / "published.csv").open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=PUBLISHED_FIELDS).writerows(extra)
    lines = [
        "# Transparent Cities 2017-2018 and the 2018 investment ranking: computed vs published",
        "",
        f"Loaded: {len(scores18)} indicator scores 2018, 1300 area scores 2017, {len(inv)} "
        f"investment scores 2018, {len(indicators)} indicators, {len(notes18) + len(inv_notes)} "
        f"notes; analysts' sheets: {stats}",
        "",
        *report(shared, ref, codes),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "docs/tc-computed-vs-published.md").write_text(text, encoding="utf-8")
