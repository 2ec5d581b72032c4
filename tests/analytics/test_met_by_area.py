"""``dashboard.met_by_area``: the city profile's "m of n met" per area, counted by hand."""

from __future__ import annotations

import pandas as pd

from analytics import dashboard


def test_each_area_counts_its_met_indicators_in_table_order():
    ind = pd.DataFrame(
        {
            "area": ["info", "info", "budget", "info", "budget"],
            "area_name": ["Information", "Information", "Budget", "Information", "Budget"],
            "code": ["i1", "i2", "b1", "i3", "b2"],
            "state": ["met", "missing", "partial", "met", "unmet"],
        }
    )
    out = dashboard.met_by_area(ind)
    assert list(out.index) == ["info", "budget"]  # the table's order, not sorted
    assert out.loc["info"].to_dict() == {"name": "Information", "met": 2, "n": 3}
    assert out.loc["budget"].to_dict() == {"name": "Budget", "met": 0, "n": 2}
