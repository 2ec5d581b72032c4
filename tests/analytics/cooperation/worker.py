"""A separate process for the concurrency and crash tests.

``python -m tests.analytics.cooperation.worker submit URL DB PREFIX THREADS PER_THREAD``:
THREADS threads, each a council member of Lviv, each making PER_THREAD submissions (a draft,
then submit with its own token, then the same token again as a retry would); prints JSON.

``python -m tests.analytics.cooperation.worker hang URL DB MARKER``: submits the drafts of
``hang@lviv.example`` but stops for good half-way through writing the entries, after
touching MARKER (the test kills it there).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from analytics import storage
from analytics.cooperation import store as coop_store
from analytics.cooperation import workflow
from analytics.roles import Person

INDICATORS = ["info-01", "info-02", "info-03", "grants-05"]


def lviv(email: str) -> Person:
    return Person(email, "council", frozenset({"ua-lviv"}))


def submit(url: str, db: str, prefix: str, threads: int, per_thread: int) -> dict:
    store = coop_store.open_store(url)
    results: list[dict] = []
    errors: list[str] = []

    def work(t: int) -> None:
        con = storage.connect_read_only(Path(db))
        me = lviv(f"{prefix}-{t}@lviv.example")
        try:
            for i in range(per_thread):
                code = INDICATORS[i % len(INDICATORS)]
                workflow.save_draft(
                    store,
                    con,
                    me,
                    "ua-lviv",
                    "demo-index",
                    code,
                    kind="reply",
                    comment=f"{prefix} {t} {i}",
                )
                token = f"{prefix}-{t}-{i}"
                first = workflow.submit(store, con, me, "ua-lviv", "demo-index", token, limit=None)
                again = workflow.submit(store, con, me, "ua-lviv", "demo-index", token, limit=None)
                results.append({"id": first.id, "repeat_id": again.id, "repeated": again.repeated})
        except Exception as e:  # reported to the test, never swallowed
            errors.append(repr(e))
        finally:
            con.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for p in pool:
        p.start()
    for p in pool:
        p.join()
    return {"seconds": time.perf_counter() - started, "results": results, "errors": errors}


def hang(url: str, db: str, marker: str) -> None:
    store = coop_store.open_store(url)
    con = storage.connect_read_only(Path(db))
    original = workflow._entry_rows

    def slow_rows(*args, **kwargs):
        for n, row in enumerate(original(*args, **kwargs)):
            if n == len(INDICATORS) // 2:
                Path(marker).touch()
                time.sleep(600)  # killed here, inside the transaction
            yield row

    workflow._entry_rows = slow_rows  # type: ignore[assignment]
    workflow.submit(store, con, lviv("hang@lviv.example"), "ua-lviv", "demo-index", limit=None)


if __name__ == "__main__":
    if sys.argv[1] == "submit":
        url, db, prefix, threads, per = sys.argv[2:7]
        print(json.dumps(submit(url, db, prefix, int(threads), int(per))))
    else:
        hang(*sys.argv[2:5])
