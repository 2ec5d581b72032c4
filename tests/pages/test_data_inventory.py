"""The data inventory's projects say what the projects page says: dates as precise as the
source gives them, partners by their names in the chosen language."""

from __future__ import annotations


def test_projects_dates_as_published_and_partners_translated(app):
    at = app("data", lang="uk")
    projects = next(d.value for d in at.dataframe if "implementing_partners" in d.value.columns)
    rows = {r.title.split(" (")[0]: r for r in projects.itertuples()}
    pgg = next(r for t, r in rows.items() if t.startswith("Партнерство заради належного"))
    # Partnership for Good Governance I: the source gives the years only (2015–2018); the
    # table showed 2015-01-01 and 2018-12-31
    assert (pgg.start_date, pgg.end_date) == ("2015", "2018")
    assert list(pgg.implementing_partners) == ["Рада Європи"]
    assert "2015-01" in set(projects["start_date"])  # COMUS: a month published


def test_every_partner_and_funder_has_its_name_in_each_language(built_db):
    """Partners are looked up by value (``t(name)``), which the extraction cannot see:
    "national Ministries of Culture", "UNICEF" and a dozen more showed in English in uk/ru."""
    import duckdb

    from analytics import i18n

    con = duckdb.connect(str(built_db), read_only=True)
    names = set()
    for partners, funders in con.execute(
        "SELECT implementing_partners, funders FROM project_overview WHERE NOT synthetic"
    ).fetchall():
        names.update(partners or [])
        names.update(funders or [])
    con.close()
    assert len(names) > 20
    for lang in ("uk", "ru"):
        assert sorted(n for n in names if n not in i18n.catalog(lang)) == [], lang
