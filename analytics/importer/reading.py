"""Reading and decoding files: bytes of a CSV or XLSX file → a header and rows of text cells.

Nothing here knows the database; a file that cannot be read as a table is refused with one
problem (``ImportRefused``).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import math
import re
import zipfile
from dataclasses import dataclass

from .messages import MAX_REPORTED, ImportRefused, ImportReport, Problem, _fail

MAX_FILE_BYTES = 200 * 1024 * 1024
# Files uploaded through the dashboard: a year of a 100-city programme is about 1 MB.
UPLOAD_MAX_BYTES = 20_000_000
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100
# Characters a Windows-1251 file of city names and comments may hold besides ASCII.
_MIXED_SCRIPT = re.compile(r"\w*(?:[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z])\w*")
_CP1251_OK = re.compile(r"[\u0400-\u04ff№«»–—‘’‚“”„…•°±€\u00a0§©®·]")


@dataclass
class Table:
    """A file's cells as text: ``rows[i]`` has one string per column, ``row_numbers[i]`` is the
    row number a person sees in the file (the header is row 1)."""

    columns: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    dialect: dict


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
    return max(counts, key=lambda d: counts[d])


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


def _cell_text(v: object) -> str:
    """A workbook cell as the text a person sees: a number in plain digits (the shortest that
    reads back as the same number, never with an exponent), so the checks see its exact value."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        if not math.isfinite(v):
            return repr(v)
        text = format(decimal.Decimal(repr(v)), "f")
        return text[:-2] if text.endswith(".0") else text
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
