"""Imports that are killed, and imports while others read: the database is always whole."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from analytics import storage
from tests.conftest import ROOT

MARK = "crash-safety-test"


def _write_csv(db, path, rows: int) -> int:
    """Indicator scores of the demo for distinct city-years, each marked in its comment."""
    con = storage.connect_read_only(db)
    keys = con.execute(f"""SELECT c.name_en, s.year, s.item FROM current_scores s
                           JOIN cities c ON c.code = s.city
                           WHERE s.methodology LIKE 'demo-%' AND s.status = 'scored'
                           ORDER BY s.city, s.year, s.item LIMIT {rows}""").fetchall()
    con.close()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("programme,year,city,level,code,score,comment\n")
        for city, year, item in keys:
            fh.write(f"demo-index,{year},{city},indicator,{item},0,{MARK}\n")
    return len(keys)


def _marked(db) -> int:
    con = storage.connect_read_only(db)
    try:
        return con.execute(
            "SELECT count(*) FROM current_scores WHERE comment = ?", [MARK]
        ).fetchall()[0][0]
    finally:
        con.close()


def _import_process(db, csv):
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", "import", str(csv), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_at_20_moments_leaves_all_or_nothing(db, tmp_path):
    csv = tmp_path / "scores.csv"
    n = _write_csv(db, csv, 60_000)
    pristine = tmp_path / "pristine.duckdb"
    shutil.copyfile(db, pristine)
    # How long does a whole import take here (warm)?
    durations = []
    for _ in range(2):
        shutil.copyfile(pristine, db)
        t0 = time.perf_counter()
        assert _import_process(db, csv).wait(120) == 0
        durations.append(time.perf_counter() - t0)
    duration = min(durations)
    assert _marked(db) == n
    outcomes = {"none": 0, "all": 0}
    for i in range(20):
        shutil.copyfile(pristine, db)
        before = storage.file_sha256(db)
        proc = _import_process(db, csv)
        time.sleep(duration * 0.9 * (i + 0.5) / 20)  # from start-up to the swap
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        marked = _marked(db)  # opens: the file is never half-written
        assert marked in (0, n), f"kill {i}: {marked} of {n} rows"
        if marked == 0:
            assert storage.file_sha256(db) == before
        outcomes["all" if marked else "none"] += 1
    assert outcomes["none"] >= 8, outcomes  # most kills landed before the swap
    # The next import cleans what killed ones left behind, and succeeds.
    shutil.copyfile(pristine, db)
    assert _import_process(db, csv).wait(120) == 0
    assert _marked(db) == n
    assert [p for p in db.parent.iterdir() if ".next-" in p.name] == []


def _reader(db: str, stop, errors, reads) -> None:
    while not stop.is_set():
        try:
            con = storage.connect_read_only(db)
            con.execute("SELECT count(*), sum(total) FROM indices").fetchall()
            con.execute("SELECT count(*) FROM current_scores WHERE city = 'ua-lviv'").fetchall()
            con.close()
            reads.value += 1
        except Exception as e:
            errors.append(f"{type(e).__name__}: {e}")


def test_readers_see_no_errors_while_imports_run(db, tmp_path):
    csv = tmp_path / "scores.csv"
    _write_csv(db, csv, 20_000)
    csv2 = tmp_path / "scores2.csv"
    csv2.write_text(csv.read_text().replace(",0,crash", ",0.5,crash"))
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        stop, errors, reads = manager.Event(), manager.list(), manager.Value("i", 0)
        reader = ctx.Process(target=_reader, args=(str(db), stop, errors, reads))
        reader.start()
        try:
            for f in (csv, csv2, csv, csv2):
                assert _import_process(db, f).wait(120) == 0
        finally:
            stop.set()
            reader.join(30)
        assert list(errors) == []
        assert reads.value > 10


@pytest.mark.parametrize("files", [2])
def test_imports_are_serialised(db, tmp_path, files):
    """Two imports started together both succeed, one after the other."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    _write_csv(db, a, 5_000)
    b.write_text(a.read_text().replace(",0,crash", ",0.5,crash"))
    procs = [_import_process(db, a), _import_process(db, b)]
    assert [p.wait(120) for p in procs] == [0, 0]
    con = duckdb.connect(str(db), read_only=True)
    batches = con.execute(  # the batches after the build (the demo is its last)
        "SELECT count(*) FROM import_batches WHERE id > "
        "(SELECT id FROM import_batches WHERE file_name LIKE 'synthetic:%')"
    ).fetchall()[0][0]
    assert batches == 2
    assert os.path.exists(db)
