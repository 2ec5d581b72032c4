"""The public history of a city's indicators: what was assessed, what the council proposed
or replied, what monitors said, what the coordinator decided and the value in force now.

Also the context shown beside a city's index (never part of it): the council's response
rate (share of the assessment's indicators it answered or proposed on) and the number of
accepted corrections.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from .store import Store
from .workflow import entries, host

TRAIL_COLUMNS = [
    "year",
    "indicator",
    "text",
    "step",
    "date",
    "by",
    "value",
    "stance",
    "link",
    "host",
    "note",
    "methodology",
]


def _scores_history(
    con: duckdb.DuckDBPyConnection, city: str, keys: list[tuple[str, int, str]], lang: str
) -> pd.DataFrame:
    """Every score row ever loaded for these (methodology, year, indicator) of ``city``, with
    the time of its batch, oldest first."""
    if not keys:
        return pd.DataFrame(
            columns=[
                "methodology",
                "year",
                "item",
                "score",
                "status",
                "evidence_url",
                "source",
                "batch",
                "superseded_by",
                "imported_at",
                "text",
            ]
        )
    text = {"uk": "text_uk", "ru": "text_ru"}.get(lang, "text_en")
    # The keys as parameters (no temporary table: cursors of one connection share them).
    return con.execute(
        f"""WITH k AS (SELECT unnest(?::VARCHAR[]) AS m, unnest(?::SMALLINT[]) AS y,
                              unnest(?::VARCHAR[]) AS i)
            SELECT s.methodology, s.year, s.item, s.score, s.status::VARCHAR AS status,
                   s.evidence_url, s.source, s.batch, s.superseded_by, b.imported_at,
                   coalesce(i.{text}, i.text_en) AS text
            FROM scores s JOIN k ON k.m = s.methodology AND k.y = s.year AND k.i = s.item
            LEFT JOIN import_batches b ON b.id = s.batch
            LEFT JOIN indicators i ON i.methodology = s.methodology AND i.code = s.item
            WHERE s.city = ? AND s.level = 'indicator'
            ORDER BY s.methodology, s.year, s.item, s.batch""",
        [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], city],
    ).df()


def _event(
    year: int, methodology: str, indicator: str, text: Any, step: str, **values: Any
) -> dict[str, Any]:
    link = values.get("link")
    link = link if isinstance(link, str) and link else None
    return {
        "year": int(year),
        "methodology": methodology,
        "indicator": indicator,
        "text": text,
        "step": step,
        "date": values.get("date"),
        "by": values.get("by"),
        "value": values.get("value"),
        "stance": values.get("stance"),
        "link": link,
        "host": host(link) or None,
        "note": values.get("note"),
    }


def trail(
    store: Store | None, con: duckdb.DuckDBPyConnection, city: str, lang: str = "en"
) -> pd.DataFrame:
    """The trail of every indicator of ``city`` that councils or monitors spoke about, in
    order: assessed value, proposals, replies, feedback, decisions and the resulting value.

    Columns ``TRAIL_COLUMNS``; ``step`` is one of assessed, proposal, reply, feedback,
    accepted, rejected, result. Text is as written (plain text, never markup).
    """
    if store is None:
        return pd.DataFrame(columns=TRAIL_COLUMNS)
    said = entries(store, city)
    if said.empty:
        return pd.DataFrame(columns=TRAIL_COLUMNS)
    keys = sorted({(r.methodology, int(r.year), r.indicator) for r in said.itertuples()})
    history = _scores_history(con, city, keys, lang)
    events: list[dict[str, Any]] = []
    for m, y, ind in keys:
        rows = history[
            (history["methodology"] == m) & (history["year"] == y) & (history["item"] == ind)
        ]
        text = rows["text"].iloc[0] if not rows.empty else None
        if not rows.empty:
            first = rows.iloc[0]
            events.append(
                _event(
                    y,
                    m,
                    ind,
                    text,
                    "assessed",
                    date=first["imported_at"],
                    by=first["source"],
                    value=first["score"],
                    link=first["evidence_url"],
                )
            )
        mine = said[(said["methodology"] == m) & (said["year"] == y) & (said["indicator"] == ind)]
        for e in mine.itertuples():
            events.append(
                _event(
                    y,
                    m,
                    ind,
                    text,
                    e.kind,
                    date=e.submitted_at,
                    by=e.role,
                    value=e.score,
                    stance=e.stance,
                    link=e.url,
                    note=e.comment,
                )
            )
        for e in mine[mine["decision"].notna()].itertuples():
            events.append(
                _event(
                    y,
                    m,
                    ind,
                    text,
                    e.decision,
                    date=e.decided_at,
                    by="coordinator",
                    value=e.score if e.decision == "accepted" else None,
                    note=e.reason,
                )
            )
        current = rows[rows["superseded_by"].isna()]
        if len(rows) > 1 and not current.empty:
            last = current.iloc[-1]
            events.append(
                _event(
                    y,
                    m,
                    ind,
                    text,
                    "result",
                    date=last["imported_at"],
                    by=last["source"],
                    value=last["score"],
                    link=last["evidence_url"],
                )
            )
    frame = pd.DataFrame(events, columns=TRAIL_COLUMNS)
    order = {"assessed": 0, "result": 9}
    frame["_o"] = frame["step"].map(lambda x: order.get(x, 5))
    frame["_d"] = pd.to_datetime(frame["date"])
    frame = frame.sort_values(
        ["year", "indicator", "_o", "_d"], ascending=[False, True, True, True]
    )
    return frame.drop(columns=["_o", "_d"]).reset_index(drop=True)


def response(
    store: Store | None, con: duckdb.DuckDBPyConnection, city: str, methodology: str, year: int
) -> dict[str, Any]:
    """The council's response to an assessment: ``indicators`` (how many the methodology
    has), ``answered`` (on how many the council submitted a proposal or a reply), ``rate``
    (answered / indicators, ``None`` without indicators) and ``accepted`` (corrections
    accepted for this city and year). Context only: the official index never uses it."""
    n = int(
        con.execute(
            "SELECT count(*) FROM indicators WHERE methodology = ?", [methodology]
        ).fetchall()[0][0]
    )
    answered = accepted = 0
    if store is not None:
        said = entries(store, city, methodology, year, kinds=("proposal", "reply"))
        answered = int(said["indicator"].nunique()) if not said.empty else 0
        accepted = int((said["decision"] == "accepted").sum()) if not said.empty else 0
    return {
        "indicators": n,
        "answered": answered,
        "rate": answered / n if n else None,
        "accepted": accepted,
    }
