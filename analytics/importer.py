"""Import assessments from a CSV or XLSX file (the format is in docs/import-format.md).

The import is all-or-nothing. A file is first read into plain text cells (``read_table``),
then checked row by row against the database (``validate``): every bad row, column and value
is reported, with the closest known names for unknown ones. Only a file without a single
error is written, on a copy of the database that is swapped in atomically (see
``analytics.storage.writing``). A refused file leaves the database byte for byte as it was;
the attempt is logged beside it in ``<db>.imports.jsonl``.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import getpass
import hashlib
import io
import json
import re
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from . import i18n, storage

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
LEVELS = ("indicator", "area", "total")
STATUSES = ("scored", "not_applicable", "not_assessed")
MAX_FILE_BYTES = 200 * 1024 * 1024
# Files uploaded through the dashboard: a year of a 100-city programme is about 1 MB.
UPLOAD_MAX_BYTES = 20_000_000
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_TEXT = 2000
MAX_REPORTED = 10_000
# Characters a Windows-1251 file of city names and comments may hold besides ASCII.
_MIXED_SCRIPT = re.compile(r"\w*(?:[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z])\w*")
_CP1251_OK = re.compile(r"[\u0400-\u04ff№«»–—‘’‚“”„…•°±€\u00a0§©®·]")


# Every problem text the import produces, as a template. The upload page shows problems in
# the interface language: translations are in analytics/locales/*.json under these English
# texts, and a test checks that every refused file of the test corpus is fully translated.
MESSAGES: tuple[str, ...] = (
    "the file starts as UTF-8 but byte {byte} is not UTF-8",
    "the file is UTF-16; save it as CSV UTF-8 (or Windows-1251)",
    "the file holds binary data (NUL bytes); it is not a CSV text file",
    "the file is neither UTF-8 nor Windows-1251 text",
    "the file is not UTF-8, and read as Windows-1251 it has characters that do not belong in "
    "this data ({characters}); save it as CSV UTF-8",
    "the file is not UTF-8, and read as Windows-1251 it has words mixing Latin and Cyrillic "
    "letters ({word}), so it is probably in another encoding; save it as CSV UTF-8",
    "the header has no comma or semicolon between column names; expected columns such as "
    "programme,year,city,level,code,score",
    "the file is empty",
    "broken CSV quoting near line {line}: a quoted value is never closed",
    "broken CSV quoting near line {line}: a value is too long (is a quote left open?)",
    "broken CSV quoting near line {line}: text follows a closing quote (write a quote inside a "
    "value as two quotes)",
    "broken CSV quoting near line {line}: {error}",
    "the file looks like XLSX but is not a valid ZIP archive",
    "the file is a ZIP archive but not an Excel workbook (XLSX)",
    "the workbook unpacks to {unpacked} MB from {packed} MB (a ZIP bomb, or too large); "
    "refused before opening it",
    "the workbook cannot be opened: {error}",
    "a formula; save values only",
    "the workbook's first sheet is empty",
    "the file is {size} MB; the limit is {limit} MB",
    "the name says XLSX but the content is not a workbook",
    "old Excel (.xls) files are not supported; save as .xlsx or CSV",
    "column {number} has no name",
    "this column appears twice",
    "unknown column",
    "did you mean {name}?",
    "required column is missing",
    "the file has a header but no data rows",
    "has {fields} fields, the header has {width} (wrong delimiter or quoting?)",
    "required",
    "unknown programme",
    "not a whole number",
    "programme {programme} has no methodology for this year (years: {years})",
    "unknown city",
    "ambiguous: {candidates}; add the country column",
    "unknown country code (use ISO-2, e.g. UA, GE)",
    "the city is not in this country (found: {candidates})",
    "must be indicator, area or total",
    "a total has no code (leave it empty or write total)",
    "unknown indicator for methodology {methodology}",
    "unknown area for methodology {methodology}",
    "must be scored, not_applicable or not_assessed",
    "required for a scored item",
    "must be empty when the status is {status}",
    "not a number",
    "not a finite number",
    "negative",
    "above the maximum of {maximum} points for this item",
    "not a web address (must start with http:// or https://)",
    "longer than {limit} characters",
    'a web address cannot hold <, >, " or \\',
    "holds HTML markup or script; write plain text",
    "closest known: {names}",
    "duplicate of row {row} (same programme, year, city, level and code)",
)


def localised(message: str, lang: str) -> str:
    """A problem's ``message`` in ``lang`` (``en``, ``uk`` or ``ru``); names, codes and
    numbers in it stay as they are. English where no template fits."""
    return i18n.translate_filled(message, lang, MESSAGES)


class ImportRefused(Exception):
    """The file was refused; ``report`` says why."""

    def __init__(self, report: ImportReport):
        super().__init__(report.to_text(limit=20))
        self.report = report


@dataclass
class Problem:
    """One reason a file is refused: the row (1 = header), the column and the value."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f" value {self.value[:80]!r}:"
        return f"{', '.join(where) or 'file'}:{value} {self.message}"


