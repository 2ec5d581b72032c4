"""Run the app headless with AppTest against the session's built database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture()
def app(monkeypatch, built_db):
    """``app(page, **query)``: the app run once on ``page`` with those URL parameters."""
    monkeypatch.setenv("OCM_DB", str(built_db))

    def run(page: str | None = None, **query) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        if page:
            at.switch_page(f"pages/{page}.py")  # as a link to that page would open it
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def texts(at) -> str:
    """All visible text of markdown, captions, titles and alerts, joined."""
    parts = []
    for group in (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.info,
        at.warning,
        at.error,
    ):
        parts += [str(e.value) for e in group]
    return "\n".join(parts)
