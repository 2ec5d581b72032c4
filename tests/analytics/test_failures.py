"""Runs unattended (issue 13): a damaged database, a full disk, a held lock, a read-only folder
— each is one line and its own documented exit status, the live file stays as it was, and no
partial file is left behind."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import cli, health, importer, storage
from tests.conftest import ROOT

GOOD = "programme,year,city,level,code,score\ntc-transparency,2021,Konotop,area,info,4.3\n"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def one_line(r: subprocess.CompletedProcess) -> str:
    """The failure's message: exactly one line on stderr, and no traceback anywhere."""
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def truncate(path: Path, fraction: float = 0.5) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(int(path.stat().st_size * fraction))


@contextlib.contextmanager
def tmpfs(where: Path, megabytes: int):
    """A small file system of its own (a full disk without filling the machine's)."""
    where.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {r.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free
    with open(folder / "filler", "wb") as fh:
        fh.truncate(0)
        fh.write(b"\0" * max(0, free - leave))
    assert abs(shutil.disk_usage(folder).free - leave) < 1 << 20


# ------------------------------------------------------------------------------ the README


def test_every_exit_status_is_documented_in_the_readme():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("Exit statuses") :]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \| \S", section, flags=re.M)}
    assert documented == set(cli.EXIT)
    assert len(set(cli.EXIT)) == len(cli.EXIT.values())  # distinct statuses


# ------------------------------------------------------------------------------ damaged


def test_damaged_database_every_command_one_line_exit_4(db, tmp_path):
    truncate(db)
    before = storage.file_sha256(db)
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    for args in (
        ["info"],
        ["import", str(good)],
        ["export", "--table", "cities", "--out", str(tmp_path / "c.csv")],
        ["scorecard", "ua-lviv", "2021", "--out", str(tmp_path / "s.pdf")],
        ["check"],
    ):
        r = run(*args, "--db", str(db))
        assert r.returncode == 4, (args, r.stderr)
        line = one_line(r)
        assert str(db) in line and "cut short" in line, line
        if args[0] != "check":
            assert "python -m analytics rollback" in line
    assert storage.file_sha256(db) == before  # nothing wrote on it…
    assert [p.name for p in db.parent.iterdir() if ".next-" in p.name] == []  # …or beside it
    assert not (tmp_path / "c.csv").exists()


def test_import_on_a_damaged_file_is_logged_and_changes_nothing(db):
    truncate(db, 0.9)
    before = storage.file_sha256(db)
    with pytest.raises(storage.DatabaseDamaged):
        importer.import_bytes(db, GOOD.encode(), "good.csv")
    assert storage.file_sha256(db) == before
    entry = importer.read_log(db)[0]
    assert entry["outcome"] == "refused" and "damaged" in entry["first_problems"][0]
    assert storage.versions(db) == []  # the damaged file was not kept as a "good" version


def test_check_on_a_good_database(built_db):
    r = run("check", "--db", str(built_db))
    assert r.returncode == 0, r.stderr
    assert "OK — schema version" in r.stdout and "results agree with a recompute" in r.stdout


def test_check_finds_results_that_disagree_with_the_scores(db):
    import duckdb

    con = duckdb.connect(str(db))  # one stored total changed behind the results' back
    con.execute(
        "UPDATE indices SET total = total + 1 "
        "WHERE rowid = (SELECT min(rowid) FROM indices WHERE total IS NOT NULL)"
    )
    con.close()
    found = health.verify(db, deep=True)
    assert not found.ok and "indices" in (found.problem or "")
    assert health.verify(db).ok  # the quick check reads, it does not recompute
    r = run("check", "--db", str(db))
    assert r.returncode == 4 and "differ from a recompute: indices" in one_line(r)


def test_garbage_and_empty_files_are_damaged(tmp_path):
    for content in (b"", b"not a database" * 100):
        path = tmp_path / "x.duckdb"
        path.write_bytes(content)
        found = health.verify(path)
        assert not found.ok, content
        assert cli.main(["info", "--db", str(path)]) == 4


def test_usable_picks_the_newest_good_version(db):
    importer.import_bytes(db, GOOD.encode(), "a.csv")  # keeps the built file as a version
    importer.import_bytes(db, GOOD.replace("4.3", "4.4").encode(), "b.csv")  # keeps a's
    newest, older = storage.versions(db)
    truncate(db)
    truncate(newest)
    chosen = health.usable(db)
    assert chosen.path == older and chosen.version == older.name
    assert "cut short" in (chosen.problem or "")
    truncate(older)
    assert health.usable(db).path is None


# ------------------------------------------------------------------------------ space


def test_import_onto_a_nearly_full_filesystem_refuses(built_db, tmp_path):
    with tmpfs(tmp_path / "small", 48) as small:
        db = small / "transparency.duckdb"
        shutil.copyfile(built_db, db)
        size = db.stat().st_size
        fill(small, size)  # room for a copy, not for the margin beside it
        before = storage.file_sha256(db)
        good = tmp_path / "good.csv"
        good.write_text(GOOD, encoding="utf-8")
        r = run("import", str(good), "--db", str(db))
        assert r.returncode == 5, r.stderr
        line = one_line(r)
        assert "not enough free space beside" in line and "nothing was changed" in line
        assert storage.file_sha256(db) == before
        assert [p.name for p in small.iterdir() if ".next-" in p.name] == []
        entry = importer.read_log(db)[0]
        assert entry["outcome"] == "refused" and "free space" in entry["first_problems"][0]