@dataclass
class ImportReport:
    """What an import did, or why it refused the file."""

    file_name: str
    sha256: str = ""
    rows: int = 0
    dialect: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch: int | None = None
    inserted: int = 0
    superseded: int = 0
    unchanged: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def summary(self) -> str:
        if not self.ok:
            return (
                f"{self.file_name}: refused, {self.problem_count} problem(s); "
                "the database was not changed"
            )
        if self.unchanged:
            return (
                f"{self.file_name}: {self.rows} rows, identical to what is loaded; nothing changed"
            )
        return (
            f"{self.file_name}: imported {self.inserted} rows as batch {self.batch}"
            f" ({self.superseded} earlier rows superseded, kept in history)"
        )

    def to_text(self, limit: int = 200) -> str:
        lines = [self.summary()]
        for p in self.problems[:limit]:
            lines.append(f"  - {p}")
        if self.problem_count > min(limit, len(self.problems)):
            lines.append(f"  … and {self.problem_count - min(limit, len(self.problems))} more")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["ok"] = self.ok
        return d


# --------------------------------------------------------------------------------------------
# Reading: bytes → header + rows of text cells


@dataclass
class Table:
    """A file's cells as text: ``rows[i]`` has one string per column, ``row_numbers[i]`` is the
    row number a person sees in the file (the header is row 1)."""

    columns: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    dialect: dict


