"""A real Streamlit server on 127.0.0.1 and headless Debian Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = os.environ.get("OCM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The dashboard, shared by the browser tests of a session."""
    yield from _serve(tmp_path_factory.mktemp("server") / "transparency.duckdb")


@pytest.fixture()
def fresh_server(tmp_path):
    """The dashboard as a user starts it, on a machine with no database yet."""
    yield from _serve(tmp_path / "transparency.duckdb")


def _serve(db: Path, secrets: Path | None = None, env: dict | None = None):
    """Start the dashboard on a free port of 127.0.0.1 with the database ``db`` and only the
    secrets file ``secrets`` (none by default: a developer's own secrets.toml is not read)."""
    port = _free_port()
    log = open(db.with_name("streamlit.log"), "w")
    env = {**os.environ, "OCM_DB": str(db), **(env or {})}
    secrets = secrets or db.with_name("no-secrets.toml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--secrets.files", str(secrets)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError("the Streamlit server did not come up: "
                               + db.with_name("streamlit.log").read_text()[-2000:])
        time.sleep(0.3)
    yield {"url": url, "db": db, "port": port}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium "
                    "(apt-get install -y chromium) — .ci/run does this")
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
