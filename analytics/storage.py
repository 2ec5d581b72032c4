"""The DuckDB file: schema, migrations, connections and crash-safe writes.

DuckDB lets one process write a file, and then no other process may read it. So the dashboard
only ever opens the database read-only, and every write (a build, an import) happens on a copy
beside the live file that is swapped in with an atomic rename when it is complete. Readers that
still hold the old file keep reading it unharmed; new connections see the new file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SCHEMA_VERSION = int(re.search(r"schema_version:\s*(\d+)", SCHEMA_FILE.read_text()).group(1))

#: Tables in the order they are listed to users.
TABLES = (
    "countries",
    "regions",
    "cities",
    "programmes",
    "methodologies",
    "class_thresholds",
    "areas",
    "area_links",
    "indicators",
    "scores",
    "published_figures",
    "import_batches",
    "projects",
    "project_targets",
    "project_cities",
    "project_amounts",
    "project_places",
    "country_context",
    "ogp_local_members",
    "area_results",
    "indices",
)


#: How many earlier versions of the database a write keeps for ``rollback``.
KEEP_VERSIONS = int(os.environ.get("OCM_KEEP_VERSIONS", "5"))


class DatabaseMissing(FileNotFoundError):
    """The database file does not exist (build it with ``python -m analytics build``)."""


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the newest schema in an empty database and record its version."""
    con.execute(SCHEMA_FILE.read_text())
    con.execute(
        "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
        [SCHEMA_VERSION, "initial schema"],
    )


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the database (0 for an empty database)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[0][0]


def pending_migrations(current: int, directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """Migration files newer than ``current``, in the order they must run."""
    found = []
    for path in directory.glob("*.sql"):
        m = re.match(r"(\d+)_", path.name)
        if m and int(m.group(1)) > current:
            found.append((int(m.group(1)), path))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Bring a database up to date: create the schema if empty, else apply pending migrations.

    Returns the versions applied (``[SCHEMA_VERSION]`` for a new database).
    """
    current = schema_version(con)
    if current == 0:
        create_schema(con)
        return [SCHEMA_VERSION]
    applied = []
    for version, path in pending_migrations(current, directory):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text())
            con.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                [version, path.stem.split("_", 1)[-1].replace("_", " ")],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that can touch nothing but this database file."""
    if not Path(path).exists():
        raise DatabaseMissing(f"no database at {path}: run `python -m analytics build`")
    # DuckDB shares one database instance per path within a process: connect(path) would hand
    # back the instance of a file that a write has since replaced. An in-memory instance with
    # the file attached always opens the file now at ``path``.
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_sql_string(path)}' AS {_ALIAS} (READ_ONLY)")
        con.execute(f"USE {_ALIAS}")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a ``connect_read_only`` connection, for one query at a time (threads share
    the connection through cursors). A cursor starts in the in-memory catalog; this one is set
    to the database file."""
    cur = con.cursor()
    cur.execute(f"USE {_ALIAS}")
    return cur


_ALIAS = "data"  # the name the database file is attached under in a read-only connection


def _sql_string(path: Path) -> str:
    return str(Path(path).resolve()).replace("'", "''")


def signature(path: Path) -> tuple[int, int, int] | None:
    """Identity of the file now at ``path`` (inode, mtime, size); changes when a write swaps in."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _next_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.next-{os.getpid()}")


def _clean_leftovers(path: Path) -> list[Path]:
    """Remove half-written files of writes that died (the caller holds the write lock)."""
    removed = []
    for p in path.parent.glob(f".{path.name}.next-*"):
        p.unlink(missing_ok=True)
        removed.append(p)
    return removed


@contextlib.contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Serialise writers of one database: an exclusive lock on ``<db>.lock``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def writing(path: Path, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection to the next version of the database, swapped in on success.

    The live file is copied (or, with ``fresh``, a new empty file is started) beside it; the
    caller writes to the copy; when the block ends without an exception the copy is flushed
    to disk and atomically renamed over the live file. On an exception, or if the process dies,
    the live file is untouched; a later write removes the leftover copy.
    """
    path = Path(path)
    with write_lock(path):
        _clean_leftovers(path)
        nxt = _next_name(path)
        if not fresh:
            if not path.exists():
                raise DatabaseMissing(f"no database at {path}: run `python -m analytics build`")
            shutil.copyfile(path, nxt)
        con = duckdb.connect(str(nxt))
        try:
            migrate(con)
            yield con
            from . import results  # computed results follow every write

            results.refresh(con)
            con.execute("CHECKPOINT")
            con.close()
        except BaseException:
            con.close()
            nxt.unlink(missing_ok=True)
            Path(str(nxt) + ".wal").unlink(missing_ok=True)
            raise
        with open(nxt, "rb") as fh:
            os.fsync(fh.fileno())
        _keep_version(path)
        os.replace(nxt, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def versions_dir(path: Path) -> Path:
    """Where earlier versions of the database at ``path`` are kept."""
    return Path(path).parent / f".{Path(path).name}.versions"


def versions(path: Path) -> list[Path]:
    """Earlier versions of the database, newest first."""
    folder = versions_dir(path)
    return sorted(folder.glob("*.duckdb"), reverse=True) if folder.exists() else []


def version_list(path: Path) -> list[dict]:
    """The kept versions, newest first: file name, when it was replaced (UTC) and size."""
    out = []
    for v in versions(path):
        try:
            kept_at = time.strftime(
                "%Y-%m-%d %H:%M:%S", time.strptime(v.stem[:15], "%Y%m%dT%H%M%S")
            )
        except ValueError:
            kept_at = None
        out.append({"version": v.name, "replaced_at_utc": kept_at, "bytes": v.stat().st_size})
    return out


def _keep_version(path: Path) -> None:
    """Keep the live file as a version (a hard link: no copy) and prune the oldest."""
    if not path.exists() or KEEP_VERSIONS <= 0:
        return
    folder = versions_dir(path)
    folder.mkdir(exist_ok=True)
    now = time.time_ns()  # one reading, so names sort in the order the writes happened
    stamp = (
        time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000_000))
        + f"-{now % 1_000_000_000:09d}"
    )
    target = folder / f"{stamp}.duckdb"
    try:
        os.link(path, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(path, target)
    for old in versions(path)[KEEP_VERSIONS:]:
        old.unlink(missing_ok=True)


def rollback(path: Path) -> Path:
    """Put the newest kept version back in place, atomically (readers never find the file
    missing). The version is used up, so a second rollback goes one further back; the file it
    replaces is set aside in the versions folder as ``*.rolled-back``. Returns the version."""
    path = Path(path)
    with write_lock(path):
        kept = versions(path)
        if not kept:
            raise FileNotFoundError(f"no earlier version of {path} is kept")
        chosen = kept[0]
        nxt = _next_name(path)
        shutil.copyfile(chosen, nxt)
        with open(nxt, "rb") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            aside = versions_dir(path) / f"{chosen.stem}.rolled-back"
            aside.unlink(missing_ok=True)
            os.link(path, aside)
        os.replace(nxt, path)
        chosen.unlink()
        return chosen


def table_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """A content checksum per table (order-independent), to prove that nothing changed."""
    out = {}
    for table in TABLES:
        rows = con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM {table} t").fetchall()[
            0
        ]
        out[table] = f"{rows[0]}:{rows[1]}"
    return out


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
