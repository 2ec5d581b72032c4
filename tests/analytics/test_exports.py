"""Downloads: formula injection is neutralised, numbers untouched, Cyrillic survives."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analytics import exports


@pytest.mark.parametrize(
    "text, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Львів", "Львів"),
        ("a=b", "a=b"),
    ],
)
def test_text_cells(text, expected):
    assert exports.neutralise(pd.DataFrame({"c": [text]}))["c"][0] == expected


def test_numbers_untouched_and_files_readable():
    df = pd.DataFrame({"city": ["Львів", "=1+1"], "score": [-1.5, 2.0], "tags": [["a", "b"], []]})
    csv = exports.to_csv(df).decode("utf-8-sig")
    assert "Львів" in csv and "'=1+1" in csv and "-1.5" in csv and "a; b" in csv
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(df)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][:2] == ("Львів", -1.5) and rows[2][:2] == ("'=1+1", 2)
