"""First-view benchmark (not a test): what a phone on a slow venue link downloads and waits
for when it opens each page for the first time.

    python scripts/bench_first_view.py [--db PATH] [--out docs/first-view.json] [--pages overview,rankings]

For every page: a fresh Chromium profile (empty cache), a 390×844 phone window, the link
emulated at 10 Mbit/s down, 2 Mbit/s up and 100 ms round trip (Chrome DevTools protocol).
Reported: bytes on the wire (HTTP responses as transferred, headers included, plus WebSocket
frames), decoded bytes, requests, and the time from navigation until the page is fully drawn
(the script run finished, every chart has drawn its canvas or SVG, the map its canvas).
Then a second page in the same visit (cache warm). Once directly against Streamlit and once
through the reverse proxy exactly as docs/deploy.md configures it (deploy/nginx-ocm.conf
in front of two Streamlit processes; tests/proxy/nginx.py starts it). Prints JSON.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
import time
import zlib
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--ignore-certificate-errors",  # the proxy's self-signed certificate
]
LINK = {"latency": 100, "downloadThroughput": 10e6 / 8, "uploadThroughput": 2e6 / 8}
PAGES = {
    "overview": "",
    "rankings": "rankings",
    "city": "city",
    "compare": "compare",
    "trends": "trends",
    "projects": "projects",
    "methodology": "methodology",
    "data": "data",
}
WHY_NOT = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return {script: app && app.getAttribute('data-test-script-state'),
    status: (document.querySelector('[data-testid=stStatusWidget]') || {}).innerText || null,
    elements: document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]').length,
    charts_undrawn: [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
      .filter(c => !c.querySelector('canvas, svg')).length};
}"""
SECOND = ("overview", "rankings")
FONTS = (".woff2", ".woff", ".ttf")  # first page, then this one in the same visit

DRAWN = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stStatusWidget]')) return false;
  if (!document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]')) return false;
  for (const c of document.querySelectorAll('[data-testid=stVegaLiteChart]'))
    if (!c.querySelector('canvas, svg')) return false;
  for (const m of document.querySelectorAll('[data-testid=stDeckGlJsonChart]'))
    if (!m.querySelector('canvas')) return false;
  return true;
}"""


class Traffic:
    """Bytes and requests seen by one tab, from the DevTools protocol's network events."""

    def __init__(self, cdp) -> None:
        self.wire = 0
        self.decoded = 0
        self.requests = 0
        self.ws_bytes = 0  # on the wire: deflated where the handshake agreed permessage-deflate
        self.ws_decoded = 0
        self.ws_deflate: dict[str, object] = {}  # request id -> the server's deflate stream
        self.inflight: set[str] = set()
        self.last_done = 0.0  # perf_counter of the last finished response
        self.urls: dict[str, str] = {}
        self.files: dict[str, int] = {}  # file name -> bytes on the wire
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)

    def _request(self, e) -> None:
        self.requests += 1
        self.inflight.add(e["requestId"])
        self.urls[e["requestId"]] = e["request"]["url"]

    def _finished(self, e) -> None:
        self.wire += int(e.get("encodedDataLength", 0))
        name = self.urls.get(e["requestId"], "").split("?", 1)[0].rsplit("/", 1)[-1]
        self.files[name] = self.files.get(name, 0) + int(e.get("encodedDataLength", 0))
        self.inflight.discard(e["requestId"])
        self.last_done = time.perf_counter()

    def _failed(self, e) -> None:
        self.inflight.discard(e["requestId"])

    def _data(self, e) -> None:
        self.decoded += int(e.get("dataLength", 0))

    def _handshake(self, e) -> None:
        headers = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}
        if "permessage-deflate" in headers.get("sec-websocket-extensions", ""):
            # the DevTools protocol shows frames inflated: deflate them again as the server
            # does (one raw deflate stream with context takeover, a sync flush per message,
            # the flush's 4-byte tail not sent) to count what crossed the wire
            self.ws_deflate[e["requestId"]] = zlib.compressobj(6, zlib.DEFLATED, -15)

    def _frame(self, e) -> None:
        payload = e["response"].get("payloadData", "")
        data = base64.b64decode(payload) if e["response"].get("opcode") == 2 else payload.encode()
        self.ws_decoded += len(data)
        stream = self.ws_deflate.get(e["requestId"])
        if stream is None:
            self.ws_bytes += len(data)
        else:
            out = stream.compress(data) + stream.flush(zlib.Z_SYNC_FLUSH)  # type: ignore[attr-defined]
            self.ws_bytes += len(out) - 4

    def snapshot(self) -> dict:
        return {
            "http_wire_bytes": self.wire,
            "websocket_bytes": self.ws_bytes,
            "wire_bytes": self.wire + self.ws_bytes,
            "wire_mb": round((self.wire + self.ws_bytes) / 1e6, 3),
            "websocket_decoded_bytes": self.ws_decoded,
            "decoded_mb": round((self.decoded + self.ws_decoded) / 1e6, 3),
            "requests": self.requests,
            "fonts": {n: b for n, b in sorted(self.files.items()) if n.endswith(FONTS)},
            "largest": dict(sorted(self.files.items(), key=lambda nb: -nb[1])[:8]),
        }


