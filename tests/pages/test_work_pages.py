"""The work pages (import, database versions) and who may open them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.pages.conftest import texts

AUTH = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-of-enough-length",
        "client_id": "ocm",
        "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    },
    "roles": {"coordinators": ["c@example.org"], "admins": ["a@example.org"]},
}


def run(page: str, user: dict | None, secrets: dict | None = AUTH) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def _db(monkeypatch, db):
    monkeypatch.setenv("OCM_DB", str(db))


@pytest.mark.parametrize(
    "page, user, refusal",
    [
        ("upload", {"is_logged_in": False}, "This page is for coordinators"),
        ("versions", {"is_logged_in": False}, "This page is for coordinators"),
        (
            "upload",
            {"is_logged_in": True, "email": "v@example.org"},
            "Your account (v@example.org) has no rights",
        ),
        (
            "versions",
            {"is_logged_in": True, "email": "c@example.org"},
            "Your account (c@example.org) has no rights",
        ),
        (
            "versions",
            {"is_logged_in": True, "email": "a@example.org", "email_verified": False},
            "has no rights",
        ),
    ],
)
def test_refused_by_url(page, user, refusal):
    at = run(page, user)
    assert at.title[0].value == "Not available"
    assert refusal in texts(at)
    assert len(at.get("file_uploader")) == 0 and len(at.checkbox) == 0


def test_without_auth_the_work_pages_do_not_exist():
    at = run("upload", {"is_logged_in": True, "email": "a@example.org"}, secrets=None)
    assert at.title[0].value == "Overview"  # an unknown page: the default one


def test_coordinator_sees_the_upload_form_and_history():
    at = run("upload", {"is_logged_in": True, "email": "c@example.org"})
    assert at.title[0].value == "Import assessments"
    assert len(at.get("file_uploader")) == 1
    assert "Choose a file to check it." in texts(at)
    assert at.dataframe[0].value["file_name"].tolist()[-1] == "data/reference"


def test_admin_sees_versions_and_the_rollback_needs_a_tick(db):
    from analytics.importer import import_bytes

    import_bytes(
        db,
        b"programme,year,city,level,code,score\ntc-transparency,2021,Konotop,total,,40\n",
        "k.csv",
    )
    at = run("versions", {"is_logged_in": True, "email": "a@example.org"})
    assert at.title[0].value == "Database versions"
    assert len(at.dataframe[0].value) == 1

    def rollback():
        return next(b for b in at.button if b.label == "Roll back to the newest kept version")

    assert rollback().disabled
    assert "Signed in as a@example.org · admin" in [c.value for c in at.sidebar.caption]
    at.checkbox[0].check().run()
    assert not rollback().disabled


def test_production_settings():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["fileWatcherType"] == "none"
    assert config["server"]["enableStaticServing"] is False
    from analytics.importer import UPLOAD_MAX_BYTES

    assert config["server"]["maxUploadSize"] * 1_000_000 >= UPLOAD_MAX_BYTES
    assert (
        not (ROOT / ".streamlit" / "secrets.toml").exists()
        or ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text()
    )
