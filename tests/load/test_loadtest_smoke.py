"""The load-test tool itself works (two viewers for a few seconds); the real load test is
run by hand (python -m tests.load.loadtest), not in the default test run."""

from __future__ import annotations

from tests.load import loadtest


def test_two_viewers_get_every_page_without_errors(built_db, tmp_path):
    args = loadtest.parser().parse_args(
        [
            "--sessions",
            "2",
            "--think",
            "0.2",
            "--duration",
            "15",  # long enough for two viewers to reach the fifth page on a busy machine
            "--ramp",
            "0.5",
            "--db",
            str(built_db),
            "--out",
            str(tmp_path / "report.json"),
        ]
    )
    report = loadtest.run(args)
    assert report["errors"] == 0, report["error_examples"]
    pages = report["latency_by_page"]
    assert {"overview", "rankings", "year widget", "city", "compare"} <= set(pages), pages
    # Each page drew its elements (a page that silently drew nothing would be too fast).
    assert pages["city"]["elements_mean"] > 20 and pages["rankings"]["elements_mean"] > 10
    assert report["latency"]["p50_s"] > 0
    mem = next(iter(report["memory_mb"].values()))
    assert mem["before"] > 100  # the server process was measured, with the app loaded
    # sampled during the run (every quarter of it here): memory over time and the load
    assert len(mem["timeline"]) >= 2 and all(mb > 100 for _, mb in mem["timeline"])
    assert report["load_average"]["during"]["n"] >= 2
