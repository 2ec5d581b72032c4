"""Trends, comparison, gap planner, rank robustness and project impact, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from analytics import compare, impact, robustness, trends
from tests.analytics.tiny import ind, make

FULL = {"a1": 20, "a2": 20, "a3": 20, "b1": 20, "b2": 20}


# ---------------------------------------------------------------------------- trends


def test_breaks_are_data(tmp_path):
    con = make(tmp_path / "t.duckdb", [])
    assert trends.breaks(con, "t") == [{"year": 2022, "methodology": "t-2", "previous": "t-1"}]


def test_slope_within_methodology(tmp_path):
    rows = (
        ind("x", 2020, {**FULL, "a1": 0, "a2": 0})  # 60
        + ind("x", 2021, {**FULL, "a1": 0})  # 80
        + ind("x", 2022, {"a1": 0, "a2": 0, "c1": 0}, "t-2")
    )  # 0
    con = make(tmp_path / "t.duckdb", rows)
    within = trends.slopes(con, "t", min_years=2)
    assert within[["city", "methodology", "slope"]].values.tolist() == [["x", "t-1", 20.0]]
    across = trends.slopes(con, "t", within_methodology=False, min_years=3)
    assert across["slope"].iloc[0] == pytest.approx(-30.0)  # OLS of 60, 80, 0
    assert bool(across["spans_break"].iloc[0])


def test_year_on_year(tmp_path):
    rows = (
        ind("x", 2020, {**FULL, "a1": 0, "a2": 0})  # 60, rank 2
        + ind("y", 2020, FULL)  # 100, rank 1
        + ind("x", 2021, FULL)  # 100, rank 1 (tie)
        + ind("y", 2021, {**FULL, "b1": 0})
    )  # 80, rank 2
    con = make(tmp_path / "t.duckdb", rows)
    yoy = trends.year_on_year(con, "t", 2021).set_index("city")
    assert yoy.loc["x", ["change_points", "change_rank"]].tolist() == [40.0, 1]
    assert yoy.loc["y", ["change_points", "change_rank"]].tolist() == [-20.0, -1]
    assert list(yoy.index) == ["x", "y"]  # biggest gain first


def test_aggregates_by_country(tmp_path):
    rows = (
        ind("x", 2020, {**FULL, "a1": 0, "a2": 0})  # 60 fair
        + ind("y", 2020, FULL)  # 100 good
        + ind("z", 2020, {**FULL, "b1": 0, "b2": 0, "a1": 0, "a2": 0})  # 20 poor
        + ind("g", 2020, FULL)
    )  # GE 100
    con = make(tmp_path / "t.duckdb", rows)
    agg = trends.aggregate(con, "t", by="country").set_index("country")
    assert agg.loc["UA", "mean"] == pytest.approx(60.0)
    assert agg.loc["UA", "median"] == pytest.approx(60.0)
    assert agg.loc["UA", "share good"] == pytest.approx(1 / 3)
    assert agg.loc["GE", "share good"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        trends.aggregate(con, "t", by="planet")


@pytest.mark.parametrize(
    "population, band",
    [(49_999, "under 50k"), (50_000, "50–100k"), (1_000_000, "1M and more"), (None, None)],
)
def test_population_bands(population, band):
    assert trends.population_band(population) == band


def test_like_for_like_on_shared_indicators(tmp_path):
    rows = ind("x", 2021, {"a1": 10, "a2": 20, "a3": 0, "b1": 20, "b2": 20}) + ind(
        "x", 2022, {"a1": 20, "a2": 15, "c1": 0}, "t-2"
    )
    con = make(tmp_path / "t.duckdb", rows)
    lfl = trends.like_for_like(con, "t", 2021, 2022)
    # shared: a1 (max 20 in 2021, 20 in 2022) and a2 (20 → 30): 2021 30/40, 2022 35/50
    assert lfl.to_dict("records") == [
        {
            "city": "x",
            "total_a": 75.0,
            "total_b": 70.0,
            "change": -5.0,
            "items": 2,
            "basis": "indicators",
        }
    ]


def test_like_for_like_on_linked_areas(tmp_path):
    rows = [
        ("x", 2021, "t-1", "area", "A", 30.0, "scored"),
        ("x", 2021, "t-1", "area", "B", 40.0, "scored"),
        ("x", 2022, "t-2", "area", "A", 40.0, "scored"),
        ("x", 2022, "t-2", "area", "C", 0.0, "scored"),
    ]
    con = make(tmp_path / "t.duckdb", rows)
    lfl = trends.like_for_like(con, "t", 2021, 2022)
    # linked area A: 30/60 = 50 → 40/50 = 80
    assert lfl[["total_a", "total_b", "basis"]].values.tolist() == [[50.0, 80.0, "areas"]]


# ---------------------------------------------------------------------------- comparison


def test_indicator_matrix_and_area_profiles(tmp_path):
    rows = ind("x", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": "na", "b2": "nx"}) + ind(
        "y", 2020, FULL
    )
    con = make(tmp_path / "t.duckdb", rows)
    m = compare.indicator_matrix(con, "t-1", 2020, ["x", "y", "z"])
    assert m["code"].tolist() == ["a1", "a2", "a3", "b1", "b2"]
    assert list(m.columns[:5]) == ["area", "code", "text", "kind", "max_points"]
    assert m["x"].tolist() == ["met", "partly", "unmet", "not_applicable", "not_assessed"]
    assert m["y"].tolist() == ["met"] * 5
    assert m["z"].isna().all()  # not assessed at all is missing, not zero
    prof = compare.area_profiles(con, "t-1", 2020, ["x", "y"])
    assert prof.loc[(prof.city == "x") & (prof.area == "A"), "points"].item() == 30.0
    with pytest.raises(ValueError):
        compare.area_profiles(con, "t-1", 2020, list("abcdefg"))


def test_peers_and_nearest_profile(tmp_path):
    rows = (
        ind("x", 2020, {**FULL, "a1": 0})
        + ind("y", 2020, {**FULL, "a2": 0})
        + ind("z", 2020, {**FULL, "b1": 0})
        + ind("g", 2020, {**FULL, "a3": 0})
    )
    con = make(tmp_path / "t.duckdb", rows)
    # x: UA, 100k–250k band; y and z share both; g is in Georgia
    assert compare.peer_group(con, "t-1", 2020, "x") == ["y", "z"]
    near = compare.nearest_by_profile(con, "t-1", 2020, "x", k=2)
    assert near["city"].tolist()[0] in ("y", "g")  # same profile (A 40/60, B 40/40)
    assert near["distance"].iloc[0] == pytest.approx(0.0)


# ---------------------------------------------------------------------------- gap planner


def _gap_db(tmp_path):
    rows = (
        ind("x", 2020, {"a1": 20, "a2": 10, "a3": 0, "b1": 20, "b2": 20})  # 70
        + ind("y", 2020, {"a1": 20, "a2": "na", "a3": 10, "b1": 0, "b2": 20})  # 65
        # peers (same country and band as x): z and w meet a2; only w meets a3
        + ind("z", 2020, {"a1": 0, "a2": 20, "a3": 0, "b1": 0, "b2": 0})
        + ind("w", 2020, {"a1": 0, "a2": 20, "a3": 20, "b1": 0, "b2": 0})
    )
    return make(tmp_path / "t.duckdb", rows)


def test_gap_to_next_class_prefers_what_peers_do(tmp_path):
    con = _gap_db(tmp_path)
    plan = compare.gap_plan(con, "t-1", 2020, "x")
    # 70 → 75 (good): a2 adds 10, a3 adds 20; one indicator suffices; peers meet a2 more
    assert (plan["current"], plan["target"], plan["target_class"]) == (70.0, 75.0, "good")
    assert plan["plan"]["code"].tolist() == ["a2"]
    assert plan["plan"]["gain"].tolist() == [10.0]
    assert plan["plan"]["total_after"].tolist() == [80.0]
    assert plan["plan"]["met_by"].iloc[0][:2] == ["w", "z"]


def test_gap_to_a_target_needs_the_smallest_set(tmp_path):
    con = _gap_db(tmp_path)
    plan = compare.gap_plan(con, "t-1", 2020, "x", target=95)
    assert sorted(plan["plan"]["code"]) == ["a2", "a3"]
    assert plan["reachable"] and plan["plan"]["total_after"].iloc[-1] == pytest.approx(100.0)
    assert not compare.gap_plan(con, "t-1", 2020, "x", target=101)["reachable"]


def test_gap_gains_follow_area_rescaling(tmp_path):
    con = _gap_db(tmp_path)
    plan = compare.gap_plan(con, "t-1", 2020, "y", target=100)
    # y: A rescaled over 40 assessed points: a3's missing 10 → 10 × 60/40 = 15; b1's 20 → 20
    gains = dict(zip(plan["plan"]["code"], plan["plan"]["gain"]))
    assert gains == {"b1": 20.0, "a3": 15.0}


def test_gap_planner_without_indicator_data(tmp_path):
    con = make(tmp_path / "t.duckdb", [("x", 2021, "t-1", "total", "total", 40.0, "scored")])
    out = compare.gap_plan(con, "t-1", 2021, "x")
    assert out["plan"].empty and "no indicator-level" in out["reason"]


# ---------------------------------------------------------------------------- robustness


def test_competition_ranks_by_hand():
    assert robustness.competition_ranks(np.array([3.0, 1.0, 3.0, 2.0])).ravel().tolist() == [
        1,
        4,
        1,
        3,
    ]


def test_cronbach_alpha_by_hand():
    items = np.array([[1, 1], [0, 0], [1, 0]], dtype=float)
    assert robustness.cronbach_alpha(items) == pytest.approx(2 / 3)


def _shares(n=40, seed=3):
    rng = np.random.default_rng(seed)
    return rng.random((n, 4)), np.array([0.4, 0.3, 0.2, 0.1])


def test_fixed_weights_give_zero_width_intervals():
    shares, w = _shares()
    mc = robustness.monte_carlo(shares, w, n=50, concentration=None, aggregations=("arithmetic",))
    assert np.array_equal(mc["p05_rank"], mc["nominal_rank"])
    assert np.array_equal(mc["p95_rank"], mc["nominal_rank"])
    assert mc["spearman_median"] == pytest.approx(1.0)


def test_monte_carlo_is_reproducible_with_a_seed():
    shares, w = _shares()
    a = robustness.monte_carlo(shares, w, n=200, seed=11)
    b = robustness.monte_carlo(shares, w, n=200, seed=11)
    c = robustness.monte_carlo(shares, w, n=200, seed=12)
    assert np.array_equal(a["p95_rank"], b["p95_rank"]) and a["spearman_p05"] == b["spearman_p05"]
    assert (
        not np.array_equal(a["p95_rank"], c["p95_rank"]) or a["spearman_p05"] != c["spearman_p05"]
    )
    assert (a["p05_rank"] <= a["median_rank"]).all() and (a["median_rank"] <= a["p95_rank"]).all()
    assert 0.5 < a["spearman_median"] <= 1.0


def test_rank_intervals_and_coherence_from_the_database(ro):
    r = robustness.rank_intervals(ro, "demo-index-2021", 2025, n=100)
    assert len(r) > 100 and r.attrs["draws"] == 100
    assert (r["p05_rank"] <= r["p95_rank"]).all()
    coh = robustness.coherence(ro, "demo-index-2021", 2025)
    assert len(coh) == 14 and coh["corr_with_total"].between(-1, 1).all()
    assert coh["cronbach_alpha"].notna().all()


# ---------------------------------------------------------------------------- impact


def _did_db(tmp_path, post_t, post_c):
    """Treated t1..t3 (x, y, z) and controls (w, v): 50 points in 2020, then post values
    in 2022 (methodology t-1 only has 2020–2021, so use 2020 and 2021: project starts 2020.5)."""
    rows = []
    for city, post in zip(["x", "y", "z", "w", "v"], post_t + post_c):
        rows += [
            (city, 2020, "t-1", "total", "total", 50.0, "scored"),
            (city, 2022, "t-2", "total", "total", 50.0 + post, "scored"),
        ]
    return make(
        tmp_path / "t.duckdb",
        rows,
        projects=[("p", [("x", 2021, 2022), ("y", 2021, 2022), ("z", 2021, 2022)])],
    )


def test_did_recovers_a_planted_effect(tmp_path):
    con = _did_db(tmp_path, [10.0, 12.0, 8.0], [1.0, 3.0])
    out = impact.project_impact(con, "p", "t", n_boot=500, seed=1)
    assert out["effect"] == pytest.approx(10.0 - 2.0)
    assert out["n_treated"] == 3 and out["n_control"] == 2
    assert 0 < out["ci_low"] <= 8.0 <= out["ci_high"]
    assert "not proof" in out["caveat"] and out["spans_break"]


def test_did_sign_and_zero_width_interval(tmp_path):
    con = _did_db(tmp_path, [-5.0, -5.0, -5.0], [5.0, 5.0])
    out = impact.project_impact(con, "p", "t", n_boot=200)
    assert out["effect"] == pytest.approx(-10.0)
    assert out["ci_low"] == pytest.approx(-10.0) and out["ci_high"] == pytest.approx(-10.0)


def test_did_with_too_few_cities(tmp_path):
    con = make(tmp_path / "t.duckdb", [], projects=[("p", [("x", 2021, 2022)])])
    out = impact.project_impact(con, "p")
    assert out["effect"] is None and out["reason"]


def test_demo_project_shows_its_planted_push(ro):
    out = impact.project_impact(ro, "demo-project")
    assert out["programme"] == "demo-index" and out["effect"] > 0 and out["ci_low"] > 0
