"""Every table goes through pages.common.table (numbers in the chosen language, empty cells as
"—"): a page that called st.dataframe itself would bring back raw None and the browser's
number format (issue 12, fixed at the root)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT


def test_no_page_draws_a_table_around_the_shared_mechanism():
    direct = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        if path.name == "common.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("dataframe", "table")
                and isinstance(node.value, ast.Name)
                and node.value.id == "st"
            ):
                direct.append(f"{path.name}:{node.lineno}")
    assert direct == []
