"""Downloads: formula injection is neutralised, numbers untouched, Cyrillic survives."""

from __future__ import annotations

import io

import numpy as np
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


# ------------------------------------------------------------------------------ labels

REAL = exports.About(
    what="ranking",
    programme="tc-transparency",
    programme_name="Transparency Ranking",
    methodology="tc-transparency-2019",
    year="2021",
    organisation="TI Ukraine",
    source_url="https://example.org/method",
    licence="Figures: TI Ukraine, quoted with their source page",
)
DEMO = exports.About(
    what="ranking",
    programme="demo-index",
    methodology="demo-index-2021",
    year="2025",
    synthetic=True,
    licence=exports.SYNTHETIC_LICENCE,
)


def test_xlsx_download_has_an_about_sheet():
    df = pd.DataFrame(
        {"city": ["ua-lviv"], "year": [2021], "total": [35.43904761904763], "source": ["published"]}
    )
    urls = {("ua-lviv", 2021): "https://example.org/lviv-2021"}
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(df, REAL, urls)))
    assert wb.sheetnames == ["data", "About"]
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Programme"] == "Transparency Ranking (tc-transparency)"
    assert about["Methodology"] == "tc-transparency-2019"
    assert about["Year"] == "2021"
    assert about["Synthetic"] == "no"
    assert about["Licence"] == "Figures: TI Ukraine, quoted with their source page"
    header, row = list(wb["data"].iter_rows(values_only=True))
    got = dict(zip(header, row))
    assert header[0] == "synthetic" and got["synthetic"] is False
    assert got["total"] == 35.44  # rounded to hundredths
    assert got["about_value_source"] == "published"
    assert got["about_source_url"] == "https://example.org/lviv-2021"  # the figure's own page


def test_synthetic_csv_is_labelled_in_name_and_every_row():
    df = pd.DataFrame({"city": ["ua-lviv", "ua-kyiv"], "total": [61.234, None]})
    assert exports.file_name("ranking-demo-index-2025", DEMO, "csv") == (
        "SYNTHETIC-ranking-demo-index-2025.csv"
    )
    assert exports.file_name("ranking-tc-2021", REAL, "csv") == "ranking-tc-2021.csv"
    back = pd.read_csv(io.BytesIO(exports.to_csv(df, DEMO)), encoding="utf-8-sig")
    assert list(back.columns[:1]) == ["synthetic"] and back["synthetic"].tolist() == [True, True]
    assert set(back["about_value_source"]) == {"synthetic"}
    assert set(back["about_licence"]) == {exports.SYNTHETIC_LICENCE}
    assert back["about_year"].tolist() == [2025, 2025]
    assert back["total"].tolist()[0] == 61.23 and pd.isna(back["total"].tolist()[1])


def test_rounding_and_lists_as_text():
    df = pd.DataFrame(
        {
            "total": [35.43904761904763, 70.1],
            "coverage": [0.987654, 1 / 3],
            "rank": [4.0, None],
            "history": [np.array([50.0, np.nan, 61.256]), [1, 2]],
        }
    )
    out = exports.labelled(df, REAL)
    assert out["total"].tolist() == [35.44, 70.1]
    assert out["coverage"].tolist() == [0.9877, 0.3333]
    assert str(out["rank"].dtype) == "Int64" and out["rank"].tolist()[0] == 4
    assert out["history"].tolist() == ["50.0; ; 61.26", "1; 2"]
    assert "array(" not in exports.to_csv(df, REAL).decode("utf-8-sig")


def test_parquet_and_geojson_carry_the_label():
    import json

    import pyarrow.parquet as pq

    df = pd.DataFrame({"city": ["ua-lviv"], "lon": [24.0], "lat": [49.8], "total": [1.0]})
    meta = pq.read_metadata(io.BytesIO(exports.to_parquet(df, DEMO))).metadata
    assert meta[b"ocm:synthetic"] == b"true"
    assert json.loads(meta[b"ocm:about"])["programme"] == "demo-index"
    doc = json.loads(exports.to_geojson(df, DEMO))
    assert doc["about"]["synthetic"] is True
    assert doc["features"][0]["geometry"]["coordinates"] == [24.0, 49.8]
    assert doc["features"][0]["properties"]["synthetic"] is True
