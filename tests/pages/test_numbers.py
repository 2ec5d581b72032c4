"""Numbers in the chosen language everywhere: sentences, metrics and tables use Babel with the
interface language (not the browser's locale in one place and a decimal point in another)."""

from __future__ import annotations

import io
import re

import pyarrow as pa

from tests.pages.conftest import html_tables


def display_values(df_element) -> dict[str, list[str]]:
    """The texts a table shows per column (the Styler's display values)."""
    raw = df_element.proto.arrow_data.styler.display_values
    table = pa.ipc.open_stream(io.BytesIO(raw)).read_all().to_pandas()
    return {str(c): [str(v) for v in table[c]] for c in table.columns}


def test_sentences_and_metrics_in_ukrainian(app):
    at = app("overview", programme="demo-index", year="2025", lang="uk")
    metric = {m.label: m for m in at.metric}["Середній індекс"]
    assert re.fullmatch(r"\d+,\d", metric.value)
    assert re.match(r"[+-]\d+,\d на \d+ містах з 2024", metric.proto.delta)


def test_table_numbers_in_the_interface_language(app):
    at = app("rankings", programme="demo-index", year="2025", lang="uk")
    grid = at.dataframe[0]
    shown = display_values(grid)
    value = grid.value
    assert shown, "the table's numbers are drawn from Babel texts"
    texts = " | ".join(v for values in shown.values() for v in values)
    change = value["change_points"].dropna().iloc[0]
    assert f"{change:+.1f}".replace(".", ",") in texts, texts[:300]
    assert '"format": "%+.1f"' not in grid.proto.columns  # no point-only printf format left
    at = app("rankings", programme="demo-index", year="2025")  # English keeps a point
    assert '"format": "%+.1f"' in at.dataframe[0].proto.columns


def test_static_tables_in_the_interface_language(app):
    """The overview's risers and fallers are plain HTML tables (neither the grid's nor the
    Arrow table's code on the landing page): the same labels, numbers via Babel, no raw
    None/nan."""
    at = app("overview", programme="demo-index", year="2025", lang="uk")
    assert not at.table  # no Arrow table element: its code is not loaded
    risers = html_tables(at)[0]
    assert list(risers.columns) == ["Місто", "Індекс", "Зміна, бали", "З"]
    assert all(re.fullmatch(r"\d+,\d", v) for v in risers["Індекс"])
    assert all(re.fullmatch(r"[+-]\d+,\d", v) for v in risers["Зміна, бали"])
    assert all(re.fullmatch(r"\d{4}", v) for v in risers["З"])
    assert not any(v in ("None", "nan") for v in risers.to_numpy().ravel())
    at = app("overview", programme="demo-index", year="2025")  # English keeps a point
    assert all(re.fullmatch(r"\d+\.\d", v) for v in html_tables(at)[0]["Index"])


def test_empty_cells_are_a_dash_not_none(app):
    at = app("rankings", programme="tc-transparency", year="2024")
    assert at.dataframe[0].proto.placeholder == "—"


def test_share_bars_are_labelled_in_whole_percent():
    """A progress bar's printf label has no decimal comma: shares are drawn as whole percent
    (8%, not 8.33%), the same in every language; other bars and the data are untouched."""
    import pandas as pd
    import streamlit as st

    from pages import common

    df = pd.DataFrame({"share": [1 / 12, 0.5, None], "total": [67.7, 50.0, 1.0]})
    config = {
        "share": st.column_config.ProgressColumn("s", min_value=0, max_value=1, format="percent"),
        "total": st.column_config.ProgressColumn("t", min_value=0, max_value=100, format="%.1f"),
    }
    shown, cfg = common._whole_percent_bars(df, dict(config))
    assert shown["share"].tolist()[:2] == [8.0, 50.0] and pd.isna(shown["share"].iloc[2])
    assert cfg["share"]["type_config"]["format"] == "%d%%"
    assert cfg["share"]["type_config"]["max_value"] == 100
    assert cfg["total"] == config["total"] and shown["total"].tolist() == [67.7, 50.0, 1.0]
    assert df["share"].iloc[0] == 1 / 12  # the caller's frame is not changed


def test_html_table_escapes_aligns_and_keeps_the_name_in_view():
    import pandas as pd

    from pages.common import html_table

    shown = pd.DataFrame({"City": ["Kam'ianets <b>"], "Index": ["—"]})
    html = html_table(shown, {"Index"})
    assert "Kam&#x27;ianets &lt;b&gt;" in html and "<b>" not in html
    assert '<td style="text-align:right;">—</td>' in html  # missing stays a dash, not 0
    assert '<th style="position:sticky;left:0;' in html  # the name column stays in view
    assert "\n" not in html  # one HTML block for Markdown
    assert html_tables_of(html) == [["City", "Index"], ["Kam'ianets <b>", "—"]]


def html_tables_of(html: str) -> list[list[str]]:
    from types import SimpleNamespace

    frame = html_tables(SimpleNamespace(markdown=[SimpleNamespace(value=html)]))[0]
    return [list(frame.columns), *frame.to_numpy().tolist()]


def test_index_bars_show_the_digits_of_every_other_text():
    """Mariupol 2018: 76.35. The rankings bar (printf in the browser, binary) read "76.3" while
    the overview's and the workbench's Babel texts read "76,4" (and Zhytomyr 63.85: "63.9" in
    the bar, "63,8" in the texts). Bars get values rounded half up, as the texts are."""
    import pandas as pd
    import streamlit as st

    from pages import common

    df = pd.DataFrame({"total": [76.35, 63.85, None, 57.0], "n": [76.35, 63.85, 1.0, 2.0]})
    config = {
        "total": st.column_config.ProgressColumn("t", min_value=0, max_value=100, format="%.1f"),
        "n": st.column_config.NumberColumn("n", format="%.1f"),
    }
    shown = common._bars_rounded_half_up(df, config)
    assert [f"{v:.1f}" for v in shown["total"].dropna()] == ["76.4", "63.9", "57.0"]
    assert pd.isna(shown["total"].iloc[2])
    assert [common.fmt_num(v) for v in df["n"][:2]] == ["76.4", "63.9"]  # the texts agree
    assert shown["n"].tolist() == df["n"].tolist()  # only bars; the caller's frame unchanged
    assert df["total"].iloc[0] == 76.35
