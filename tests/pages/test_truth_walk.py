"""The data behind the canvas tables (``st.dataframe`` draws its cells on a canvas, so the
browser walk cannot read them): for every page × language × kind of programme, no visible
column holds a "None"/"nan" text or an ISO region code as a label, and empty cells show "—"."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

PROGRAMMES = [("tc-transparency", "2021"), ("demo-index", "2025"), ("tc-wartime", "2023")]
PAGES = {
    "overview": {},
    "rankings": {},
    "city": {"city": "ua-lviv"},
    "compare": {"cities": ["ua-lviv", "ua-kyiv", "ua-vinnytsia"]},
    "trends": {"by": "region"},
    "methodology": {},
}
RAW = {"None", "nan", "NaN", "<NA>", "NaT"}
REGION_CODE = re.compile(r"^(UA|GE|AM|AZ|MD|BY)-\d{2}$")


def visible_columns(element) -> list[str]:
    config = json.loads(element.proto.columns or "{}")
    order = list(element.proto.column_order) or [str(c) for c in element.value.columns]
    return [c for c in order if not config.get(c, {}).get("hidden")]


def bad_cells(df: pd.DataFrame, columns: list[str]) -> list[str]:
    found = []
    for col in columns:
        if col not in df.columns:
            continue
        for v in df[col]:
            items = list(v) if isinstance(v, (list, tuple, np.ndarray)) else [v]
            for item in items:
                if isinstance(item, str) and (item.strip() in RAW or REGION_CODE.match(item)):
                    found.append(f"{col}: {item!r}")
    return sorted(set(found))


def check(at, where: str) -> list[str]:
    problems = []
    for i, element in enumerate(at.dataframe):
        assert element.proto.placeholder == "—", f"{where} table {i}: empty cells not a dash"
        bad = bad_cells(element.value, visible_columns(element))
        problems += [f"{where} table {i}: {b}" for b in bad]
    return problems


@pytest.mark.parametrize("lang", ["en", "uk", "ru"])
@pytest.mark.parametrize("programme, year", PROGRAMMES)
def test_tables_hold_no_raw_values_or_codes(app, lang, programme, year):
    problems = []
    for page, query in PAGES.items():
        at = app(page, programme=programme, year=year, lang=lang, **query)
        problems += check(at, page)
    assert problems == []


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_pages_without_a_programme(app, lang):
    problems = check(app("data", lang=lang), "data")
    problems += check(app("projects", lang=lang, project="transparent-cities-e-platform"), "p")
    assert problems == []


def test_who_meets_what_in_ukrainian(app):
    at = app(
        "compare", programme="demo-index", year="2025", lang="uk", cities=["ua-lviv", "ua-kyiv"]
    )
    matrix = next(d for d in at.dataframe if "kind" in d.value.columns)
    df = matrix.value
    assert df["text"].str.contains("демо-індикатор").all()  # the texts in Ukrainian
    assert set(df["kind"]) <= {"вимога закону", "найкраща практика"}
    assert not df["area"].isin(["info", "access", "procurement"]).any()  # names, not codes
    assert df["area"].str.contains("[А-Яа-яІіЇї]").all()


def test_programme_picker_says_synthetic_first(app):
    for lang, word in (("en", "Synthetic"), ("uk", "Синтетичн"), ("ru", "Синтетическ")):
        at = app("overview", programme="demo-index", year="2025", lang=lang)
        options = at.sidebar.selectbox[0].options  # as the picker shows them
        synthetic = [o for o in options if word.lower() in o.lower()]
        assert len(synthetic) == 1 and synthetic[0].startswith(word), options
