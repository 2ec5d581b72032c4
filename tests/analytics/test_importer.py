"""The assessment import: accepted dialects, refused files, idempotence and supersession."""

from __future__ import annotations

import io
import re
import zipfile

import duckdb
import openpyxl
import pytest

from analytics import importer, storage
from analytics.importer import UPLOAD_MAX_BYTES, ImportRefused, check_bytes, import_bytes, log_path
from tests.conftest import SHIPPED_CITIES

HEADER = "programme,year,city,country,level,code,score,status,evidence_url,comment,source"


def scores_of(db, city, year, methodology="tc-transparency-2019", level="area"):
    con = storage.connect_read_only(db)
    try:
        return dict(
            con.execute(
                """SELECT item, score FROM current_scores WHERE city = ? AND year = ?
               AND methodology = ? AND level = ?""",
                [city, year, methodology, level],
            ).fetchall()
        )
    finally:
        con.close()


def xlsx_bytes(rows, formula_cell=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if formula_cell:
        ws[formula_cell] = "=1+1"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------
# Accepted dialects: each imports the same two figures for Konotop 2021.

UTF8 = f"""{HEADER}
tc-transparency,2021,Konotop,UA,area,info,4.2,scored,https://transparentcities.in.ua/en/city/konotop/2021,,TI Ukraine
tc-transparency,2021,Konotop,UA,area,access,5.5,,,,
"""
SEMI_DECIMAL_COMMA = """programme;year;city;country;level;code;score;status;evidence_url;comment;source
tc-transparency;2021;Конотоп;;area;Інформація про роботу органів місцевого самоврядування;4,2;;;коментар;
tc-transparency;2021;Конотоп;;area;Доступ и участие;5,5;;;;
"""
MIXED_CASE_FEW_COLUMNS = """Score,CITY,Programme,Year,Level,Code
4.2,konotop,Transparency Ranking of Ukrainian cities,2021,AREA,INFO
"5.5",KONOTOP,tc-transparency,2021,area,Access and participation
"""
QUOTED_DECIMAL_COMMA = """programme,year,city,level,code,score
tc-transparency,2021,Konotop,area,info,"4,2"
tc-transparency,2021,Konotop,area,access,"5,5"
"""


@pytest.mark.parametrize(
    "name, data",
    [
        ("utf8.csv", UTF8.encode("utf-8")),
        ("utf8-bom.csv", b"\xef\xbb\xbf" + UTF8.encode("utf-8")),
        ("crlf.csv", UTF8.replace("\n", "\r\n").encode("utf-8")),
        ("semicolon-decimal-comma.csv", SEMI_DECIMAL_COMMA.encode("utf-8")),
        (
            "windows-1251.csv",
            SEMI_DECIMAL_COMMA.replace("Інформація", "Информация")
            .replace(
                "про роботу органів місцевого самоврядування",
                "о работе органов местного самоуправления",
            )
            .encode("cp1251"),
        ),
        ("mixed-case.csv", MIXED_CASE_FEW_COLUMNS.encode("utf-8")),
        ("quoted-decimal-comma.csv", QUOTED_DECIMAL_COMMA.encode("utf-8")),
        (
            "sheet.xlsx",
            xlsx_bytes(
                [
                    HEADER.split(","),
                    ["tc-transparency", 2021, "Konotop", "UA", "area", "info", 4.2],
                    ["tc-transparency", 2021, "Конотоп", None, "area", "access", 5.5],
                ]
            ),
        ),
    ],
)
def test_accepted_dialects(db, name, data):
    report = import_bytes(db, data, name)
    assert report.ok and report.inserted == 2 and not report.unchanged
    assert scores_of(db, "ua-konotop", 2021) == {"info": 4.2, "access": 5.5}


def test_dialect_is_reported(db):
    report = import_bytes(db, SEMI_DECIMAL_COMMA.encode("cp1251", errors="replace"), "x.csv")
    assert report.dialect == {"format": "csv", "delimiter": ";", "encoding": "cp1251"}


def test_city_by_alias_and_indicator_by_text(db):
    data = f"""{HEADER}
demo-index,2022,Chervonohrad,,indicator,info-01,0,,,,
demo-index,2022,Червоноград,,indicator,Information on the work of local government: demo indicator info-02,0,,,,
""".encode()
    import_bytes(db, data, "alias.csv")
    got = scores_of(db, "ua-sheptytskyi", 2022, "demo-index-2021", "indicator")
    assert got["info-01"] == 0 and got["info-02"] == 0


def test_status_without_score(db):
    data = f"""{HEADER}
demo-index,2022,Lviv,,indicator,info-01,,not_applicable,,,
demo-index,2022,Lviv,,indicator,info-02,,Not assessed,,,
""".encode()
    import_bytes(db, data, "status.csv")
    con = storage.connect_read_only(db)
    rows = con.execute("""SELECT item, score, status FROM current_scores WHERE city = 'ua-lviv'
                          AND year = 2022 AND item IN ('info-01', 'info-02') ORDER BY item""").fetchall()
    assert rows == [("info-01", None, "not_applicable"), ("info-02", None, "not_assessed")]


# ------------------------------------------------------------------------------------------
# Refused files: the message names the problem; the database file is byte for byte the same.


def row(**kw) -> str:
    base = {
        "programme": "tc-transparency",
        "year": "2021",
        "city": "Konotop",
        "country": "",
        "level": "area",
        "code": "info",
        "score": "4.2",
        "status": "",
        "evidence_url": "",
        "comment": "",
        "source": "",
    }
    base.update(kw)
    return ",".join(base[c] for c in HEADER.split(","))


def csv_of(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


BOMB = io.BytesIO()
with zipfile.ZipFile(BOMB, "w", zipfile.ZIP_DEFLATED) as _z:
    _z.writestr("[Content_Types].xml", "<Types/>")
    _z.writestr("xl/worksheets/sheet1.xml", b"0" * 300_000_000)

# Words of the problem texts that no value named in them below contains (names of areas are
# shown as they are: "Information on the work of local government").
ENGLISH = re.compile(
    r"\b(known|unknown|required|must|column|duplicate|not|above|file|"
    r"holds|web|has|is|number|for|quote|value)\b"
)

REFUSED = [
    ("empty file", b"", "empty"),
    ("blank lines only", b"\n\n  \n", "empty"),
    ("header only", csv_of(), "no data rows"),
    ("unknown city", csv_of(row(city="Konotopp")), "unknown city; closest known: Konotop"),
    (
        "unknown programme",
        csv_of(row(programme="tc-transparancy")),
        "unknown programme; closest known: tc-transparency",
    ),
    ("year outside programme", csv_of(row(year="2027")), "no methodology for this year"),
    ("year not a number", csv_of(row(year="twenty")), "not a whole number"),
    # Issue 12 item 12: a value that is not exactly what the column allows is refused, never
    # rounded or read as another value (DuckDB's own cast makes "2021.5" the year 2022).
    ("year with a fraction", csv_of(row(year="2021.5")), "not a year: write four digits"),
    ("year with .0", csv_of(row(year="2021.0")), "not a year: write four digits"),
    ("year with an exponent", csv_of(row(year="2.021e3")), "not a year"),
    ("year with a sign", csv_of(row(year="+2021")), "not a year"),
    ("year with a leading zero", csv_of(row(year="02021")), "not a year"),
    ("year in hexadecimal", csv_of(row(year="0x7E5")), "not a whole number"),
    ("year with underscores", csv_of(row(year="2_021")), "not a whole number"),
    ("year with a decimal comma", csv_of(row(year='"2021,0"')), "not a whole number"),
    ("year in full-width digits", csv_of(row(year="２０２１")), "not a whole number"),
    (
        "xlsx year with a fraction",
        xlsx_bytes(
            [HEADER.split(","), ["tc-transparency", 2021.5, "Konotop", "", "area", "info", 1]]
        ),
        "not a year",
    ),
    (
        "xlsx year as a date",
        xlsx_bytes(
            [
                HEADER.split(","),
                [
                    "tc-transparency",
                    __import__("datetime").date(2021, 1, 1),
                    "Konotop",
                    "",
                    "area",
                    "info",
                    1,
                ],
            ]
        ),
        "not a whole number",
    ),
    ("score with an exponent", csv_of(row(score="4.2e0")), "a number with an exponent"),
    ("score with an exponent that overflows", csv_of(row(score="1e400")), "exponent"),
    ("score in hexadecimal", csv_of(row(score="0x4")), "not a number"),
    ("score with underscores", csv_of(row(score="4_2")), "not a number"),
    ("negative zero", csv_of(row(score="-0")), "negative"),
    ("negative zero with decimal comma", csv_of(row(score='"-0,0"')), "negative"),
    ("score with space thousands", csv_of(row(score="1 000")), "thousands separators"),
    (
        "score with no-break space thousands",
        csv_of(row(score='"1\u00a0000,5"')),
        "thousands separators",
    ),
    ("score with comma thousands", csv_of(row(score='"1,000.5"')), "thousands separators"),
    ("score with point thousands", csv_of(row(score='"1.000,5"')), "thousands separators"),
    ("comma before three digits", csv_of(row(score='"1,000"')), "ambiguous: a comma before three"),
    ("two decimal points", csv_of(row(score="4.2.1")), "not a number"),
    ("score with a unit", csv_of(row(score="4.2 points")), "not a number"),
    ("score as a percentage", csv_of(row(score="42%")), "not a number"),
    ("score in words", csv_of(row(score="true")), "not a number"),
    (
        "xlsx boolean score",
        xlsx_bytes(
            [HEADER.split(","), ["tc-transparency", 2021, "Konotop", "", "area", "info", True]]
        ),
        "not a number",
    ),
    ("NaN with a sign", csv_of(row(score="-nan")), "not a finite number"),
    ("Infinity", csv_of(row(score="Infinity")), "not a finite number"),
    ("minus infinity", csv_of(row(score="-inf")), "not a finite number"),
    (
        "score beyond a double's digits",
        csv_of(row(score="4.123456789012345678")),
        "more than 17 significant digits",
    ),
    ("status with inner spaces", csv_of(row(score="", status="not  assessed")), "must be scored"),
    ("level with inner space", csv_of(row(level="ar ea")), "must be indicator, area or total"),
    ("control character in comment", csv_of(row(comment="ok\x1b[31m")), "control characters"),
    (
        "control character in evidence_url",
        csv_of(row(evidence_url="https://x.example/\x07")),
        "control characters",
    ),
    ("Cyrillic look-alike in code", csv_of(row(code="іnfo")), "unknown area"),
    ("unknown area", csv_of(row(code="Procurment")), "closest known: Procurement"),
    (
        "unknown indicator",
        csv_of(row(programme="demo-index", level="indicator", code="info-99")),
        "unknown indicator",
    ),
    ("unknown level", csv_of(row(level="sphere")), "must be indicator, area or total"),
    ("code on a total", csv_of(row(level="total", code="info")), "a total has no code"),
    (
        "score above maximum",
        csv_of(row(year="2017", code="procurement", score="7.5")),
        "above the maximum of 7.0",
    ),
    ("total above 100", csv_of(row(level="total", code="", score="100.5")), "above the maximum"),
    ("negative score", csv_of(row(score="-1")), "negative"),
    ("NaN score", csv_of(row(score="NaN")), "not a finite number"),
    ("infinite score", csv_of(row(score="inf")), "not a finite number"),
    ("text in score", csv_of(row(score="four")), "not a number"),
    ("missing score", csv_of(row(score="")), "required for a scored item"),
    ("score with not_applicable", csv_of(row(status="not_applicable")), "must be empty"),
    ("unknown status", csv_of(row(status="done")), "must be scored, not_applicable"),
    ("duplicate rows", csv_of(row(), row()), "duplicate of row 2"),
    (
        "duplicate by other names",
        csv_of(
            row(),
            row(city="Конотоп", code="Access and participation"),
            row(city="КОНОТОП", code="information on the work of local government"),
        ),
        "duplicate of row 2",
    ),
    (
        "missing column",
        csv_of("tc-transparency,2021,Konotop,area,4.2", header="programme,year,city,level,score"),
        "column 'code': required column is missing",
    ),
    ("unknown column", csv_of(row() + ",x", header=HEADER + ",weight"), "unknown column"),
    ("duplicate column", csv_of(row() + ",4.2", header=HEADER + ",score"), "appears twice"),
    ("mixed delimiters", csv_of(row(), row().replace(",", ";")), "has 1 fields"),
    ("broken quoting", csv_of(row(comment='"unterminated')), "quoting"),
    ("path in evidence_url", csv_of(row(evidence_url="/etc/passwd")), "not a web address"),
    (
        "file URL in evidence_url",
        csv_of(row(evidence_url="file:///etc/passwd")),
        "not a web address",
    ),
    ("unknown country", csv_of(row(country="XX")), "unknown country code"),
    ("city in another country", csv_of(row(country="GE")), "not in this country"),
    ("missing city", csv_of(row(city="")), "column 'city': value '': required"),
    ("UTF-16", UTF8.encode("utf-16"), "UTF-16"),
    ("binary", b"\x00\x01\x02programme,year", "binary"),
    (
        "not Windows-1251 either",
        "programme,year\nÿþý,ñ\n".encode("latin-1") + b"\x98",
        "neither UTF-8 nor Windows-1251",
    ),
    (
        "latin-1 accents",
        csv_of(row(comment="café")).decode().encode("latin-1"),
        "save it as CSV UTF-8",
    ),
    ("no delimiter", b"just some text\nmore text\n", "no comma or semicolon"),
    (
        "xlsx with formula",
        xlsx_bytes(
            [HEADER.split(","), ["tc-transparency", 2021, "Konotop", "", "area", "info", 1]],
            formula_cell="G2",
        ),
        "a formula",
    ),
    ("fake xlsx", b"programme,year\n", "not a workbook"),
    ("zip bomb", BOMB.getvalue(), "ZIP bomb"),
    (
        "zip that is not a workbook",
        (lambda b: (zipfile.ZipFile(b, "w").writestr("a.txt", "x"), b.getvalue())[1])(io.BytesIO()),
        "not an Excel workbook",
    ),
    ("old xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    ("50 MB file", csv_of(*[row()] * 1_100_000)[:50_000_000], "the limit is 20 MB"),
    ("script in comment", csv_of(row(comment="<script>alert(1)</script>")), "HTML markup"),
    ("HTML in source", csv_of(row(source='<a href="https://evil.example">TI</a>')), "HTML markup"),
    (
        "javascript URL in evidence_url",
        csv_of(row(evidence_url="javascript:alert(1)")),
        "not a web address",
    ),
    (
        "markup in evidence_url",
        csv_of(row(evidence_url='https://x.example/"><script>')),
        "cannot hold",
    ),
    ("SQL in city", csv_of(row(city="Konotop'; DROP TABLE scores; --")), "unknown city"),
    ("SQL in code", csv_of(row(code="info' OR '1'='1")), "unknown area"),
    ("SQL in score", csv_of(row(score="1; DELETE FROM scores")), "not a number"),
    ("overlong comment", csv_of(row(comment="x" * 2001)), "longer than 2000 characters"),
    (
        "xlsx with formula in a text cell",
        xlsx_bytes(
            [
                HEADER.split(","),
                [
                    "tc-transparency",
                    2021,
                    "Konotop",
                    "",
                    "area",
                    "info",
                    1,
                    "",
                    "",
                    '=HYPERLINK("https://evil.example","x")',
                ],
            ]
        ),
        "a formula",
    ),
]


@pytest.mark.parametrize("case, data, message", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_files_leave_the_database_unchanged(db, case, data, message):
    before = storage.file_sha256(db)
    name = "data.xlsx" if case == "fake xlsx" else "data.csv"
    with pytest.raises(ImportRefused) as exc:
        import_bytes(db, data, name, max_bytes=UPLOAD_MAX_BYTES)  # as the upload page does
    report = exc.value.report
    assert not report.ok
    text = report.to_text()
    assert message in text, text
    assert "the database was not changed" in text
    for p in report.problems:  # the upload page shows them in the interface language
        for lang in ("uk", "ru"):
            shown = importer.localised(p.message, lang)
            assert not ENGLISH.search(shown), (lang, p.message, shown)
    assert storage.file_sha256(db) == before
    assert [p.name for p in db.parent.iterdir() if ".next-" in p.name] == []


def test_every_bad_row_is_reported(db):
    data = csv_of(
        row(city="Nowhere"),
        row(code="access"),
        row(code="procurement", score="x"),
        row(code="housing", year="1999"),
    )
    with pytest.raises(ImportRefused) as exc:
        import_bytes(db, data, "bad.csv")
    rows = sorted({(p.row, p.column) for p in exc.value.report.problems})
    assert rows == [(2, "city"), (4, "score"), (5, "year")]
    assert exc.value.report.problem_count == 3


def test_ambiguous_city_needs_the_country(db):
    with storage.writing(db) as con:
        con.execute("""INSERT INTO cities (code, country, region, name_en)
                       VALUES ('ge-konotop', 'GE', 'GE-51', 'Konotop')""")
    with pytest.raises(ImportRefused, match="ambiguous"):
        import_bytes(db, csv_of(row()), "a.csv")
    report = import_bytes(db, csv_of(row(country="ua")), "b.csv")
    assert report.ok and scores_of(db, "ua-konotop", 2021)["info"] == 4.2


def test_refused_import_is_logged_beside_the_database(db):
    with pytest.raises(ImportRefused):
        import_bytes(db, csv_of(row(city="Nowhere")), "bad.csv")
    log = log_path(db).read_text()
    assert '"outcome": "refused"' in log and "bad.csv" in log


# ------------------------------------------------------------------------------------------
# Idempotence and supersession


def test_importing_the_same_file_again_changes_nothing(db):
    data = csv_of(row(), row(code="access", score="5.5"))
    first = import_bytes(db, data, "a.csv")
    assert first.ok and first.batch is not None
    after_first = storage.file_sha256(db)
    second = import_bytes(db, data, "a.csv")
    assert second.unchanged and second.batch is None
    assert storage.file_sha256(db) == after_first


def test_same_content_in_another_dialect_is_also_a_no_op(db):
    import_bytes(db, UTF8.encode(), "a.csv")
    before = storage.file_sha256(db)
    again = UTF8.replace(",", ";").replace("4.2", "4,2").replace("5.5", "5,5")
    assert import_bytes(db, again.encode("utf-8-sig"), "b.csv").unchanged
    assert storage.file_sha256(db) == before


def test_corrected_file_supersedes_and_keeps_history(db):
    first = import_bytes(db, csv_of(row(), row(code="access", score="5.5")), "a.csv")
    second = import_bytes(
        db, csv_of(row(score="4.4"), row(code="access", score="5.5")), "a-corrected.csv"
    )
    assert second.batch == first.batch + 1
    assert second.superseded == 2
    assert scores_of(db, "ua-konotop", 2021) == {"info": 4.4, "access": 5.5}
    con = storage.connect_read_only(db)
    history = con.execute("""SELECT score, batch, superseded_by FROM scores
                             WHERE city = 'ua-konotop' AND year = 2021 AND item = 'info'
                             AND methodology = 'tc-transparency-2019' ORDER BY batch""").fetchall()
    # the published figure (batch 1), the first import, the correction
    assert history == [
        (4.2, 1, first.batch),
        (4.2, first.batch, second.batch),
        (4.4, second.batch, None),
    ]
    batches = con.execute(
        "SELECT file_name, outcome FROM import_batches WHERE id > "
        "(SELECT id FROM import_batches WHERE file_name LIKE 'synthetic:%') ORDER BY id"
    ).fetchall()
    assert batches == [("a.csv", "imported"), ("a-corrected.csv", "imported")]


def test_other_cities_and_levels_are_not_superseded(db):
    before = scores_of(db, "ua-berdychiv", 2021)
    import_bytes(db, csv_of(row(level="total", code="", score="40")), "total.csv")
    assert scores_of(db, "ua-berdychiv", 2021) == before
    assert len(scores_of(db, "ua-konotop", 2021)) == 14  # the published areas stay


def test_import_is_visible_to_a_new_reader_and_old_readers_keep_working(db):
    reader = storage.connect_read_only(db)
    n_before = reader.execute("SELECT count(*) FROM scores").fetchall()[0][0]
    import_bytes(db, csv_of(row(score="4.4")), "x.csv")
    assert reader.execute("SELECT count(*) FROM scores").fetchall()[0][0] == n_before
    # A new reader opened while the old one is still open (as the dashboard does) sees the
    # new file: DuckDB's per-path instance sharing must not hand back the replaced file.
    fresh = storage.connect_read_only(db)
    assert fresh.execute("SELECT count(*) FROM scores").fetchall()[0][0] == n_before + 1
    assert reader.execute("SELECT count(*) FROM scores").fetchall()[0][0] == n_before
    reader.close()
    fresh.close()


def test_database_missing(tmp_path):
    with pytest.raises(storage.DatabaseMissing):
        import_bytes(tmp_path / "none.duckdb", csv_of(row()), "x.csv")


def test_sql_in_free_text_is_stored_as_plain_text(db):
    evil = row(comment="a < b; '; DROP TABLE scores; --", source="Robert'); DROP TABLE cities;--")
    import_bytes(db, csv_of(evil), "evil.csv")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(
        "SELECT comment FROM current_scores WHERE comment LIKE 'a < b%'"
    ).fetchall() == [("a < b; '; DROP TABLE scores; --",)]
    assert con.execute("SELECT count(*) FROM cities").fetchall()[0][0] == SHIPPED_CITIES


def test_check_changes_nothing_and_previews_the_import(db):
    before = storage.file_sha256(db)
    report, preview = check_bytes(db, csv_of(row(), row(code="access", score="5.5")), "x.csv")
    assert report.ok and report.rows == 2
    # Konotop 2021 has 14 published transparency areas; the file would replace all of them.
    assert preview == {
        "rows": 2,
        "cities": 1,
        "first_year": 2021,
        "last_year": 2021,
        "methodologies": "tc-transparency-2019",
        "levels": "area",
        "replaces": 14,
    }
    report, preview = check_bytes(db, csv_of(row(city="Konotopp")), "x.csv")
    assert not report.ok and preview == {}
    assert "closest known: Konotop" in report.problems[0].message
    report, _ = check_bytes(db, b"x" * (UPLOAD_MAX_BYTES + 1), "big.csv")
    assert "the limit is 20 MB" in report.problems[0].message
    assert storage.file_sha256(db) == before


def test_numbers_written_exactly_are_kept_exactly(db):
    """Plain forms of a number are accepted and stored as that number (by hand: +4.2 is 4.2,
    "4." is 4, ".5" is 0.5, "1,5" is 1.5; a workbook's 0.00001 is 1e-05, not refused as an
    exponent)."""
    data = csv_of(
        row(score="+4.2"),
        row(code="access", score="4."),
        row(code="procurement", score=".5"),
        row(code="housing", score='"1,5"'),
    )
    assert import_bytes(db, data, "plain.csv").ok
    got = scores_of(db, "ua-konotop", 2021)
    assert (got["info"], got["access"], got["procurement"], got["housing"]) == (4.2, 4.0, 0.5, 1.5)
    sheet = xlsx_bytes(
        [HEADER.split(","), ["tc-transparency", 2021.0, "Konotop", "", "area", "info", 0.00001]]
    )
    assert import_bytes(db, sheet, "tiny.xlsx").ok
    assert scores_of(db, "ua-konotop", 2021)["info"] == 0.00001
