"""Load test: many concurrent viewers driving the dashboard over Streamlit's WebSocket protocol.

Not part of the default test run (pytest collects only ``test_*.py``). Run it with::

    python -m tests.load.loadtest --sessions 30 --think 5 --duration 120 --processes 1
    python -m tests.load.loadtest --sessions 30 --think 5 --duration 120 --processes 2

A forum's burst (a QR code shown, a room opening the link within seconds)::

    python -m tests.load.loadtest --sessions 100 --ramp 10 --think 5 --duration 600 --processes 2
    python -m tests.load.loadtest --sessions 100 --ramp 10 --think 5 --duration 600 --processes 2 --proxy

``first_page`` in the report is the time from a viewer's arrival (with ``--proxy``: loading the
page through deploy/nginx-ocm.conf for its cookies, as a phone would, all from one address) to
its first page drawn by the server; ``latency`` is every page run after that.

It starts the dashboard (one or more Streamlit processes on free ports of 127.0.0.1, over the
same read-only database file; sessions are spread over them as sticky sessions behind a
reverse proxy would be), or drives an already running one with ``--url`` (repeatable).
Each simulated viewer opens the app, then does what a person at a forum would: open the
rankings, a city profile, a comparison, the trends, the overview of another year, change the
year in the sidebar — with a think time between actions (exponentially distributed around
``--think`` seconds). A rerun's latency is the time from sending the request to the server's
"script finished" message. The report (JSON) gives p50/p95/max latency per page and overall,
errors (exceptions drawn by the app, unknown pages, time-outs, dropped connections) and each
server process's memory (RSS) before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests import server

ROOT = Path(__file__).resolve().parents[2]
RERUN_TIMEOUT = 60.0

PROGRAMME = "demo-index"
YEARS = [2021, 2022, 2023, 2024, 2025]
CITIES = [
    "ua-kyiv",
    "ua-lviv",
    "ua-kharkiv",
    "ua-odesa",
    "ua-dnipro",
    "ua-konotop",
    "ge-tbilisi",
    "ge-batumi",
    "md-chisinau",
    "am-yerevan",
    "az-baku",
    "by-minsk",
    "ua-vinnytsia",
    "ua-poltava",
    "ua-chernihiv",
    "ua-zhytomyr",
]


# ------------------------------------------------------------------------------ one session


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    elements: dict[str, list[int]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)

    def add(self, page: str, seconds: float, elements: int) -> None:
        self.latencies.setdefault(page, []).append(seconds)
        self.elements.setdefault(page, []).append(elements)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.error_examples) < 10:
            self.error_examples.append(f"{kind}: {detail[:300]}")


class Session:
    """One viewer: a WebSocket connection to one server, like a browser tab."""

    def __init__(
        self, url: str, stats: Stats, headers: dict | None = None, ssl: object | None = None
    ):
        self.url = url
        self.stats = stats
        self.ws = None
        self.headers = headers or {}  # e.g. the cookies a browser would send (a proxy's pin)
        self.ssl = ssl  # an ssl.SSLContext for https:// (a proxy with a self-signed cert)
        self.session_id = ""  # the server's id of this session (uploads name it)
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.widgets: dict[str, tuple[str, list[str]]] = {}  # label -> (id, options)

    async def open(self) -> None:
        ws_url = self.url.replace("https://", "wss://").replace("http://", "ws://")
        extra = {"ssl": self.ssl} if ws_url.startswith("wss://") else {}
        self.ws = await websockets.connect(
            ws_url + "/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=RERUN_TIMEOUT,
            additional_headers=self.headers,
            **extra,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self, name: str, path: str, query: str, widget: tuple | None = None):
        """Ask for a run of page ``path`` with ``query`` (and one widget set to a value);
        wait for the end of the run and record its latency under ``name``."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = query
        cs.page_name = path
        if path in self.pages:
            cs.page_script_hash = self.pages[path]
        if widget is not None:
            w = cs.widget_states.widgets.add()
            w.id, w.string_value = widget
        self.widgets = {}
        elements = 0
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deadline = started + RERUN_TIMEOUT
        while True:
            raw = await asyncio.wait_for(
                self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter())
            )
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "script_finished":
                # 0 finished successfully, 1 with a compile error, 2 rerun requested by the
                # script (st.switch_page / st.rerun): the run goes on, keep waiting.
                if fwd.script_finished == 2:
                    continue
                self.stats.add(name, time.perf_counter() - started, elements)
                if fwd.script_finished == 1:
                    self.stats.error("compile error", path)
                return
            elements += self._take(fwd, kind, f"{path}?{query}")

    def _take(self, fwd: ForwardMsg, kind: str | None, where: str) -> int:
        """Note what one message tells (pages, session id, widgets, errors); 1 for an element."""
        if kind == "new_session":
            self.session_id = fwd.new_session.initialize.session_id or self.session_id
            for p in fwd.new_session.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
        elif kind == "navigation":
            for p in fwd.navigation.app_pages:
                self.pages[p.url_pathname] = p.page_script_hash
        elif kind == "page_not_found":
            self.stats.error("page not found", where)
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            el = fwd.delta.new_element
            etype = el.WhichOneof("type")
            if etype == "exception":
                self.stats.error("exception", f"{where}: {el.exception.message}")
            elif etype == "selectbox":
                self.widgets[el.selectbox.label] = (el.selectbox.id, list(el.selectbox.options))
            return 1
        return 0


