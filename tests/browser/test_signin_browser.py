"""Sign-in and roles in real Chromium against a local OpenID Connect provider
(oidc-provider-mock on 127.0.0.1): viewers never reach the import, a coordinator imports a
file and sees the new figures, an admin rolls the database back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analytics import storage
from tests.browser.conftest import _serve, screenshot
from tests.browser.test_dashboard_browser import no_exception, settle
from tests.server import free_port

pytestmark = pytest.mark.browser

COORDINATOR, ADMIN, VIEWER = "coordinator@example.org", "admin@example.org", "viewer@example.org"


def corrected_konotop(db) -> tuple[bytes, int]:
    """Konotop's 2021 transparency areas as loaded, with one point more in its weakest area:
    the file and the number of rows."""
    con = storage.connect_read_only(db)
    rows = con.execute(
        """SELECT s.item, s.score FROM current_scores s
           WHERE s.city = 'ua-konotop' AND s.year = 2021 AND s.level = 'area'
             AND s.methodology = 'tc-transparency-2019' ORDER BY s.score, s.item"""
    ).fetchall()
    con.close()
    lines = ["programme,year,city,level,code,score"]
    lines += [
        f"tc-transparency,2021,Konotop,area,{item},{score + (1 if i == 0 else 0):.2f}"
        for i, (item, score) in enumerate(rows)
    ]
    return ("\n".join(lines) + "\n").encode(), len(rows)


BAD = (
    b"programme,year,city,level,code,score\n"
    b"tc-transparency,2021,Konotopp,area,info,4.2\n"
    b"tc-transparency,2021,Konotop,area,access,-5\n"
)


@pytest.fixture(scope="module")
def oidc(tmp_path_factory):
    """The identity provider: anyone can sign in by typing an e-mail address; one predefined
    account claims the admin's address but unverified."""
    port = free_port()
    unverified = json.dumps({"sub": "unverified", "email": ADMIN, "email_verified": False})
    with open(tmp_path_factory.mktemp("oidc") / "oidc.log", "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "oidc_provider_mock",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--user-claims",
                unverified,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/.well-known/openid-configuration", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("the OIDC provider did not come up") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def auth_server(oidc, built_db, tmp_path_factory):
    """The dashboard with sign-in set up and roles from allowlists."""
    folder = tmp_path_factory.mktemp("auth")
    db = folder / "transparency.duckdb"
    shutil.copyfile(built_db, db)
    secrets = auth_secrets(
        folder,
        oidc,
        f"""
[roles]
coordinators = ["{COORDINATOR}"]
admins = ["{ADMIN}"]
""",
    )
    yield from _serve(db, secrets=secrets)


def auth_secrets(folder: Path, oidc: str, roles: str) -> Path:
    """A secrets.toml in ``folder`` that signs in through the local provider at ``oidc``
    (the port is filled in by ``_serve``), with the ``[roles]`` sections given."""
    secrets = folder / "secrets.toml"
    secrets.write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-enough-length"
client_id = "open-cities-monitor"
client_secret = "test-secret"
server_metadata_url = "{oidc}/.well-known/openid-configuration"
"""
        + roles
    )
    return secrets


def nav(page) -> str:
    return page.get_by_test_id("stSidebarNav").inner_text()


def sign_in(page, server, who: str | None = None, button: str = "unverified") -> None:
    """Sign in from the sidebar: type an e-mail address at the provider, or pick the
    predefined account ``button``."""
    page.goto(server["url"] + "/data")
    settle(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30_000)
    if who:
        page.fill("input[name=sub]", who)
        page.get_by_role("button", name="Authorize").click()
    else:
        page.get_by_role("button", name=button).click()
    page.wait_for_url(server["url"] + "/**", timeout=30_000)
    settle(page)


def open_page(page, server, path: str) -> str:
    page.goto(server["url"] + path)
    settle(page)
    no_exception(page)
    return page.get_by_test_id("stMain").inner_text()


def headline_total(page, server) -> str:
    open_page(page, server, "/city?city=ua-konotop&programme=tc-transparency&year=2021")
    return page.get_by_test_id("stMetricValue").first.inner_text()


def test_viewers_never_reach_the_work_pages(auth_server, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    # Anonymous: no work pages in the navigation; by URL, a refusal and a sign-in button.
    assert "Import assessments" not in open_page(page, auth_server, "/")
    assert "Import assessments" not in nav(page) and "Database versions" not in nav(page)
    for path in ("/upload", "/versions"):
        text = open_page(page, auth_server, path)
        assert "This page is for coordinators" in text, text
        assert page.locator("input[type=file]").count() == 0
    screenshot(page, "signin-anonymous-upload-refused")
    # Signed in, but on no allowlist.
    sign_in(page, auth_server, VIEWER)
    assert f"Signed in as {VIEWER}" in page.get_by_test_id("stSidebar").inner_text()
    assert "Import assessments" not in nav(page)
    text = open_page(page, auth_server, "/upload")
    assert f"Your account ({VIEWER}) has no rights for this page" in text, text
    assert page.locator("input[type=file]").count() == 0
    ctx.close()
    # The admin's address, but the provider says it is not verified: still a viewer.
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    sign_in(page, auth_server)
    assert "· viewer" in page.get_by_test_id("stSidebar").inner_text()
    assert "has no rights for this page" in open_page(page, auth_server, "/versions")
    ctx.close()


def test_coordinator_imports_and_admin_rolls_back(auth_server, browser):
    db = auth_server["db"]
    ctx = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = ctx.new_page()
    before_total = headline_total(page, auth_server)
    sign_in(page, auth_server, COORDINATOR)
    assert "Import assessments" in nav(page) and "Database versions" not in nav(page)
    assert "has no rights" in open_page(page, auth_server, "/versions")

    # A broken file: every problem listed with the closest known name; nothing changes.
    open_page(page, auth_server, "/upload")
    sha = storage.file_sha256(db)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "konotop.csv", "mimeType": "text/csv", "buffer": BAD}]
    )
    page.get_by_text("refused, 2 problem(s)").wait_for(timeout=30_000)
    settle(page)
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    screenshot(page, "signin-upload-refused")
    assert page.get_by_role("button", name="Import 2 rows").count() == 0
    assert storage.file_sha256(db) == sha
    # The same report in Ukrainian: the page and the problems themselves (read from the CSV
    # download, since the table is drawn on a canvas); names stay as written.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("УКР", exact=True).click()
    page.get_by_text("відхилено, проблем: 2").wait_for(timeout=30_000)
    settle(page)
    screenshot(page, "signin-upload-refused-uk")
    with page.expect_download(timeout=60_000) as got:
        page.get_by_test_id("stMain").get_by_text("CSV", exact=True).click()
    problems = Path(got.value.path()).read_text(encoding="utf-8-sig")
    assert "невідоме місто; найближчі відомі: Konotop" in problems, problems
    assert "від'ємне значення" in problems and "unknown" not in problems, problems
    sidebar.get_by_text("EN", exact=True).click()
    page.get_by_text("refused, 2 problem(s)").wait_for(timeout=30_000)
    settle(page)

    # A good file: the check, the preview, then the import on confirmation.
    good, n = corrected_konotop(db)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "konotop-fixed.csv", "mimeType": "text/csv", "buffer": good}]
    )
    page.get_by_text(f"{n} rows checked, no problems").wait_for(timeout=30_000)
    settle(page)
    assert storage.file_sha256(db) == sha  # checking changes nothing
    screenshot(page, "signin-upload-checked")
    page.get_by_role("button", name=f"Import {n} rows").click()
    page.get_by_text(f"imported {n} rows as batch").wait_for(timeout=60_000)
    settle(page)
    screenshot(page, "signin-upload-imported")
    assert storage.file_sha256(db) != sha
    assert "konotop-fixed.csv" in page.get_by_test_id("stMain").inner_text()
    # The new figures, without a restart: one point more than before.
    assert headline_total(page, auth_server) == f"{float(before_total) + 1:.1f}"
    # Signing out takes the work pages away again.
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=30_000)  # the provider's session too
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(auth_server["url"] + "/**", timeout=30_000)
    settle(page)
    assert "Import assessments" not in nav(page)
    assert "has no rights" not in open_page(page, auth_server, "/upload")
    assert page.locator("input[type=file]").count() == 0
    ctx.close()

    # The admin puts the version before the import back.
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    sign_in(page, auth_server, ADMIN)
    assert "Database versions" in nav(page) and "Import assessments" in nav(page)
    open_page(page, auth_server, "/versions")
    rollback = page.get_by_role("button", name="Roll back to the newest kept version")
    assert rollback.is_disabled()
    page.get_by_text("I understand").click()
    rollback.click()
    try:
        page.get_by_text("Restored").wait_for(timeout=30_000)
    finally:
        screenshot(page, "signin-admin-rolled-back")
    screenshot(page, "signin-admin-rolled-back")
    assert headline_total(page, auth_server) == before_total
    ctx.close()
