"""Page benchmark (not a test): server CPU of a warm rerun of every dashboard page, against a
hello-world page measured the same way in the same run.

    python scripts/bench_pages.py [--db PATH] [--reruns 20] [--stress-cities 10000]

For each page a real Streamlit server runs on 127.0.0.1 and headless Chromium (Debian's
chromium, via Playwright) opens the page, waits until it is idle, then presses "r" (rerun)
``--reruns`` times, waiting for each rerun to finish. The figure is the server process's CPU
time (user + system, from /proc) per rerun; a hello-world app is measured the same way, once
with Streamlit's default settings and once with this project's config (which turns off the
full garbage collection Streamlit runs after every rerun).
Targets: at most 2x hello-world at real scale, at most 4x at stress scale; the rankings page
with your weights (the workbench reweights on every rerun) at most 2x the data page. Prints
JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {
    "overview": "?programme=demo-index&year=2025",
    "rankings": "rankings?programme=demo-index&year=2025",
    "city": "city?programme=demo-index&year=2025&city=ua-lviv",
    "compare": "compare?programme=demo-index&year=2025&cities=ua-lviv&cities=ua-kyiv"
    "&cities=ge-tbilisi",
    "trends": "trends?programme=demo-index&year=2025&by=country",
    "methodology": "methodology?programme=demo-index&year=2025",
    "data": "data",
    # the index workbench: every rerun reweights and re-ranks all cities (issue 18)
    "rankings_your_weights": "rankings?programme=demo-index&year=2025&w=info:0&w=budget:20"
    "&agg=geometric",
}
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _serve(script: Path, db: Path, cwd: Path = ROOT):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=cwd,
        env={**os.environ, "OCM_DB": str(db)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def _idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000
    )


def _measure(browser, url: str, pid: int, reruns: int, pause: float = 1.0) -> dict:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(url)
    page.locator("[data-testid=stApp]").wait_for()
    time.sleep(2)
    _idle(page)
    for _ in range(2):  # warm the caches
        page.keyboard.press("r")
        time.sleep(0.3)
        _idle(page)
    c0, w0 = _cpu_seconds(pid), time.perf_counter()
    for _ in range(reruns):
        page.keyboard.press("r")
        time.sleep(pause)  # ample time for one rerun; the server is idle for the rest
        _idle(page)
    cpu = (_cpu_seconds(pid) - c0) / reruns
    wall = (time.perf_counter() - w0) / reruns - pause
    ctx.close()
    return {"cpu_ms": round(cpu * 1000, 1), "wall_ms": round(wall * 1000, 1)}


def measure(db: Path, reruns: int, only: list[str] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        hello = Path(tmp) / "hello.py"
        hello.write_text("import streamlit as st\nst.write('Hello, world')\n")
        # A plain hello-world app, with Streamlit's default settings (run outside the project),
        # and the same page with this project's .streamlit/config.toml.
        for name, cwd in (("hello_world", Path(tmp)), ("hello_world_project_config", ROOT)):
            proc, url = _serve(hello, db, cwd)
            try:
                out[name] = _measure(browser, url, proc.pid, reruns)
            finally:
                proc.terminate()
        proc, url = _serve(ROOT / "app.py", db)
        try:
            for name, path in PAGES.items():
                if only and name not in only:
                    continue
                r = _measure(browser, f"{url}/{path}", proc.pid, reruns)
                r["x_hello_world"] = round(r["cpu_ms"] / max(out["hello_world"]["cpu_ms"], 1), 2)
                r["x_hello_world_project_config"] = round(
                    r["cpu_ms"] / max(out["hello_world_project_config"]["cpu_ms"], 1), 2
                )
                out[name] = r
            if "data" in out and "rankings_your_weights" in out:
                out["rankings_your_weights"]["x_data"] = round(
                    out["rankings_your_weights"]["cpu_ms"] / max(out["data"]["cpu_ms"], 1), 2
                )
        finally:
            proc.terminate()
        browser.close()
    return out


def main() -> None:
    from analytics import build, synthetic

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None, help="a built database (default: build one)")
    ap.add_argument("--reruns", type=int, default=20)
    ap.add_argument("--pages", default="", help="only these pages, comma-separated")
    ap.add_argument(
        "--stress-cities",
        type=int,
        default=0,
        help="also measure on a demo with this many synthetic cities (0: skip)",
    )
    args = ap.parse_args()
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "real.duckdb"
            build.build_database(db, demo=True)
        only = [p for p in args.pages.split(",") if p] or None
        report["real"] = measure(db, args.reruns, only)
        if args.stress_cities:
            sdb = Path(tmp) / "stress.duckdb"
            build.build_database(
                sdb,
                demo=True,
                spec=synthetic.DemoSpec(cities=args.stress_cities, years=10, indicators=100),
            )
            report["stress"] = measure(sdb, args.reruns, only)
    report["targets"] = {
        "real": "x_hello_world <= 2",
        "stress": "x_hello_world <= 4",
        "rankings_your_weights": "x_data <= 2",
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
