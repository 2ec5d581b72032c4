"""Overview benchmark (not a test): the landing page's warm rerun against a reference data page.

    python scripts/bench_overview.py [--db PATH] [--reruns 15] [--page overview]
        [--query "w=info:0&w=budget:20&agg=geometric"] [--repeat 3]

Both run under Streamlit's AppTest in this one process, timed the same way: the app (app.py,
on the overview with the demo programme's newest year) and a reference page — a picker, a
100-row table and a 100-point Altair chart — each run once to warm, then ``--reruns`` times.
The figure per page is the median wall time and the median CPU time of this process per
rerun; the ratio overview ÷ reference is the target of issue 16 (≤ 2). Also reported: the
first run of the overview (cold caches) and the time of the analytics calls it makes
(``dashboard.overview``, ``dashboard.map_points``) uncached, so a change in either shows,
and the CPU AppTest spends compiling ``app.py`` and the page again on each rerun
(``apptest_compile_cpu_ms``: counted in the page's figure, though a server compiles each
script once).
``--page rankings --query "w=info:0&w=budget:20&agg=geometric"`` is the rankings page under
your weights, and with ``--change-weight`` its rerun after a weight change (an area's weight
moved before each rerun; issue 18: ≤ 2× the reference page); ``--repeat`` measures both pages
again that many times (the machine is shared: the spread shows). Without ``--db`` the demo
database is built in a temporary folder. Prints JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE_PAGE = """
import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

rng = np.random.default_rng(0)
df = pd.DataFrame({"city": [f"City {i}" for i in range(100)],
                   "index": rng.uniform(0, 100, 100).round(1),
                   "change": rng.normal(0, 5, 100).round(1)})
choice = st.selectbox("Programme", ["a", "b", "c"])
st.dataframe(df, hide_index=True)
st.altair_chart(alt.Chart(df).mark_circle().encode(x="index", y="change", tooltip=["city"]))
"""


_WEIGHTS = itertools.count(1)


def _timed_runs(at, reruns: int, change_weight: bool = False) -> dict:
    walls, cpus = [], []
    for _ in range(reruns):
        if change_weight:  # a weight never set before: nothing of it is in a cache yet
            slider = next(s for s in at.slider if str(s.key).startswith("w_wt_"))
            step = float(slider.step or 0.5)
            slider.set_value(min(next(_WEIGHTS) * step, float(slider.max)))
        w, c = time.perf_counter(), time.process_time()
        at.run()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        assert not at.exception, [e.value for e in at.exception]
    return {
        "wall_ms": round(statistics.median(walls) * 1000, 1),
        "cpu_ms": round(statistics.median(cpus) * 1000, 1),
    }


def _analytics_calls(db: Path, programme: str, year: int) -> dict:
    from analytics import dashboard, storage

    con = storage.connect_read_only(db)
    out = {}
    try:
        for name, fn in (
            ("overview", lambda: dashboard.overview(con, programme, year)),
            ("map_points", lambda: dashboard.map_points(con, programme, year, lang="en")),
        ):
            times = []
            for _ in range(5):
                t = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t)
            out[f"{name}_ms"] = round(statistics.median(times) * 1000, 1)
    finally:
        con.close()
    return out


def _script_compile_ms(page: str) -> dict:
    """CPU per rerun that AppTest spends compiling the scripts again (it makes a new script
    cache for every run; a server compiles each script once): part of the page's figure
    above, not of a served rerun."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    out = {}
    for path in (ROOT / "app.py", ROOT / "pages" / f"{page}.py"):
        times = []
        for _ in range(9):
            c = time.process_time()
            ScriptCache().get_bytecode(str(path))
            times.append(time.process_time() - c)
        out[path.name] = round(statistics.median(times) * 1000, 2)
    return out


def measure(
    db: Path,
    reruns: int,
    page: str,
    programme: str,
    year: int,
    query: str = "",
    repeat: int = 1,
    change_weight: bool = False,
) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["OCM_DB"] = str(db)
    report: dict = {"db": str(db), "page": page, "programme": programme, "year": year}
    if query:
        report["query"] = query
    if change_weight:
        report["change_weight"] = True
    ref = AppTest.from_string(REFERENCE_PAGE, default_timeout=120)
    ref.run()

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if page != "overview":
        app.switch_page(f"pages/{page}.py")
    app.query_params["programme"] = programme
    app.query_params["year"] = str(year)
    for key, values in urllib.parse.parse_qs(query).items():
        app.query_params[key] = values if len(values) > 1 else values[0]
    w, c = time.perf_counter(), time.process_time()
    app.run()
    report["first_run"] = {
        "wall_ms": round((time.perf_counter() - w) * 1000, 1),
        "cpu_ms": round((time.process_time() - c) * 1000, 1),
    }
    assert not app.exception, [e.value for e in app.exception]
    app.run()
    rounds = []
    for _ in range(max(repeat, 1)):  # reference and page in turn, so both see the same load
        r = {
            "reference": _timed_runs(ref, reruns),
            page: _timed_runs(app, reruns, change_weight),
        }
        for k in ("wall_ms", "cpu_ms"):
            r[f"ratio_{k.split('_')[0]}"] = round(r[page][k] / max(r["reference"][k], 1e-6), 2)
        rounds.append(r)
    report.update(rounds[len(rounds) // 2] if len(rounds) == 1 else _median_round(rounds, page))
    if len(rounds) > 1:
        report["ratio_cpu_each"] = [r["ratio_cpu"] for r in rounds]
        report["ratio_wall_each"] = [r["ratio_wall"] for r in rounds]
    report["analytics_uncached"] = _analytics_calls(db, programme, year)
    report["apptest_compile_cpu_ms"] = _script_compile_ms(page)
    report["load_average"] = os.getloadavg()
    report["target"] = "ratio <= 2"
    return report


def _median_round(rounds: list[dict], page: str) -> dict:
    """The median of each figure over the rounds."""
    out: dict = {}
    for name in ("reference", page):
        out[name] = {
            k: round(statistics.median(r[name][k] for r in rounds), 1)
            for k in ("wall_ms", "cpu_ms")
        }
    for k in ("ratio_wall", "ratio_cpu"):
        out[k] = round(statistics.median(r[k] for r in rounds), 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--reruns", type=int, default=15)
    ap.add_argument("--page", default="overview")
    ap.add_argument("--programme", default="demo-index")
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--query", default="", help="more URL parameters, as in a link (a=1&b=2)")
    ap.add_argument("--repeat", type=int, default=1, help="measure both pages this many times")
    ap.add_argument(
        "--change-weight",
        action="store_true",
        help="rankings: move an area's weight before each rerun (issue 18's 'after a weight "
        "change')",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from analytics import build

            db = Path(tmp) / "demo.duckdb"
            build.build_database(db, demo=True)
        report = measure(
            db,
            args.reruns,
            args.page,
            args.programme,
            args.year,
            args.query,
            args.repeat,
            args.change_weight,
        )
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
