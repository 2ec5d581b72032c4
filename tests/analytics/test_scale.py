"""The index scale of a programme: bars and sparklines drawn to its maximum, not to 100."""

from __future__ import annotations

from analytics import dashboard


def test_bars_and_sparklines_follow_the_programme_scale(built_db):
    """TI's 2018 investment ranking counts to 20 points: its leader, Ivano-Frankivsk with 15,
    was drawn as 15 % of a bar and a sparkline dot near the bottom (scale 0–100)."""
    import base64

    import duckdb

    con = duckdb.connect(str(built_db), read_only=True)
    assert dashboard.scale_max(con, "tc-investment", 2018) == 20.0
    assert dashboard.scale_max(con, "tc-transparency", 2018) == 100.0
    assert dashboard.scale_max(con, "no-such-programme") == 100.0
    first = dashboard.ranking(con, "tc-investment", 2018).iloc[0]
    assert (first["name"], first["total"]) == ("Ivano-Frankivsk", 15.0)
    svg = base64.b64decode(first["sparkline"].split(",", 1)[1]).decode()
    # y = 5 + (1 - 15 / 20) * (28 - 2 * 5) = 9.5 (to 100 it was 5 + 0.85 * 18 = 20.3)
    assert 'cy="9.5"' in svg
    con.close()


def test_programmes_are_listed_in_one_order(ro):
    """Real programmes first, most totals first, then by code: Georgia's partial index and
    TI's accountability ranking both have 17 totals and swapped places between processes."""
    progs = dashboard.programmes(ro)
    codes = list(progs["code"])
    assert codes.index("ge-lsg-index") < codes.index("tc-accountability")
    assert codes[-1] == "demo-index"
    key = list(zip(progs["synthetic"], -progs["totals"], progs["code"]))
    assert key == sorted(key)
