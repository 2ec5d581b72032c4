"""Load the reference data shipped in ``data/reference`` into a database.

Each loader reads one shipped file and fills its tables; together they make the database the
dashboard starts from. See ``data/SOURCES.md`` for where every file comes from.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import yaml

from .paths import REFERENCE_DIR

REFERENCE_BATCH = 1


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _none(v: Any) -> Any:
    return None if v in ("", None) else v


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[Any]]) -> None:
    """Insert rows (one value per column, in the table's order) in one statement: DuckDB's
    executemany runs one statement per row, seconds for a few thousand rows."""
    if not rows:
        return
    names = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    arrow = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
    con.register("_rows", arrow)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert a DataFrame whose columns are named as the table's, in one statement (row by
    row ``executemany`` took seconds for a few thousand rows)."""
    con.register("_frame", frame)
    try:
        cols = ", ".join(frame.columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _frame")
    finally:
        con.unregister("_frame")


PUBLISHED_COLUMNS = [
    "dataset",
    "programme",
    "methodology",
    "year",
    "city",
    "kind",
    "level",
    "item",
    "value",
    "text_value",
    "preferred",
    "source_url",
    "quote",
]


def load_countries(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Countries with names (countries.csv) and outlines (countries.geojson)."""
    outlines = {
        f["properties"]["iso2"]: json.dumps(f["geometry"], separators=(",", ":"))
        for f in json.loads((ref / "countries.geojson").read_text())["features"]
    }
    rows = _read_csv(ref / "countries.csv")
    con.executemany(
        "INSERT INTO countries VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            [
                r["iso2"],
                r["iso3"],
                r["name_en"],
                r["name_uk"],
                r["name_ru"],
                r["name_native"],
                outlines.get(r["iso2"]),
            ]
            for r in rows
        ],
    )
    return len(rows)


def load_regions(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """First-level regions with names (regions.csv) and outlines (regions.geojson)."""
    path = ref / "regions.geojson"
    outlines = (
        {
            f["properties"]["code"]: json.dumps(f["geometry"], separators=(",", ":"))
            for f in json.loads(path.read_text())["features"]
        }
        if path.exists()
        else {}
    )
    rows = _read_csv(ref / "regions.csv")
    _insert(
        con,
        "regions",
        [
            [
                r["code"],
                r["country"],
                r["name_en"],
                _none(r["name_uk"]),
                _none(r["name_ru"]),
                _none(r.get("name_native")),
                [c for c in (r.get("admin1") or "").split("|") if c],
                float(r["area_km2"]) if r.get("area_km2") else None,
                outlines.get(r["code"]),
            ]
            for r in rows
        ],
    )
    return len(rows)


def load_cities(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Cities with GeoNames facts and names (cities.csv); ``kind`` tells district councils
    from cities, and hand-entered places may lack a GeoNames id or a population."""
    rows = _read_csv(ref / "cities.csv")
    frame = pd.DataFrame(
        [
            [
                r["code"],
                r["country"],
                r["region"],
                r["name_en"],
                _none(r["name_uk"]),
                _none(r["name_ru"]),
                _none(r["name_native"]),
                [a for a in r["aliases"].split("|") if a],
                float(r["lat"]),
                float(r["lon"]),
                int(r["population"]) if r["population"] else None,
                int(r["geonameid"]) if r["geonameid"] else None,
                r["capital"] == "True",
                r["ogp_local"] == "True",
                r["in_tc_ranking"] == "True",
                False,
                r.get("kind") or "city",
            ]
            for r in rows
        ],
        columns=list(CITY_COLUMNS),
    ).astype({"population": "Int64", "geonameid": "Int64"})
    _insert_frame(con, "cities", frame)
    return len(rows)


def load_city_names(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Spellings that city search finds (city_names.csv), for the cities that are loaded."""
    path = ref / "city_names.csv"
    if not path.exists():
        return 0
    known = {r[0] for r in con.execute("SELECT code FROM cities").fetchall()}
    pairs = dict.fromkeys((r["city"], r["name"]) for r in _read_csv(path) if r["city"] in known)
    _insert(con, "city_names", [list(p) for p in pairs])
    return len(pairs)


def load_hromadas(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Ukrainian cities' hromada context (hromadas.csv, KSE Local Data Hub)."""
    path = ref / "hromadas.csv"
    if not path.exists():
        return 0
    frame = pd.read_csv(path, dtype={"hromada_code": str})
    flags = [c for c in frame.columns if c.startswith("edem_") and c != "edem_total"]
    frame[flags] = frame[flags].astype(bool)
    frame = frame.astype({"population_2022": "Int64", "edem_total": "Int64"})
    _insert_frame(con, "hromada_context", frame)
    return len(frame)


CITY_COLUMNS = (
    "code",
    "country",
    "region",
    "name_en",
    "name_uk",
    "name_ru",
    "name_native",
    "aliases",
    "lat",
    "lon",
    "population",
    "geonameid",
    "capital",
    "ogp_local",
    "in_tc_ranking",
    "synthetic",
    "kind",
)


def load_programmes(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Programmes, methodologies, class thresholds, areas and area links (programmes.yaml)."""
    doc = yaml.safe_load((ref / "programmes.yaml").read_text(encoding="utf-8"))
    load_programme_document(con, doc)
    return len(doc["programmes"])


def load_programme_document(con: duckdb.DuckDBPyConnection, doc: dict) -> None:
    """Insert a parsed programmes document (the structure of programmes.yaml)."""
    areas_by_meth: dict[str, list[dict]] = {}
    for p in doc["programmes"]:
        con.execute(
            "INSERT INTO programmes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                p["code"],
                p["name_en"],
                p.get("name_uk"),
                p.get("name_ru"),
                p.get("organisation"),
                p.get("website"),
                p.get("country"),
                p.get("description_en"),
                p.get("description_uk"),
                p.get("description_ru"),
                bool(p.get("synthetic")),
                p.get("note_en"),
                p.get("note_uk"),
                p.get("note_ru"),
            ],
        )
        for m in p["methodologies"]:
            years = m["years"]
            con.execute(
                "INSERT INTO methodologies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    m["code"],
                    p["code"],
                    min(years),
                    max(years),
                    m.get("n_areas"),
                    m.get("n_indicators"),
                    m["max_points"],
                    m.get("source_url"),
                    m.get("indicator_points"),
                    m.get("total_from_areas", True),
                ],
            )
            for pos, c in enumerate(m.get("classes") or [], start=1):
                con.execute(
                    "INSERT INTO class_thresholds VALUES (?, ?, ?, ?, ?, ?)",
                    [m["code"], pos, c["class"], c.get("min"), c.get("source_url"), c.get("note")],
                )
            areas = m.get("areas") or []
            if isinstance(areas, str):  # "same-as <methodology>"
                areas = [
                    {k: v for k, v in a.items() if k != "from"}
                    for a in areas_by_meth[areas.split()[-1]]
                ]
            areas_by_meth[m["code"]] = areas
            for pos, a in enumerate(areas, start=1):
                con.execute(
                    "INSERT INTO areas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        m["code"],
                        a["code"],
                        pos,
                        a["en"],
                        a.get("uk"),
                        a.get("ru"),
                        a.get("max"),
                        a.get("aliases", []),
                        m.get("area_max_source_url") if a.get("max") is not None else None,
                    ],
                )
                if a.get("from"):
                    prev = _previous_methodology(doc, p["code"], m["code"])
                    con.execute(
                        "INSERT INTO area_links VALUES (?, ?, ?, ?)",
                        [prev, a["from"], m["code"], a["code"]],
                    )
            for pos, ind in enumerate(m.get("indicators") or [], start=1):
                con.execute(
                    "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        m["code"],
                        ind["code"],
                        ind["area"],
                        pos,
                        ind["en"],
                        ind.get("uk"),
                        ind.get("ru"),
                        ind["max"],
                        ind.get("kind"),
                        ind.get("text_source"),
                    ],
                )


def _previous_methodology(doc: dict, programme: str, methodology: str) -> str:
    meths = next(p for p in doc["programmes"] if p["code"] == programme)["methodologies"]
    idx = [m["code"] for m in meths].index(methodology)
    if idx == 0:
        raise ValueError(f"{methodology} links areas but has no earlier methodology")
    return meths[idx - 1]["code"]


def load_indicators(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Indicators with their texts (indicators.csv): Ukrainian as the publisher wrote it,
    English and Russian our translations (``text_source`` says so)."""
    path = ref / "indicators.csv"
    if not path.exists():
        return 0
    rows = _read_csv(path)
    _insert(
        con,
        "indicators",
        [
            [
                r["methodology"],
                r["code"],
                r["area"],
                int(r["position"]),
                r["text_en"],
                _none(r["text_uk"]),
                _none(r["text_ru"]),
                float(r["max_points"]),
                None,
                _none(r["text_source"]),
            ]
            for r in rows
        ],
    )
    return len(rows)


def load_indicator_notes(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Analysts' working notes beside the scores (indicator_notes.csv): context, never a score."""
    path = ref / "indicator_notes.csv"
    if not path.exists():
        return 0
    rows = _read_csv(path)
    _insert(
        con,
        "indicator_notes",
        [
            [
                r["methodology"],
                int(r["year"]),
                r["city"],
                _none(r["indicator"]),
                r["kind"],
                _none(r["text"]),
                _none(r["url"]),
                r["source"],
            ]
            for r in rows
        ],
    )
    return len(rows)


def load_published(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Published figures (published.csv); preferred scores also become scores of batch 1."""
    rows = _read_csv(ref / "published.csv")
    frame = pd.DataFrame(
        [
            [
                r["dataset"],
                r["programme"],
                _none(r["methodology"]),
                int(r["year"]),
                _none(r["city"]),
                r["kind"],
                _none(r["level"]),
                _none(r["item"]),
                float(r["value"]) if r["value"] else None,
                _none(r["text_value"]),
                r["preferred"] == "True",
                r["source_url"],
                _none(r["quote"]),
            ]
            for r in rows
        ],
        columns=PUBLISHED_COLUMNS,
    )
    _insert_frame(con, "published_figures", frame)
    con.execute(
        """INSERT INTO scores
           SELECT city, year, methodology, level, item, value, 'scored', NULL, NULL, source_url,
                  ?, NULL
           FROM published_figures
           WHERE kind = 'score' AND preferred AND city IS NOT NULL""",
        [REFERENCE_BATCH],
    )
    return len(rows)


def load_projects(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """EU projects, their targets and city links (projects.yaml)."""
    doc = yaml.safe_load((ref / "projects.yaml").read_text(encoding="utf-8"))
    return upsert_projects(con, doc["projects"])


PROJECT_LISTS = (
    "implementing_partners",
    "countries",
    "priority_areas",
    "sub_sectors",
    "topics",
    "objectives_en",
    "objectives_uk",
    "objectives_ru",
    "expected_results_en",
    "expected_results_uk",
    "expected_results_ru",
    "sources",
)


PROJECT_FACTS = (
    "eune_id",
    "total_budget_eur",
    "start_published",
    "end_published",
    "source_url",
    "countries_note",
)
PROJECT_CHILDREN = ("project_targets", "project_cities", "project_amounts", "project_places")
#: Kinds of place that are a city council's territory (a region never links to a city).
CITY_KINDS = ("city", "municipality", "hromada")


def upsert_projects(con: duckdb.DuckDBPyConnection, projects: list[dict]) -> int:
    """Add projects, replacing any with the same code (with their targets, amounts, places
    and cities). Places link to this database's cities by GeoNames id (or an explicit
    ``city`` code) and to its regions by code; a place that is neither stays listed by name."""
    for p in projects:
        code = p["code"]
        for table in PROJECT_CHILDREN:
            con.execute(f"DELETE FROM {table} WHERE project = ?", [code])
        con.execute("DELETE FROM projects WHERE code = ?", [code])
        con.execute(
            "INSERT INTO projects (code, title_en, title_uk, title_ru, eu_project_number, "
            "start_date, end_date, eu_contribution_eur, implementing_partners, countries, "
            "priority_areas, sub_sectors, topics, website, summary_en, summary_uk, summary_ru, "
            "objectives_en, objectives_uk, objectives_ru, expected_results_en, "
            "expected_results_uk, expected_results_ru, sources, synthetic, funders, non_eu, "
            + ", ".join(PROJECT_FACTS)
            + ") VALUES ("
            + ", ".join(["?"] * (27 + len(PROJECT_FACTS)))
            + ")",
            [
                code,
                p["title_en"],
                p.get("title_uk"),
                p.get("title_ru"),
                _none(p.get("eu_project_number")),
                p.get("start"),
                p.get("end"),
                p.get("eu_contribution_eur"),
                *[p.get(k) or [] for k in PROJECT_LISTS[:5]],
                p.get("website"),
                p.get("summary_en"),
                p.get("summary_uk"),
                p.get("summary_ru"),
                *[p.get(k) or [] for k in PROJECT_LISTS[5:]],
                bool(p.get("synthetic")),
                p.get("funders") or [],
                bool(p.get("non_eu")),
                *[_none(p.get(k)) for k in PROJECT_FACTS],
            ],
        )
        for pos, t in enumerate(p.get("targets") or [], start=1):
            con.execute(
                "INSERT INTO project_targets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    code,
                    pos,
                    t["indicator_en"],
                    t.get("indicator_uk"),
                    t.get("indicator_ru"),
                    t.get("unit"),
                    t.get("baseline"),
                    t.get("target"),
                    t.get("actual"),
                    t.get("as_of"),
                ],
            )
        for pos, a in enumerate(p.get("amounts") or [], start=1):
            con.execute(
                "INSERT INTO project_amounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    code,
                    pos,
                    a["kind"],
                    a.get("amount"),
                    a.get("currency") or "EUR",
                    a.get("country"),
                    a.get("share"),
                    a.get("source_url"),
                    a.get("note"),
                ],
            )
        _insert_places(con, code, p.get("places") or [])
        for c in p.get("cities") or []:
            con.execute(
                "INSERT OR REPLACE INTO project_cities VALUES (?, ?, ?, ?)",
                [code, c["city"], c["year_from"], c["year_to"]],
            )
    return len(projects)


def _insert_places(con: duckdb.DuckDBPyConnection, code: str, places: list[dict]) -> None:
    """A project's places; linked cities with known years also become project cities."""
    by_gid = dict(
        con.execute("SELECT geonameid, code FROM cities WHERE geonameid IS NOT NULL").fetchall()
    )
    known = {r[0] for r in con.execute("SELECT code FROM cities").fetchall()}
    regions = {r[0] for r in con.execute("SELECT code FROM regions").fetchall()}
    years: dict[str, tuple[int, int]] = {}
    for pos, pl in enumerate(places, start=1):
        city = None
        if pl.get("kind") in CITY_KINDS:
            city = pl.get("city") if pl.get("city") in known else by_gid.get(pl.get("geonameid"))
        region = pl.get("region") if pl.get("region") in regions else None
        con.execute(
            "INSERT INTO project_places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                code,
                pos,
                pl["name_en"],
                pl.get("name_uk"),
                pl.get("name_ru"),
                pl.get("kind") or "city",
                pl.get("country"),
                pl.get("geonameid"),
                city,
                region,
                pl.get("role_en"),
                pl.get("role_uk"),
                pl.get("role_ru"),
                pl.get("role_source"),
                pl.get("year_from"),
                pl.get("year_to"),
                pl.get("source_url"),
            ],
        )
        y0, y1 = pl.get("year_from"), pl.get("year_to")
        if city and y0 and y1:
            old = years.get(city)
            years[city] = (min(y0, old[0]), max(y1, old[1])) if old else (y0, y1)
    for city, (y0, y1) in years.items():
        con.execute("INSERT INTO project_cities VALUES (?, ?, ?, ?)", [code, city, y0, y1])


def load_context(con: duckdb.DuckDBPyConnection, ref: Path = REFERENCE_DIR) -> int:
    """Country context (country_context.csv) and OGP Local members (ogp_local.csv); members
    that are cities here are flagged ``ogp_local`` (a member missing from the cities stays
    listed by name)."""
    rows = _read_csv(ref / "country_context.csv")
    _insert(
        con,
        "country_context",
        [
            [
                r["country"],
                int(r["year"]) if r["year"] else None,
                _none(r["period"]),
                r["measure"],
                float(r["value"]) if r["value"] else None,
                _none(r["text_value"]),
                r["source"],
                _none(r["source_url"]),
                _none(r["licence"]),
                _none(r["note"]),
            ]
            for r in rows
        ],
    )
    known = {r[0] for r in con.execute("SELECT code FROM cities").fetchall()}
    members = _read_csv(ref / "ogp_local.csv")
    _insert(
        con,
        "ogp_local_members",
        [
            [
                m["country"],
                m["name_en"],
                m["city"] if m["city"] in known else None,
                int(m["year"]),
                _none(m["source_url"]),
            ]
            for m in members
        ],
    )
    con.execute(
        "UPDATE cities SET ogp_local = true WHERE code IN "
        "(SELECT city FROM ogp_local_members WHERE city IS NOT NULL)"
    )
    return len(rows)


def score_files(ref: Path | None = None) -> list[Path]:
    """The shipped score files (``scores/*.csv``, in the documented import format), in name order.

    A build imports them after the loaders through the coordinators' own import
    (``analytics.importer.import_into``), each as its own batch, so the real data also proves
    the import.
    """
    folder = (ref or REFERENCE_DIR) / "scores"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


#: The loaders in the order a build runs them, with a label for progress reports.
LOADERS = (
    ("countries and outlines", load_countries),
    ("regions", load_regions),
    ("cities", load_cities),
    ("city names for search", load_city_names),
    ("hromada context", load_hromadas),
    ("programmes and methodologies", load_programmes),
    ("indicators", load_indicators),
    ("analysts' working notes", load_indicator_notes),
    ("published results", load_published),
    ("projects", load_projects),
    ("country context", load_context),
)
