"""The cooperation workflow on the demo database, on SQLite and on PostgreSQL: rights and
cities checked on the server, drafts, one-set submissions, review through one import batch,
the trail; concurrency, a killed process and an import during a review."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from analytics import importer, storage
from analytics.cooperation import store as coop_store
from analytics.cooperation import trail, workflow
from analytics.roles import Person, person_for
from tests.conftest import ROOT

LVIV = Person("rada@lviv.example", "council", frozenset({"ua-lviv"}))
KYIV = Person("rada@kyiv.example", "council", frozenset({"ua-kyiv"}))
CSO = Person("cso@watch.example", "monitor", frozenset({"ua-lviv"}))
COORD = Person("olena@ti.example", "coordinator", None)
# demo-index 2025, Lviv: grants-05 scored 0 of 0.82; every indicator of its area assessed, so
# the area's points are the sum of its indicators' and the total rises by exactly 0.82:
# 55.58 → 56.40, rank 139 → 138 (one city lies between the two totals).
IND, MAX = "grants-05", 0.82


@pytest.fixture()
def coop(store_url):
    store = coop_store.Store(store_url)
    yield store
    store.dispose()


@pytest.fixture()
def con(db):
    c = storage.connect_read_only(db)
    yield c
    c.close()


def lviv_index(db) -> tuple[float, int]:
    c = storage.connect_read_only(db)
    try:
        total, rank = c.execute(
            "SELECT total, rank FROM indices WHERE city = 'ua-lviv' AND year = 2025 "
            "AND programme = 'demo-index'"
        ).fetchone()
    finally:
        c.close()
    return round(total, 2), int(rank)


def propose(coop, con, who=LVIV, score=MAX, url="https://lvivrada.example/grants/2025"):
    workflow.save_draft(
        coop,
        con,
        who,
        "ua-lviv",
        "demo-index",
        IND,
        kind="proposal",
        score=score,
        url=url,
        comment="Published since March",
    )
    return workflow.submit(coop, con, who, "ua-lviv", "demo-index")


def count(coop, table) -> int:
    with coop.read() as r:
        return r.execute(select(func.count()).select_from(table)).scalar_one()


def test_roles_bind_cities():
    lists = {
        "coordinators": ["olena@ti.example"],
        "council": {"ua-lviv": ["rada@lviv.example"], "ua-kyiv": ["@kyivcity.example"]},
        "monitor": {"ua-lviv": ["cso@watch.example"], "ua-odesa": ["cso@watch.example"]},
    }
    signed = {"is_logged_in": True}
    assert person_for({**signed, "email": "Rada@Lviv.example"}, lists) == LVIV
    assert person_for({**signed, "email": "x@kyivcity.example"}, lists).cities == {"ua-kyiv"}
    cso = person_for({**signed, "email": "cso@watch.example"}, lists)
    assert cso.role == "monitor" and cso.cities == {"ua-lviv", "ua-odesa"}
    assert person_for({**signed, "email": "olena@ti.example"}, lists).reaches("ua-kyiv")
    unverified = {**signed, "email": "rada@lviv.example", "email_verified": False}
    assert person_for(unverified, lists).role == "viewer"
    assert not LVIV.reaches("ua-kyiv") and not LVIV.may("review") and not CSO.may("propose")


def test_propose_review_accept_moves_index_and_trail(coop, con, db):
    assert lviv_index(db) == (55.58, 139)
    done = propose(coop, con)
    assert done.entries == 1 and count(coop, coop_store.drafts) == 0
    workflow.save_draft(
        coop,
        con,
        CSO,
        "ua-lviv",
        "demo-index",
        IND,
        kind="feedback",
        stance="agree",
        comment="Checked",
        url="http://watch.example/r",
    )
    workflow.submit(coop, con, CSO, "ua-lviv", "demo-index")
    queue = workflow.queue(coop, con, COORD)
    assert len(queue) == 1
    row = queue.iloc[0]
    # last year (2024) Lviv had 0 on grants-05 too
    assert (row["current_score"], row["proposed_score"], row["last_year_score"]) == (0.0, MAX, 0.0)
    assert row["current_source"] == "synthetic demo generator"
    assert (
        row["proof_host"] == "lvivrada.example"
        and row["feedback"] == "agree: Checked (watch.example)"
    )
    # the coordinator reads the indicator in the interface's language (it was English in uk)
    english = row["text"]
    ukrainian = workflow.queue(coop, con, COORD, lang="uk").iloc[0]["text"]
    assert english.startswith("Financial and material") and ukrainian.startswith("Фінансова")
    con.close()
    result = workflow.review(coop, db, COORD, {int(row["entry"]): ("accepted", "Proof checked")})
    assert result.accepted == 1 and result.batch is not None and result.superseded == 90
    assert lviv_index(db) == (56.4, 138)
    c = storage.connect_read_only(db)
    batch = c.execute(
        "SELECT imported_by, file_name, rows FROM import_batches WHERE id = ?", [result.batch]
    ).fetchone()
    assert batch == ("olena@ti.example", f"cooperation-review-{result.review}.csv", 90)
    assert workflow.queue(coop, c, COORD).empty
    steps = trail.trail(coop, c, "ua-lviv")
    assert list(steps["step"]) == ["assessed", "proposal", "feedback", "accepted", "result"]
    assert list(steps["value"].iloc[[0, 1, 3, 4]]) == [0.0, MAX, MAX, MAX]
    assert steps["note"].iloc[3] == "Proof checked" and steps["host"].iloc[1] == "lvivrada.example"
    stats = trail.response(coop, c, "ua-lviv", "demo-index-2021", 2025)
    assert stats == {"indicators": 90, "answered": 1, "rate": 1 / 90, "accepted": 1}
    c.close()


def test_rejected_keeps_its_reason_and_changes_nothing(coop, con, db):
    propose(coop, con)
    entry = int(workflow.queue(coop, con, COORD)["entry"].iloc[0])
    sha = storage.file_sha256(db)
    con.close()
    with pytest.raises(workflow.Invalid):
        workflow.review(coop, db, COORD, {entry: ("rejected", "  ")})
    result = workflow.review(coop, db, COORD, {entry: ("rejected", "The page is a draft")})
    assert result.batch is None and storage.file_sha256(db) == sha
    said = workflow.entries(coop, "ua-lviv")
    assert (said["decision"].iloc[0], said["reason"].iloc[0]) == ("rejected", "The page is a draft")
    with pytest.raises(workflow.Invalid, match="already decided"):
        workflow.review(coop, db, COORD, {entry: ("accepted", "changed my mind")})


def test_another_city_is_refused_on_the_server(coop, con, db):
    for call in (
        lambda: workflow.save_draft(
            coop,
            con,
            KYIV,
            "ua-lviv",
            "demo-index",
            IND,
            kind="proposal",
            score=MAX,
            url="https://x.example",
        ),
        lambda: workflow.submit(coop, con, KYIV, "ua-lviv", "demo-index"),
        lambda: workflow.drafts(
            coop, KYIV, "ua-lviv", workflow.current_assessment(con, "demo-index", "ua-lviv")
        ),
        lambda: workflow.save_draft(
            coop,
            con,
            CSO,
            "ua-lviv",
            "demo-index",
            IND,
            kind="proposal",
            score=MAX,
            url="https://x.example",
        ),
        lambda: workflow.queue(coop, con, LVIV),
        lambda: workflow.review(coop, db, LVIV, {1: ("accepted", "mine")}),
        lambda: workflow.save_draft(
            coop,
            con,
            Person("", "viewer"),
            "ua-lviv",
            "demo-index",
            IND,
            kind="reply",
            comment="hi",
        ),
    ):
        with pytest.raises(workflow.Refused):
            call()
    assert count(coop, coop_store.drafts) == 0 and count(coop, coop_store.submissions) == 0


def test_nobody_decides_their_own_proposal(coop, con, db):
    propose(coop, con)
    entry = int(workflow.queue(coop, con, COORD)["entry"].iloc[0])
    same = Person(LVIV.email, "coordinator", None)  # the same address with review rights
    with pytest.raises(workflow.Refused, match="own proposal"):
        workflow.review(coop, db, same, {entry: ("accepted", "fine")})
    assert count(coop, coop_store.decisions) == 0


def test_links_and_text(coop, con):
    for bad in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://x.example/a",
        'https://x.example/"><script>',
    ):
        workflow.save_draft(
            coop, con, LVIV, "ua-lviv", "demo-index", IND, kind="proposal", score=0.5, url=bad
        )
        with pytest.raises(workflow.Invalid, match="http:// or https://"):
            workflow.submit(coop, con, LVIV, "ua-lviv", "demo-index")
    with pytest.raises(workflow.Invalid, match="between 0"):
        workflow.save_draft(
            coop,
            con,
            LVIV,
            "ua-lviv",
            "demo-index",
            IND,
            kind="proposal",
            score=5.0,
            url="https://x.example",
        )
        workflow.submit(coop, con, LVIV, "ua-lviv", "demo-index")
    markup = "<img src=x onerror=alert(1)> '; DROP TABLE coop_entries; --\x00"
    workflow.save_draft(coop, con, LVIV, "ua-lviv", "demo-index", IND, kind="reply", comment=markup)
    workflow.submit(coop, con, LVIV, "ua-lviv", "demo-index")
    stored = workflow.entries(coop, "ua-lviv")["comment"].iloc[0]
    assert stored == markup.replace("\x00", "")  # as written, minus the control character


def test_rate_limit(coop, con):
    for i in range(2):
        workflow.save_draft(
            coop, con, LVIV, "ua-lviv", "demo-index", IND, kind="reply", comment=f"n{i}"
        )
        workflow.submit(coop, con, LVIV, "ua-lviv", "demo-index", limit=(2, 3600))
    workflow.save_draft(coop, con, LVIV, "ua-lviv", "demo-index", IND, kind="reply", comment="3")
    with pytest.raises(workflow.RateLimited):
        workflow.submit(coop, con, LVIV, "ua-lviv", "demo-index", limit=(2, 3600))
    assert count(coop, coop_store.submissions) == 2 and count(coop, coop_store.drafts) == 1


def test_every_action_is_logged(coop, con, db):
    propose(coop, con)
    entry = int(workflow.queue(coop, con, COORD)["entry"].iloc[0])
    con.close()
    workflow.review(coop, db, COORD, {entry: ("rejected", "no")})
    with coop.read() as r:
        rows = r.execute(
            select(coop_store.actions.c.who, coop_store.actions.c.action).order_by(
                coop_store.actions.c.id
            )
        ).all()
    assert [tuple(x) for x in rows] == [
        ("rada@lviv.example", "draft"),
        ("rada@lviv.example", "submit"),
        ("olena@ti.example", "rejected"),
        ("olena@ti.example", "review-applied"),
    ]


def _worker(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.analytics.cooperation.worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_200_concurrent_submissions_from_two_processes(coop, store_url, db):
    """2 processes × 4 threads × 25 submissions, each also sent a second time."""
    started = time.perf_counter()
    procs = [_worker("submit", store_url, str(db), p, "4", "25") for p in ("a", "b")]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        outs.append(json.loads(out))
    seconds = time.perf_counter() - started
    assert [o["errors"] for o in outs] == [[], []]
    results = [r for o in outs for r in o["results"]]
    ids = [r["id"] for r in results]
    assert len(ids) == 200 and len(set(ids)) == 200  # none lost, none duplicated
    assert all(r["repeated"] and r["repeat_id"] == r["id"] for r in results)
    assert count(coop, coop_store.submissions) == 200
    assert count(coop, coop_store.entries) == 200 and count(coop, coop_store.drafts) == 0
    with coop.read() as r:
        tokens = r.execute(
            select(func.count(func.distinct(coop_store.submissions.c.token)))
        ).scalar_one()
    assert tokens == 200
    print(
        f"\n{coop.dialect}: 200 submissions (+200 repeats) from 2 processes × 4 threads "
        f"in {seconds:.1f} s ({[round(o['seconds'], 1) for o in outs]} s per process)"
    )


def test_a_killed_submission_leaves_all_or_nothing(coop, store_url, db, con, tmp_path):
    me = Person("hang@lviv.example", "council", frozenset({"ua-lviv"}))
    for code in ("info-01", "info-02", "info-03", IND):
        workflow.save_draft(
            coop, con, me, "ua-lviv", "demo-index", code, kind="reply", comment=code
        )
    marker = tmp_path / "inside"
    proc = _worker("hang", store_url, str(db), str(marker))
    deadline = time.time() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        assert time.time() < deadline, "the worker never got inside the transaction"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    # Nothing of the half-written submission; the drafts are all still there.
    assert count(coop, coop_store.submissions) == 0 and count(coop, coop_store.entries) == 0
    assert (
        len(
            workflow.drafts(
                coop, me, "ua-lviv", workflow.current_assessment(con, "demo-index", "ua-lviv")
            )
        )
        == 4
    )
    # And the store is not left locked: the same submission now goes through whole.
    done = workflow.submit(coop, con, me, "ua-lviv", "demo-index", limit=None)
    assert done.entries == 4 and count(coop, coop_store.entries) == 4


def test_an_import_during_a_review_loses_nothing(coop, con, db):
    propose(coop, con)
    for code in ("info-01", "info-02"):
        workflow.save_draft(
            coop,
            con,
            CSO,
            "ua-lviv",
            "demo-index",
            code,
            kind="feedback",
            stance="disagree",
            comment="x",
        )
    workflow.submit(coop, con, CSO, "ua-lviv", "demo-index")
    queue = workflow.queue(coop, con, COORD)  # the coordinator opens the queue …
    entry = int(queue["entry"].iloc[0])
    con.close()
    # … meanwhile an import swaps the analytic file (info-01 of Lviv 2025 changes) while
    # councils keep submitting.
    before = storage.signature(db)
    c = storage.connect_read_only(db)
    rows = c.execute(
        "SELECT item, score, status FROM current_scores WHERE city = 'ua-lviv' AND year = 2025 "
        "AND level = 'indicator' AND methodology = 'demo-index-2021'"
    ).fetchall()
    c.close()

    def cell(item, score):
        return "0" if item == "info-01" else ("" if score is None else repr(score))

    lines = ["programme,year,city,level,code,score,status"] + [
        f"demo-index,2025,ua-lviv,indicator,{item},{cell(item, score)},"
        f"{'scored' if item == 'info-01' else status}"
        for item, score, status in rows
    ]
    stop = threading.Event()
    sent: list[int] = []

    def keep_submitting() -> None:
        c2 = storage.connect_read_only(db)
        n = 0
        while not stop.is_set():
            me = Person(f"busy{n}@lviv.example", "council", frozenset({"ua-lviv"}))
            workflow.save_draft(
                coop, c2, me, "ua-lviv", "demo-index", "info-03", kind="reply", comment=str(n)
            )
            sent.append(workflow.submit(coop, c2, me, "ua-lviv", "demo-index").id)
            n += 1
        c2.close()

    t = threading.Thread(target=keep_submitting)
    t.start()
    importer.import_bytes(db, ("\n".join(lines) + "\n").encode(), "other.csv", who="someone")
    assert storage.signature(db) != before
    result = workflow.review(coop, db, COORD, {entry: ("accepted", "ok")})
    stop.set()
    t.join()
    c = storage.connect_read_only(db)
    now = dict(
        c.execute(
            "SELECT item, score FROM current_scores WHERE city = 'ua-lviv' AND "
            "year = 2025 AND level = 'indicator'"
        ).fetchall()
    )
    c.close()
    assert now[IND] == MAX and now["info-01"] == 0  # the review kept the other import
    assert result.batch is not None and sent
    assert count(coop, coop_store.entries) == 3 + len(sent)  # every proposal and feedback


def test_a_review_that_died_before_its_import_is_settled(coop, con, db, monkeypatch):
    propose(coop, con)
    entry = int(workflow.queue(coop, con, COORD)["entry"].iloc[0])
    con.close()

    def crash(*a, **k):
        raise KeyboardInterrupt  # as if the process stopped inside the import

    monkeypatch.setattr(workflow.importer, "import_into", crash)
    with pytest.raises(KeyboardInterrupt):
        workflow.review(coop, db, COORD, {entry: ("accepted", "ok")})
    monkeypatch.undo()
    assert count(coop, coop_store.decisions) == 0  # withdrawn: back in the queue
    c = storage.connect_read_only(db)
    assert len(workflow.queue(coop, c, COORD)) == 1
    c.close()
    assert workflow.review(coop, db, COORD, {entry: ("accepted", "ok")}).batch is not None


def test_migrations_are_recorded_once(store_url):
    a = coop_store.Store(store_url)
    b = coop_store.Store(store_url)  # a second process starting: nothing to do
    with a.read() as r:
        assert coop_store.schema_version(r) == coop_store.SCHEMA_VERSION
        n = r.execute(select(func.count()).select_from(coop_store.migrations_table)).scalar_one()
    assert n == len(coop_store.MIGRATIONS)
    if store_url.startswith("sqlite"):
        with a.read() as r:
            assert r.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    a.dispose()
    b.dispose()
