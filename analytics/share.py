"""Sharing a view: the link that reproduces it, a QR code of that link made here (no service
is asked), and an embed snippet. Every selection lives in the URL, so the link is the view."""

from __future__ import annotations

import html
import io
from urllib.parse import urlencode

import qrcode
import qrcode.constants

#: URL parameters that belong to one viewer's screen rather than to the view shared.
PRIVATE = ("embed", "present")


def view_url(base: str, page: str, params: dict[str, list[str]]) -> str:
    """The address of ``page`` (its url path, "" for the default page) with ``params``."""
    pairs = [(k, v) for k, values in params.items() if k not in PRIVATE for v in values]
    query = urlencode(pairs)
    path = f"{base.rstrip('/')}/{page}".rstrip("/") if page else base.rstrip("/")
    return f"{path}?{query}" if query else path


def with_param(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode({name: value})}"


def qr_png(text: str, box: int = 8, border: int = 2) -> bytes:
    """A QR code of ``text`` as a PNG (error correction M: readable from a projected slide)."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=border
    )
    qr.add_data(text)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the QR code of ``text`` (True = dark), without the quiet zone."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def embed_snippet(url: str, title: str = "Open Cities Monitor", height: int = 720) -> str:
    """An ``<iframe>`` that shows the view without the app's menus (Streamlit's embed mode)."""
    src = html.escape(with_param(url, "embed", "true"), quote=True)
    return (
        f'<iframe src="{src}" width="100%" height="{height}" style="border:0" '
        f'title="{html.escape(title, quote=True)}" loading="lazy"></iframe>'
    )
