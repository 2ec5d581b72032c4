"""Numbers in the chosen language everywhere: sentences, metrics and tables use Babel with the
interface language (not the browser's locale in one place and a decimal point in another)."""

from __future__ import annotations

import io
import re

import pyarrow as pa


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
    at = app("overview", programme="demo-index", year="2025", lang="uk")
    risers = at.dataframe[0]
    shown = display_values(risers)
    value = risers.value
    assert shown, "the table's numbers are drawn from Babel texts"
    texts = " | ".join(v for values in shown.values() for v in values)
    total, change = value["total"].iloc[0], value["change_points"].iloc[0]
    assert f"{total:.1f}".replace(".", ",") in texts, texts[:300]
    assert f"{change:+.1f}".replace(".", ",") in texts, texts[:300]
    assert '"format": "%.1f"' not in risers.proto.columns  # no point-only printf format left
    at = app("overview", programme="demo-index", year="2025")  # English keeps a point
    assert '"format": "%.1f"' in at.dataframe[0].proto.columns


def test_empty_cells_are_a_dash_not_none(app):
    at = app("rankings", programme="tc-transparency", year="2024")
    assert at.dataframe[0].proto.placeholder == "—"