def _fail(
    name: str,
    message: str,
    column: str | None = None,
    row: int | None = None,
    value: str | None = None,
) -> ImportRefused:
    return ImportRefused(
        ImportReport(
            file_name=name, problems=[Problem(row, column, value, message)], problem_count=1
        )
    )


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM) or Windows-1251, never guessing silently."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise _fail(name, f"the file starts as UTF-8 but byte {e.start} is not UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(name, "the file is UTF-16; save it as CSV UTF-8 (or Windows-1251)")
    if b"\x00" in data:
        raise _fail(name, "the file holds binary data (NUL bytes); it is not a CSV text file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise _fail(name, "the file is neither UTF-8 nor Windows-1251 text") from None
    odd = {ch for ch in text if ord(ch) > 127 and not _CP1251_OK.match(ch)}
    if odd:
        raise _fail(
            name,
            "the file is not UTF-8, and read as Windows-1251 it has characters "
            f"that do not belong in this data ({''.join(sorted(odd))[:20]}); "
            "save it as CSV UTF-8",
        )
    mixed = _MIXED_SCRIPT.search(text)
    if mixed:
        raise _fail(
            name,
            "the file is not UTF-8, and read as Windows-1251 it has words mixing "
            f"Latin and Cyrillic letters ({mixed.group(0)!r}), so it is probably "
            "in another encoding; save it as CSV UTF-8",
        )
    return text, "cp1251"


def _sniff_delimiter(header: str, name: str) -> str:
    counts = {d: header.count(d) for d in (",", ";")}
    if max(counts.values()) == 0:
        raise _fail(
            name,
            "the header has no comma or semicolon between column names; "
            "expected columns such as programme,year,city,level,code,score",
            row=1,
            value=header[:80],
        )
    return max(counts, key=counts.get)


# Python's csv errors (strict mode), said in terms of the file.
_CSV_ERRORS = (
    ("unexpected end of data", "a quoted value is never closed"),
    ("field larger than field limit", "a value is too long (is a quote left open?)"),
    ("'", "text follows a closing quote (write a quote inside a value as two quotes)"),
)


def read_csv_text(text: str, name: str) -> Table:
    """Split CSV text into cells (comma or semicolon, RFC 4180 quoting)."""
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), None)
    if first is None:
        raise _fail(name, "the file is empty")
    delim = _sniff_delimiter(first, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    header: list[str] | None = None
    try:
        for rec in reader:
            if header is None:
                if not any(c.strip() for c in rec):
                    continue
                header = rec
                continue
            if not any(c.strip() for c in rec):
                continue  # blank line
            rows.append(rec)
            numbers.append(reader.line_num)
    except csv.Error as e:
        known = [why for start, why in _CSV_ERRORS if str(e).startswith(start)]
        raise _fail(
            name,
            f"broken CSV quoting near line {reader.line_num}: {known[0] if known else e}",
            row=reader.line_num,
        ) from None
    assert header is not None
    return Table(header, rows, numbers, {"format": "csv", "delimiter": delim})


def _check_xlsx_zip(data: bytes, name: str) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _fail(name, "the file looks like XLSX but is not a valid ZIP archive") from None
    names = zf.namelist()
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _fail(name, "the file is a ZIP archive but not an Excel workbook (XLSX)")
    total = sum(i.file_size for i in zf.infolist())
    packed = sum(i.compress_size for i in zf.infolist()) or 1
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
        raise _fail(
            name,
            f"the workbook unpacks to {total / 1e6:.0f} MB from {packed / 1e6:.1f} MB "
            "(a ZIP bomb, or too large); refused before opening it",
        )


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return repr(v) if v != int(v) or abs(v) > 1e15 else str(int(v))
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def read_xlsx(data: bytes, name: str) -> Table:
    """Read the first sheet of a workbook; formulas are refused (only values are data)."""
    import openpyxl

    _check_xlsx_zip(data, name)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many kinds on damaged files
        raise _fail(name, f"the workbook cannot be opened: {type(e).__name__}") from None
    ws = wb.worksheets[0]
    header: list[str] | None = None
    rows, numbers, problems = [], [], []
    for r_idx, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        for c_idx, (v, _c) in enumerate(zip(values, cells)):
            if isinstance(v, str) and v.startswith("="):
                problems.append(
                    Problem(
                        r_idx,
                        header[c_idx] if header and c_idx < len(header) else None,
                        v,
                        "a formula; save values only",
                    )
                )
        if header is None:
            if any(c.strip() for c in cells):
                header = cells
            continue
        if any(c.strip() for c in cells):
            rows.append(cells)
            numbers.append(r_idx)
    wb.close()
    if header is None:
        raise _fail(name, "the workbook's first sheet is empty")
    if problems:
        raise ImportRefused(
            ImportReport(
                file_name=name, problems=problems[:MAX_REPORTED], problem_count=len(problems)
            )
        )
    while header and not header[-1].strip():
        header.pop()
    width = len(header)
    # Sheets pad rows with empty cells: drop empty ones past the header, keep anything else
    # (a row with more values than columns is reported by the checks).
    rows = [
        (r[:width] if not any(c.strip() for c in r[width:]) else r) + [""] * (width - len(r))
        for r in rows
    ]
    return Table(header, rows, numbers, {"format": "xlsx", "sheet": ws.title})


def read_table(data: bytes, name: str, max_bytes: int = MAX_FILE_BYTES) -> Table:
    """Read a file's bytes as CSV or XLSX, deciding by content, not by the extension."""
    if len(data) > max_bytes:
        raise _fail(
            name, f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB"
        )
    if not data.strip():
        raise _fail(name, "the file is empty")
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, name)
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise _fail(name, "the name says XLSX but the content is not a workbook")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(name, "old Excel (.xls) files are not supported; save as .xlsx or CSV")
    text, encoding = decode_text(data, name)
    table = read_csv_text(text, name)
    table.dialect["encoding"] = encoding
    return table


# --------------------------------------------------------------------------------------------
# Checking: text cells → resolved rows or problems


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

CREATE OR REPLACE TEMP TABLE imp_city_keys AS
SELECT DISTINCT {_norm("k")} AS key, code AS city, country, display FROM (
    SELECT code, country, code AS k, name_en AS display FROM cities
    UNION ALL SELECT code, country, name_en, name_en FROM cities
    UNION ALL SELECT code, country, name_uk, name_uk FROM cities WHERE name_uk IS NOT NULL
    UNION ALL SELECT code, country, name_ru, name_ru FROM cities WHERE name_ru IS NOT NULL
    UNION ALL SELECT code, country, name_native, name_native FROM cities
              WHERE name_native IS NOT NULL
    UNION ALL SELECT code, country, unnest(aliases), name_en FROM cities);

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
           TRY_CAST(trim(i.year) AS INTEGER) AS year_int,
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
       TRY_CAST(b.score_text AS DOUBLE) AS score_value,
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
    ("year", "trim(year) <> '' AND year_int IS NULL", "'not a whole number'"),
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
    ("score", "coalesce(score_text, '') <> '' AND score_value IS NULL", "'not a number'"),
    (
        "score",
        "score_value IS NOT NULL AND (isnan(score_value) OR isinf(score_value))",
        "'not a finite number'",
    ),
    ("score", "score_value < 0", "'negative'"),
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
    cols = {c: [] for c in COLUMNS}
    row_nos = []
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


