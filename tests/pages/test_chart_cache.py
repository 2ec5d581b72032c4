"""What ``chart`` keeps of a chart (``_charts``): the spec with its ``datasets`` key in place but
empty, and the tables once, as the Arrow bytes Streamlit sends; SVG and PDF get the tables as
values again. ``run`` keeps one shared result per call, bounded."""

from __future__ import annotations

import json

from pages import charts, common


def test_a_kept_chart_holds_its_tables_once(monkeypatch, built_db):
    monkeypatch.setenv("OCM_DB", str(built_db))
    args = ("demo-index", ("ua-lviv", "ua-kyiv"), "en")
    full = common._build_spec(charts.compare_history.__module__, "compare_history", args)
    spec, arrow = common._chart_entry(charts.compare_history.__module__, "compare_history", args)
    assert full["datasets"] and set(arrow) == set(full["datasets"])
    assert all(isinstance(v, bytes) for v in arrow.values())
    assert list(spec) == list(full)  # the same keys in the same order (the spec sent is the same)
    assert spec["datasets"] is None
    assert {k: v for k, v in spec.items() if k != "datasets"} == {
        k: v for k, v in full.items() if k != "datasets"
    }
    exported = common._exported(
        charts.compare_history.__module__, "compare_history", args, None, "en"
    )
    assert exported["datasets"] == full["datasets"]  # SVG and PDF get the values again
    lines = ["Source: somebody"]
    dressed = common._exported(
        charts.compare_history.__module__, "compare_history", args, lines, "uk"
    )
    assert dressed["config"]["locale"]["number"]["decimal"] == ","
    assert "Source: somebody" in json.dumps(dressed, ensure_ascii=False)


def _both_ways():
    """The same charts drawn from the element ``chart`` keeps and by ``st.vega_lite_chart``."""
    import streamlit as st

    from pages import charts, common, geomap

    lg = common.lang()
    cases = [
        (charts.compare_history, ("demo-index", ("ua-lviv", "ua-kyiv"), lg), None, True),
        (geomap.overview_map, ("demo-index", 2024, "index", "regions"), ["Source: x", "y"], True),
        (charts.compare_history, ("demo-index", ("ua-lviv", "ge-tbilisi"), lg), ["z"], False),
    ]
    for fn, args, lines, stretch in cases:
        common.chart(fn, *args, export=lines is not None, source=lines, stretch=stretch)
        spec, arrow = common._chart_spec(fn.__module__, fn.__name__, args)
        shown = common._dressed(spec, lines, lg)
        st.vega_lite_chart(
            {**shown, "datasets": arrow} if arrow else shown,
            width="stretch" if stretch else "content",
        )


def test_a_kept_chart_element_is_what_streamlit_would_send(monkeypatch, built_db):
    """``chart`` sends the element it keeps (made once: Streamlit writes a spec out as JSON and
    parses it back on every call); it must be exactly what ``st.vega_lite_chart`` sends, in
    every language, with and without source lines, stretched or not, geographic data too."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OCM_DB", str(built_db))
    for lg in ("en", "uk"):
        at = AppTest.from_function(_both_ways, default_timeout=60)
        at.query_params["lang"] = lg
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        drawn = at.get("vega_lite_chart")
        assert len(drawn) == 6
        for kept, theirs in zip(drawn[0::2], drawn[1::2], strict=True):
            assert kept.proto == theirs.proto
            assert kept.proto.datasets or '"values"' in kept.proto.spec
        assert ('"decimal": ","' in drawn[0].proto.spec) == (lg == "uk")


def test_run_keeps_one_shared_result_per_call(monkeypatch, built_db):
    from analytics import dashboard

    monkeypatch.setenv("OCM_DB", str(built_db))
    common._results.clear()
    a = common.run(dashboard.city_names, ("ua-lviv",), lang="en")
    b = common.run(dashboard.city_names, ["ua-lviv"], lang="en")  # a list is keyed as a tuple
    assert a is b and a == {"ua-lviv": "Lviv"}
    assert common.run(dashboard.city_names, ("ua-lviv",), lang="uk") != a
    names = [k[1] for k in common._results.order()]
    assert names.count("city_names") == 2  # one per language, not one per call
    assert common._results.max_bytes > 0 and common._results.max_entries == common.RESULTS_MAX


def test_arrow_gives_freed_memory_back_unless_the_operator_chose(monkeypatch):
    import pyarrow

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    pyarrow.set_memory_pool(pyarrow.mimalloc_memory_pool())
    common._keep_memory_returnable()
    assert pyarrow.default_memory_pool().backend_name == "system"
    pyarrow.set_memory_pool(pyarrow.mimalloc_memory_pool())
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
    common._keep_memory_returnable()
    assert pyarrow.default_memory_pool().backend_name == "mimalloc"
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def test_the_compare_history_is_the_same_whatever_the_order_of_the_cities(monkeypatch, built_db):
    """pages/compare.py keeps the history and its chart per set of cities (sorted): that is
    only right while neither depends on the order."""
    import json

    from streamlit.elements.vega_charts import _stabilize_vega_json_spec

    from analytics import dashboard

    monkeypatch.setenv("OCM_DB", str(built_db))
    orders = [("ua-lviv", "ua-kyiv", "ua-odesa"), ("ua-odesa", "ua-lviv", "ua-kyiv")]
    frames = [common.run(dashboard.history, "demo-index", o, lang="uk") for o in orders]
    assert frames[0] is not frames[1] and frames[0].equals(frames[1])
    specs = [
        _stabilize_vega_json_spec(
            json.dumps(
                common._build_spec("pages.charts", "compare_history", ("demo-index", o, "uk"))
            )
        )
        for o in orders
    ]
    assert specs[0] == specs[1]
