"""The cooperation store on SQLite (beside the database) and on a real PostgreSQL server.

PostgreSQL: the server at ``OCM_TEST_PG_URL`` (``.ci/run`` starts one); without it, a
throw-away cluster started here when Debian's ``postgresql`` package is installed; else the
PostgreSQL variants are skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from analytics.cooperation import store as coop_store

PG_ENV = "OCM_TEST_PG_URL"


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def _start_cluster() -> tuple[str | None, str, object]:
    """A private cluster on a free port; (url, reason, stop)."""
    bindir = _pg_bin()
    if bindir is None:
        return None, "PostgreSQL is not installed (apt-get install -y postgresql)", None
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return None, "runuser is missing: cannot start PostgreSQL as root", None
        as_postgres = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="ocm-pg-"))
    if as_postgres:
        shutil.chown(folder, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = folder / "data"
    run = subprocess.run(
        [*as_postgres, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        capture_output=True,
        text=True,
    )
    if run.returncode:
        return None, f"initdb failed: {run.stderr[-300:]}", None
    run = subprocess.run(
        [
            *as_postgres,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
            "start",
        ],
        capture_output=True,
        text=True,
    )
    if run.returncode:
        return None, f"PostgreSQL did not start: {run.stderr[-300:]}", None

    def stop() -> None:
        subprocess.run(
            [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", "", stop


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server's maintenance database, or a skip with the reason."""
    url = os.environ.get(PG_ENV)
    stop = None
    if not url:
        url, reason, stop = _start_cluster()
        if url is None:
            pytest.skip(f"no PostgreSQL server: {reason}; set {PG_ENV} to run these")
    deadline = time.time() + 30
    while True:
        try:
            with create_engine(url).connect():
                break
        except Exception as e:
            if time.time() > deadline:
                pytest.skip(f"PostgreSQL at {PG_ENV} does not answer: {e}")
            time.sleep(0.5)
    yield coop_store.resolve_url(Path("."), url)
    if stop:
        stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, db):
    """A fresh, empty store: SQLite beside the test's database, or a new PostgreSQL
    database on the test server (dropped afterwards)."""
    if request.param == "sqlite":
        yield coop_store.default_url(db)
        return
    server = request.getfixturevalue("pg_server")
    name = f"ocm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    yield url
    coop_store._stores.pop(url, None)
    with admin.connect() as con:
        con.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
