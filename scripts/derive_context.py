"""Derive the real EU projects and the country backdrop into data/reference/.

A maintainer's tool (run by scripts/derive_reference.py, or alone:
``python scripts/derive_context.py --shared ../shared``). Reads
    shared/data/found/eu-projects-eap-governance/   26 projects and 102 project places
    shared/data/found/ogp-eap-facts/                OGP facts per country
    shared/data/found/ti-cpi-2012-2024/             TI's Corruption Perceptions Index
    shared/data/found/wgi-eap-1996-2019/            World Bank governance indicators
    data/reference/cities.csv, regions.csv          to report which places are cities here
and writes
    data/reference/projects.yaml        all projects: facts, amounts, places, our texts
    data/reference/country_context.csv  OGP, CPI and WGI figures per country and year
    data/reference/ogp_local.csv        OGP Local members with their joining year

Facts and figures carry over; every summary, label and translation is ours (context_texts.py).
The two founding projects keep their hand-written texts and targets from projects.yaml.
Places are linked to cities at load time by GeoNames id, so cities added later link without
deriving again; this script reports the places that are not cities of cities.csv today.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from context_texts import PLACE_NAMES, PROJECTS, ROLES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference"
EAP = ("AM", "AZ", "BY", "GE", "MD", "UA")
ISO3 = {"ARM": "AM", "AZE": "AZ", "BLR": "BY", "GEO": "GE", "MDA": "MD", "UKR": "UA"}
COUNTRY = {
    "Armenia": "AM",
    "Azerbaijan": "AZ",
    "Belarus": "BY",
    "Georgia": "GE",
    "Moldova": "MD",
    "Ukraine": "UA",
}
FOUNDING = ("eu-for-integrity", "transparent-cities-e-platform")

CPI_SOURCE = "Transparency International, Corruption Perceptions Index 2024"
CPI_LICENCE = "CC BY-ND 4.0"
CPI_URL = "https://www.transparency.org/en/cpi/2024"
WGI_SOURCE = "Kaufmann & Kraay, Worldwide Governance Indicators, World Bank, 2020 update"
WGI_LICENCE = "CC BY 4.0"
WGI_URL = "https://info.worldbank.org/governance/wgi/"
OGP_SOURCE = "Open Government Partnership and national OGP pages"
OGP_LICENCE = "facts, cited with their page"
WGI_MEASURES = {"ControlofCorruption": "wgi_cc", "VoiceandAccountability": "wgi_va"}

# The source's project title → our stable code.
CODES = {
    "Transparent Cities e-platform": "transparent-cities-e-platform",
    "EU for Integrity - the Open Government": "eu-for-integrity",
    "EU for Integrity - OECD": "eu-for-integrity-oecd",
    "Strengthening the Fight Against Corruption": "oecd-fight-against-corruption",
    "Resilient, Open and Accountable": "road4eap",
    "EU Anti-Corruption Initiative in Ukraine (EUACI) - Phase I,": "euaci-1",
    "EU Anti-Corruption Initiative in Ukraine (EUACI) - Phase II,": "euaci-2",
    "EU Anti-Corruption Initiative in Ukraine (EUACI) - Phase III": "euaci-3",
    "U-LEAD with Europe: Ukraine": "u-lead-1",
    "U-LEAD with Europe - Phase II,": "u-lead-2",
    "U-LEAD with Europe - Phase III": "u-lead-3",
    "Partnership for Good Governance (PGG I": "pgg-1",
    "Partnership for Good Governance - Phase II,": "pgg-2",
    "Partnership for Good Governance - Phase III": "pgg-3",
    "EU4Moldova: Focal Regions": "eu4moldova-focal-regions",
    "EU4ITD": "eu4itd-georgia",
    "Building Transparent Cities in Ukraine": "undef-building-transparent-cities",
    "Democratic Development, Decentralisation": "ada-armenia-local-governance",
    "EU4Moldova: Local Communities": "eu4moldova-local-communities",
    "Edinet - insights": "edinet-tomorrow-cities",
    "Mayors for Economic Growth (M4EG) Facility - Phase II ": "m4eg-2",
    "M4EG EU Response and Renewal": "m4eg-response-renewal",
    "Mayors for Economic Growth (M4EG) Facility - Phase III": "m4eg-3",
    "Community-Led Urban Strategies": "comus",
    "EU Support to the East of Ukraine": "eu-east-ukraine-recovery",
    "Support to Local Economic Development": "belarus-local-economic-development",
}

# Amounts the sources give besides the headline EU contribution and total budget, read off
# the `note` column by hand: alternatives are kept like published results, never summed.
# (kind, amount, currency, country, share, source_url, note)
AMOUNTS: dict[str, list[tuple]] = {
    "eu-for-integrity-oecd": [
        (
            "programme",
            7_000_000,
            "EUR",
            None,
            None,
            "https://bm.ge/en/news/eu-launches-a-programme-to-fight-corruption-in-the-eastern-partnership/83158",
            "EU commitment to the EU for Integrity programme as a whole (OECD and OGP parts, "
            "three years); not this part alone",
        )
    ],
    "euaci-1": [
        (
            "total_budget",
            15_840_000,
            "EUR",
            None,
            None,
            "https://kyivpost.com/ukraine-politics/eus-three-year-anti-corruption-initiative-launched-ukraine.html",
            "alternative total: European Commission EUR 14.5m and Denmark EUR 1.34m",
        ),
        (
            "eu_contribution",
            14_500_000,
            "EUR",
            None,
            None,
            "https://kyivpost.com/ukraine-politics/eus-three-year-anti-corruption-initiative-launched-ukraine.html",
            "alternative EU contribution (same source as the alternative total)",
        ),
    ],
    "euaci-2": [
        (
            "funder",
            7_900_000,
            "EUR",
            None,
            None,
            "https://euaci.eu/en/news-and-events/euaci-financing-agreement-signed",
            "Denmark's contribution (financing agreement signed 8 July)",
        )
    ],
    "euaci-3": [
        (
            "eu_contribution",
            70_000_000,
            "DKK",
            None,
            None,
            "https://open4business.com.ua/en/denmark-to-allocate-almost-9-mln-to-ukraine-to-fight-corruption",
            "EU: more than DKK 70m (not converted)",
        ),
        (
            "funder",
            60_000_000,
            "DKK",
            None,
            None,
            "https://open4business.com.ua/en/denmark-to-allocate-almost-9-mln-to-ukraine-to-fight-corruption",
            "Denmark: about DKK 60m (not converted)",
        ),
        (
            "funder",
            8_750_000,
            "USD",
            None,
            None,
            "https://open4business.com.ua/en/denmark-to-allocate-almost-9-mln-to-ukraine-to-fight-corruption",
            "Denmark's share in US dollars, as the same source gives it",
        ),
    ],
    "u-lead-1": [
        (
            "total_budget",
            97_000_000,
            "EUR",
            None,
            None,
            "https://decentralization.ua/en/news/2240",
            "agreement of 22 April 2016, before the amendment to EUR 101m",
        ),
        (
            "funder",
            6_000_000,
            "EUR",
            None,
            None,
            "https://decentralization.ua/en/news/9767.amp",
            "Germany's contribution after the amendment",
        ),
        (
            "programme",
            152_300_000,
            "EUR",
            None,
            None,
            "https://donors.decentralization.gov.ua/en/project/u-lead",
            "U-LEAD programme as a whole, per the donor portal",
        ),
    ],
    "u-lead-2": [
        (
            "total_budget",
            200_000_000,
            "EUR",
            None,
            None,
            None,
            "total cost of the Action as stated on a b2match profile (no address in the source "
            "table)",
        )
    ],
    "u-lead-3": [
        (
            "funder",
            18_000_000,
            "EUR",
            None,
            None,
            "https://eu4ukraine.eu/en/media-en/publications-en/phase-iii-of-the-u-lead.html",
            "Germany",
        ),
        (
            "funder",
            4_000_000,
            "EUR",
            None,
            None,
            "https://eu4ukraine.eu/en/media-en/publications-en/phase-iii-of-the-u-lead.html",
            "Denmark",
        ),
    ],
    "pgg-1": [
        (
            "total_budget",
            33_800_000,
            "EUR",
            None,
            None,
            "https://www.coe.int/en/web/good-governance/eastern-partnership",
            "alternative total, for 2015-2017; the programme page gives 85% EU and 15% Council "
            "of Europe",
        )
    ],
    "pgg-3": [
        (
            "funder",
            4_300_000,
            "EUR",
            None,
            None,
            "https://pjp-eu.coe.int/en/web/partnership-governance/about-partnership-good-governance?p_l_id=45632780",
            "Council of Europe",
        )
    ],
    "eu4moldova-focal-regions": [
        (
            "eu_contribution",
            25_888_889,
            "USD",
            None,
            None,
            "https://www.undp.org/moldova/projects/eu4moldova-focal-regions",
            "UNDP's page gives the amount in US dollars",
        )
    ],
    "eu4itd-georgia": [
        (
            "implementer",
            7_500_000,
            "EUR",
            None,
            None,
            "https://agenda.ge/en/news/2022/885",
            "GIZ part",
        ),
        (
            "implementer",
            2_000_000,
            "EUR",
            None,
            None,
            "https://agenda.ge/en/news/2022/885",
            "UNDP part (decentralisation and good governance)",
        ),
        (
            "funder",
            1_000_000,
            "EUR",
            None,
            None,
            "https://agenda.ge/en/news/2022/885",
            "Germany (BMZ)",
        ),
    ],
    "ada-armenia-local-governance": [
        (
            "later_phase",
            990_000,
            "EUR",
            None,
            None,
            "https://www.entwicklung.at/en/projects/detail-en/democratic-development-decentralisation-and-good-governance-in-armenia",
            "phase 2, 2022-12-01 to 2025-12-31",
        )
    ],
    "eu4moldova-local-communities": [
        (
            "programme",
            36_000_000,
            "EUR",
            None,
            None,
            "https://eu4moldova.eu/team-europe-announces-eur-36-million-support-for-developing-local-communities-enhancing-judiciary-system-transparency-and-supporting-local-media/",
            "three Team Europe initiatives together over four years; the EU share of this one "
            "was not found",
        )
    ],
    "edinet-tomorrow-cities": [
        (
            "funder",
            218_700,
            "EUR",
            None,
            None,
            "https://eu4moldova.eu/launch-of-a-new-eu-funded-project-edinet-insights-into-tomorrow-cities",
            "partners' contribution",
        )
    ],
    "m4eg-2": [
        (
            "total_budget",
            14_250_000,
            "USD",
            None,
            None,
            "https://www.undp.org/moldova/projects/mayors-economic-growth-facility",
            "regional budget on UNDP Moldova's page, in US dollars",
        )
    ],
    "m4eg-response-renewal": [
        (
            "country_split",
            None,
            "EUR",
            "UA",
            0.7,
            "https://www.undp.org/node/368851",
            "70% of the EUR 1.8m for Ukrainian local authorities",
        ),
        (
            "country_split",
            None,
            "EUR",
            "MD",
            0.3,
            "https://www.undp.org/node/368851",
            "30% of the EUR 1.8m for Moldovan local authorities",
        ),
    ],
    "m4eg-3": [
        (
            "country_budget",
            1_072_814,
            "USD",
            "MD",
            None,
            "https://www.undp.org/moldova/projects/mayors-economic-growth-facility-phase-3",
            "Moldova part, in US dollars",
        )
    ],
    "eu-east-ukraine-recovery": [
        (
            "programme",
            90_000_000,
            "EUR",
            None,
            None,
            "https://euneighbourseast.eu/projects/eu-project-page/?id=452",
            "allocated to Action ENI/2017/040-554 as a whole, of which this project is EUR 56.5m",
        )
    ],
    "belarus-local-economic-development": [
        (
            "total_budget",
            8_000_000,
            "EUR",
            None,
            None,
            "https://eu4business.eu/news/eu-and-undp-expand-support-small-business-development-belarus-new-project-foster-local",
            "described as a EUR 8m EU4Business project co-funded by UNDP",
        )
    ],
}

# Facts the EU Neighbours East pages (shared/seeds/) state differently from the table: the
# project's own EU page wins.
FROM_EUNE_PAGE = {"eu-for-integrity": {"implementing_partners": ["Open Government Partnership"]}}

# Places whose year of joining differs from the project's start (read off role and notes).
PLACES_FROM = {"m4eg-response-renewal": 2023, "m4eg-3": 2026}


def code_of(title: str) -> str:
    for prefix, code in CODES.items():
        if (title + ",").startswith(prefix) or title.startswith(prefix):
            return code
    raise KeyError(f"no code for project {title!r}")


def parse_date(text: str, end: bool) -> tuple[dt.date | None, str | None]:
    """A source date as (date, published text). Full dates are exact (no text kept); a year or
    month stands for its first day (start) or last day (end); "2024/2025" for the later year."""
    text = text.strip()
    if not text:
        return None, None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text), None
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        y, mo = int(m[1]), int(m[2])
        day = calendar.monthrange(y, mo)[1] if end else 1
        return dt.date(y, mo, day), text
    if m := re.fullmatch(r"(\d{4})(?:/(\d{4}))?", text):
        y = int(m[2] or m[1]) if end else int(m[1])
        return (dt.date(y, 12, 31) if end else dt.date(y, 1, 1)), text
    return None, text  # "after 2023": no date, the text is shown


def parse_countries(text: str) -> tuple[list[str], str | None]:
    if text.strip() == "EaP":
        return list(EAP), "the Eastern Partnership as a whole"
    note = None
    if m := re.search(r"\(\+(.+)\)", text):
        note = m[1].strip()
        text = text[: m.start()]
    return [c.strip() for c in text.split(";") if c.strip()], note


def amount(text: str) -> float | None:
    return float(text) if text.strip() else None


def role_of(source_role: str) -> tuple[str, str, str]:
    for prefix, en, uk, ru in ROLES:
        if source_role.startswith(prefix):
            return en, uk, ru
    raise KeyError(f"no role label for {source_role!r}")


def read_csv(path: Path, **kw) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, **kw))


def derive_places(
    shared: Path, project_years: dict[str, tuple[int | None, int | None]]
) -> tuple[dict[str, list[dict]], list[str]]:
    """Places per project code, and a report of places that are not cities of cities.csv."""
    src = shared / "data/found/eu-projects-eap-governance/eu_project_places.csv"
    # keyed by GeoNames id: places without one (hand-placed villages) match no city by it
    cities = {r["geonameid"]: r for r in read_csv(OUT / "cities.csv") if r["geonameid"]}
    admin1 = {
        (r["country"], r["admin1_name"].lower()): f"{r['country']}-{r['admin1code']}"
        for r in read_csv(shared / "data/found/geonames-eap/geonames_admin1_eap.csv")
    }
    region_rows = read_csv(OUT / "regions.csv")
    regions = {(r["country"], r["name_en"].lower()): r["code"] for r in region_rows}
    # our region keys by the GeoNames admin-1 codes each covers (UA-05 → UA-DONETSK)
    by_admin1 = {a: r["code"] for r in region_rows for a in r["admin1"].split("|") if a}
    towns = {
        r["geonameid"]: r
        for r in read_csv(shared / "data/found/geonames-eap/eap_cities_5000plus.csv")
    }
    out: dict[str, list[dict]] = {}
    report = []
    for r in read_csv(src):
        code = code_of(r["project"])
        y0, y1 = project_years[code]
        name, kind, country, gid = r["place_name_en"], r["place_kind"], r["country"], r["geonameid"]
        city = cities.get(gid) if gid and kind != "region" else None
        region = None
        if kind == "region":
            base = re.sub(r"\s+Oblast$", "", name).lower()
            region = regions.get((country, name.lower()))
            if region is None and (country, base) in admin1:
                region = by_admin1.get(admin1[(country, base)])
            if region is None and gid in towns and country == "MD":  # raion = its centre's admin-1
                region = by_admin1.get(f"MD-{towns[gid]['admin1code']}")
        stated = [int(y) for y in re.findall(r"\b(20\d\d)\b", r["role"])]
        year_from = max([y for y in (y0, PLACES_FROM.get(code), *stated[:1]) if y] or [0]) or None
        en, uk, ru = role_of(r["role"])
        uk_name, ru_name = (
            (city["name_uk"], city["name_ru"]) if city else PLACE_NAMES.get(name, (None, None))
        )
        place = {
            "name_en": city["name_en"] if city else name,
            "name_uk": uk_name,
            "name_ru": ru_name,
            "kind": kind,
            "country": country,
            "geonameid": int(gid) if gid else None,
            "region": region,
            "role_en": en,
            "role_uk": uk,
            "role_ru": ru,
            "role_source": r["role"],
            "year_from": year_from,
            "year_to": y1,
            "source_url": r["source_url"],
        }
        out.setdefault(code, []).append(place)
        if kind != "region" and not city:
            report.append(f"{code}: {name} ({country}, geonameid {gid or '-'}) is not a city here")
        if kind == "region" and region is None:
            report.append(f"{code}: {name} ({country}) matches no admin-1 region; listed by name")
    return out, report


def project_record(r: dict[str, str], old: dict[str, dict]) -> dict:
    code = code_of(r["project"])
    start, start_text = parse_date(r["start"], end=False)
    end, end_text = parse_date(r["end"], end=True)
    countries, countries_note = parse_countries(r["countries"])
    non_eu = "NOT EU-funded" in r["note"]
    title = re.sub(r"\s*\(non-EU comparator\)$", "", r["project"]).strip()
    eune = int(r["eune_project_id"]) if r["eune_project_id"].strip() else None
    rec: dict = {
        "code": code,
        "title_en": title,
        "eune_id": eune,
        "eu_project_number": None,
        "start": start,
        "end": end,
        "start_published": start_text,
        "end_published": end_text,
        "eu_contribution_eur": amount(r["eu_contribution_eur"]),
        "total_budget_eur": amount(r["total_budget_eur"]),
        "non_eu": non_eu,
        "funders": [f.strip() for f in r["funders"].split(";") if f.strip()],
        "implementing_partners": [
            re.sub(r"\s*\([^)]*\d[^)]*\)", "", p).strip()
            for p in r["implementers"].split(";")
            if p.strip()
        ],
        "countries": countries,
        "countries_note": countries_note,
        "source_url": r["source_url"],
    }
    rec.update(FROM_EUNE_PAGE.get(code, {}))
    if m := re.search(r"EU project number ([\d-]+)", r["note"]):
        rec["eu_project_number"] = m[1]
    if code in old:  # founding projects keep their hand-written texts and classification
        keep = {k: v for k, v in old[code].items() if k not in rec or k == "title_en"}
        rec.update(keep)
        rec["title_en"] = old[code]["title_en"]
    else:
        uk, ru, s_en, s_uk, s_ru = PROJECTS[code]
        rec.update(title_uk=uk, title_ru=ru, summary_en=s_en, summary_uk=s_uk, summary_ru=s_ru)
        rec["sources"] = []
        rec["targets"] = []
    rec["amounts"] = [
        dict(zip(("kind", "amount", "currency", "country", "share", "source_url", "note"), a))
        for a in AMOUNTS.get(code, [])
    ]
    return rec


def derive_projects(shared: Path) -> list[str]:
    src = shared / "data/found/eu-projects-eap-governance/eu_projects_eap_governance.csv"
    path = OUT / "projects.yaml"
    old = {
        p["code"]: p
        for p in (
            yaml.safe_load(path.read_text(encoding="utf-8"))["projects"] if path.exists() else []
        )
        if p["code"] in FOUNDING
    }
    rows = read_csv(src)
    projects = [project_record(r, old) for r in rows]
    years = {
        p["code"]: (p["start"].year if p["start"] else None, p["end"].year if p["end"] else None)
        for p in projects
    }
    places, report = derive_places(shared, years)
    for p in projects:
        p["places"] = places.get(p["code"], [])
        p.pop("cities", None)  # cities now follow from places (linked at load time)
    header = (
        "# EU-funded projects (and two non-EU comparators) on governance, anti-corruption and\n"
        "# local government in the Eastern Partnership. DERIVED by scripts/derive_context.py from\n"
        "# the shared table eu-projects-eap-governance (facts and figures; every row names its\n"
        "# source_url); summaries, titles in Ukrainian and Russian and role labels are ours.\n"
        "# An empty field means the source does not state it. Dates: a year or month as published\n"
        "# is kept in start_published / end_published (start / end then hold the period's first /\n"
        "# last day). amounts: alternatives and other figures the sources give, never summed.\n"
        "# places: cities and regions as the sources name them; linked to cities by geonameid\n"
        "# when the database is built.\n"
        "#\n"
        "# The same format is the import format for projects: `python -m analytics import-projects\n"
        "# FILE` adds or replaces projects by `code` (see docs/import-format.md).\n\n"
    )
    body = yaml.safe_dump({"projects": projects}, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(header + body, encoding="utf-8")
    return [f"{len(projects)} projects, {sum(len(v) for v in places.values())} places", *report]


# ------------------------------------------------------------------------------ context


def ctx_row(
    country, year, measure, value=None, text=None, *, period=None, source, url, licence, note=None
):
    return {
        "country": country,
        "year": year,
        "period": period,
        "measure": measure,
        "value": value,
        "text_value": text,
        "source": source,
        "source_url": url,
        "licence": licence,
        "note": note,
    }


def derive_cpi(shared: Path) -> list[dict]:
    path = shared / "data/found/ti-cpi-2012-2024/CPI2024_GlobalResultsTrends.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()[2:]
    rows = list(csv.DictReader(lines, delimiter=";"))
    out = []
    for year in range(2012, 2025):
        score = next(k for k in rows[0] if k.lower() == f"cpi score {year}")
        rank = f"Rank {year}"
        scored = sum(1 for r in rows if r[score].strip())
        for r in rows:
            if r["ISO3"] not in ISO3:
                continue
            c = ISO3[r["ISO3"]]
            kw = {"source": CPI_SOURCE, "url": CPI_URL, "licence": CPI_LICENCE}
            out.append(ctx_row(c, year, "cpi_score", int(r[score]), **kw))
            if rank in r and r[rank].strip():
                out.append(
                    ctx_row(
                        c,
                        year,
                        "cpi_rank",
                        int(r[rank]),
                        **kw,
                        note=f"of {scored} countries scored",
                    )
                )
                out.append(ctx_row(c, year, "cpi_countries", scored, **kw))
    return out


def derive_wgi(shared: Path) -> list[dict]:
    out = []
    for r in read_csv(shared / "data/found/wgi-eap-1996-2019/wgi_eap_1996_2019.csv"):
        measure = WGI_MEASURES.get(r["Indicator"])
        if not measure or r["Code"] not in ISO3:
            continue
        kw = {"source": WGI_SOURCE, "url": WGI_URL, "licence": WGI_LICENCE}
        c, y = ISO3[r["Code"]], int(r["Year"])
        if r["Estimate"].strip():
            out.append(ctx_row(c, y, f"{measure}_estimate", round(float(r["Estimate"]), 2), **kw))
        if r["Rank"].strip():
            out.append(ctx_row(c, y, f"{measure}_rank", round(float(r["Rank"]), 1), **kw))
    return out


def _period(text: str) -> tuple[int | None, str | None]:
    m = re.match(r"(?:as of )?(\d{4})", text)
    return (int(m[1]) if m else None), (text or None)


def derive_ogp(shared: Path) -> tuple[list[dict], list[dict]]:
    """OGP facts per country (measures below) and OGP Local members with their year."""
    rows = read_csv(shared / "data/found/ogp-eap-facts/ogp_eap_facts.csv")
    kw = {"source": OGP_SOURCE, "licence": OGP_LICENCE}
    events = {
        "joined OGP": "joined",
        "designated inactive": "inactive",
        "inactive status extended": "inactive",
        "permanently suspended": "suspended permanently",
        "suspended (Response Policy stage two)": "suspended",
    }
    out, local = [], []
    for r in rows:
        c = COUNTRY.get(r["country"])
        if c is None:
            continue
        fact, year_text, value, url = r["fact"], r["date_or_period"], r["value"], r["source_url"]
        year, period = _period(year_text)
        if fact in events:
            out.append(
                ctx_row(c, year, "ogp_event", None, events[fact], period=period, url=url, **kw)
            )
        elif fact == "not an OGP member":
            out.append(ctx_row(c, None, "ogp_event", None, "never joined", url=url, **kw))
        elif fact == "action plan commitments" or fact == "action plan":
            for part in value.split(" / ") if value else [""]:
                m = re.match(r"(\d+)(?: \((.+)\))?", part)
                out.append(
                    ctx_row(
                        c,
                        year,
                        "ogp_action_plan",
                        int(m[1]) if m else None,
                        period=period,
                        url=url,
                        note=(f"commitments counted by {m[2]}" if m and m[2] else None),
                        **kw,
                    )
                )
        elif fact.startswith("action plan implementation rate"):
            alt = "alternative" in fact
            out.append(
                ctx_row(
                    c,
                    year,
                    "ogp_implementation",
                    float(value.rstrip("%")),
                    period=period,
                    url=url,
                    note="alternative figure" if alt else None,
                    **kw,
                )
            )
        elif fact == "OGP Local members":
            for name in value.split(";"):
                local.append(
                    {"country": c, "name_en": name.strip(), "year": year, "source_url": url}
                )
    return out, local


def derive_context(shared: Path) -> list[str]:
    ogp, local = derive_ogp(shared)
    rows = ogp + derive_cpi(shared) + derive_wgi(shared)
    fields = list(rows[0])
    with (OUT / "country_context.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    cities = {(r["country"], r["name_en"]): r["code"] for r in read_csv(OUT / "cities.csv")}
    report = []
    with (OUT / "ogp_local.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(
            fh, ["country", "name_en", "city", "year", "source_url"], lineterminator="\n"
        )
        w.writeheader()
        for m in local:
            city = cities.get((m["country"], m["name_en"]))
            if city is None:
                report.append(
                    f"OGP Local member {m['name_en']} ({m['country']}) is not a city here"
                )
            w.writerow({**m, "city": city or ""})
    missing = set(EAP) - {r["country"] for r in rows}
    return [f"{len(rows)} context rows, {len(local)} OGP Local members", *report] + (
        [f"no context for {sorted(missing)}"] if missing else []
    )


def main(shared: Path | None = None) -> None:
    if shared is None:
        ap = argparse.ArgumentParser(description=__doc__)
        ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
        shared = ap.parse_args().shared
    for line in derive_projects(shared) + derive_context(shared):
        print(line)


if __name__ == "__main__":
    main()
