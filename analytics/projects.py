"""Add or replace projects from a YAML file in the format of data/reference/projects.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from . import reference, storage


class ProjectFileError(ValueError):
    """The projects file is refused; the message lists every problem."""


def check_projects(doc: object, known_countries: set[str], known_cities: set[str]) -> list[str]:
    """Problems in a parsed projects document (empty when it can be imported)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("projects"), list):
        return ["the file must hold a mapping with a list under 'projects'"]
    problems = []
    seen = set()
    for n, p in enumerate(doc["projects"], start=1):
        where = f"project {n}"
        if not isinstance(p, dict):
            problems.append(f"{where}: not a mapping")
            continue
        code = p.get("code")
        if not code or not isinstance(code, str):
            problems.append(f"{where}: 'code' is required")
        elif code in seen:
            problems.append(f"{where}: code {code!r} appears twice")
        seen.add(code)
        where = f"project {code or n}"
        if not p.get("title_en"):
            problems.append(f"{where}: 'title_en' is required")
        for key in ("start", "end"):
            v = p.get(key)
            if v is not None and not isinstance(v, dt.date):
                problems.append(f"{where}: '{key}' must be a date YYYY-MM-DD, not {v!r}")
        if (
            isinstance(p.get("start"), dt.date)
            and isinstance(p.get("end"), dt.date)
            and p["end"] < p["start"]
        ):
            problems.append(f"{where}: ends before it starts")
        eur = p.get("eu_contribution_eur")
        if eur is not None and (not isinstance(eur, (int, float)) or eur < 0):
            problems.append(f"{where}: 'eu_contribution_eur' must be a non-negative number")
        for c in p.get("countries") or []:
            if c not in known_countries:
                problems.append(f"{where}: unknown country {c!r}")
        for c in p.get("cities") or []:
            if not isinstance(c, dict) or c.get("city") not in known_cities:
                problems.append(f"{where}: unknown city {c!r}")
            elif not all(isinstance(c.get(k), int) for k in ("year_from", "year_to")):
                problems.append(f"{where}: city {c['city']} needs whole years year_from, year_to")
        problems += _check_places_and_amounts(where, p)
        for t in p.get("targets") or []:
            if not isinstance(t, dict) or not t.get("indicator_en"):
                problems.append(f"{where}: every target needs 'indicator_en'")
                continue
            for k in ("baseline", "target", "actual"):
                if t.get(k) is not None and not isinstance(t[k], (int, float)):
                    problems.append(f"{where}: target {t['indicator_en']!r}: '{k}' is not a number")
    return problems


def _check_places_and_amounts(where: str, p: dict) -> list[str]:
    """Places need a name (unknown places are kept, not refused); amounts a kind and a number."""
    problems = []
    for pl in p.get("places") or []:
        if not isinstance(pl, dict) or not pl.get("name_en"):
            problems.append(f"{where}: every place needs 'name_en'")
    for a in p.get("amounts") or []:
        if not isinstance(a, dict) or not a.get("kind"):
            problems.append(f"{where}: every amount needs 'kind'")
            continue
        for k in ("amount", "share"):
            v = a.get(k)
            if v is not None and (not isinstance(v, (int, float)) or v < 0):
                problems.append(
                    f"{where}: amount {a['kind']!r}: '{k}' must be a non-negative number"
                )
    return problems


def import_projects(db: Path, file: Path) -> int:
    """Add or replace the projects of ``file`` (all or nothing); returns how many."""
    try:
        doc = yaml.safe_load(Path(file).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ProjectFileError(f"not a readable YAML file: {e}") from None
    with storage.writing(Path(db)) as con:
        countries = {r[0] for r in con.execute("SELECT iso2 FROM countries").fetchall()}
        cities = {r[0] for r in con.execute("SELECT code FROM cities").fetchall()}
        problems = check_projects(doc, countries, cities)
        if problems:
            raise ProjectFileError("\n".join(f"  - {p}" for p in problems))
        return reference.upsert_projects(con, doc["projects"])
