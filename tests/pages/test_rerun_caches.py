"""What a rerun keeps so that it is cheap (``common.per_run``, ``common.cached_call``) never
shows what another run, language or database file would have shown."""

from __future__ import annotations

import shutil

from pages import common
from tests.pages.conftest import texts


class _Run:
    """Stands for Streamlit's run context: each run (and fragment run) gets new ``cursors``."""

    def __init__(self) -> None:
        self.cursors: dict = {}


def test_what_one_run_keeps_is_gone_in_the_next(monkeypatch):
    ctx = _Run()
    monkeypatch.setattr(common, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    memo = common.per_run()
    memo["lang"] = "uk"
    assert common.per_run() is memo and common.lang() == "uk"  # the same run: kept
    ctx.cursors = {}  # the next run
    assert common.per_run() == {}
    other = _Run()  # another session's run
    monkeypatch.setattr(common, "get_script_run_ctx", lambda suppress_warning=False: other)
    assert common.per_run() == {}


def test_outside_a_run_nothing_is_kept(monkeypatch):
    monkeypatch.setattr(common, "get_script_run_ctx", lambda suppress_warning=False: None)
    assert common.per_run() is None


def test_country_names_in_the_language_of_the_page(app):
    assert "Україна" in texts(
        app("city", programme="demo-index", year="2025", city="ua-lviv", lang="uk")
    )
    shown = texts(app("city", programme="demo-index", year="2025", city="ua-lviv"))
    assert "Україна" not in shown and "Ukraine" in shown


def test_cached_call_keeps_values_apart_by_type():
    calls = []

    def source(*key):
        calls.append(key)
        return repr(key)

    common._fast.clear()
    assert common.cached_call(source, 1, "a") == "(1, 'a')"
    assert common.cached_call(source, 1, "a") == "(1, 'a')"
    assert common.cached_call(source, 1.0, "a") == "(1.0, 'a')"  # equal to 1, not the same
    assert common.cached_call(source, True, "a") == "(True, 'a')"
    assert len(calls) == 3
    assert common.cached_call(source, [1], "a") == "([1], 'a')"  # unhashable: asked each time
    assert common.cached_call(source, [1], "a") == "([1], 'a')"
    assert len(calls) == 5


def test_a_new_database_file_empties_the_kept_results(tmp_path, monkeypatch, built_db):
    db = tmp_path / "live.duckdb"
    shutil.copyfile(built_db, db)
    monkeypatch.setenv("OCM_DB", str(db))
    first = common.signature()  # outside a run: looked at every time
    common._fast.get(("kept", (), ()), lambda: "a result of the old file")
    common._results.get(("kept", (), ()), lambda: "a result of the old file")
    assert common.signature() == first and len(common._fast) and len(common._results)
    with db.open("ab") as fh:  # the file an import swaps in is another file
        fh.write(b"\0" * 4096)
    assert common.signature() != first
    assert not len(common._fast) and not len(common._results)


def test_per_version_keeps_values_apart_by_name_key_language_and_database(monkeypatch):
    calls = []
    shown = {"lang": "en", "sig": ("db", 1)}
    monkeypatch.setattr(common, "lang", lambda: shown["lang"])
    monkeypatch.setattr(common, "signature", lambda fresh=False: shown["sig"])

    def build(text):
        return lambda: calls.append(text) or text

    common._results.clear()
    assert common.per_version("a", build("a en 1"), 1) == "a en 1"
    assert common.per_version("a", build("not built"), 1) == "a en 1"  # kept
    assert common.per_version("a", build("a en True"), True) == "a en True"  # not the same key
    assert common.per_version("b", build("b en 1"), 1) == "b en 1"  # another name
    shown["lang"] = "uk"
    assert common.per_version("a", build("a uk 1"), 1) == "a uk 1"  # another language
    shown["sig"] = ("db", 2)
    assert common.per_version("a", build("a uk 1, new file"), 1) == "a uk 1, new file"
    assert calls == ["a en 1", "a en True", "b en 1", "a uk 1", "a uk 1, new file"]


def test_overview_kept_tables_follow_the_language(app):
    """The movers' tables and the country backdrop, kept per language, after an English run."""
    english = texts(app("overview", programme="demo-index", year="2025"))
    assert "Biggest risers" in english and "Country backdrop" in english
    ukrainian = texts(app("overview", programme="demo-index", year="2025", lang="uk"))
    assert "Biggest risers" not in ukrainian and "Country backdrop" not in ukrainian
    assert "Україна" in ukrainian  # the backdrop's table names the countries in Ukrainian
