"""The home page, run headless with Streamlit's AppTest."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def run_app(monkeypatch, db, timeout=60):
    monkeypatch.setenv("OCM_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    return at


def test_home_lists_what_is_in_the_database(monkeypatch, built_db):
    at = run_app(monkeypatch, built_db)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Countries"] == "6" and metrics["Cities"] == "144"
    assert metrics["Programmes"] == "4" and metrics["Projects"] == "3"
    frames = [df.value for df in at.dataframe]
    programmes = frames[0]
    assert "Transparency Ranking of Ukrainian cities" in set(programmes["name_en"])
    assert "eu-for-integrity" in set(frames[1]["code"])
    assert set(frames[2]["name_en"]) == {"Armenia", "Azerbaijan", "Belarus", "Georgia",
                                         "Moldova", "Ukraine"}
    assert len(frames[3]) == 144


def test_synthetic_data_is_labelled(monkeypatch, built_db):
    at = run_app(monkeypatch, built_db)
    assert any("synthetic demo data" in w.value.lower() for w in at.warning)
    programmes = at.dataframe[0].value
    assert set(programmes.loc[programmes["synthetic"] == "synthetic", "code"]) == {"demo-index"}


def test_city_search(monkeypatch, built_db):
    at = run_app(monkeypatch, built_db)
    at.text_input[0].input("Львів").run()
    assert list(at.dataframe[3].value["code"]) == ["ua-lviv"]
    at.text_input[0].input("Atlantis").run()
    assert any("No city matches" in i.value for i in at.info)


def test_first_start_builds_the_database(monkeypatch, tmp_path):
    db = tmp_path / "first.duckdb"
    at = run_app(monkeypatch, db, timeout=120)
    assert not at.exception
    assert db.exists()
    assert {m.label: m.value for m in at.metric}["Cities"] == "144"