async def _browser_cookies(url: str) -> dict:
    """What a browser holds after loading the page through a proxy: its pin and XSRF cookies."""
    import httpx

    async with httpx.AsyncClient(verify=False, timeout=RERUN_TIMEOUT) as client:
        await client.get(url + "/")
        await client.get(url + "/_stcore/health")
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}


async def viewer(url: str, stats: Stats, think: float, until: float, seed: int) -> None:
    rnd = random.Random(seed)
    arrived = time.perf_counter()
    s = Session(url, stats)
    try:
        if url.startswith("https://"):  # through the reverse proxy: load the page first
            s.headers, s.ssl = await _browser_cookies(url), _insecure()
        await s.open()
        await s.rerun("overview", "", f"programme={PROGRAMME}&year=2025")
        # The first page as a phone gets it: from arrival (page, cookies, WebSocket) to drawn.
        stats.add("first page", time.perf_counter() - arrived, stats.elements["overview"][-1])
        step = 0
        while time.time() < until:
            await asyncio.sleep(min(rnd.expovariate(1 / think), 4 * think))
            if time.time() >= until:
                break
            year = rnd.choice(YEARS)
            kind = step % 6
            step += 1
            if kind == 0:
                await s.rerun("rankings", "rankings", f"programme={PROGRAMME}&year={year}")
            elif kind == 1:  # change the year in the sidebar of the rankings (a widget event)
                wid = s.widgets.get("Year")
                if wid is None:
                    stats.error("no year widget", "the rankings page drew no Year selectbox")
                    continue
                await s.rerun(
                    "year widget",
                    "rankings",
                    f"programme={PROGRAMME}",
                    widget=(wid[0], rnd.choice(wid[1])),
                )
            elif kind == 2:
                await s.rerun(
                    "city", "city", f"city={rnd.choice(CITIES)}&programme={PROGRAMME}&year={year}"
                )
            elif kind == 3:
                three = "&".join(f"cities={c}" for c in rnd.sample(CITIES, 3))
                await s.rerun("compare", "compare", f"programme={PROGRAMME}&year={year}&{three}")
            elif kind == 4:
                by = rnd.choice(["all", "country", "population"])
                await s.rerun("trends", "trends", f"programme={PROGRAMME}&year={year}&by={by}")
            else:
                await s.rerun("overview", "", f"programme={PROGRAMME}&year={year}")
    except TimeoutError:
        stats.error("time-out", f"no end of run within {RERUN_TIMEOUT:.0f} s")
    except (OSError, websockets.WebSocketException) as e:
        stats.error("connection", repr(e))
    finally:
        await s.close()


# ------------------------------------------------------------------------------ servers


def _insecure():
    import ssl

    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE  # the test proxy's own cert
    return ctx


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_servers(n: int, db: Path, log_dir: Path) -> list[tuple[str, subprocess.Popen]]:
    return [server.start(db, log_dir / f"streamlit-{i}.log") for i in range(n)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50_s": round(percentile(values, 0.5), 3),
        "p95_s": round(percentile(values, 0.95), 3),
        "max_s": round(max(values), 3),
        "mean_s": round(statistics.fmean(values), 3),
    }


async def drive(
    urls: list[str], sessions: int, think: float, duration: float, ramp: float
) -> Stats:
    stats = Stats()
    until = time.time() + duration
    tasks = []
    for i in range(sessions):
        tasks.append(asyncio.create_task(viewer(urls[i % len(urls)], stats, think, until, i)))
        await asyncio.sleep(ramp / max(sessions, 1))
    await asyncio.gather(*tasks)
    return stats


async def warm_up(urls: list[str]) -> None:
    """One viewer per server through every page first, so that memory "before" is taken
    with the app loaded (imports, database connection) rather than at an empty start."""
    stats = Stats()
    for url in urls:
        await viewer(url, stats, think=0.01, until=time.time() + 8, seed=999)


