"""Data a user downloads: CSV and XLSX bytes, safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd

# A text cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that a spreadsheet would run as formulas start with ``'``.

    Numbers are left alone (a negative number is a number, not a formula).
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel reads Cyrillic names correctly."""
    return neutralise(_plain(df)).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An XLSX workbook with one sheet."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise(_plain(df)).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()
