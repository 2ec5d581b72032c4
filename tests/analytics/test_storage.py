"""Schema, migrations and crash-safe writes."""

from __future__ import annotations

import os

import duckdb
import pytest

from analytics import storage
from tests.conftest import SHIPPED_CITIES


def test_new_database_gets_newest_schema(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    assert storage.migrate(con) == [storage.SCHEMA_VERSION]
    assert storage.schema_version(con) == storage.SCHEMA_VERSION
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    }
    assert set(storage.TABLES) <= tables
    assert storage.migrate(con) == []  # nothing pending the second time


def test_migrations_apply_in_order_and_are_recorded(tmp_path):
    mig = tmp_path / "migrations"
    mig.mkdir()
    v = storage.SCHEMA_VERSION
    (mig / f"{v + 2:03d}_add_notes.sql").write_text("ALTER TABLE cities ADD COLUMN note2 VARCHAR;")
    (mig / f"{v + 1:03d}_add_note.sql").write_text("ALTER TABLE cities ADD COLUMN note1 VARCHAR;")
    (mig / f"{v:03d}_old.sql").write_text("SELECT broken syntax here;")  # already applied
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    storage.migrate(con)
    assert storage.migrate(con, mig) == [v + 1, v + 2]
    assert storage.schema_version(con) == v + 2
    cols = [r[0] for r in con.execute("DESCRIBE cities").fetchall()]
    assert cols[-2:] == ["note1", "note2"]
    described = con.execute("SELECT description FROM schema_migrations ORDER BY version").fetchall()
    assert [d[0] for d in described][-2:] == ["add note", "add notes"]


def test_failed_migration_rolls_back(tmp_path):
    mig = tmp_path / "migrations"
    mig.mkdir()
    v = storage.SCHEMA_VERSION
    (mig / f"{v + 1:03d}_bad.sql").write_text(
        "ALTER TABLE cities ADD COLUMN x INTEGER; SELECT * FROM no_such_table;"
    )
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    storage.migrate(con)
    with pytest.raises(duckdb.Error):
        storage.migrate(con, mig)
    assert storage.schema_version(con) == v
    assert "x" not in [r[0] for r in con.execute("DESCRIBE cities").fetchall()]


def test_read_only_connection_cannot_write_or_read_files(built_db):
    con = storage.connect_read_only(built_db)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM cities")
    with pytest.raises(duckdb.Error):
        con.execute("SELECT * FROM read_csv('/etc/hostname')")
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.Error):
        con.execute(f"ATTACH '{built_db.with_name('other.duckdb')}' AS other")
    with pytest.raises(duckdb.Error):
        con.execute("DETACH data")  # cannot leave the database file either…
    with pytest.raises(duckdb.Error):
        con.execute("COPY cities TO '/tmp/ocm-leak.csv'")
    # …and a cursor (one per dashboard query) is as locked down once it uses the file.
    cur = storage.cursor(con)
    assert cur.execute("SELECT count(*) FROM cities").fetchall()[0][0] == SHIPPED_CITIES
    with pytest.raises(duckdb.Error):
        cur.execute("SELECT * FROM read_csv('/etc/hostname')")
    with pytest.raises(duckdb.Error):
        cur.execute("INSERT INTO cities (code) VALUES ('x')")


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(storage.DatabaseMissing, match="analytics build"):
        storage.connect_read_only(tmp_path / "none.duckdb")


def test_failed_write_leaves_file_untouched_and_no_leftovers(db):
    before = storage.file_sha256(db)
    with pytest.raises(RuntimeError), storage.writing(db) as con:
        con.execute("DELETE FROM cities")
        raise RuntimeError("boom")
    assert storage.file_sha256(db) == before
    assert [p.name for p in db.parent.iterdir() if ".next-" in p.name] == []


def test_successful_write_swaps_in_a_new_file(db):
    old = storage.signature(db)
    reader = storage.connect_read_only(db)  # an open reader keeps working across the swap
    with storage.writing(db) as con:
        con.execute("DELETE FROM project_targets")
    assert storage.signature(db) != old
    assert reader.execute("SELECT count(*) FROM project_targets").fetchall()[0][0] == 7
    reader.close()
    con = storage.connect_read_only(db)
    assert con.execute("SELECT count(*) FROM project_targets").fetchall()[0][0] == 0


def test_leftover_of_a_killed_write_is_cleaned_by_the_next(db):
    leftover = db.with_name(f".{db.name}.next-999999")
    leftover.write_bytes(b"half a database")
    with storage.writing(db) as con:
        con.execute("SELECT 1").fetchall()
    assert not leftover.exists()


def test_checksums_see_any_change(db):
    con = duckdb.connect(str(db))
    before = storage.table_checksums(con)
    con.execute("UPDATE cities SET population = population + 1 WHERE code = 'ua-lviv'")
    after = storage.table_checksums(con)
    assert {k for k in before if before[k] != after[k]} == {"cities"}


def test_database_path_from_environment(monkeypatch, tmp_path):
    from analytics.paths import DEFAULT_DB, db_path

    monkeypatch.delenv("OCM_DB", raising=False)
    assert db_path() == DEFAULT_DB
    monkeypatch.setenv("OCM_DB", str(tmp_path / "other.duckdb"))
    assert db_path() == tmp_path / "other.duckdb"
    assert os.fspath(db_path()).endswith("other.duckdb")


def test_writes_keep_versions_and_rollback_restores_them(db, monkeypatch):
    monkeypatch.setattr(storage, "KEEP_VERSIONS", 2)
    original = storage.file_sha256(db)
    sums = []
    for n in range(3):
        with storage.writing(db) as con:
            con.execute("DELETE FROM project_targets WHERE position = ?", [n + 1])
        sums.append(storage.file_sha256(db))
    kept = storage.versions(db)
    assert len(kept) == 2  # the oldest was pruned
    reader = storage.connect_read_only(db)  # an open reader is not disturbed
    storage.rollback(db)
    assert storage.file_sha256(db) == sums[1]
    storage.rollback(db)
    assert storage.file_sha256(db) == sums[0]
    with pytest.raises(FileNotFoundError):
        storage.rollback(db)
    assert reader.execute("SELECT count(*) FROM project_targets").fetchall() == [(4,)]
    assert original != sums[0]


def test_rollback_command(db, capsys):
    from analytics.cli import main

    assert main(["rollback", "--db", str(db)]) == 3  # nothing kept: a missing file
    with storage.writing(db) as con:
        con.execute("DELETE FROM project_cities")
    assert main(["rollback", "--db", str(db), "--list"]) == 0
    assert main(["rollback", "--db", str(db)]) == 0
    con = storage.connect_read_only(db)
    assert con.execute("SELECT count(*) FROM project_cities").fetchall()[0][0] > 0