class NotDrawn(Exception):
    """The page was not drawn within two minutes (the report says what was missing)."""


def _drawn_at(page, traffic: Traffic, started: float, quiet_s: float = 1.0) -> float:
    """Seconds from ``started`` until the page is drawn and the network has gone quiet (a
    lazily loaded chart or map component still counts: the page is not drawn before it)."""
    while True:
        try:
            page.wait_for_function(DRAWN, timeout=120_000, polling=50)
        except PlaywrightTimeout:
            raise NotDrawn(page.evaluate(WHY_NOT)) from None
        drawn = time.perf_counter()
        page.wait_for_timeout(quiet_s * 1000)  # lets the protocol's events arrive
        quiet = not traffic.inflight and traffic.last_done < time.perf_counter() - quiet_s + 0.05
        if quiet and page.evaluate(DRAWN):
            return round(max(drawn, traffic.last_done) - started, 2)


def first_view(browser, base: str, path: str, second: str | None = None) -> dict:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **LINK})
    traffic = Traffic(cdp)
    started = time.perf_counter()
    page.goto(f"{base}/{path}", wait_until="commit")
    try:
        result = {"drawn_s": _drawn_at(page, traffic, started), **traffic.snapshot()}
    except NotDrawn as e:  # reported, and the other pages still measured
        ctx.close()
        return {"drawn_s": None, "not_drawn": e.args[0], **traffic.snapshot()}
    if second is not None:
        before = traffic.snapshot()
        started = time.perf_counter()
        page.goto(f"{base}/{second}", wait_until="commit")
        drawn = _drawn_at(page, traffic, started)
        after = traffic.snapshot()
        result["second_page"] = {
            "page": second,
            "drawn_s": drawn,
            "wire_mb": round(after["wire_mb"] - before["wire_mb"], 3),
            "requests": after["requests"] - before["requests"],
        }
    ctx.close()
    return result


def run(db: Path, pages: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    from tests import server
    from tests.proxy import nginx

    report: dict = {"link": "10 Mbit/s down, 2 Mbit/s up, 100 ms round trip", "window": "390x844"}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        scratch = Path(tmp)
        backends = [server.start(db, scratch / f"streamlit-{i}.log") for i in range(2)]
        front = nginx.start([int(u.rsplit(":", 1)[1]) for u, _ in backends], scratch / "nginx")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for mode, base in (("direct", backends[0][0]), ("proxy", front.url)):
                # warm the server's caches (not the browser's) with the first page measured
                first_view(browser, base, PAGES[pages[0]])
                report[mode] = {}
                for name in pages:
                    second = PAGES[SECOND[1]] if name == SECOND[0] else None
                    result = first_view(browser, base, PAGES[name], second)
                    if result["drawn_s"] is None:  # seen on a loaded machine: the session's
                        # WebSocket never came up (nothing drawn at all); measured once more
                        result = {**first_view(browser, base, PAGES[name], second), "retry": True}
                    report[mode][name] = result
        finally:
            browser.close()
            front.stop()
            for _, proc in backends:
                server.stop(proc)
    return report


def main() -> None:
    from analytics.build import ensure_database
    from analytics.paths import db_path

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--pages", default=",".join(PAGES))
    args = ap.parse_args()
    db = args.db or db_path()
    ensure_database(db)
    report = run(db, [p for p in args.pages.split(",") if p])
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