# --------------------------------------------------------------------------------------------
# Writing


class _Unchanged(Exception):
    """The file holds exactly what is already loaded: abandon the copy, keep the file as is."""


def _apply(con: duckdb.DuckDBPyConnection, report: ImportReport, who: str) -> None:
    con.execute("""CREATE OR REPLACE TEMP TABLE imp_new AS
        SELECT city_code AS city, year_int::SMALLINT AS year, methodology,
               level_key::score_level AS level, item, score_value AS score,
               status_value::score_status AS status,
               nullif(trim(evidence_url), '') AS evidence_url, nullif(trim(comment), '') AS comment,
               nullif(trim(source), '') AS source
        FROM imp_resolved""")
    con.execute("""CREATE OR REPLACE TEMP TABLE imp_groups AS
        SELECT DISTINCT methodology, year, city, level FROM imp_new""")
    cols = "city, year, methodology, level, item, score, status, evidence_url, comment, source"
    current = f"""SELECT {cols} FROM current_scores s
        WHERE EXISTS (SELECT 1 FROM imp_groups g WHERE g.methodology = s.methodology
                      AND g.year = s.year AND g.city = s.city AND g.level = s.level)"""
    diff = con.execute(f"""SELECT (SELECT count(*) FROM (SELECT {cols} FROM imp_new
                                   EXCEPT {current})),
                                  (SELECT count(*) FROM ({current} EXCEPT
                                   SELECT {cols} FROM imp_new))""").fetchall()[0]
    if diff == (0, 0):
        raise _Unchanged()
    batch = con.execute("SELECT coalesce(max(id), 0) + 1 FROM import_batches").fetchall()[0][0]
    report.superseded = con.execute(
        """UPDATE scores SET superseded_by = ?
           FROM imp_groups g
           WHERE scores.superseded_by IS NULL AND g.methodology = scores.methodology
             AND g.year = scores.year AND g.city = scores.city AND g.level = scores.level""",
        [batch],
    ).fetchall()[0][0]
    con.execute(f"INSERT INTO scores SELECT {cols}, ?, NULL FROM imp_new", [batch])
    report.inserted = report.rows
    report.batch = batch
    con.execute(
        "INSERT INTO import_batches (id, file_name, sha256, rows, imported_by, outcome, message) "
        "VALUES (?, ?, ?, ?, ?, 'imported', ?)",
        [
            batch,
            report.file_name,
            report.sha256,
            report.rows,
            who,
            f"{report.superseded} earlier rows superseded",
        ],
    )


def _preview(con: duckdb.DuckDBPyConnection) -> dict:
    """What importing the checked rows (``imp_resolved``) would change."""
    rows = con.execute(
        """SELECT count(*), count(DISTINCT city_code), min(year_int), max(year_int),
                  string_agg(DISTINCT methodology, ', ' ORDER BY methodology),
                  string_agg(DISTINCT level_key, ', ' ORDER BY level_key)
           FROM imp_resolved"""
    ).fetchall()[0]
    replaced = con.execute(
        """SELECT count(*) FROM current_scores s
           WHERE EXISTS (SELECT 1 FROM imp_resolved r WHERE r.methodology = s.methodology
                         AND r.year_int = s.year AND r.city_code = s.city
                         AND r.level_key = s.level::VARCHAR)"""
    ).fetchall()[0][0]
    return {
        "rows": rows[0],
        "cities": rows[1],
        "first_year": rows[2],
        "last_year": rows[3],
        "methodologies": rows[4],
        "levels": rows[5],
        "replaces": replaced,
    }


