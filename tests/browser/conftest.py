"""A real Streamlit server on 127.0.0.1 and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.server import start, stop

CHROMIUM = os.environ.get("OCM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "screenshots"


@pytest.fixture(scope="session")
def server(tmp_path_factory, built_db):
    """The dashboard, shared by the browser tests of a session, on a copy of the session's
    built database (``fresh_server`` is the one that builds its own on first start)."""
    db = tmp_path_factory.mktemp("server") / "transparency.duckdb"
    shutil.copyfile(built_db, db)
    yield from _serve(db)


@pytest.fixture()
def fresh_server(tmp_path):
    """The dashboard as a user starts it, on a machine with no database yet."""
    yield from _serve(tmp_path / "transparency.duckdb")


def _serve(db: Path, secrets: Path | None = None, env: dict | None = None):
    """The dashboard on the database ``db`` (see ``tests.server.start``)."""
    url, proc = start(db, db.with_name("streamlit.log"), secrets, env)
    yield {"url": url, "db": db}
    stop(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(apt-get install -y chromium) — .ci/run does this"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser, width: int, height: int):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    yield ctx.new_page()
    ctx.close()


@pytest.fixture()
def page(browser):
    """A browser tab the size of a laptop screen."""
    yield from _page(browser, 1400, 1000)


@pytest.fixture()
def tall(browser):
    """A tall tab, so that a screenshot shows a whole page."""
    yield from _page(browser, 1440, 2400)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
