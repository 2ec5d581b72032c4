"""The DuckDB file: schema, migrations, connections and crash-safe writes.

DuckDB lets one process write a file, and then no other process may read it. So the dashboard
only ever opens the database read-only, and every write (a build, an import) happens on a copy
beside the live file that is swapped in with an atomic rename when it is complete. Readers that
still hold the old file keep reading it unharmed; new connections see the new file.
"""

from __future__ import annotations

import contextlib
import errno
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
_VERSION_MARK = re.search(r"schema_version:\s*(\d+)", SCHEMA_FILE.read_text())
assert _VERSION_MARK, "schema.sql must say its schema_version"
SCHEMA_VERSION = int(_VERSION_MARK.group(1))

#: Tables in the order they are listed to users.
TABLES = (
    "countries",
    "regions",
    "cities",
    "city_names",
    "hromada_context",
    "programmes",
    "methodologies",
    "class_thresholds",
    "areas",
    "area_links",
    "indicators",
    "indicator_notes",
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


#: Free space a write needs beside the database besides a copy of it (its journal, the
#: computed results, the next version's growth): 10 % of the file, at least this many bytes.
SPACE_MARGIN = int(os.environ.get("OCM_SPACE_MARGIN_BYTES", str(32 * 1024 * 1024)))
#: How long a write waits for another write of the same database before giving up.
LOCK_WAIT_S = float(os.environ.get("OCM_LOCK_WAIT_S", "600"))


class DatabaseMissing(FileNotFoundError):
    """The database file does not exist (build it with ``python -m analytics build``)."""


class DatabaseDamaged(Exception):
    """The file at ``path`` is not a readable database of this schema; ``reason`` says why."""

    def __init__(self, path: Path, reason: str):
        super().__init__(
            f"{path}: the database is damaged or unreadable: {reason}; put the last good "
            f"version back with `python -m analytics rollback --db {path}` "
            "(or build anew with `python -m analytics build`)"
        )
        self.path, self.reason = Path(path), reason


class NotEnoughSpace(OSError):
    """Too little free space beside the database for a write (nothing was changed)."""

    def __init__(self, path: Path, free: int, needed: int):
        super().__init__(
            errno.ENOSPC,
            f"not enough free space beside {path}: {free / 1e6:.1f} MB free, {needed / 1e6:.1f} MB "
            "needed (a copy of the database plus a margin); nothing was changed — free some "
            "space and try again",
        )
        self.path, self.free, self.needed = Path(path), free, needed

    def __str__(self) -> str:
        return str(self.strerror)


class WriteLocked(Exception):
    """Another write (an import, a build, a rollback) holds the database for too long."""

    def __init__(self, path: Path, waited: float):
        super().__init__(
            f"another import, build or rollback is writing {path} (waited {waited:.0f} s for "
            "it to finish); nothing was changed — try again when it is done"
        )
        self.path = Path(path)


_KNOWN_DAMAGE = (
    ("not a valid DuckDB database file", "not a DuckDB database file"),
    ("Could not read enough bytes", "the file is cut short (truncated by a crash or a full disk)"),
    ("checksum", "a block of the file does not match its checksum (the file is corrupted)"),
)


def damage(error: BaseException, path: Path) -> DatabaseDamaged | None:
    """``error`` as ``DatabaseDamaged`` when it says the file at ``path`` is damaged, else None."""
    if isinstance(error, DatabaseDamaged):
        return error
    if isinstance(error, duckdb.Error) and any(
        m.lower() in str(error).lower() for m, _ in _KNOWN_DAMAGE
    ):
        return DatabaseDamaged(Path(path), _damage_reason(error))
    return None


def _damage_reason(error: BaseException) -> str:
    """A one-line reason from a DuckDB error about a file, in plain words where it is known."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    for marker, reason in _KNOWN_DAMAGE:
        if marker.lower() in text.lower():
            return reason
    text = re.sub(r'(?:[Tt]he )?file "[^"]*"', "the file", text)
    return text.removeprefix("IO Error: ").strip()


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
    if Path(path).is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a database file", str(path))
    # DuckDB shares one database instance per path within a process: connect(path) would hand
    # back the instance of a file that a write has since replaced. An in-memory instance with
    # the file attached always opens the file now at ``path``.
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_sql_string(path)}' AS {_ALIAS} (READ_ONLY)")
        con.execute(f"USE {_ALIAS}")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except duckdb.Error as e:
        con.close()
        if "permission denied" in str(e).lower():
            raise PermissionError(errno.EACCES, f"no permission to read {path}") from None
        raise DatabaseDamaged(Path(path), _damage_reason(e)) from None
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
def write_lock(path: Path, wait: float | None = None) -> Iterator[None]:
    """Serialise writers of one database: an exclusive lock on ``<db>.lock``, waited for at most
    ``wait`` seconds (default ``LOCK_WAIT_S``), then ``WriteLocked``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = LOCK_WAIT_S if wait is None else wait
    with open(path.with_name(path.name + ".lock"), "a+") as fh:
        started = time.monotonic()
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - started >= wait:
                    raise WriteLocked(path, time.monotonic() - started) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def space_needed(path: Path) -> int:
    """Free bytes a write of the database at ``path`` needs beside it: a copy plus a margin."""
    size = Path(path).stat().st_size if Path(path).exists() else 0
    return size + max(SPACE_MARGIN, size // 10)


def check_space(path: Path) -> None:
    """Refuse a write up front (``NotEnoughSpace``) when the file system of ``path`` lacks the
    room for a copy of it plus a margin."""
    free = shutil.disk_usage(Path(path).parent).free
    needed = space_needed(path)
    if free < needed:
        raise NotEnoughSpace(Path(path), free, needed)


def _remove_partial(nxt: Path) -> None:
    for p in (nxt, Path(str(nxt) + ".wal"), Path(str(nxt) + ".tmp")):
        p.unlink(missing_ok=True)


def _as_no_space(error: BaseException, path: Path) -> BaseException:
    """A write that ran out of room (an OSError, or DuckDB's IO error) as ``NotEnoughSpace``."""
    if isinstance(error, NotEnoughSpace):
        return error
    no_room = (isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)) or (
        isinstance(error, duckdb.Error) and "no space left" in str(error).lower()
    )
    if not no_room:
        return error
    return NotEnoughSpace(path, shutil.disk_usage(path.parent).free, space_needed(path))


@contextlib.contextmanager
def writing(
    path: Path, *, fresh: bool = False, partial: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection to the next version of the database, swapped in on success.

    The live file is copied (or, with ``fresh``, a new empty file is started) beside it; the
    caller writes to the copy; when the block ends without an exception the copy is flushed
    to disk and atomically renamed over the live file. On an exception, or if the process dies,
    the live file is untouched; a later write removes the leftover copy.

    The computed results are refreshed before the swap: in full, or with ``partial`` only for
    the scores the caller recorded with ``results.touch`` (imports; a writer of anything but
    scores needs the full refresh).
    """
    path = Path(path)
    with write_lock(path):
        _clean_leftovers(path)
        nxt = _next_name(path)
        if not fresh:
            _require_healthy(path)
        check_space(path)
        try:
            if not fresh:
                shutil.copyfile(path, nxt)
            with _connected(nxt) as con:
                migrate(con)
                yield con
                from . import results  # computed results follow every write

                results.refresh(con, touched=results.touched(con) if partial else None)
                con.execute("CHECKPOINT")
            with open(nxt, "rb") as fh:
                os.fsync(fh.fileno())
        except BaseException as e:
            _remove_partial(nxt)  # at once: a partial copy would eat the space that is left
            converted = damage(e, path) or _as_no_space(e, path)
            if converted is e:
                raise
            raise converted from e
        _keep_version(path)
        os.replace(nxt, path)
        _written[str(path.resolve())] = signature(path)
        _mark_written(path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


#: The signature (inode, mtime, size) of each file this process swapped in after a complete,
#: flushed write (and, for other processes, ``written_mark`` beside it). A file with the same
#: signature is that file, unchanged since: the next write need not read it all through again
#: (which costs as much as the database is large); a file cut short, overwritten or replaced
#: has another signature and is checked in full.
_written: dict[str, tuple[int, int, int] | None] = {}


def written_mark(path: Path) -> Path:
    """Beside the database: the signature of the file the last complete write swapped in."""
    return Path(path).with_name(f".{Path(path).name}.written")


def _mark_written(path: Path) -> None:
    """Record, for the next process, the signature of the file just swapped in (after it was
    flushed): a command-line import is the first write of its process, and reading the whole
    file through again cost as much as the database is large. Written atomically; a write that
    dies before it leaves the old mark, which no longer matches the file."""
    mark = written_mark(path)
    tmp = mark.with_name(mark.name + f".{os.getpid()}.tmp")
    try:
        tmp.write_text(" ".join(str(x) for x in signature(path) or ()), encoding="ascii")
        os.replace(tmp, mark)
    except OSError:  # only a shortcut for the next write: without it the file is read through
        tmp.unlink(missing_ok=True)


def _marked_written(path: Path) -> tuple[int, ...] | None:
    try:
        return tuple(int(x) for x in written_mark(path).read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return None


def _require_healthy(path: Path) -> None:
    """Refuse to write on top of a missing or damaged file (a copy would carry the damage into
    the next version, and the damaged file into the kept versions)."""
    from . import health

    if not path.exists():
        raise DatabaseMissing(f"no database at {path}: run `python -m analytics build`")
    now = signature(path)
    if _written.get(str(path.resolve())) == now:
        return  # the very file this process wrote, flushed and swapped in: not read again
    if now is not None and _marked_written(path) == now:
        return  # the very file a write of another process swapped in, untouched since
    found = health.verify(path, current=False)
    if not found.ok:
        raise DatabaseDamaged(path, found.problem or "unreadable")


@contextlib.contextmanager
def _connected(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


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
        free, needed = shutil.disk_usage(path.parent).free, chosen.stat().st_size + SPACE_MARGIN
        if free < needed:
            raise NotEnoughSpace(path, free, needed)
        try:
            shutil.copyfile(chosen, nxt)
            with open(nxt, "rb") as fh:
                os.fsync(fh.fileno())
        except BaseException as e:
            _remove_partial(nxt)
            raise _as_no_space(e, path) from None
        if path.exists():
            aside = versions_dir(path) / f"{chosen.stem}.rolled-back"
            aside.unlink(missing_ok=True)
            os.link(path, aside)
        os.replace(nxt, path)
        chosen.unlink()
        return chosen


def table_checksums(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = TABLES
) -> dict[str, str]:
    """A content checksum per table (order-independent), to prove that nothing changed."""
    out = {}
    for table in tables:
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
