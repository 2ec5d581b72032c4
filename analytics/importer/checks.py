"""The checks: text cells → resolved rows, or every problem of every row.

The cells are loaded into DuckDB and resolved against the database in SQL (programmes, cities
and codes by any of their names, methodologies by year); each check names the rows it finds
bad. A value is accepted only when it is exactly what its column allows: nothing is rounded
or coerced into another value.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from .messages import MAX_REPORTED, Problem
from .reading import Table

COLUMNS = (
    "programme",
    "year",
    "city",
    "country",
    "level",
    "code",
    "score",
    "status",
    "evidence_url",
    "comment",
    "source",
)
REQUIRED = ("programme", "year", "city", "level", "code", "score")
#: The columns of a file whose cities are named by code (no ``country`` needed): what the
#: product writes for its own imports (accepted corrections, benchmark batches).
BY_CODE = tuple(c for c in COLUMNS if c != "country")
LEVELS = ("indicator", "area", "total")
STATUSES = ("scored", "not_applicable", "not_assessed")
MAX_TEXT = 2000


def _header_problems(columns: list[str]) -> tuple[dict[str, int], list[Problem]]:
    problems, index = [], {}
    for i, raw in enumerate(columns):
        col = raw.strip().lower().lstrip("\ufeff")
        if not col:
            problems.append(Problem(1, None, raw, f"column {i + 1} has no name"))
        elif col in index:
            problems.append(Problem(1, col, raw, "this column appears twice"))
        elif col not in COLUMNS:
            near = _closest(col, COLUMNS)
            problems.append(
                Problem(1, raw, raw, "unknown column" + (f"; did you mean {near}?" if near else ""))
            )
        else:
            index[col] = i
    for col in REQUIRED:
        if col not in index:
            problems.append(Problem(1, col, None, "required column is missing"))
    return index, problems


def _closest(value: str, options) -> str:
    import difflib

    hits = difflib.get_close_matches(value, list(options), n=3, cutoff=0.6)
    return ", ".join(hits)


_NORM = (
    r"""lower(trim(regexp_replace(regexp_replace({x}, '[’ʼ`´]', '''', 'g'), '\s+', ' ', 'g')))"""
)


def _norm(x: str) -> str:
    return _NORM.format(x=x)


_SETUP = f"""
CREATE OR REPLACE TEMP TABLE imp_programme_keys AS
SELECT DISTINCT {_norm("k")} AS key, code AS programme, display FROM (
    SELECT code, code AS k, code AS display FROM programmes
    UNION ALL SELECT code, name_en, name_en FROM programmes
    UNION ALL SELECT code, name_uk, name_uk FROM programmes WHERE name_uk IS NOT NULL
    UNION ALL SELECT code, name_ru, name_ru FROM programmes WHERE name_ru IS NOT NULL);

CREATE OR REPLACE TEMP TABLE imp_item_keys AS
SELECT DISTINCT methodology, level, {_norm("k")} AS key, item, display, max_points FROM (
    SELECT a.methodology, 'area' AS level, a.code AS item, k, a.name_en AS display,
           coalesce(a.max_points, m.max_points) AS max_points
    FROM areas a JOIN methodologies m ON m.code = a.methodology,
         unnest([a.code, a.name_en, a.name_uk, a.name_ru] || a.aliases) AS t(k)
    UNION ALL
    SELECT i.methodology, 'indicator', i.code, k, i.code, i.max_points
    FROM indicators i, unnest([i.code, i.text_en, i.text_uk, i.text_ru]) AS t(k)
) WHERE k IS NOT NULL;
"""

# Every name a city is known by, normalised (``imp_city_keys``): from the cities' columns below
# only, so ``_CITY_FINGERPRINT`` over the same columns tells when they are the same as before.
_CITY_KEYS = f"""
SELECT DISTINCT {_norm("k")} AS key, code AS city, country, display FROM (
    SELECT code, country, code AS k, name_en AS display FROM cities
    UNION ALL SELECT code, country, name_en, name_en FROM cities
    UNION ALL SELECT code, country, name_uk, name_uk FROM cities WHERE name_uk IS NOT NULL
    UNION ALL SELECT code, country, name_ru, name_ru FROM cities WHERE name_ru IS NOT NULL
    UNION ALL SELECT code, country, name_native, name_native FROM cities
              WHERE name_native IS NOT NULL
    UNION ALL SELECT code, country, unnest(aliases), name_en FROM cities)
"""
_CITY_FINGERPRINT = (
    "SELECT count(*), coalesce(sum(hash(code, country, name_en, name_uk, name_ru, "
    "name_native, aliases)), 0) FROM cities"
)
#: The city keys last built in this process, by the fingerprint of the cities they were built
#: from: normalising every name of 10,000 cities cost more than checking a year of scores,
#: and a server checks a file (its preview) and then imports it, on the same cities.
_city_keys_kept: dict[tuple, pa.Table] = {}


def _city_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``imp_city_keys`` on ``con``: from the keys kept when the cities are the same."""
    row = con.execute(_CITY_FINGERPRINT).fetchall()[0]
    fingerprint = (int(row[0]), int(row[1]))
    kept = _city_keys_kept.get(fingerprint)
    if kept is None:
        kept = con.sql(_CITY_KEYS).to_arrow_table()
        _city_keys_kept.clear()  # one set of cities at a time (a server serves one database)
        _city_keys_kept[fingerprint] = kept
    con.register("imp_city_keys_kept", kept)
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE imp_city_keys AS SELECT * FROM imp_city_keys_kept"
        )
    finally:
        con.unregister("imp_city_keys_kept")


# Exactly the numbers a score may be written as: digits with at most one decimal point (a
# decimal comma is turned into a point first), an optional plus sign. Anything else is refused
# with the reason, never rounded or read as some other number: DuckDB's own casts would turn
# "2021.5" into the year 2022, "0x10" into 16, "1_000" into 1000, and "1e1" is 10.
_UNSIGNED = r"([0-9]+\.?[0-9]*|\.[0-9]+)"
_DECIMAL = r"\+?" + _UNSIGNED
# Thousands grouped by a space, no-break space, comma, point or apostrophe (1 000; 1,000.5).
_THOUSANDS = r"^[+-]?[0-9]{1,3}([ ,.''’\x{a0}\x{202f}][0-9]{3})+([.,][0-9]+)?$"
# How a score is written; each form but "plain" (and "empty") is refused by a check below.
_SCORE_FORM = f"""CASE
    WHEN coalesce(b.score_text, '') = '' THEN 'empty'
    WHEN regexp_matches(trim(b.score), '^[+-]?[0-9]{{1,3}},[0-9]{{3}}$') THEN 'ambiguous'
    WHEN regexp_matches(b.score_text, '^{_DECIMAL}$') THEN 'plain'
    WHEN regexp_matches(b.score_text, '^-{_UNSIGNED}$') THEN 'negative'
    WHEN regexp_matches(b.score_text, '^[+-]?{_UNSIGNED}[eE][+-]?[0-9]+$') THEN 'exponent'
    WHEN regexp_matches(lower(b.score_text), '^[+-]?(nan|inf|infinity)$') THEN 'not finite'
    WHEN regexp_matches(trim(b.score), '{_THOUSANDS}') THEN 'thousands'
    ELSE 'other' END"""
# Significant digits of a plain score. The shortest text that reads back as a given double has
# at most 17, so a longer one is certainly rounded when stored (a workbook's numbers never are).
_SIGNIFICANT = (
    "length(ltrim(regexp_replace(CASE WHEN contains(score_text, '.') THEN rtrim(score_text, '0') "
    "ELSE score_text END, '[^0-9]', '', 'g'), '0'))"
)
# Characters nobody types: a pasted terminal or binary text (tab and line breaks are fine).
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"

_RESOLVE = f"""
CREATE OR REPLACE TEMP TABLE imp_resolved AS
WITH base AS (
    SELECT i.*,
           {_norm("i.programme")} AS programme_key,
           {_norm("i.city")} AS city_key,
           upper(trim(i.country)) AS country_code,
           lower(trim(i.level)) AS level_key,
           {_norm("i.code")} AS code_key,
           replace(replace(lower(trim(i.status)), ' ', '_'), '-', '_') AS status_key,
           CASE WHEN regexp_matches(trim(i.year), '^[0-9]{{4}}$')
                THEN CAST(trim(i.year) AS INTEGER) END AS year_int,
           CASE WHEN regexp_matches(trim(i.score), '^[+-]?[0-9]+,[0-9]+$')
                THEN replace(trim(i.score), ',', '.') ELSE trim(i.score) END AS score_text
    FROM imp_incoming i
), prog AS (
    SELECT b.row_no, min(p.programme) AS programme, count(DISTINCT p.programme) AS n
    FROM base b JOIN imp_programme_keys p ON p.key = b.programme_key GROUP BY b.row_no
), meth AS (
    SELECT b.row_no, m.code AS methodology, m.max_points AS total_max
    FROM base b JOIN prog ON prog.row_no = b.row_no
    JOIN methodologies m ON m.programme = prog.programme
                         AND b.year_int BETWEEN m.year_from AND m.year_to
), city_all AS (
    SELECT b.row_no, c.city, c.country FROM base b JOIN imp_city_keys c ON c.key = b.city_key
), city AS (
    SELECT b.row_no,
           count(DISTINCT ca.city) AS n_all,
           count(DISTINCT ca.city) FILTER (WHERE ca.country = b.country_code) AS n_country,
           min(ca.city) FILTER (WHERE ca.country = b.country_code) AS city_in_country,
           min(ca.city) AS city_any,
           string_agg(DISTINCT ca.city || ' (' || ca.country || ')', ', ') AS candidates
    FROM base b JOIN city_all ca ON ca.row_no = b.row_no GROUP BY b.row_no
)
SELECT b.*, prog.programme AS programme_code, meth.methodology, meth.total_max,
       city.n_all, city.n_country, city.candidates,
       CASE WHEN coalesce(b.country_code, '') = '' THEN
                CASE WHEN city.n_all = 1 THEN city.city_any END
            ELSE CASE WHEN city.n_country = 1 THEN city.city_in_country END
       END AS city_code,
       CASE WHEN b.level_key = 'total' THEN 'total' ELSE it.item END AS item,
       CASE WHEN b.level_key = 'total' THEN meth.total_max ELSE it.max_points END AS item_max,
       CASE WHEN regexp_matches(b.score_text, '^{_DECIMAL}$')
            THEN CAST(b.score_text AS DOUBLE) END AS score_value,
       {_SCORE_FORM} AS score_form,
       CASE WHEN coalesce(b.status_key, '') = '' THEN 'scored' ELSE b.status_key END AS status_value
FROM base b
LEFT JOIN prog ON prog.row_no = b.row_no
LEFT JOIN meth ON meth.row_no = b.row_no
LEFT JOIN city ON city.row_no = b.row_no
LEFT JOIN (SELECT DISTINCT methodology, level, key, item, max_points FROM imp_item_keys) it
       ON it.methodology = meth.methodology AND it.level = b.level_key AND it.key = b.code_key;
"""

# Each check: (column, SQL condition on imp_resolved naming a bad row, message SQL expression).
_MARKUP = r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript\s*:"

_CHECKS = [
    ("programme", "coalesce(trim(programme), '') = ''", "'required'"),
    ("programme", "trim(programme) <> '' AND programme_code IS NULL", "'unknown programme'"),
    ("year", "coalesce(trim(year), '') = ''", "'required'"),
    (
        "year",
        "trim(year) <> '' AND year_int IS NULL",
        f"CASE WHEN NOT regexp_matches(trim(year), '^[+-]?{_UNSIGNED}([eE][+-]?[0-9]+)?$') "
        "THEN 'not a whole number' "
        "ELSE 'not a year: write four digits, e.g. 2021 (a year is never rounded)' END",
    ),
    (
        "year",
        "year_int IS NOT NULL AND programme_code IS NOT NULL AND methodology IS NULL",
        "'programme ' || programme_code || ' has no methodology for this year (years: ' || "
        "(SELECT string_agg(CASE WHEN year_from = year_to THEN year_from::VARCHAR "
        "ELSE year_from || '–' || year_to END, ', ' ORDER BY year_from) FROM methodologies m "
        "WHERE m.programme = imp_resolved.programme_code) || ')'",
    ),
    ("city", "coalesce(trim(city), '') = ''", "'required'"),
    ("city", "trim(city) <> '' AND n_all IS NULL", "'unknown city'"),
    (
        "city",
        "n_all > 1 AND coalesce(country_code, '') = ''",
        "'ambiguous: ' || candidates || '; add the country column'",
    ),
    (
        "country",
        "coalesce(country_code, '') <> '' AND country_code NOT IN (SELECT iso2 FROM countries)",
        "'unknown country code (use ISO-2, e.g. UA, GE)'",
    ),
    (
        "country",
        "n_all >= 1 AND coalesce(country_code, '') <> '' AND n_country = 0 AND "
        "country_code IN (SELECT iso2 FROM countries)",
        "'the city is not in this country (found: ' || candidates || ')'",
    ),
    (
        "level",
        "level_key IS NULL OR level_key NOT IN ('indicator', 'area', 'total')",
        "'must be indicator, area or total'",
    ),
    ("code", "level_key IN ('indicator', 'area') AND coalesce(code_key, '') = ''", "'required'"),
    (
        "code",
        "level_key = 'total' AND coalesce(code_key, '') NOT IN ('', 'total')",
        "'a total has no code (leave it empty or write total)'",
    ),
    (
        "code",
        "level_key IN ('indicator', 'area') AND coalesce(code_key, '') <> '' AND "
        "methodology IS NOT NULL AND item IS NULL",
        "'unknown ' || level_key || ' for methodology ' || methodology",
    ),
    (
        "status",
        "status_value NOT IN ('scored', 'not_applicable', 'not_assessed')",
        "'must be scored, not_applicable or not_assessed'",
    ),
    (
        "score",
        "status_value = 'scored' AND coalesce(score_text, '') = ''",
        "'required for a scored item'",
    ),
    (
        "score",
        "status_value IN ('not_applicable', 'not_assessed') AND coalesce(score_text, '') <> ''",
        "'must be empty when the status is ' || status_value",
    ),
    ("score", "score_form = 'other'", "'not a number'"),
    ("score", "score_form = 'not finite'", "'not a finite number'"),
    ("score", "score_form = 'negative'", "'negative'"),
    (
        "score",
        "score_form = 'exponent'",
        "'a number with an exponent; write it in plain digits (e.g. 0.005)'",
    ),
    (
        "score",
        "score_form = 'thousands'",
        "'thousands separators are not allowed; write digits only, with one decimal point or comma'",
    ),
    (
        "score",
        "score_form = 'ambiguous'",
        "'ambiguous: a comma before three digits may separate thousands; write the decimal "
        "with a point (e.g. 1.250)'",
    ),
    (
        "score",
        f"score_form = 'plain' AND {_SIGNIFICANT} > 17",
        "'more than 17 significant digits cannot be stored exactly'",
    ),
    (
        "score",
        "score_value IS NOT NULL AND NOT isinf(score_value) AND item_max IS NOT NULL "
        "AND score_value > item_max + 1e-9",
        "'above the maximum of ' || item_max || ' points for this item'",
    ),
    (
        "evidence_url",
        "coalesce(trim(evidence_url), '') <> '' AND NOT regexp_matches("
        "trim(evidence_url), '^https?://[^\\s/$.?#][^\\s]*$')",
        "'not a web address (must start with http:// or https://)'",
    ),
    ("evidence_url", f"length(evidence_url) > {MAX_TEXT}", f"'longer than {MAX_TEXT} characters'"),
    (
        "evidence_url",
        "regexp_matches(coalesce(evidence_url, ''), '[<>\"\\\\]')",
        "'a web address cannot hold <, >, \" or \\'",
    ),
    ("comment", f"length(comment) > {MAX_TEXT}", f"'longer than {MAX_TEXT} characters'"),
    ("source", f"length(source) > {MAX_TEXT}", f"'longer than {MAX_TEXT} characters'"),
    *(
        (
            col,
            f"regexp_matches(coalesce({col}, ''), '{_CONTROL}')",
            "'holds control characters (invisible codes such as escape); write plain text'",
        )
        for col in ("evidence_url", "comment", "source")
    ),
    # Text is shown as text; markup in it is a pasted web page or an attack, never data.
    *(
        (
            col,
            f"regexp_matches(coalesce({col}, ''), '{_MARKUP}')",
            "'holds HTML markup or script; write plain text'",
        )
        for col in ("comment", "source")
    ),
]

_SUGGEST = f"""
WITH scored AS (
    SELECT u.v, u.ctx, k.display, max(jaro_winkler_similarity({_norm("u.v")}, k.key)) AS s
    FROM ({{unknown}}) u JOIN {{keys}} k ON {{join}}
    GROUP BY u.v, u.ctx, k.display
)
SELECT v, ctx, string_agg(display, ', ' ORDER BY s DESC) FROM (
    SELECT * FROM scored WHERE s >= 0.75
    QUALIFY row_number() OVER (PARTITION BY v, ctx ORDER BY s DESC, display) <= 3
) GROUP BY v, ctx
"""
# For each kind of unknown name: the unknown values (v) with their context (ctx), the keys
# to compare with, and which keys are eligible.
_SUGGESTIONS = {
    "programme": (
        "SELECT DISTINCT programme AS v, '' AS ctx FROM imp_resolved "
        "WHERE trim(programme) <> '' AND programme_code IS NULL",
        "imp_programme_keys",
        "true",
    ),
    "city": (
        "SELECT DISTINCT city AS v, '' AS ctx FROM imp_resolved "
        "WHERE trim(city) <> '' AND n_all IS NULL",
        "imp_city_keys",
        "true",
    ),
    "code": (
        "SELECT DISTINCT code AS v, methodology || '/' || level_key AS ctx FROM imp_resolved "
        "WHERE methodology IS NOT NULL AND item IS NULL AND level_key IN ('area', 'indicator')",
        "imp_item_keys",
        "k.methodology || '/' || k.level = u.ctx",
    ),
}


def _suggestions(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], str]:
    """Closest known names for unknown programmes, cities and codes: (column, value, ctx) → names."""
    out = {}
    for col, (unknown, keys, join) in _SUGGESTIONS.items():
        sql = _SUGGEST.replace("{unknown}", unknown).replace("{keys}", keys).replace("{join}", join)
        for v, ctx, names in con.execute(sql).fetchall():
            out[(col, v, ctx)] = names
    return out


def validate(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[list[Problem], int]:
    """Check every row against the database.

    Returns the problems (at most ``MAX_REPORTED``) and how many there are in all; when there
    are none, the resolved rows are left in the temporary table ``imp_resolved``.
    """
    index, problems = _header_problems(table.columns)
    if problems:
        return problems, len(problems)
    if not table.rows:
        return [Problem(None, None, None, "the file has a header but no data rows")], 1
    width = len(table.columns)
    cols: dict[str, list[str | None]] = {c: [] for c in COLUMNS}
    row_nos: list[int] = []
    for num, rec in zip(table.row_numbers, table.rows):
        if len(rec) != width:
            problems.append(
                Problem(
                    num,
                    None,
                    None,
                    f"has {len(rec)} fields, the header has {width} (wrong delimiter or quoting?)",
                )
            )
            continue
        row_nos.append(num)
        for c in COLUMNS:
            cols[c].append(rec[index[c]] if c in index else None)
    if problems:
        return problems[:MAX_REPORTED], len(problems)
    con.register(
        "imp_arrow",
        pa.table(
            {
                "row_no": pa.array(row_nos, pa.int64()),
                **{c: pa.array(v, pa.string()) for c, v in cols.items()},
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE imp_incoming AS SELECT * FROM imp_arrow")
    con.unregister("imp_arrow")
    con.execute(_SETUP)
    _city_keys(con)
    con.execute(_RESOLVE)

    union = " UNION ALL ".join(
        f"SELECT row_no, '{col}' AS col, {col}::VARCHAR AS val, "
        f"{msg} AS msg FROM imp_resolved WHERE {cond}"
        for col, cond, msg in _CHECKS
    )
    found = con.execute(
        f"SELECT * FROM ({union}) ORDER BY row_no, col LIMIT {MAX_REPORTED}"
    ).fetchall()
    # Count them all only when the report was cut (the checks are the import's hot path).
    total = (
        len(found)
        if len(found) < MAX_REPORTED
        else con.execute(f"SELECT count(*) FROM ({union})").fetchall()[0][0]
    )
    dups = con.execute(
        """SELECT row_no, first_row FROM (
               SELECT row_no, min(row_no) OVER w AS first_row, count(*) OVER w AS n
               FROM imp_resolved WHERE methodology IS NOT NULL AND city_code IS NOT NULL
                                   AND item IS NOT NULL
               WINDOW w AS (PARTITION BY methodology, year_int, city_code, level_key, item))
           WHERE n > 1 AND row_no <> first_row ORDER BY row_no"""
    ).fetchall()

    near = _suggestions(con) if any(m.startswith("unknown ") for *_, m in found) else {}
    ctx = (
        dict(
            con.execute(
                "SELECT row_no, methodology || '/' || level_key FROM imp_resolved "
                "WHERE methodology IS NOT NULL"
            ).fetchall()
        )
        if near
        else {}
    )
    for row_no, col, val, msg in found:
        hint = near.get((col, val, ctx.get(row_no, "") if col == "code" else ""))
        if msg.startswith("unknown ") and hint:
            msg = f"{msg}; closest known: {hint}"
        problems.append(Problem(row_no, col, val, msg))
    for row_no, first in dups[: max(0, MAX_REPORTED - len(problems))]:
        problems.append(
            Problem(
                row_no,
                None,
                None,
                f"duplicate of row {first} (same programme, year, city, level and code)",
            )
        )
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return problems, total + len(dups)
