"""A damaged database file never takes the dashboard down (issue 13): the pages render from
the newest good kept version (or the shipped reference data, rebuilt), with a calm notice for
viewers and the details for admins; anything unexpected is our own message, not Streamlit's."""

from __future__ import annotations

import os
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from analytics import health, importer, storage
from tests.conftest import ROOT
from tests.pages.conftest import texts
from tests.pages.test_work_pages import AUTH

GOOD = b"programme,year,city,level,code,score\ntc-transparency,2021,Konotop,area,info,4.3\n"


def truncate(path, fraction=0.5):
    with open(path, "r+b") as fh:
        fh.truncate(int(path.stat().st_size * fraction))


def run(page: str = "overview", secrets: dict | None = None, user: dict | None = None, **query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    at.switch_page(f"pages/{page}.py")
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture()
def damaged(db, monkeypatch):
    """A database whose live file was truncated after one import: the built file is kept."""
    importer.import_bytes(db, GOOD, "konotop.csv")
    (kept,) = storage.versions(db)
    truncate(db)
    monkeypatch.setenv("OCM_DB", str(db))
    return {"db": db, "kept": kept, "sha": storage.file_sha256(db)}


@pytest.mark.parametrize(
    "page, query, shown",
    [
        ("overview", {}, "Overview"),
        ("rankings", {}, "Rankings"),
        ("city", {"city": "ua-lviv"}, "Lviv"),
        ("trends", {}, "Trends"),
    ],
)
def test_pages_render_from_the_last_good_version_with_a_calm_notice(damaged, page, query, shown):
    at = run(page, **query)
    assert shown in at.title[0].value
    notice = [i.value for i in at.info if "Showing data as of" in i.value]
    kept_at = storage.version_list(damaged["db"])[0]["replaced_at_utc"][:16]
    assert notice == [f"Showing data as of {kept_at} UTC."]
    assert "cannot be read" not in texts(at)  # the details are for admins
    assert storage.file_sha256(damaged["db"]) == damaged["sha"]  # left for inspection


def test_the_data_shown_is_the_kept_version(damaged):
    from pages import common

    run("overview")
    use = common._served[str(damaged["db"])][1]
    assert use.path == damaged["kept"] and "cut short" in (use.problem or "")


def test_admins_see_what_is_wrong_and_what_to_do(damaged):
    at = run("overview", AUTH, {"is_logged_in": True, "email": "a@example.org"})
    (notice,) = [e.value for e in at.error if "cannot be read" in e.value]
    assert str(damaged["db"]) in notice and "the file is cut short" in notice
    assert damaged["kept"].name in notice and "python -m analytics rollback" in notice


def test_the_notice_is_translated(damaged):
    at = run("overview", AUTH, {"is_logged_in": True, "email": "a@example.org"}, lang="uk")
    (notice,) = [e.value for e in at.error if "неможливо прочитати" in e.value]
    assert "файл обірвано" in notice
    at = run("overview", lang="ru")
    assert any("Показаны данные по состоянию на" in i.value for i in at.info)


def test_without_a_good_version_the_reference_data_is_rebuilt(db, monkeypatch):
    truncate(db)
    before = storage.file_sha256(db)
    monkeypatch.setenv("OCM_DB", str(db))
    at = run("rankings")
    assert "Showing the shipped reference data." in [i.value for i in at.info]
    assert health.verify(health.rescue_path(db)).ok
    assert storage.file_sha256(db) == before
    assert at.dataframe  # the rankings of the reference data


def test_a_repaired_file_is_served_again_at_once(damaged):
    run("overview")
    shutil.copyfile(damaged["kept"], damaged["db"].with_name("repaired"))
    os.replace(damaged["db"].with_name("repaired"), damaged["db"])  # as a rollback does
    at = run("overview")
    assert not [i.value for i in at.info if "Showing data as of" in i.value]


def broken(con):
    raise RuntimeError("something nobody expected")


def test_an_unexpected_error_is_our_own_message(db, monkeypatch):
    from analytics import dashboard

    monkeypatch.setenv("OCM_DB", str(db))
    monkeypatch.setenv("OCM_SHOW_ERRORS", "0")  # as in production
    monkeypatch.setattr(dashboard, "programmes", broken)
    at = run("rankings", lang="uk")
    (shown,) = [e.value for e in at.error]
    assert shown.startswith("Під час показу цієї сторінки щось пішло не так")
    assert "RuntimeError" not in shown and "http" not in shown
    monkeypatch.setenv("OCM_SHOW_ERRORS", "1")  # as in development and the other tests
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/rankings.py")
    at.run()
    assert at.exception and not at.error  # Streamlit's own box: a test sees the failure