def test_a_write_that_runs_out_of_space_removes_its_partial_file_at_once(
    built_db, tmp_path, monkeypatch
):
    """The space runs out during the write (another program took it after the check): the
    copy fits, the write itself fills the disk half-way."""
    monkeypatch.setattr(storage, "check_space", lambda path: None)
    with tmpfs(tmp_path / "small", 48) as small:
        db = small / "transparency.duckdb"
        shutil.copyfile(built_db, db)
        fill(small, db.stat().st_size + 200_000)
        before = storage.file_sha256(db)
        con = storage.connect_read_only(db)
        keys = con.execute("""SELECT s.city, s.year, s.item FROM current_scores s
                              WHERE s.methodology LIKE 'demo-%' AND s.status = 'scored'
                              ORDER BY s.city, s.year, s.item LIMIT 20000""").fetchall()
        con.close()
        rows = "".join(
            f"demo-index,{year},{city},indicator,{item},0\n" for city, year, item in keys
        )
        data = ("programme,year,city,level,code,score\n" + rows).encode()
        with pytest.raises(storage.NotEnoughSpace) as refused:
            importer.import_bytes(db, data, "big.csv")
        assert refused.value.__cause__ is not None  # DuckDB's or the copy's own failure
        assert storage.file_sha256(db) == before
        assert [p.name for p in small.iterdir() if ".next-" in p.name] == []
        assert shutil.disk_usage(small).free > db.stat().st_size  # the space is given back


def test_a_build_onto_a_full_filesystem_refuses(tmp_path):
    with tmpfs(tmp_path / "small", 16) as small:
        r = run("build", "--db", str(small / "new.duckdb"))
        assert r.returncode == 5, r.stderr
        assert "not enough free space" in one_line(r)
        assert list(small.iterdir()) in ([], [small / "new.duckdb.lock"])


# ------------------------------------------------------------------------------ the rest


def test_read_only_folder_is_permission_denied(built_db, tmp_path):
    with tmpfs(tmp_path / "ro", 48) as folder:
        db = folder / "transparency.duckdb"
        shutil.copyfile(built_db, db)
        (folder / "transparency.duckdb.lock").touch()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        good = tmp_path / "good.csv"
        good.write_text(GOOD, encoding="utf-8")
        r = run("import", str(good), "--db", str(db))
        assert r.returncode == 6, r.stderr
        assert "permission denied" in one_line(r)
        r = run("info", "--db", str(db))  # reading still works
        assert r.returncode == 0, r.stderr


def test_unreadable_input_file_is_permission_denied(db, tmp_path, monkeypatch, capsys):
    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert cli.main(["import", str(tmp_path / "x.csv"), "--db", str(db)]) == 6
    assert "x.csv: permission denied" in capsys.readouterr().err


def test_another_write_holding_the_lock(db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    with storage.write_lock(db):
        r = run("import", str(good), "--db", str(db), env={"OCM_LOCK_WAIT_S": "0.5"})
    assert r.returncode == 7, r.stderr
    assert "another import, build or rollback is writing" in one_line(r)
    assert json.loads(log_line(db))["outcome"] == "refused"


def log_line(db: Path) -> str:
    return importer.log_path(db).read_text(encoding="utf-8").splitlines()[-1]


def test_missing_files_and_wrong_arguments(tmp_path):
    assert run("info", "--db", str(tmp_path / "none.duckdb")).returncode == 3
    r = run("import", str(tmp_path / "none.csv"), "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 3 and "none.csv: no such file or folder" in one_line(r)
    r = run("info", "--db", str(tmp_path))  # a folder given as the database
    assert r.returncode == 3 and "is a folder, not a file" in one_line(r)
    for args in (["nope"], ["info", "--bogus"], ["scorecard", "ua-lviv", "soon", "--out", "x"]):
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "see --help" in one_line(r)


def test_export_into_a_missing_folder(built_db, tmp_path):
    r = run(
        "export",
        "--table",
        "cities",
        "--out",
        str(tmp_path / "no" / "c.csv"),
        "--db",
        str(built_db),
    )
    assert r.returncode == 3 and "c.csv: no such file or folder" in one_line(r)


def test_an_unexpected_error_is_one_line_with_status_70(db, monkeypatch, capsys):
    def broken(path):
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setattr(cli.catalog, "database_info", broken)
    assert cli.main(["info", "--db", str(db)]) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unexpected RuntimeError" in err[0] and "OCM_DEBUG" in err[0]


def test_health_endpoint_fails_when_the_database_is_unreadable(db):
    import threading
    import urllib.error
    import urllib.request

    server = health.health_server(db, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/health"
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            assert r.status == 200 and b"OK" in r.read()
        truncate(db)  # the signature changes: checked again
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(url, timeout=30)
        assert failed.value.code == 503 and b"cut short" in failed.value.read()
        db.unlink()
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(url, timeout=30)
        assert failed.value.code == 503
    finally:
        server.shutdown()
        server.server_close()