def check_bytes(
    db: Path, data: bytes, name: str, max_bytes: int = UPLOAD_MAX_BYTES
) -> tuple[ImportReport, dict]:
    """Check a file without importing it: the report (problems, if any) and, for a valid file,
    a preview of what an import would change (rows, cities, years, rows it would replace).

    Works on a read-only connection, so it never waits for nor blocks an import.
    """
    started = time.perf_counter()
    report = ImportReport(file_name=name, sha256=hashlib.sha256(data).hexdigest())
    preview: dict = {}
    try:
        table = read_table(data, name, max_bytes)
    except ImportRefused as e:
        report.problems, report.problem_count = e.report.problems, e.report.problem_count
    else:
        report.dialect, report.rows = table.dialect, len(table.rows)
        con = storage.connect_read_only(Path(db))
        try:
            report.problems, report.problem_count = validate(con, table)
            if report.ok:
                preview = _preview(con)
        finally:
            con.close()
    report.seconds = round(time.perf_counter() - started, 3)
    return report, preview


def import_into(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    name: str,
    who: str,
    max_bytes: int = MAX_FILE_BYTES,
) -> ImportReport:
    """Check and apply a file on a connection that is already writing (all or nothing).

    The same reading, checks and batch as ``import_bytes``, for a caller that holds the write
    (the build imports the shipped score files with it, so real data proves the import).
    Raises ``ImportRefused`` with the report when the file has a problem.
    """
    report = ImportReport(file_name=name, sha256=hashlib.sha256(data).hexdigest())
    table = read_table(data, name, max_bytes)
    report.dialect, report.rows = table.dialect, len(table.rows)
    problems, total = validate(con, table)
    if problems:
        report.problems, report.problem_count = problems, total
        raise ImportRefused(report)
    try:
        _apply(con, report, who)
    except _Unchanged:
        report.unchanged = True
    return report


def import_bytes(
    db: Path, data: bytes, name: str, who: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> ImportReport:
    """Import a file's bytes into the database at ``db``, all or nothing.

    Returns the report of a successful (or unchanged) import; raises ``ImportRefused`` with the
    full report when the file is refused, in which case the database is untouched. Files larger
    than ``max_bytes`` are refused unread (uploads pass ``UPLOAD_MAX_BYTES``).
    """
    started = time.perf_counter()
    who = who or _user()
    sha = hashlib.sha256(data).hexdigest()
    report = ImportReport(file_name=name, sha256=sha)
    try:
        table = read_table(data, name, max_bytes)
        report.dialect = table.dialect
        report.rows = len(table.rows)
        with storage.writing(Path(db)) as con:
            problems, total = validate(con, table)
            if problems:
                report.problems, report.problem_count = problems, total
                raise ImportRefused(report)
            _apply(con, report, who)
    except ImportRefused as e:
        r = e.report
        r.sha256, r.file_name = sha, name
        r.dialect = r.dialect or report.dialect
        r.rows = r.rows or report.rows
        r.problem_count = max(r.problem_count, len(r.problems))
        r.seconds = round(time.perf_counter() - started, 3)
        _log(Path(db), r, who)
        raise ImportRefused(r) from None
    except _Unchanged:
        report.unchanged = True
    report.seconds = round(time.perf_counter() - started, 3)
    _log(Path(db), report, who)
    return report


def import_file(db: Path, path: Path, who: str | None = None) -> ImportReport:
    """Import a CSV or XLSX file from disk (see ``import_bytes``)."""
    path = Path(path)
    return import_bytes(db, path.read_bytes(), path.name, who)


def _log(db: Path, report: ImportReport, who: str) -> None:
    entry = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "who": who,
        "file": report.file_name,
        "sha256": report.sha256,
        "rows": report.rows,
        "outcome": "refused"
        if not report.ok
        else ("unchanged" if report.unchanged else "imported"),
        "batch": report.batch,
        "problems": report.problem_count,
        "first_problems": [str(p) for p in report.problems[:20]],
    }
    try:
        with open(log_path(db), "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError:
        pass  # the log is a convenience; never fail an import over it


def log_path(db: Path) -> Path:
    """The import log beside the database: one JSON line per attempt."""
    return Path(db).with_name(Path(db).name + ".imports.jsonl")


def read_log(db: Path, limit: int = 200) -> list[dict]:
    """The newest ``limit`` entries of the import log beside the database (imports, unchanged
    files and refused files), newest first; damaged lines are skipped."""
    path = log_path(db)
    if not path.exists():
        return []
    entries: collections.deque = collections.deque(maxlen=limit)
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
    return list(reversed(entries))


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"