def _in_own_loop(coro):
    """Run a coroutine on a fresh event loop in its own thread: the caller's thread may have a
    loop running already (Playwright's sync API in the same test session)."""
    out: dict = {}

    def target():
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as e:  # re-raised in the caller
            out["error"] = e

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def run(args: argparse.Namespace) -> dict:
    own = []
    front = None
    log_dir = Path(tempfile.mkdtemp(prefix="ocm-load-"))
    urls = list(args.url or [])
    if not urls:
        from analytics.build import ensure_database
        from analytics.paths import db_path

        db = Path(args.db) if args.db else db_path()
        ensure_database(db, demo=True)
        own = start_servers(args.processes, db, log_dir)
        urls = [u for u, _ in own]
        _in_own_loop(warm_up(urls))  # each process directly, before any proxy
        if args.proxy:  # every viewer through deploy/nginx-ocm.conf, all from 127.0.0.1
            from tests.proxy import nginx

            front = nginx.start([int(u.rsplit(":", 1)[1]) for u in urls], log_dir / "nginx")
            urls = [front.url]
    pids = [p.pid for _, p in own] + list(args.pid or [])
    try:
        if not own:
            _in_own_loop(warm_up(urls))
        before = {pid: rss_mb(pid) for pid in pids}
        cpu_before = {pid: cpu_s(pid) for pid in pids}
        load_before = os.getloadavg()
        started = time.perf_counter()
        sampler = _Sampler(pids, every=min(30.0, max(args.duration / 4, 1.0)))
        sampler.start()
        try:
            stats = _in_own_loop(drive(urls, args.sessions, args.think, args.duration, args.ramp))
        finally:
            sampler.stop()
        elapsed = time.perf_counter() - started
        cpu_after = {pid: cpu_s(pid) for pid in pids}
        load_after = os.getloadavg()
        time.sleep(2)
        after = {pid: rss_mb(pid) for pid in pids}
    finally:
        if front is not None:
            front.stop()
        for _, proc in own:
            server.stop(proc)
    first = stats.latencies.get("first page", [])
    every = [v for k, vs in stats.latencies.items() if k != "first page" for v in vs]
    report = {
        "sessions": args.sessions,
        "think_s": args.think,
        "duration_s": args.duration,
        # the Streamlit processes serving (behind the proxy one address reaches them all)
        "processes": len(pids) or len(urls),
        "cpu_cores": os.cpu_count(),
        "reruns": len(every),
        "reruns_per_s": round(len(every) / elapsed, 2),
        "through_proxy": bool(args.proxy),
        "first_page": summary(first),
        "latency": summary(every),
        "latency_by_page": {
            k: {**summary(v), "elements_mean": round(statistics.fmean(stats.elements[k]), 1)}
            for k, v in sorted(stats.latencies.items())
        },
        "errors": sum(stats.errors.values()),
        "errors_by_kind": stats.errors,
        "error_examples": stats.error_examples,
        # what the servers spent, whatever else ran on the machine: CPU per page run, and so
        # how many page runs a second one core can serve (a capacity that a loaded machine's
        # latencies hide)
        "server_cpu_s": {str(pid): _spent(cpu_before[pid], cpu_after[pid]) for pid in pids},
        "server_cpu_ms_per_run": _per_run(cpu_before, cpu_after, len(every) + len(first)),
        "load_average": {
            "before": load_before,
            "after": load_after,
            "during": {
                "n": len(sampler.load),
                "min": min(sampler.load, default=None),
                "mean": round(statistics.fmean(sampler.load), 2) if sampler.load else None,
                "max": max(sampler.load, default=None),
            },
        },
        "memory_mb": {
            str(pid): {
                "before": round(before[pid] or 0, 1),
                "after": round(after[pid] or 0, 1),
                "growth": round((after[pid] or 0) - (before[pid] or 0), 1),
                # (seconds since the start, MB): whether it levels off or keeps growing
                "timeline": sampler.rss[pid],
            }
            for pid in pids
        },
    }
    if own:
        shutil.rmtree(log_dir, ignore_errors=True)
    return report


class _Sampler:
    """Every ``every`` seconds during the run: each server's memory (RSS) and the machine's
    1-minute load average."""

    def __init__(self, pids: list[int], every: float) -> None:
        self.pids, self.every = pids, every
        self.rss: dict[int, list[tuple[float, float]]] = {pid: [] for pid in pids}
        self.load: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.perf_counter()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            at = round(time.perf_counter() - self._t0, 1)
            self.load.append(os.getloadavg()[0])
            for pid in self.pids:
                mb = rss_mb(pid)
                if mb is not None:
                    self.rss[pid].append((at, round(mb, 1)))


def _spent(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def _per_run(before: dict, after: dict, runs: int) -> float | None:
    spent = [_spent(before[p], after[p]) for p in before]
    if not runs or any(s is None for s in spent):
        return None
    return round(sum(s for s in spent if s is not None) / runs * 1000, 1)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tests.load.loadtest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--sessions", type=int, default=30, help="concurrent viewers (30)")
    p.add_argument("--think", type=float, default=5.0, help="mean think time, seconds (5)")
    p.add_argument("--duration", type=float, default=120.0, help="seconds of load (120)")
    p.add_argument(
        "--ramp", type=float, default=10.0, help="seconds over which the viewers arrive (10)"
    )
    p.add_argument(
        "--processes",
        type=int,
        default=1,
        help="Streamlit processes to start over the same database (1)",
    )
    p.add_argument("--db", help="database file (default: $OCM_DB or data/transparency.duckdb)")
    p.add_argument(
        "--url",
        action="append",
        help="drive a running server instead (repeat for several processes)",
    )
    p.add_argument(
        "--pid", type=int, action="append", help="with --url: process ids whose memory to report"
    )
    p.add_argument(
        "--proxy",
        action="store_true",
        help="put deploy/nginx-ocm.conf in front of the processes and send every viewer "
        "through it from one client address, as a venue's NAT would",
    )
    p.add_argument("--out", help="also write the JSON report to this file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    report = run(args)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
