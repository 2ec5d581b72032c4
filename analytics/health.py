"""Is a database file usable? The checks behind the dashboard's fallback and ``check``.

``verify(path)`` opens the file read-only, checks its schema version and tables, and reads every
table through (a file truncated by a crash or a full disk opens, but fails on the first block
past the cut). With ``deep`` it also recomputes the results tables (area results, indices) from
the scores in memory and compares them with the stored ones. ``usable(path)`` picks what the
dashboard can serve: the live file, else the newest kept version that passes.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

from . import storage

#: The results tables a deep check recomputes and compares.
RESULTS_TABLES = ("area_results", "indices")
# Stored and recomputed doubles may differ in the last bits (the order of parallel sums).
_DECIMALS = 6


@dataclass
class Health:
    """What ``verify`` found: ``problem`` is None for a usable file."""

    path: str
    problem: str | None = None
    schema_version: int | None = None
    rows: dict[str, int] = field(default_factory=dict)
    results_checked: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_text(self) -> str:
        if not self.ok:
            return f"{self.path}: NOT OK — {self.problem}"
        total = sum(self.rows.values())
        what = "; results agree with a recompute" if self.results_checked else ""
        return (
            f"{self.path}: OK — schema version {self.schema_version}, {len(self.rows)} tables, "
            f"{total} rows{what} ({self.seconds:.2f} s)"
        )


def verify(path: Path, *, deep: bool = False, current: bool = True) -> Health:
    """Check the database at ``path``; never raises for a bad file (the problem is reported).

    With ``current`` the file must hold this program's schema version and every table; without,
    an older schema passes as long as what it holds reads (a write migrates it).

    A missing file raises ``storage.DatabaseMissing``, a file that may not be read
    ``PermissionError``: neither says anything about the file's health.
    """
    started = time.perf_counter()
    health = Health(path=str(path))
    try:
        con = storage.connect_read_only(Path(path))
    except storage.DatabaseDamaged as e:
        health.problem = e.reason
        return _timed(health, started)
    try:
        health.problem = _check(con, health, deep, current)
    except duckdb.Error as e:
        health.problem = storage._damage_reason(e)
    finally:
        con.close()
    return _timed(health, started)


def _timed(health: Health, started: float) -> Health:
    health.seconds = round(time.perf_counter() - started, 3)
    return health


def _check(con: duckdb.DuckDBPyConnection, health: Health, deep: bool, current: bool) -> str | None:
    health.schema_version = storage.schema_version(con)
    if current and health.schema_version < storage.SCHEMA_VERSION:
        return (
            f"schema version {health.schema_version}, this program needs "
            f"{storage.SCHEMA_VERSION}; build it anew with `python -m analytics build`"
        )
    present = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
        ).fetchall()
    }
    missing = [t for t in storage.TABLES if t not in present]
    if missing and current:
        return f"tables missing: {', '.join(missing)}"
    tables = tuple(t for t in storage.TABLES if t in present)
    for table, checksum in storage.table_checksums(con, tables).items():  # reads every row
        health.rows[table] = int(checksum.split(":")[0])
    if deep:
        differing = results_differ(con)
        if differing:
            return f"stored results differ from a recompute: {', '.join(differing)}"
        health.results_checked = True
    return None


def results_differ(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The results tables whose stored rows differ from a recompute (``[]``: they agree).

    The recompute runs in memory over the read-only file: the results SQL's unqualified table
    names find empty in-memory results tables first and the stored inputs second.
    """
    from . import results

    work = duckdb.connect(":memory:")
    try:
        db = con.execute("SELECT current_database()").fetchall()[0][0]
        files = con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = ?", [db]
        ).fetchall()
        work.execute(f"ATTACH '{_sql(files[0][0])}' AS stored (READ_ONLY)")
        for table in RESULTS_TABLES:
            work.execute(f"CREATE TABLE memory.main.{table} AS FROM stored.{table} LIMIT 0")
        work.execute("SET search_path = 'memory.main,stored.main'")
        results.refresh(work)
        return [t for t in RESULTS_TABLES if _differs(work, t)]
    finally:
        work.close()


