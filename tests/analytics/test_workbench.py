"""The index workbench by hand: weights, method choices, why a rank moved, what it would take.

The tiny programme (tests/analytics/tiny.py), methodology t-1: area A (max 60: a1, a2, a3 at 20)
and B (max 40: b1, b2 at 20); classes good ≥ 75, fair ≥ 50, poor ≥ 0. Five UA cities, all in
the 100–250k band, so each is the others' peer.

2020                A share        B share          official total   rank
  x  20 20 20 | 0  5   60/60 = 1   5/40 = 0.125     60 + 5  = 65     1
  y  20 20  0 | 10 0   40/60       10/40 = 0.25     40 + 10 = 50     2
  z  20  0  0 | 20 10  20/60       30/40 = 0.75     20 + 30 = 50     2
  w   0  0  0 | 20 20  0           1                 0 + 40 = 40     4
  v  20 10  0 | 0  10  30/60 = .5  10/40 = 0.25     30 + 10 = 40     4

2021: x 20 20 0 | 20 15 = 40 + 35 = 75; y full = 100; z as in 2020 = 50;
      w 20 20 20 | 0 15 = 60 + 15 = 75; v 10 na 0 | 10 0 = 10/40 × 60 + 10 = 15 + 10 = 25.
      Ranks: y 1; x, w 2; z 4; v 5.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytics import results
from analytics import workbench as wb
from tests.analytics.tiny import ind, make

Y2020 = {
    "x": {"a1": 20, "a2": 20, "a3": 20, "b1": 0, "b2": 5},
    "y": {"a1": 20, "a2": 20, "a3": 0, "b1": 10, "b2": 0},
    "z": {"a1": 20, "a2": 0, "a3": 0, "b1": 20, "b2": 10},
    "w": {"a1": 0, "a2": 0, "a3": 0, "b1": 20, "b2": 20},
    "v": {"a1": 20, "a2": 10, "a3": 0, "b1": 0, "b2": 10},
}
Y2021 = {
    "x": {"a1": 20, "a2": 20, "a3": 0, "b1": 20, "b2": 15},
    "y": {"a1": 20, "a2": 20, "a3": 20, "b1": 20, "b2": 20},
    "z": Y2020["z"],
    "w": {"a1": 20, "a2": 20, "a3": 20, "b1": 0, "b2": 15},
    "v": {"a1": 10, "a2": "na", "a3": 0, "b1": 10, "b2": 0},
}


def _rows(extra=()):
    rows = []
    for year, table in ((2020, Y2020), (2021, Y2021)):
        for city, scores in table.items():
            rows += ind(city, year, scores)
    return rows + list(extra)


@pytest.fixture()
def con(tmp_path):
    return make(tmp_path / "wb.duckdb", _rows())


def _by_city(table, col):
    return dict(zip(table["city"], table[col]))


# ---------------------------------------------------------------------------- weights


def test_official_weights_reproduce_official_totals_and_ranks(con):
    for year, totals, ranks in (
        (
            2020,
            {"x": 65, "y": 50, "z": 50, "w": 40, "v": 40},
            {"x": 1, "y": 2, "z": 2, "w": 4, "v": 4},
        ),
        (
            2021,
            {"x": 75, "y": 100, "z": 50, "w": 75, "v": 25},
            {"y": 1, "x": 2, "w": 2, "z": 4, "v": 5},
        ),
    ):
        fr = wb.frame(con, "t-1", year)
        assert fr.ok and fr.official_weights() == {"A": 60.0, "B": 40.0}
        table = wb.reweight(fr)
        assert _by_city(table, "total") == pytest.approx(totals, abs=1e-9)
        assert _by_city(table, "official_total") == pytest.approx(totals, abs=1e-9)
        assert _by_city(table, "rank") == ranks
        assert _by_city(table, "official_rank") == ranks
        assert (table["move"] == 0).all()
        # the same ranks as the official index of the database
        db_ranks = dict(
            con.execute(
                "SELECT city, rank FROM indices WHERE methodology = 't-1' AND year = ?", [year]
            ).fetchall()
        )
        assert db_ranks == ranks
        assert wb.is_official(fr, wb.weight_vector(fr, None))


def test_zero_weight_on_one_area_by_hand(con):
    fr = wb.frame(con, "t-1", 2020)
    # B weighs nothing: the index is A's share × 100: x 100, y 66.67, v 50, z 33.33, w 0
    table = wb.reweight(fr, {"B": 0})
    assert _by_city(table, "total") == pytest.approx(
        {"x": 100, "y": 200 / 3, "v": 50, "z": 100 / 3, "w": 0}
    )
    assert _by_city(table, "rank") == {"x": 1, "y": 2, "v": 3, "z": 4, "w": 5}
    # official 1, 2, 2, 4, 4 → moves x 0, y 0, z 2 − 4 = −2, w 4 − 5 = −1, v 4 − 3 = +1
    assert _by_city(table, "move") == {"x": 0, "y": 0, "z": -2, "w": -1, "v": 1}
    # A weighs nothing: B's share × 100: w 100, z 75, y 25, v 25, x 12.5
    table = wb.reweight(fr, {"A": 0})
    assert _by_city(table, "rank") == {"w": 1, "z": 2, "y": 3, "v": 3, "x": 5}
    # weights are relative: doubling both changes nothing
    assert _by_city(wb.reweight(fr, {"A": 120, "B": 80}), "total") == pytest.approx(
        _by_city(wb.reweight(fr), "total")
    )
    with pytest.raises(ValueError):
        wb.reweight(fr, {"A": 0, "B": 0})


def test_programme_with_totals_only_needs_area_scores(tmp_path):
    rows = [(c, 2021, "t-1", "total", "total", 40.0 + i, "scored") for i, c in enumerate("xyzwv")]
    fr = wb.frame(make(tmp_path / "t.duckdb", rows), "t-1", 2021)
    assert not fr.ok and fr.reason == "needs area scores"


# ---------------------------------------------------------------------------- method choices


def test_geometric_mean_with_a_zero_area_is_floored_at_one_percent(con):
    fr = wb.frame(con, "t-1", 2020)
    t = _by_city(wb.reweight(fr, aggregation="geometric"), "total")
    # w: A share 0 → 0.01; weights 0.6 / 0.4: 0.01^0.6 × 1^0.4 × 100 = 10^−1.2 × 100 = 6.31
    assert t["w"] == pytest.approx(100 * 10**-1.2) and t["w"] > 0
    # x: 1^0.6 × 0.125^0.4 × 100 = 43.53
    assert t["x"] == pytest.approx(100 * 0.125**0.4)
    # y: (2/3)^0.6 × 0.25^0.4 × 100 = exp(0.6 ln 2/3 + 0.4 ln 1/4) × 100 = 45.03
    assert t["y"] == pytest.approx(100 * math.exp(0.6 * math.log(2 / 3) + 0.4 * math.log(0.25)))
    with pytest.raises(ValueError):
        wb.reweight(fr, aggregation="geometric", normalisation="zscore")


def test_minmax_and_zscore_by_hand(con):
    fr = wb.frame(con, "t-1", 2020)
    # A shares 1, 2/3, 1/3, 0, 1/2 span 0–1: unchanged; B 0.125–1 → (s − 0.125) / 0.875
    t = _by_city(wb.reweight(fr, normalisation="minmax"), "total")
    assert t["x"] == pytest.approx(60.0)  # A 1, B 0
    assert t["z"] == pytest.approx(20 + 40 * (0.75 - 0.125) / 0.875)
    z = _by_city(wb.reweight(fr, normalisation="zscore"), "total")
    a = np.array([1, 2 / 3, 1 / 3, 0, 0.5])  # x, y, z, w, v
    b = np.array([0.125, 0.25, 0.75, 1, 0.25])
    za, zb = (a - a.mean()) / a.std(), (b - b.mean()) / b.std()
    assert z["x"] == pytest.approx(0.6 * za[0] + 0.4 * zb[0])


def test_missing_excluded_respreads_weights(tmp_path):
    # z's b2 not assessed: as the programme counts, z's B is 20/20 = 1 → 20 + 40 = 60;
    # excluded, b2 is left out for every city, B = b1 alone
    rows = [r for r in _rows() if not (r[0] == "z" and r[1] == 2020 and r[4] == "b2")]
    rows.append(("z", 2020, "t-1", "indicator", "b2", None, "not_assessed"))
    con = make(tmp_path / "t.duckdb", rows, min_coverage=0.5)
    fr = wb.frame(con, "t-1", 2020)
    t = _by_city(wb.reweight(fr), "total")
    assert t["z"] == pytest.approx(60.0)
    e = _by_city(wb.reweight(fr, missing="excluded"), "total")
    # x: A 1, b1 0/20 → 60; w: A 0, b1 20/20 → 40; y: 40 + 10/20 × 40 = 60
    assert e == pytest.approx({"x": 60, "y": 60, "z": 60, "w": 40, "v": 30})


def test_choice_summaries(con):
    fr = wb.frame(con, "t-1", 2020)
    s = wb.choice_summaries(fr).set_index(["choice", "option"])
    assert s.loc[("aggregation", "programme"), "spearman"] == pytest.approx(1.0)
    assert s.loc[("aggregation", "programme"), "median_shift"] == 0
    one = wb.shift_summary(wb.reweight(fr, {"B": 0}))
    # moves 0, 0, −2, −1, +1 → median |shift| 1; nobody moves more than 5 places
    assert one["median_shift"] == 1 and one["moved_over"] == 0


# ---------------------------------------------------------------------------- why a rank moved


def test_area_and_indicator_split_sum_exactly_to_the_change(con):
    e = wb.explain(con, "t", "x", 2021)
    assert e["status"] == "same" and e["year_a"] == 2020
    assert e["change"] == pytest.approx(10.0)  # 65 → 75
    areas = dict(zip(e["areas"]["area"], e["areas"]["change"]))
    assert areas == pytest.approx({"A": -20.0, "B": 30.0})  # 60 → 40, 5 → 35
    assert sum(areas.values()) + e["residual"] == e["change"]
    ind = e["indicators"].set_index("code")
    changed = ind[ind["kind"] != "unchanged"]
    assert dict(changed["kind"]) == {"a3": "lost", "b1": "newly met", "b2": "partial"}
    assert dict(changed["change"]) == pytest.approx({"a3": -20.0, "b1": 20.0, "b2": 10.0})
    assert ind["change"].sum() == pytest.approx(e["change"])


def test_own_versus_others_rank_split_by_hand(con):
    e = wb.explain(con, "t", "x", 2021)
    # x was 1st in 2020 with 65. Among the others' 2021 totals (y 100, w 75, z 50, v 25) 65
    # would rank 3rd: the others cost it two places; its own 65 → 75 lifts it to 2nd (tied).
    assert (e["rank_a"], e["rank_if_unchanged"], e["rank_b"]) == (1, 3, 2)
    assert (e["others_effect"], e["own_effect"]) == (-2, 1)
    assert e["others_effect"] + e["own_effect"] == e["rank_a"] - e["rank_b"]


def test_across_a_break_only_linked_areas(tmp_path):
    rows = _rows(ind("x", 2022, {"a1": 20, "a2": 15, "c1": 0}, "t-2"))
    con = make(tmp_path / "t.duckdb", rows, min_coverage=0.0)
    e = wb.explain(con, "t", "x", 2022)
    # linked area A: 2021 40/60 → 2022 35/50: like-for-like 66.67 → 70
    assert e["status"] == "linked"
    assert (e["total_a"], e["total_b"]) == pytest.approx((200 / 3, 70.0))
    assert e["areas"]["change"].sum() == pytest.approx(e["change"])
    assert "rank_if_unchanged" not in e
    con.execute("DELETE FROM area_links")
    assert wb.explain(con, "t", "x", 2022)["status"] == "break"
    assert wb.explain(con, "t", "x", 2020)["status"] == "none"  # no earlier year


# ---------------------------------------------------------------------------- what it would take


def test_ticking_three_indicators_by_hand(con):
    # v 2021: a1 10, a2 n/a, a3 0, b1 10, b2 0 → A 10/40 × 60 = 15, B 10 → 25 (poor, 5th).
    # a3 adds 20 × 60/40 = 30, b1 adds 10, b2 adds 20: 25 + 30 + 10 + 20 = 85 → good; only
    # y (100) is above 85: 2nd.
    out = wb.what_if(con, "t-1", 2021, "v", ("a3", "b1", "b2"))
    assert (out["current"], out["class"], out["rank"]) == (25.0, "poor", 5)
    assert out["new_total"] == pytest.approx(85.0)
    assert (out["new_class"], out["new_rank"]) == ("good", 2)
    ticked = out["ticked"].set_index("code")
    assert dict(ticked["gain"]) == pytest.approx({"a3": 30.0, "b1": 10.0, "b2": 20.0})
    assert ticked.loc["a3", "met_by"] == ["w", "y"]
    assert ticked.loc["b1", "met_by"] == ["x", "y", "z"]
    assert ticked.loc["b2", "met_by"] == ["y"]
    assert set(out["candidates"]["code"]) == {"a1", "a3", "b1", "b2"}  # a2 does not apply
    assert wb.what_if(con, "t-1", 2021, "v", ())["new_total"] == pytest.approx(25.0)


# ---------------------------------------------------------------------------- rank ranges


def test_rank_ranges_without_spread_are_the_official_ranks(con):
    fr = wb.frame(con, "t-1", 2020)
    rr = wb.rank_ranges(
        fr, n=50, spread=0.0, aggregations=("programme",), normalisations=("published",)
    )
    for col in ("median_rank", "p05_rank", "p95_rank"):
        assert _by_city(rr, col) == _by_city(rr, "official_rank")
    wide = wb.rank_ranges(fr, n=400, spread=0.5)
    assert (wide["p05_rank"] <= wide["median_rank"]).all()
    assert (wide["median_rank"] <= wide["p95_rank"]).all()
    assert (wide["p95_rank"] - wide["p05_rank"]).max() > 0  # the order does move


# ---------------------------------------------------------------------------- real data


def _real_2018(ro):
    n = ro.execute(
        "SELECT count(computed_total) FROM indices WHERE programme = 'tc-transparency' "
        "AND year = 2018"
    ).fetchall()[0][0]
    if n < 100:
        pytest.skip("TI Ukraine's 2018 indicator scores (branch tc) are not in this build yet")


def test_real_2018_official_weights_reproduce_the_official_index(ro):
    _real_2018(ro)
    fr = wb.frame(ro, "tc-transparency-2017", 2018)
    assert fr.ok and len(fr.cities) == 100 and len(fr.areas) == 13
    table = wb.reweight(fr).set_index("city")
    official = (
        ro.execute(
            "SELECT city, total, rank FROM indices WHERE programme = 'tc-transparency' "
            "AND year = 2018"
        )
        .df()
        .set_index("city")
    )
    gap = table["total"] - official["total"].reindex(table.index)
    assert gap.abs().max() == pytest.approx(0.0, abs=1e-9)
    assert (table["rank"] == official["rank"].reindex(table.index)).all()


def test_real_own_versus_others_mariupol_2017_2018(ro):
    _real_2018(ro)
    e = wb.explain(ro, "tc-transparency", "ua-mariupol", 2018)
    # Mariupol: 28.10 points and 57th in 2017; 76.35 and 2nd in 2018. In 2018, 85 of the
    # other 99 cities scored above 28.10 (86th: 28.70, 87th: 27.90), so with its 2017 score it
    # would have been 86th: the others' gains cost it 86 − 57 = 29 places; its own gains
    # moved it 86 − 2 = 84 places up, to 2nd.
    assert (e["total_a"], e["rank_a"], e["total_b"], e["rank_b"]) == (28.1, 57, 76.35, 2)
    assert (e["rank_if_unchanged"], e["others_effect"], e["own_effect"]) == (86, -29, 84)
    assert e["areas"]["change"].sum() + e["residual"] == pytest.approx(e["change"])
    assert e["indicators"].empty  # 2017 was published by area only: no indicator split


def test_a_published_total_keeps_its_own_difference(tmp_path):
    # x's published 2020 total is 66, its area scores add up to 65: the official weights give
    # 66 back; with B weighing nothing x has 100 + 1, kept at the maximum 100; y (no
    # published total) 66.67 as before
    rows = _rows([("x", 2020, "t-1", "total", "total", 66.0, "scored")])
    con = make(tmp_path / "t.duckdb", rows)
    fr = wb.frame(con, "t-1", 2020)
    assert _by_city(wb.reweight(fr), "total")["x"] == pytest.approx(66.0)
    t = _by_city(wb.reweight(fr, {"B": 0}), "total")
    assert (t["x"], t["y"]) == pytest.approx((100.0, 200 / 3))
    # other aggregations use the area scores alone: x's geometric mean is 100 × 0.125^0.4
    g = _by_city(wb.reweight(fr, aggregation="geometric"), "total")
    assert g["x"] == pytest.approx(100 * 0.125**0.4)
    e = wb.explain(con, "t", "x", 2021)  # 66 → 75: areas −20 and +30, and −1 of the gap
    assert e["change"] == pytest.approx(9.0) and e["residual"] == pytest.approx(-1.0)


def test_an_area_held_in_one_year_only_is_not_counted_as_zero(tmp_path):
    # area scores as published: x 2020 A 30/60, B 20/40 → 50; 2021 only A 40/60 → rescaled
    # over A alone: 40/60 × 100 = 66.67. A's part: 30 → 66.67 (+36.67); B, held in 2020 only,
    # is one step of its own: 20 → none (−20). 36.67 − 20 = 16.67, the change.
    rows = [
        ("x", 2020, "t-1", "area", "A", 30.0, "scored"),
        ("x", 2020, "t-1", "area", "B", 20.0, "scored"),
        ("y", 2020, "t-1", "area", "A", 60.0, "scored"),
        ("y", 2020, "t-1", "area", "B", 40.0, "scored"),
        ("x", 2021, "t-1", "area", "A", 40.0, "scored"),
    ]
    con = make(tmp_path / "t.duckdb", rows, min_coverage=0.5)
    e = wb.explain(con, "t", "x", 2021)
    steps = dict(zip(e["areas"]["area"], e["areas"]["change"]))
    assert steps == pytest.approx({"A": 200 / 3 - 30, wb.ONE_YEAR: -20.0})
    assert sum(steps.values()) == pytest.approx(e["change"]) and e["change"] == pytest.approx(
        50 / 3
    )
    # computed ranks among each year's cities (2 in 2020, 1 in 2021) are split: 2nd in 2020;
    # with 50 it would be 1st alone in 2021 (others +1), its own change keeps it there
    assert (e["rank_a"], e["rank_if_unchanged"], e["rank_b"]) == (2, 1, 1)
    # a published rank of a larger field (57th of 100, with 2 cities here) is not split; the
    # ranking's size says the field here is not whole (else the computed rank stands)
    con.execute(
        "INSERT INTO published_figures VALUES ('d', 't', 't-1', 2020, 'x', 'rank', NULL, NULL, "
        "57, NULL, true, 'https://example.org', NULL), ('d', 't', 't-1', 2020, NULL, 'ranked', "
        "NULL, NULL, 100, NULL, true, 'https://example.org', NULL)"
    )
    results.refresh(con, min_coverage=0.5)
    e = wb.explain(con, "t", "x", 2021)
    assert e["rank_a"] == 57 and e["rank_note"] == "different fields"
    assert "rank_if_unchanged" not in e
