"""The command line: every command, exit status 0 only on success."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import duckdb

from analytics import exports, storage
from analytics.cli import main
from tests.conftest import ROOT, SHIPPED_CITIES, SHIPPED_INDICATORS


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_build_info_export_in_a_real_process(tmp_path):
    db = tmp_path / "cli.duckdb"
    r = run("build", "--db", str(db))
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["rows"]["cities"] == SHIPPED_CITIES  # 150 with the official 100 of TI
    assert summary["rows"]["indicators"] == SHIPPED_INDICATORS  # 91 + 17, no demo
    assert "Loading cities" in r.stderr  # progress
    r = run("info", "--db", str(db))
    assert r.returncode == 0 and "tc-transparency" in r.stdout
    r = run("export", "--db", str(db), "--table", "cities", "--out", str(tmp_path / "c.csv"))
    assert r.returncode == 0
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8")))
    assert len(rows) == SHIPPED_CITIES and {"code", "name_uk", "lat"} <= set(rows[0])


def test_build_demo_at_scale(tmp_path):
    db = tmp_path / "scale.duckdb"
    assert (
        main(["build", "--db", str(db), "--cities", "30", "--years", "3", "--indicators", "15"])
        == 0
    )
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM cities WHERE synthetic").fetchall() == [(30,)]


def test_import_success_and_refusal(db, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(
        "programme,year,city,level,code,score\ntc-transparency,2021,Konotop,area,info,4.3\n",
        encoding="utf-8",
    )
    assert main(["import", "--db", str(db), str(good)]) == 0
    assert "imported 1 rows" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "programme,year,city,level,code,score\ntc-transparency,2021,Konotopp,area,info,4.3\n",
        encoding="utf-8",
    )
    before = storage.file_sha256(db)
    assert main(["import", "--db", str(db), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'city'" in err and "closest known: Konotop" in err
    assert storage.file_sha256(db) == before


def test_export_parquet_and_errors(db, tmp_path, capsys):
    out = tmp_path / "scores.parquet"
    assert main(["export", "--db", str(db), "--table", "current_scores", "--out", str(out)]) == 0
    n = duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall()[0][0]
    assert n > 100_000
    assert main(["export", "--db", str(db), "--table", "nope", "--out", str(out)]) == 2
    assert main(["export", "--db", str(db), "--table", "cities", "--out", "x.txt"]) == 2
    assert main(["info", "--db", str(tmp_path / "none.duckdb")]) == 3  # a missing file
    assert "analytics build" in capsys.readouterr().err


def test_every_table_is_exportable(db, tmp_path):
    for table in storage.TABLES:
        assert (
            main(
                [
                    "export",
                    "--db",
                    str(db),
                    "--table",
                    table,
                    "--out",
                    str(tmp_path / f"{table}.csv"),
                ]
            )
            == 0
        )


def test_import_projects(db, tmp_path, capsys):
    f = tmp_path / "p.yaml"
    f.write_text(
        """projects:
  - code: new-project
    title_en: A new project
    start: 2025-01-01
    end: 2026-12-31
    eu_contribution_eur: 100000
    countries: [UA, MD]
    cities: [{city: ua-lviv, year_from: 2025, year_to: 2026}]
    targets: [{indicator_en: Cities, target: 10}]
""",
        encoding="utf-8",
    )
    assert main(["import-projects", "--db", str(db), str(f)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(
        "SELECT status, countries FROM project_overview WHERE code = 'new-project'"
    ).fetchall() == [("ongoing", ["UA", "MD"])]
    con.close()
    f.write_text("projects:\n  - code: x\n    start: soon\n    countries: [XX]\n")
    before = storage.file_sha256(db)
    assert main(["import-projects", "--db", str(db), str(f)]) == 1
    err = capsys.readouterr().err
    assert "title_en" in err and "unknown country 'XX'" in err and "must be a date" in err
    assert storage.file_sha256(db) == before


def test_city_search_matches_any_name(ro):
    from analytics import catalog

    assert list(catalog.cities(ro, search="львов")["code"]) == ["ua-lviv"]
    assert list(catalog.cities(ro, search="Chervonohrad")["code"]) == ["ua-sheptytskyi"]
    assert catalog.cities(ro, search="100%_").empty
    assert len(catalog.cities(ro, search="")) == SHIPPED_CITIES


def test_export_indices(db, tmp_path):
    out = tmp_path / "indices.csv"
    assert main(["export", "--db", str(db), "--table", "indices", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "synthetic",
        "city",
        "city_name",
        "country",
        "programme",
        "year",
        "methodology",
        "total",
        "source",
        "published_total",
        "computed_total",
        "computed_from",
        "rank",
        "rank_source",
        "rank_of",
        "published_rank",
        "class",
        "class_source",
        "coverage",
        "change_points",
        "prev_year",
        *exports.ABOUT_COLUMNS,
    ]
    # published and computed totals side by side: Drohobych 2018, 85.5 on TI's site, 85.2 by
    # the workbook's 91 indicator scores
    drohobych = next(
        r
        for r in rows
        if (r["city"], r["year"], r["programme"]) == ("ua-drohobych", "2018", "tc-transparency")
    )
    assert (drohobych["published_total"], drohobych["computed_total"]) == ("85.5", "85.2")
    assert (drohobych["total"], drohobych["source"], drohobych["rank"]) == (
        "85.5",
        "published",
        "1",
    )
    mariupol = [
        r
        for r in rows
        if r["city"] == "ua-mariupol"
        and r["year"] == "2021"
        and r["programme"] == "tc-transparency"
    ]
    assert mariupol[0]["total"] == "91.0" and mariupol[0]["rank"] == "1"
    assert mariupol[0]["class"] == "transparent" and mariupol[0]["source"] == "published"
    demo = [r for r in rows if r["programme"] == "demo-index"]
    assert len(demo) > 1000 and all(r["source"] == "computed" for r in demo if r["total"])
    # Every row says what it is: synthetic rows as such, published rows with their page.
    assert {r["synthetic"] for r in demo} == {"true"}
    assert {r["about_value_source"] for r in demo} == {"synthetic"}
    assert mariupol[0]["synthetic"] == "false" and mariupol[0]["about_year"] == "2021"
    assert mariupol[0]["about_source_url"].startswith("https://")
    assert mariupol[0]["about_methodology"] == "tc-transparency-2019"


def test_export_parquet_carries_the_label(db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "scores.parquet"
    assert main(["export", "--db", str(db), "--table", "scores", "--out", str(out)]) == 0
    meta = pq.read_metadata(out).metadata
    assert meta[b"ocm:synthetic"] == b"true"  # the demo's scores are in this table
    assert json.loads(meta[b"ocm:about"])["what"] == "scores"
    table = pq.read_table(out, columns=["synthetic", "about_programme"]).to_pandas()
    assert set(table.loc[table["synthetic"], "about_programme"]) == {"demo-index"}
