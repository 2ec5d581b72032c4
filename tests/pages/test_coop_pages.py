"""The cooperation pages (respond, review) and the trail on the city profile, headless."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import storage
from analytics.cooperation import store as coop_store
from analytics.cooperation import workflow
from analytics.roles import Person
from tests.conftest import ROOT
from tests.pages.conftest import texts
from tests.pages.test_work_pages import AUTH

SECRETS = {
    **AUTH,
    "roles": {
        **AUTH["roles"],
        "council": {"ua-lviv": ["rada@lviv.example"], "ua-kyiv": ["rada@kyiv.example"]},
        "monitor": {"ua-lviv": ["cso@watch.example"]},
    },
}
LVIV = Person("rada@lviv.example", "council", frozenset({"ua-lviv"}))
CSO = Person("cso@watch.example", "monitor", frozenset({"ua-lviv"}))
COORD = Person("c@example.org", "coordinator", None)


def run(page: str, email: str | None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets.update(SECRETS)
    at.user = {"is_logged_in": email is not None, **({"email": email} if email else {})}
    at.switch_page(f"pages/{page}.py")
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def _db(monkeypatch, db):
    monkeypatch.setenv("OCM_DB", str(db))
    monkeypatch.delenv(coop_store.ENV_URL, raising=False)


@pytest.fixture()
def coop(db):
    return coop_store.Store(coop_store.default_url(db))


def propose(coop, db, text="Published on the council's site <script>x</script>"):
    con = storage.connect_read_only(db)
    workflow.save_draft(
        coop,
        con,
        LVIV,
        "ua-lviv",
        "demo-index",
        "grants-05",
        kind="proposal",
        score=0.82,
        url="https://lviv.example/grants?id=5",
        comment=text,
    )
    workflow.save_draft(
        coop,
        con,
        CSO,
        "ua-lviv",
        "demo-index",
        "grants-05",
        kind="feedback",
        stance="agree",
        comment="Seen it published",
        url="http://watch.example/report",
    )
    workflow.submit(coop, con, LVIV, "ua-lviv", "demo-index")
    workflow.submit(coop, con, CSO, "ua-lviv", "demo-index")
    con.close()


@pytest.mark.parametrize(
    "page, email, refusal",
    [
        ("propose", None, "This page is for city councils"),
        ("propose", "v@example.org", "Your account (v@example.org) has no rights"),
        ("propose", "c@example.org", "Your account (c@example.org) has no rights"),
        ("review", None, "This page is for city councils"),
        ("review", "rada@lviv.example", "Your account (rada@lviv.example) has no rights"),
        ("review", "cso@watch.example", "has no rights"),
    ],
)
def test_refused(page, email, refusal):
    at = run(page, email)
    assert at.title[0].value == "Not available"
    assert refusal in texts(at)


def test_council_sees_only_its_cities_and_its_drafts_survive(coop, db):
    at = run("propose", "rada@lviv.example")
    assert at.title[0].value == "Respond to the assessment"
    assert at.selectbox[0].options == ["Lviv"]  # its one city, nothing else
    # the default programme is the real one: Transparent Cities' latest indicator-level year
    assert "Lviv: the 2018 assessment" in texts(at)
    at.text_input[0].set_value("https://lviv.example/proof").run()
    # A new session (a reload, a restart): the draft is in the store.
    again = run("propose", "rada@lviv.example")
    assert "Your drafts (1)" in texts(again)
    assert again.text_input[0].value == "https://lviv.example/proof"


def test_monitor_gives_feedback(coop, db):
    at = run("propose", "cso@watch.example")
    assert "Do you agree with the score?" in [r.label for r in at.radio]
    assert len(at.number_input) == 0  # no new score from a monitor


def test_coordinator_queue_and_public_trail(coop, db):
    propose(coop, db)
    at = run("review", "c@example.org")
    assert "Waiting for a decision (1)" in texts(at)
    row = at.dataframe[0].value.iloc[0]
    # demo-index: grants-05 of Lviv was 0 in 2025 and 0 in 2024 too
    assert (row["current_score"], row["proposed_score"], row["last_year_score"]) == (
        "0.00",
        "0.82",
        "0.00",
    )
    assert row["feedback"] == "agrees: Seen it published (watch.example)"
    assert row["indicator_page"] == (
        "./indicator?lang=en&programme=demo-index&year=2025&indicator=grants-05"
    )
    at.radio(key=f"rv_{row['entry']}").set_value("accepted")
    at.text_input(key=f"rr_{row['entry']}").set_value("Proof checked on the site").run()
    buttons = [b for b in at.button if b.label.startswith("Record")]
    buttons[0].click().run()
    assert not at.exception
    assert "Recorded 1 accepted and 0 rejected; imported as batch" in at.success[0].value
    city = run("city", None, city="ua-lviv", programme="demo-index", year="2025")
    shown = texts(city)
    assert "Council response to the 2025 assessment: 1% of indicators answered" in shown
    assert "accepted corrections: 1" in shown
    trail = city.dataframe[0].value
    assert list(trail["step"]) == [
        "assessed",
        "proposal",
        "feedback",
        "accepted",
        "resulting value",
    ]
    assert trail["note"].iloc[1] == "Published on the council's site <script>x</script>"
    # the indicator's code links to its page, in the trail's programme and year
    assert set(trail["indicator_page"]) == {
        "./indicator?lang=en&programme=demo-index&year=2025&indicator=grants-05"
    }
