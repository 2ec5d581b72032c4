"""Start the repository's nginx configuration (deploy/nginx-ocm.conf) in front of Streamlit
processes, for tests and benchmarks: the very file, with only its ports, certificate paths and
the app's folder (this checkout) replaced, inside a minimal main configuration of our own (pid, logs and temporary folders in a
scratch directory, so no root-owned state is touched)."""

from __future__ import annotations

import re
import shutil
import ssl
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.server import free_port

CONFIG = ROOT / "deploy" / "nginx-ocm.conf"
#: Where the documented configuration expects the app's checkout (its static/ folder is served).
APP_FOLDER = "/srv/ocm/app"
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
#: What the log of a test proxy records per request: the pin cookie and the process that served.
LOG_FORMAT = "$uid_got|$uid_set|$upstream_addr|$status|$request_method|$uri"


@dataclass
class Proxy:
    url: str
    access_log: Path
    process: subprocess.Popen

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1, made with openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def site_config(
    upstreams: list[int], https_port: int, http_port: int, cert: Path, key: Path
) -> str:
    """deploy/nginx-ocm.conf with its ports, certificate paths and app folder replaced, nothing
    else."""
    text = CONFIG.read_text()
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+;$", text, flags=re.M)
    if len(servers) != 2:
        raise AssertionError("deploy/nginx-ocm.conf should list two upstream processes")
    block = "\n".join(f"    server 127.0.0.1:{p};" for p in upstreams)
    text = text.replace("\n".join(servers), block, 1)
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    if APP_FOLDER not in text:
        raise AssertionError(f"deploy/nginx-ocm.conf should serve the fonts from {APP_FOLDER}")
    text = text.replace(APP_FOLDER, str(ROOT))
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", text)
    return re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)


def main_config(site: Path, scratch: Path) -> str:
    load = f"load_module {BROTLI};\n" if BROTLI.exists() else ""
    temp = "\n".join(
        f"    {name}_temp_path {scratch / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{load}daemon off;
pid {scratch / "nginx.pid"};
error_log {scratch / "error.log"} info;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
{temp}
    log_format ocm_test '{LOG_FORMAT}';
    access_log {scratch / "access.log"} ocm_test;
    include {site};
}}
"""


def start(upstreams: list[int], scratch: Path) -> Proxy:
    """nginx with the repository's site file in front of ``upstreams`` (ports on 127.0.0.1)."""
    if not shutil.which("nginx"):
        raise RuntimeError(
            "nginx not found: install Debian's nginx and libnginx-mod-http-brotli-filter "
            "(.ci/run does this)"
        )
    scratch.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(scratch)
    https_port, http_port = free_port(), free_port()
    site = scratch / "ocm.conf"
    site.write_text(site_config(upstreams, https_port, http_port, cert, key))
    conf = scratch / "nginx.conf"
    conf.write_text(main_config(site, scratch))
    checked = subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{checked.stderr}")
    proc = subprocess.Popen(["nginx", "-c", str(conf)], stderr=subprocess.DEVNULL)
    url = f"https://127.0.0.1:{https_port}"
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    deadline = time.time() + 20
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2, context=insecure) as r:
                if r.status == 200:
                    return Proxy(url, scratch / "access.log", proc)
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError((scratch / "error.log").read_text()[-2000:]) from None
            time.sleep(0.2)
