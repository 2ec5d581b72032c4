"""Finding a city by any spelling people use: transliterations and historic forms (Lvov,
Lwów, Kiev, Kharkov, Kishinev), names in any interface language or the local one, and small
typos.

Names are folded to plain ASCII (``anyascii`` transliterates Cyrillic, Georgian, Armenian and
Romanian letters the way people type them in Latin) and compared with ``rapidfuzz``; the
spellings themselves are data (``city_names``, derived from GeoNames' alternate names), not a
table in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz, process

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
#: Below this closeness (0-100) a name is not offered as a match.
CUTOFF = 75.0


def fold(text: str) -> str:
    """``text`` in lower-case ASCII letters and digits only: "Кам'янець-Подільський" →
    "kamyanetspodilskiy", "Lwów" → "lwow", "Chişinău" → "chisinau"."""
    return _NOT_ALNUM.sub("", anyascii(text or "").lower())


@dataclass(frozen=True)
class NameIndex:
    """Every (city, spelling) pair, with the spellings folded once."""

    cities: tuple[str, ...]
    names: tuple[str, ...]
    folded: tuple[str, ...]


def build_index(pairs: list[tuple[str, str]]) -> NameIndex:
    seen: set[tuple[str, str]] = set()
    cities, names, folded = [], [], []
    for city, name in pairs:
        f = fold(name)
        if f and (city, f) not in seen:
            seen.add((city, f))
            cities.append(city)
            names.append(name)
            folded.append(f)
    return NameIndex(tuple(cities), tuple(names), tuple(folded))


def _score(query: str, name: str, **_: object) -> float:
    """How close a folded query is to a folded name: the whole name, or its beginning when
    the query is a prefix being typed (so "lvi" already finds Lviv)."""
    whole = fuzz.ratio(query, name)
    if len(query) >= 3 and len(name) > len(query):
        return max(whole, fuzz.ratio(query, name[: len(query)]) - 5)
    return whole


def find(index: NameIndex, query: str, limit: int = 8) -> list[tuple[str, str, float]]:
    """The cities whose spellings come closest to ``query``, best first, one row per city:
    (city code, the spelling that matched, closeness 0-100)."""
    q = fold(query)
    if not q:
        return []
    hits = process.extract(
        q, index.folded, scorer=_score, limit=max(limit * 10, 50), score_cutoff=CUTOFF
    )
    best: dict[str, tuple[str, float]] = {}
    for _, score, i in hits:
        city = index.cities[i]
        if city not in best or score > best[city][1]:
            best[city] = (index.names[i], float(score))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return [(city, name, round(score, 1)) for city, (name, score) in ranked[:limit]]
