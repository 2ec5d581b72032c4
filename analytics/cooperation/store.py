"""The cooperation store: proposals, feedback, decisions and the action log.

These are many small writes from several dashboard processes at once, unlike the analytic
DuckDB file that imports replace whole by copy-and-swap. So they live apart from it, in a
transactional database reached through one code path (SQLAlchemy Core):

* **SQLite** in WAL mode beside the DuckDB file (``transparency.cooperation.sqlite``): the
  embedded default. Every write transaction starts with ``BEGIN IMMEDIATE``, so writers from
  several processes queue on the lock (``busy_timeout``) instead of failing half-way.
* **PostgreSQL** by a connection URL (``postgresql+psycopg://user:pw@host/db``), for a
  deployment over several servers: the environment variable ``OCM_COOP_URL`` or
  ``[cooperation] url`` in ``secrets.toml``.

Schema changes are versioned migrations (``MIGRATIONS``), applied in order, each in the
transaction that records it in ``coop_schema_migrations`` — as for the analytic file.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

ENV_URL = "OCM_COOP_URL"
SQLITE_SUFFIX = ".cooperation.sqlite"
BUSY_TIMEOUT_MS = 30_000

metadata = MetaData()

migrations_table = Table(
    "coop_schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

# Work in progress, one row per person and indicator; saved as it is written.
drafts = Table(
    "coop_drafts",
    metadata,
    Column("author", String(320), nullable=False),
    Column("role", String(16), nullable=False),
    Column("city", String(64), nullable=False),
    Column("programme", String(64), nullable=False),
    Column("methodology", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("indicator", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # proposal | reply | feedback
    Column("score", Float),
    Column("stance", String(16)),  # agree | disagree (feedback)
    Column("url", String(2000)),
    Column("comment", Text),
    Column("updated_at", DateTime, nullable=False),
    PrimaryKeyConstraint("author", "city", "methodology", "year", "indicator"),
)

# A set of entries submitted at once; ``token`` makes a repeated submission a no-op.
submissions = Table(
    "coop_submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(80), nullable=False, unique=True),
    Column("author", String(320), nullable=False),
    Column("role", String(16), nullable=False),
    Column("city", String(64), nullable=False),
    Column("programme", String(64), nullable=False),
    Column("methodology", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("entries", Integer, nullable=False),
    Column("submitted_at", DateTime, nullable=False),
)

entries = Table(
    "coop_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission", Integer, ForeignKey("coop_submissions.id"), nullable=False),
    Column("author", String(320), nullable=False),
    Column("role", String(16), nullable=False),
    Column("city", String(64), nullable=False),
    Column("programme", String(64), nullable=False),
    Column("methodology", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("indicator", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("score", Float),
    Column("stance", String(16)),
    Column("url", String(2000)),
    Column("comment", Text),
    Column("assessed_score", Float),  # the score in force when it was submitted
    Column("assessed_status", String(32)),
    Column("assessed_source", Text),
    Column("submitted_at", DateTime, nullable=False),
    UniqueConstraint("submission", "indicator"),
)

# One application of a coordinator's decisions: ``pending`` until its accepted corrections
# are in the analytic file (import batch ``batch``, file ``file_name``), then ``applied``.
reviews = Table(
    "coop_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reviewer", String(320), nullable=False),
    Column("state", String(16), nullable=False),
    Column("file_name", String(200)),
    Column("batch", Integer),
    Column("started_at", DateTime, nullable=False),
    Column("applied_at", DateTime),
)

decisions = Table(
    "coop_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry", Integer, ForeignKey("coop_entries.id"), nullable=False, unique=True),
    Column("review", Integer, ForeignKey("coop_reviews.id"), nullable=False),
    Column("decision", String(16), nullable=False),  # accepted | rejected
    Column("reason", Text, nullable=False),
    Column("decided_by", String(320), nullable=False),
    Column("decided_at", DateTime, nullable=False),
)

# Every action: who, when, what.
actions = Table(
    "coop_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("who", String(320), nullable=False),
    Column("role", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("city", String(64)),
    Column("detail", Text),
)

# One row per person who submits: locked while a submission is written (the rate limit).
people = Table(
    "coop_people",
    metadata,
    Column("email", String(320), primary_key=True),
    Column("first_seen", DateTime, nullable=False),
)

VERSION_1 = [drafts, submissions, entries, reviews, decisions, actions, people]


def _m001(con: Connection) -> None:
    metadata.create_all(con, tables=VERSION_1)


#: (version, description, migration); never change one that has shipped, add the next.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "drafts, submissions, entries, reviews, decisions, actions, people", _m001),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def now() -> dt.datetime:
    """The time stored with every row: UTC, to the microsecond, without a zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def default_url(db: Path) -> str:
    """The embedded store beside the DuckDB file ``db``."""
    db = Path(db).resolve()
    return f"sqlite:///{db.with_name(db.stem + SQLITE_SUFFIX)}"


def resolve_url(db: Path, configured: str | None = None) -> str:
    """The store's URL: ``OCM_COOP_URL``, else ``configured`` (secrets), else SQLite beside
    ``db``. A bare ``postgresql://`` URL is given the psycopg driver."""
    url = os.environ.get(ENV_URL) or configured or default_url(db)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, else ``None``."""
    return Path(url.split(":///", 1)[1]) if url.startswith("sqlite:///") else None


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_con: Any, _record: Any) -> None:
        dbapi_con.isolation_level = None  # we issue BEGIN ourselves (below)
        cur = dbapi_con.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # Writers take the lock up front: no deadlock when two upgrade from reading.
        mode = "" if conn.get_execution_options().get("ocm_read") else " IMMEDIATE"
        conn.exec_driver_sql("BEGIN" + mode)

    return engine


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (SQLite file or PostgreSQL)."""
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def schema_version(con: Connection) -> int:
    if not inspect(con).has_table(migrations_table.name):
        return 0
    return int(
        con.execute(select(func.coalesce(func.max(migrations_table.c.version), 0))).scalar_one()
    )


def migrate(engine: Engine) -> list[int]:
    """Bring the store's schema up to date; the versions applied (serialised between
    processes: SQLite's write lock, PostgreSQL's advisory lock)."""
    applied = []
    with engine.begin() as con:
        if con.dialect.name == "postgresql":
            con.execute(text("SELECT pg_advisory_xact_lock(190019)"))
        metadata.create_all(con, tables=[migrations_table])
        current = schema_version(con)
        for version, description, step in MIGRATIONS:
            if version <= current:
                continue
            step(con)
            con.execute(
                migrations_table.insert().values(
                    version=version, description=description, applied_at=now()
                )
            )
            applied.append(version)
    return applied


class Store:
    """The cooperation store at ``url``: ``write()`` and ``read()`` give transactions."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        migrate(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed when the block ends, rolled back on an exception."""
        with self.engine.begin() as con:
            yield con

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (a consistent snapshot; never blocks writers on SQLite/WAL)."""
        with self.engine.connect().execution_options(ocm_read=True) as con, con.begin():
            yield con

    def dispose(self) -> None:
        self.engine.dispose()


_stores: dict[str, Store] = {}
_lock = threading.Lock()


def open_store(url: str) -> Store:
    """The process's one ``Store`` for ``url`` (engines pool connections; make one each)."""
    with _lock:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = Store(url)
        return store


def exists(url: str) -> bool:
    """Whether a store is there to read (a SQLite file not yet made counts as empty)."""
    path = sqlite_path(url)
    return path is None or path.exists()
