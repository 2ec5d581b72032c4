"""Applying a batch: checking a file against the database and writing it, all or nothing.

Only a file without a single problem is written, on a copy of the database that is swapped in
atomically (``analytics.storage.writing``); a refused file leaves the database byte for byte
as it was. Every attempt is logged (``analytics.importer.log``).
"""

from __future__ import annotations

import getpass
import hashlib
import time
from pathlib import Path

import duckdb

from .. import results, storage
from .checks import validate
from .log import write_log
from .messages import ImportRefused, ImportReport, Problem
from .reading import MAX_FILE_BYTES, UPLOAD_MAX_BYTES, read_table


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
    results.touch(con, "imp_groups")  # the refresh after the write recomputes only these
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
        with storage.writing(Path(db), partial=True) as con:
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
        write_log(Path(db), r, who)
        raise ImportRefused(r) from None
    except _Unchanged:
        report.unchanged = True
    except (storage.NotEnoughSpace, storage.WriteLocked, storage.DatabaseDamaged) as e:
        # Refused for the database's sake, not the file's: logged, and raised as it is.
        report.problems, report.problem_count = [Problem(None, None, None, str(e))], 1
        report.seconds = round(time.perf_counter() - started, 3)
        write_log(Path(db), report, who)
        raise
    report.seconds = round(time.perf_counter() - started, 3)
    write_log(Path(db), report, who)
    return report


def import_file(db: Path, path: Path, who: str | None = None) -> ImportReport:
    """Import a CSV or XLSX file from disk (see ``import_bytes``)."""
    path = Path(path)
    return import_bytes(db, path.read_bytes(), path.name, who)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"
