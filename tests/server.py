"""Starting the dashboard for tests and the load test: a Streamlit process on a free port of
127.0.0.1, ready once ``/_stcore/health`` answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(
    db: Path, log: Path, secrets: Path | None = None, env: dict | None = None
) -> tuple[str, subprocess.Popen]:
    """Start the dashboard on the database ``db`` with only the secrets file ``secrets`` (none
    by default: a developer's own secrets.toml is not read); return its URL and process once
    it answers. Output goes to ``log``."""
    port = free_port()
    with open(log, "w") as out:  # the child keeps its own copy of the handle
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--secrets.files",
                str(secrets or log.with_name("no-secrets.toml")),
            ],
            cwd=ROOT,
            env={**os.environ, "OCM_DB": str(db), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return url, proc
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError(
                f"the Streamlit server did not come up: {Path(log).read_text()[-2000:]}"
            )
        time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
