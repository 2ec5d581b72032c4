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


def svg_map(at):
    """The overview's SVG map (drawn by Markdown) as an XML element tree."""
    import xml.etree.ElementTree as ET

    html = next(m.value for m in at.markdown if 'class="ocm-svg-map"' in m.value)
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    return ET.fromstring(svg)


SVG = {"s": "http://www.w3.org/2000/svg"}


def svg_titles(root, path: str) -> list[str]:
    """The tooltips of the map's regions (``path`` "s:g/s:path") or cities ("s:g/s:a/s:circle")."""
    return [e.findtext("s:title", default="", namespaces=SVG) for e in root.findall(path, SVG)]


def html_tables(at):
    """The plain tables (``common.table(static=True)``: HTML drawn by Markdown) as DataFrames
    of the texts shown."""
    from html.parser import HTMLParser

    import pandas as pd

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.rows[-1].append(self.cell)
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    out = []
    for m in at.markdown:
        if 'class="ocm-table"' in m.value:
            p = Parser()
            p.feed(m.value)
            out.append(pd.DataFrame(p.rows[1:], columns=p.rows[0]))
    return out