def _sql(text: str) -> str:
    return text.replace("'", "''")


def _differs(work: duckdb.DuckDBPyConnection, table: str) -> bool:
    columns = work.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = 'stored' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    select = ", ".join(
        f"round({name}, {_DECIMALS}) AS {name}" if kind in ("DOUBLE", "FLOAT") else name
        for name, kind in columns
    )
    sql = (
        f"SELECT count(*) FROM ((SELECT {select} FROM memory.main.{table} EXCEPT ALL "
        f"SELECT {select} FROM stored.main.{table}) UNION ALL (SELECT {select} FROM "
        f"stored.main.{table} EXCEPT ALL SELECT {select} FROM memory.main.{table}))"
    )
    return work.execute(sql).fetchall()[0][0] > 0


@dataclass(frozen=True)
class Usable:
    """What to serve for the database at ``live``: ``path`` (the live file itself when it is
    healthy), what is wrong with the live file, and the kept version served instead (or
    ``rescued``: a database rebuilt from the shipped reference data)."""

    live: Path
    path: Path | None
    problem: str | None = None
    version: str | None = None
    version_time_utc: str | None = None
    rescued: bool = False


def usable(live: Path) -> Usable:
    """The live file when it passes ``verify``; else the newest kept version that does (``path``
    None when there is none). Only reads."""
    live = Path(live)
    health = verify(live)
    if health.ok:
        return Usable(live, live)
    for kept in storage.version_list(live):
        candidate = storage.versions_dir(live) / kept["version"]
        if verify(candidate).ok:
            return Usable(live, candidate, health.problem, kept["version"], kept["replaced_at_utc"])
    return Usable(live, None, health.problem)


def rescue_path(live: Path) -> Path:
    """Where a database rebuilt from the shipped reference data is kept for a damaged ``live``
    file without a good version (beside it; the damaged file itself is left for inspection)."""
    return Path(live).parent / f".{Path(live).name}.rescue.duckdb"


def rescue(live: Path, progress: Callable[[float, str], None] | None = None) -> Path:
    """A usable database for a damaged ``live`` file that has no good kept version: a rescue
    file that passes ``verify``, else one built now from the shipped reference data (beside the
    live file, or in the temporary folder where there is no room or permission)."""
    from .build import build_database

    spare = Path(tempfile.gettempdir()) / f"ocm-rescue-{os.getuid()}-{Path(live).name}"
    failure: Exception | None = None
    for target in (rescue_path(live), spare):
        if target.exists() and verify(target).ok:
            return target
        try:
            build_database(target, demo=True, progress=progress)
            return target
        except (OSError, storage.WriteLocked) as e:
            failure = e
    assert failure is not None
    raise failure


class _Probe:
    """``verify`` of one file, again only when its signature changes (a probe every few
    seconds costs a ``stat``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._last: tuple[tuple | None, Health] | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Health:
        sig = storage.signature(self.path)
        with self._lock:
            if self._last is None or self._last[0] != sig or sig is None:
                if sig is None:
                    found = Health(str(self.path), problem="no database file")
                else:
                    found = verify(self.path)
                self._last = (sig, found)
            return self._last[1]


def health_server(path: Path, host: str = "127.0.0.1", port: int = 8599) -> ThreadingHTTPServer:
    """An HTTP health endpoint for a load balancer or supervisor: ``GET /health`` answers
    200 with the check's line while the database at ``path`` is usable, 503 when it is not
    (missing, damaged, wrong schema). Call ``serve_forever()`` on the result."""
    probe = _Probe(path)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] not in ("/health", "/"):
                self.send_error(404)
                return
            found = probe()
            body = (found.to_text() + "\n").encode("utf-8")
            self.send_response(200 if found.ok else 503)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # a probe every few seconds would fill the log

    return ThreadingHTTPServer((host, port), Handler)
