"""Shipped score files are imported by the build through the coordinators' import."""

import shutil

import pytest

from analytics import build, importer, reference, storage
from analytics.paths import REFERENCE_DIR

HEADER = "programme,year,city,country,level,code,score,status,evidence_url,comment,source\n"


def _reference_with(tmp_path, monkeypatch, text: str):
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref, ignore=shutil.ignore_patterns("scores"))
    (ref / "scores").mkdir()
    (ref / "scores" / "test-2021.csv").write_text(HEADER + text, encoding="utf-8")
    monkeypatch.setattr(reference, "REFERENCE_DIR", ref)
    return ref


def test_score_files_are_imported_each_as_a_batch(tmp_path, monkeypatch):
    ref = _reference_with(
        tmp_path, monkeypatch, "tc-transparency,2021,Konotop,UA,area,info,4.2,scored,,,TI\n"
    )
    assert [p.name for p in reference.score_files(ref)] == ["test-2021.csv"]
    db = tmp_path / "t.duckdb"
    build.build_database(db, demo=True)
    con = storage.connect_read_only(db)
    batch = con.execute(
        "SELECT id, file_name, rows, imported_by FROM import_batches WHERE file_name = 'test-2021.csv'"
    ).fetchall()
    assert batch == [(2, "test-2021.csv", 1, "reference build")]
    assert con.execute(
        "SELECT score, batch FROM current_scores WHERE city = 'ua-konotop' AND year = 2021 "
        "AND level = 'area' AND item = 'info' AND methodology = 'tc-transparency-2019'"
    ).fetchall() == [(4.2, 2)]
    # the demo takes the next batch number
    assert con.execute(
        "SELECT id FROM import_batches WHERE file_name LIKE 'synthetic:%'"
    ).fetchall() == [(3,)]


def test_a_refused_score_file_stops_the_build(tmp_path, monkeypatch):
    _reference_with(tmp_path, monkeypatch, "tc-transparency,2021,Nowhere,UA,area,info,4.2,,,,\n")
    db = tmp_path / "t.duckdb"
    with pytest.raises(importer.ImportRefused) as refused:
        build.build_database(db, demo=False)
    assert "unknown city" in refused.value.report.problems[0].message
    assert not db.exists()
