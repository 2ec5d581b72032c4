"""The documented reverse proxy, for real: deploy/nginx-ocm.conf (the file docs/deploy.md shows)
started in front of two Streamlit processes, checked for compression, caching, HTTP/2, the
WebSocket, uploads, and that a room of browsers behind ONE client address spreads over both
processes while every browser stays on its own."""

from __future__ import annotations

import asyncio
import collections
import re
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from tests import server
from tests.conftest import ROOT
from tests.load import loadtest
from tests.proxy import nginx

INSECURE = ssl.create_default_context()
INSECURE.check_hostname, INSECURE.verify_mode = False, ssl.CERT_NONE


@pytest.fixture(scope="module")
def proxy(built_db, tmp_path_factory):
    scratch = tmp_path_factory.mktemp("proxy")
    backends = [server.start(built_db, scratch / f"streamlit-{i}.log") for i in range(2)]
    ports = [int(url.rsplit(":", 1)[1]) for url, _ in backends]
    front = nginx.start(ports, scratch / "nginx")
    yield {"url": front.url, "log": front.access_log, "ports": ports}
    front.stop()
    for _, proc in backends:
        server.stop(proc)


def _script(client: httpx.Client, url: str) -> str:
    page = client.get(url + "/").text
    return re.search(r'src="\.?/?(static/js/index\.[^"]+\.js)"', page).group(1)


def test_page_is_not_cached_and_sets_the_pin_cookie(proxy):
    with httpx.Client(verify=False) as client:
        r = client.get(proxy["url"] + "/")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-cache"
    assert "ocm_route" in r.cookies
    assert "httponly" in r.headers["set-cookie"].lower()


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_scripts_are_compressed_and_cached_for_a_year(proxy, encoding):
    with httpx.Client(verify=False) as client:
        path = _script(client, proxy["url"])
        raw = client.get(f"{proxy['url']}/{path}", headers={"Accept-Encoding": "identity"})
        packed = client.get(f"{proxy['url']}/{path}", headers={"Accept-Encoding": encoding})
    assert packed.headers["content-encoding"] == encoding
    assert "immutable" in packed.headers["cache-control"]
    assert "max-age=31536000" in packed.headers["cache-control"]
    if encoding == "gzip":  # httpx decodes gzip itself (brotli would need another package)
        assert packed.content == raw.content
    assert len(raw.content) > 100_000


def test_compression_shrinks_the_main_script(proxy):
    """Bytes on the wire (curl reports them): gzip and brotli at least 3× smaller."""
    with httpx.Client(verify=False) as client:
        path = _script(client, proxy["url"])
    sizes = {}
    for enc in ("identity", "gzip", "br"):
        out = subprocess.run(
            [
                "curl",
                "-sk",
                "-o",
                "/dev/null",
                "-w",
                "%{size_download}",
                "-H",
                f"Accept-Encoding: {enc}",
                f"{proxy['url']}/{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        sizes[enc] = int(out.stdout)
    assert sizes["gzip"] * 3 < sizes["identity"], sizes
    assert sizes["br"] * 3 < sizes["identity"], sizes


def test_http2_over_tls(proxy):
    out = subprocess.run(
        ["curl", "-skI", "--http2", proxy["url"] + "/"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("HTTP/2 200"), out.stdout[:200]


async def _browser(url: str, n: int) -> tuple[str, str, int]:
    """One browser: load the page (gets the pin cookie), open the WebSocket with its cookies,
    run the app, then upload a file into that session. Returns (pin, session id, status)."""
    async with httpx.AsyncClient(verify=False) as client:
        await client.get(url + "/")
        await client.get(url + "/_stcore/health")  # as the page's script does: the XSRF cookie
        cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        stats = loadtest.Stats()
        s = loadtest.Session(url, stats, headers={"Cookie": cookies}, ssl=INSECURE)
        await s.open()
        try:
            await s.rerun("methodology", "methodology", "")
            r = await client.put(  # while the session lives (it ends with its WebSocket)
                f"{url}/_stcore/upload_file/{s.session_id}/file-{n}",
                files={"file": (f"scores-{n}.csv", b"programme,year\n", "text/csv")},
                headers={"X-Xsrftoken": client.cookies["_streamlit_xsrf"]},
            )
        finally:
            await s.close()
        assert not stats.errors, stats.error_examples
        return client.cookies["ocm_route"], s.session_id, r.status_code


async def _room(url: str, browsers: int, at_once: int) -> list[tuple[str, str, int]]:
    gate = asyncio.Semaphore(at_once)

    async def one(n: int):
        async with gate:
            return await _browser(url, n)

    return await asyncio.gather(*(one(n) for n in range(browsers)))


def test_one_address_spreads_over_both_processes_and_each_browser_stays(proxy):
    results = loadtest._in_own_loop(_room(proxy["url"], 100, 10))
    # An upload names the session: it succeeds only in the process that holds the session.
    assert [status for *_, status in results] == [204] * 100
    assert len({pin for pin, *_ in results}) == 100
    served: dict[str, set[str]] = collections.defaultdict(set)
    for line in proxy["log"].read_text().splitlines():
        got, sent, upstream, *_ = line.split("|")
        pin = got if got != "-" else sent
        if pin != "-" and upstream != "-":
            served[pin].add(upstream)
    assert len(served) >= 100
    assert all(len(ups) == 1 for ups in served.values()), "a browser was served by two processes"
    per_process = collections.Counter(next(iter(ups)) for ups in served.values())
    assert len(per_process) == 2, per_process
    assert min(per_process.values()) >= 25, per_process  # all 100 share one client address


def test_deploy_guide_includes_the_tested_file_verbatim():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert nginx.CONFIG.read_text().strip() in guide
    assert "ip_hash" not in nginx.CONFIG.read_text()


@pytest.mark.parametrize(
    ("streamlit_file", "ours"),
    [
        ("MaterialSymbols-Rounded.*.woff2", "material-symbols-rounded.woff2"),
        ("SourceSansVF-Upright.ttf.*.woff2", "ocm-sans.woff2"),
        ("SourceSansVF-Italic.ttf.*.woff2", "ocm-sans-italic.woff2"),
    ],
)
def test_fonts_are_the_apps_cuts_and_revalidate(proxy, streamlit_file, ours):
    """Streamlit's hashed font names answer with our cuts in static/ (issue 20), revalidated
    with a 304 on the next visit; directly Streamlit still sends its own."""
    import streamlit

    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    (font,) = media.glob(streamlit_file)
    cut = (ROOT / "static" / ours).read_bytes()
    with httpx.Client(verify=False) as client:
        r = client.get(f"{proxy['url']}/static/media/{font.name}")
        again = client.get(
            f"{proxy['url']}/static/media/{font.name}",
            headers={"If-None-Match": r.headers["etag"]},
        )
        direct = client.get(f"http://127.0.0.1:{proxy['ports'][0]}/static/media/{font.name}")
    assert r.status_code == 200 and r.content == cut
    assert r.headers["content-type"] == "font/woff2"
    assert r.headers["cache-control"] == "no-cache"
    assert again.status_code == 304
    assert direct.content == font.read_bytes() and len(cut) < 0.75 * len(direct.content)
