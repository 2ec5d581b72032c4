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
    problems: list[str] = []
    seen: set[str] = set()
    for n, p in enumerate(doc["projects"], start=1):
        if not isinstance(p, dict):
            problems.append(f"project {n}: not a mapping")
            continue
        problems += _check_code(n, p, seen)
        where = f"project {p.get('code') or n}"
        problems += _check_facts(where, p)
        problems += _check_links(where, p, known_countries, known_cities)
        problems += _check_places_and_amounts(where, p)
        problems += _check_targets(where, p)
    return problems


def _check_code(n: int, p: dict, seen: set[str]) -> list[str]:
    code = p.get("code")
    if not code or not isinstance(code, str):
        return [f"project {n}: 'code' is required"]
    if code in seen:
        return [f"project {n}: code {code!r} appears twice"]
    seen.add(code)
    return []


def _check_facts(where: str, p: dict) -> list[str]:
    """Title, dates in order, a non-negative EU contribution."""
    problems = [] if p.get("title_en") else [f"{where}: 'title_en' is required"]
    for key in ("start", "end"):
        v = p.get(key)
        if v is not None and not isinstance(v, dt.date):
            problems.append(f"{where}: '{key}' must be a date YYYY-MM-DD, not {v!r}")
    start, end = p.get("start"), p.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        problems.append(f"{where}: ends before it starts")
    eur = p.get("eu_contribution_eur")
    if eur is not None and (not isinstance(eur, (int, float)) or eur < 0):
        problems.append(f"{where}: 'eu_contribution_eur' must be a non-negative number")
    return problems


def _check_links(where: str, p: dict, countries: set[str], cities: set[str]) -> list[str]:
    """Countries and cities the database knows, with whole years for each city."""
    problems = [f"{where}: unknown country {c!r}" for c in p.get("countries") or []
                if c not in countries]  # fmt: skip
    for c in p.get("cities") or []:
        if not isinstance(c, dict) or c.get("city") not in cities:
            problems.append(f"{where}: unknown city {c!r}")
        elif not all(isinstance(c.get(k), int) for k in ("year_from", "year_to")):
            problems.append(f"{where}: city {c['city']} needs whole years year_from, year_to")
    return problems


def _check_targets(where: str, p: dict) -> list[str]:
    problems = []
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
