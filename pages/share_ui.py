"""'Share this view': the link, a QR code made on this server, and an embed snippet."""

from __future__ import annotations

import streamlit as st

from analytics import share
from pages.common import t


def current_url(page: str) -> str | None:
    """The address of the view on screen, as a viewer's browser would reach it."""
    base = (st.context.url or "").rstrip("/")
    if not base:
        return None
    if page and base.endswith(f"/{page}"):  # the browser's address names the page already
        base = base[: -len(page) - 1]
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    return share.view_url(base, page, params)


def sidebar_share(page: str) -> None:
    url = current_url(page)
    if url is None:
        return
    # Drawn once opened, not before: its st.code blocks would make every first view fetch
    # Streamlit's syntax highlighter and monospace font (0.55 MB on the wire through the
    # proxy, 1.65 MB directly; issue 20), and the QR code, for a panel most viewers never open.
    box = st.sidebar.expander(
        t("Share this view"), icon=":material/share:", key="share_view", on_change="rerun"
    )
    if not box.open:
        return
    with box:
        st.caption(t("This link opens exactly this view (page, programme, year, selection)."))
        st.code(url, language=None, wrap_lines=True)
        st.image(share.qr_png(url), caption=t("Scan to open this view on a phone"), width=180)
        st.caption(t("Embed it in a web page:"))
        st.code(share.embed_snippet(url), language="html", wrap_lines=True)


def corner_qr(page: str, width: int = 150) -> None:
    """A small QR code of the view, for a slide: the room opens it on their phones."""
    url = current_url(page)
    if url is not None:
        st.image(share.qr_png(url, box=6), width=width, caption=t("Open on your phone"))
