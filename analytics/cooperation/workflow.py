"""Propose, respond, review: the cooperation workflow, with every check on the server.

* A **council** member proposes a new score for an indicator of one of their cities' current
  assessment, with a proof link and a comment, or replies without a new score.
* A **monitor** leaves feedback per indicator: agrees or disagrees, a note, a link.
* Both write **drafts** (saved as written, kept in the store) and submit them as one set.
* A **coordinator** reviews the submitted proposals: accepts or rejects each with a reason.
  Accepted corrections go into the analytic file as one import batch through the importer's
  all-or-nothing import, superseding the earlier rows; the decisions are kept in the store.

Every function takes the acting ``Person`` and refuses (``Refused``) what that person may not
do: a right the role lacks, or a city it is not bound to. Text is stored as written and meant
to be shown as plain text; links must be ``http(s)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pandas as pd
from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from analytics import importer, storage
from analytics.roles import Person

from . import store as s
from .store import Store

KINDS = {"proposal": "propose", "reply": "propose", "feedback": "feedback"}
STANCES = ("agree", "disagree")
DECISIONS = ("accepted", "rejected")
MAX_TEXT = 2000
#: Submissions one person may make within the window (seconds).
RATE_LIMIT = (20, 3600)
#: A review still pending after this long died before its import: its decisions are dropped.
STALE_REVIEW = dt.timedelta(minutes=10)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# Text that would be markup if rendered (the importer refuses it in comments).
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|javascript\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Refused(PermissionError):
    """The person may not do this (role, city, own proposal)."""


class RateLimited(Refused):
    """Too many submissions in the window."""


class Invalid(ValueError):
    """The input is incomplete or wrong; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Assessment:
    """The assessment a council answers for: its programme, methodology and year."""

    programme: str
    methodology: str
    year: int


@dataclass
class Submitted:
    id: int
    entries: int
    repeated: bool = False  # the token was submitted before: nothing new was written


@dataclass
class Reviewed:
    review: int
    accepted: int
    rejected: int
    batch: int | None = None
    superseded: int = 0
    cities: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------ checks


def authorise(person: Person, right: str, city: str | None = None) -> None:
    """Refuse unless ``person`` has ``right`` and, for a city, is bound to it."""
    if not person.may(right):
        raise Refused(f"the role {person.role} may not {right}")
    if city is not None and not person.reaches(city):
        raise Refused(f"{person.email or 'this account'} is not bound to the city {city}")


def clean_text(value: str | None) -> str | None:
    """Text as written, without control characters, trimmed; ``None`` when empty."""
    if value is None:
        return None
    value = _CONTROL.sub("", str(value)).strip()
    return value or None


def url_problem(url: str | None) -> str | None:
    """Why ``url`` is not an acceptable link, or ``None``."""
    if not url:
        return None
    if len(url) > MAX_TEXT:
        return "the link is too long"
    if not _URL.match(url) or any(c in url for c in '<>"\\'):
        return "a link must be a web address starting with http:// or https://"
    return None


def host(url: str | None) -> str:
    """The host a link leads to, shown beside it (``""`` for no link)."""
    if not isinstance(url, str) or not url:
        return ""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _text_problems(comment: str | None) -> list[str]:
    return (
        ["the text is longer than 2,000 characters"] if comment and len(comment) > MAX_TEXT else []
    )


def draft_problems(draft: Mapping[str, Any], max_points: float | None) -> list[str]:
    """What keeps a draft from being submitted (empty: ready)."""
    kind = draft.get("kind")
    problems = _text_problems(draft.get("comment"))
    bad_url = url_problem(draft.get("url"))
    if bad_url:
        problems.append(bad_url)
    score = draft.get("score")
    if kind == "proposal":
        if score is None or (isinstance(score, float) and math.isnan(score)):
            problems.append("a proposal needs a new score")
        elif score < 0 or (max_points is not None and score > max_points + 1e-9):
            problems.append("the score must be between 0 and the indicator's maximum")
        if not draft.get("url"):
            problems.append("a proposal needs a link to its proof")
    elif kind == "reply":
        if not draft.get("comment"):
            problems.append("a reply needs a comment")
    elif kind == "feedback":
        if draft.get("stance") not in STANCES:
            problems.append("say whether you agree or disagree")
    else:
        problems.append("unknown kind of entry")
    return problems


# ------------------------------------------------------------------------------ the analytic file


def current_assessment(
    con: duckdb.DuckDBPyConnection, programme: str, city: str
) -> Assessment | None:
    """The newest year of ``programme`` in which ``city`` has indicator scores."""
    row = con.execute(
        """SELECT s.methodology, s.year FROM current_scores s
           JOIN methodologies m ON m.code = s.methodology
           WHERE m.programme = ? AND s.city = ? AND s.level = 'indicator'
           ORDER BY s.year DESC LIMIT 1""",
        [programme, city],
    ).fetchone()
    return None if row is None else Assessment(programme, row[0], int(row[1]))


def programmes_with_indicators(con: duckdb.DuckDBPyConnection, city: str) -> list[str]:
    """Programmes in which ``city`` has indicator scores (those a council can answer for),
    real ones first."""
    return [
        r[0]
        for r in con.execute(
            """SELECT m.programme FROM current_scores s
               JOIN methodologies m ON m.code = s.methodology
               JOIN programmes p ON p.code = m.programme
               WHERE s.city = ? AND s.level = 'indicator'
               GROUP BY m.programme, p.synthetic ORDER BY p.synthetic, max(s.year) DESC,
                        m.programme""",
            [city],
        ).fetchall()
    ]


def indicator_sheet(
    con: duckdb.DuckDBPyConnection, assessment: Assessment, city: str, lang: str = "en"
) -> pd.DataFrame:
    """Every indicator of the assessment for ``city``: area, text, maximum, the score in force,
    its state, source and evidence, and the city's score of the programme's previous year."""
    text = {"uk": "text_uk", "ru": "text_ru"}.get(lang, "text_en")
    area = {"uk": "name_uk", "ru": "name_ru"}.get(lang, "name_en")
    return con.execute(
        f"""WITH prev AS (
                SELECT max(s.year) AS year FROM current_scores s
                JOIN methodologies m ON m.code = s.methodology
                WHERE m.programme = ? AND s.city = ? AND s.year < ? AND s.level = 'indicator')
            SELECT i.code AS indicator, i.area, coalesce(a.{area}, a.name_en) AS area_name,
                   coalesce(i.{text}, i.text_en) AS text, i.max_points,
                   c.score, c.status::VARCHAR AS status, c.source, c.evidence_url,
                   (SELECT p.score FROM current_scores p, prev
                    WHERE p.city = ? AND p.year = prev.year AND p.level = 'indicator'
                      AND p.item = i.code) AS last_year_score,
                   (SELECT year FROM prev) AS last_year
            FROM indicators i
            JOIN areas a ON a.methodology = i.methodology AND a.code = i.area
            LEFT JOIN current_scores c ON c.methodology = i.methodology AND c.item = i.code
                 AND c.city = ? AND c.year = ? AND c.level = 'indicator'
            WHERE i.methodology = ?
            ORDER BY a.position, i.position""",
        [
            assessment.programme,
            city,
            assessment.year,
            city,
            city,
            assessment.year,
            assessment.methodology,
        ],
    ).df()


def _indicator(
    con: duckdb.DuckDBPyConnection, assessment: Assessment, city: str, code: str
) -> dict[str, Any]:
    row = con.execute(
        """SELECT i.max_points, c.score, c.status::VARCHAR, c.source FROM indicators i
           LEFT JOIN current_scores c ON c.methodology = i.methodology AND c.item = i.code
                AND c.city = ? AND c.year = ? AND c.level = 'indicator'
           WHERE i.methodology = ? AND i.code = ?""",
        [city, assessment.year, assessment.methodology, code],
    ).fetchone()
    if row is None:
        raise Invalid([f"unknown indicator {code}"])
    return {"max_points": row[0], "score": row[1], "status": row[2], "source": row[3]}


def _assessment(con: duckdb.DuckDBPyConnection, programme: str, city: str) -> Assessment:
    found = current_assessment(con, programme, city)
    if found is None:
        raise Invalid([f"{city} has no indicator scores in {programme}"])
    return found


# ------------------------------------------------------------------------------ the store


def _insert(con: Connection, table: Any) -> Any:
    """The dialect's INSERT (for ON CONFLICT clauses, which SQLite and PostgreSQL share)."""
    return (postgresql if con.dialect.name == "postgresql" else sqlite).insert(table)


def log(con: Connection, person: Person, action: str, city: str | None, detail: str) -> None:
    """Record an action (who, when, what) in the transaction that does it."""
    con.execute(
        s.actions.insert().values(
            at=s.now(),
            who=person.email or "anonymous",
            role=person.role,
            action=action,
            city=city,
            detail=detail[:4000],
        )
    )


def save_draft(
    store: Store,
    con: duckdb.DuckDBPyConnection,
    person: Person,
    city: str,
    programme: str,
    indicator: str,
    *,
    kind: str,
    score: float | None = None,
    url: str | None = None,
    comment: str | None = None,
    stance: str | None = None,
) -> Assessment:
    """Save (or replace) ``person``'s draft for one indicator of ``city``'s current assessment,
    as written; completeness is checked on submission."""
    if kind not in KINDS:
        raise Invalid(["unknown kind of entry"])
    authorise(person, KINDS[kind], city)
    assessment = _assessment(con, programme, city)
    _indicator(con, assessment, city, indicator)
    comment, url = clean_text(comment), clean_text(url)
    problems = _text_problems(comment) + (
        ["the link is too long"] if url and len(url) > MAX_TEXT else []
    )
    if problems:
        raise Invalid(problems)
    if score is not None and (math.isnan(score) or math.isinf(score)):
        score = None
    values = {
        "role": person.role,
        "programme": programme,
        "kind": kind,
        "score": score if kind == "proposal" else None,
        "stance": stance if kind == "feedback" and stance in STANCES else None,
        "url": url,
        "comment": comment,
        "updated_at": s.now(),
    }
    key = {
        "author": person.email,
        "city": city,
        "methodology": assessment.methodology,
        "year": assessment.year,
        "indicator": indicator,
    }
    with store.write() as w:
        stmt = _insert(w, s.drafts).values(**key, **values)
        w.execute(stmt.on_conflict_do_update(index_elements=list(key), set_=values))
        log(
            w,
            person,
            "draft",
            city,
            f"{assessment.methodology} {assessment.year} {indicator} {kind}",
        )
    return assessment


def delete_draft(
    store: Store, person: Person, city: str, assessment: Assessment, indicator: str
) -> None:
    with store.write() as w:
        w.execute(
            delete(s.drafts).where(
                s.drafts.c.author == person.email,
                s.drafts.c.city == city,
                s.drafts.c.methodology == assessment.methodology,
                s.drafts.c.year == assessment.year,
                s.drafts.c.indicator == indicator,
            )
        )
        log(
            w,
            person,
            "draft-deleted",
            city,
            f"{assessment.methodology} {assessment.year} {indicator}",
        )


def drafts(store: Store, person: Person, city: str, assessment: Assessment) -> list[dict[str, Any]]:
    """``person``'s drafts for ``city``'s assessment, by indicator."""
    authorise(person, "view", city)
    with store.read() as r:
        rows = r.execute(
            select(s.drafts)
            .where(
                s.drafts.c.author == person.email,
                s.drafts.c.city == city,
                s.drafts.c.methodology == assessment.methodology,
                s.drafts.c.year == assessment.year,
            )
            .order_by(s.drafts.c.indicator)
        ).mappings()
        return [dict(row) for row in rows]


def _lock_person(w: Connection, person: Person) -> None:
    """Lock the person's row: one submission at a time per person, in every process."""
    w.execute(
        _insert(w, s.people)
        .values(email=person.email, first_seen=s.now())
        .on_conflict_do_nothing(index_elements=["email"])
    )
    w.execute(select(s.people.c.email).where(s.people.c.email == person.email).with_for_update())


def _rate_limit(w: Connection, person: Person, limit: tuple[int, int] | None) -> None:
    """Refuse when the person made ``limit[0]`` submissions in the last ``limit[1]`` s."""
    if limit is None:
        return
    count, seconds = limit
    since = s.now() - dt.timedelta(seconds=seconds)
    recent = w.execute(
        select(func.count())
        .select_from(s.submissions)
        .where(s.submissions.c.author == person.email, s.submissions.c.submitted_at >= since)
    ).scalar_one()
    if recent >= count:
        raise RateLimited(f"at most {count} submissions per {seconds // 60} minutes")


def submit(
    store: Store,
    con: duckdb.DuckDBPyConnection,
    person: Person,
    city: str,
    programme: str,
    token: str | None = None,
    *,
    limit: tuple[int, int] | None = RATE_LIMIT,
) -> Submitted:
    """Submit all of ``person``'s drafts for ``city``'s current assessment as one set, in one
    transaction: either every entry is written and the drafts cleared, or nothing changes.

    ``token`` (one per submit button press) makes a repeated call return the first result.
    """
    authorise(person, "view", city)
    if not (person.may("propose") or person.may("feedback")):
        raise Refused(f"the role {person.role} may not submit")
    authorise(person, "propose" if person.may("propose") else "feedback", city)
    assessment = _assessment(con, programme, city)
    token = token or uuid.uuid4().hex
    with store.write() as w:
        _lock_person(w, person)
        done = w.execute(
            select(s.submissions.c.id, s.submissions.c.entries, s.submissions.c.author).where(
                s.submissions.c.token == token
            )
        ).first()
        if done is not None:
            if done.author != person.email:
                raise Refused("this submission belongs to someone else")
            return Submitted(done.id, done.entries, repeated=True)
        _rate_limit(w, person, limit)
        rows = [
            dict(r)
            for r in w.execute(
                select(s.drafts).where(
                    s.drafts.c.author == person.email,
                    s.drafts.c.city == city,
                    s.drafts.c.methodology == assessment.methodology,
                    s.drafts.c.year == assessment.year,
                )
            ).mappings()
        ]
        if not rows:
            raise Invalid(["nothing to submit"])
        facts = {r["indicator"]: _indicator(con, assessment, city, r["indicator"]) for r in rows}
        problems = [
            f"{r['indicator']}: {p}"
            for r in rows
            for p in draft_problems(r, facts[r["indicator"]]["max_points"])
        ]
        if any(KINDS[r["kind"]] not in _rights(person) for r in rows):
            raise Refused(f"the role {person.role} may not submit these entries")
        if problems:
            raise Invalid(problems)
        at = s.now()
        sid = w.execute(
            s.submissions.insert()
            .values(
                token=token,
                author=person.email,
                role=person.role,
                city=city,
                programme=programme,
                methodology=assessment.methodology,
                year=assessment.year,
                entries=len(rows),
                submitted_at=at,
            )
            .returning(s.submissions.c.id)
        ).scalar_one()
        for r in _entry_rows(rows, facts, sid, at):
            w.execute(s.entries.insert().values(**r))
        w.execute(
            delete(s.drafts).where(
                s.drafts.c.author == person.email,
                s.drafts.c.city == city,
                s.drafts.c.methodology == assessment.methodology,
                s.drafts.c.year == assessment.year,
            )
        )
        log(w, person, "submit", city, f"submission {sid}: {len(rows)} entries")
    return Submitted(int(sid), len(rows))


def _rights(person: Person) -> set[str]:
    return {right for right in ("propose", "feedback") if person.may(right)}


def _entry_rows(
    rows: list[dict[str, Any]], facts: dict[str, dict[str, Any]], sid: int, at: dt.datetime
) -> list[dict[str, Any]]:
    keep = ("author", "role", "city", "programme", "methodology", "year", "indicator", "kind")
    return [
        {
            **{k: r[k] for k in keep},
            "score": r["score"],
            "stance": r["stance"],
            "url": r["url"],
            "comment": r["comment"],
            "submission": sid,
            "assessed_score": facts[r["indicator"]]["score"],
            "assessed_status": facts[r["indicator"]]["status"],
            "assessed_source": facts[r["indicator"]]["source"],
            "submitted_at": at,
        }
        for r in rows
    ]


# ------------------------------------------------------------------------------ reading


def entries(
    store: Store,
    city: str | None = None,
    methodology: str | None = None,
    year: int | None = None,
    kinds: tuple[str, ...] = tuple(KINDS),
) -> pd.DataFrame:
    """Submitted entries with their decision (if any), oldest first. Public: anyone may read
    what was submitted and decided (drafts stay private)."""
    e, d = s.entries, s.decisions
    cond: list[Any] = [e.c.kind.in_(kinds)]
    if city is not None:
        cond.append(e.c.city == city)
    if methodology is not None:
        cond.append(e.c.methodology == methodology)
    if year is not None:
        cond.append(e.c.year == year)
    query = (
        select(
            e,
            d.c.decision,
            d.c.reason,
            d.c.decided_by,
            d.c.decided_at,
            d.c.review,
            s.reviews.c.batch,
            s.reviews.c.state.label("review_state"),
        )
        .select_from(
            e.outerjoin(d, d.c.entry == e.c.id).outerjoin(s.reviews, s.reviews.c.id == d.c.review)
        )
        .where(and_(*cond))
        .order_by(e.c.submitted_at, e.c.id)
    )
    with store.read() as r:
        rows = [dict(row) for row in r.execute(query).mappings()]
    columns = [c.name for c in e.columns] + [
        "decision",
        "reason",
        "decided_by",
        "decided_at",
        "review",
        "batch",
        "review_state",
    ]
    return pd.DataFrame(rows, columns=columns)


FEEDBACK_LABELS = {"agree": "agree", "disagree": "disagree", "reply": "council reply"}


def queue(
    store: Store,
    con: duckdb.DuckDBPyConnection,
    person: Person,
    city: str | None = None,
    labels: Mapping[str, str] = FEEDBACK_LABELS,
    lang: str = "en",
) -> pd.DataFrame:
    """The coordinator's review queue: every proposal not yet decided, by city and indicator,
    with the score in force and its source, the proof, the monitors' feedback on the same
    indicator (``labels`` names the stances and the council's replies in it) and the city's
    score of the previous year; the indicators' texts in ``lang``."""
    authorise(person, "review", city)
    pending = entries(store, city, kinds=("proposal",))
    pending = pending[pending["decision"].isna()]
    feedback = entries(store, city, kinds=("feedback", "reply"))
    out = []
    sheets: dict[tuple[str, str, str, int], pd.DataFrame] = {}
    for row in pending.itertuples(index=False):
        a = Assessment(row.programme, row.methodology, int(row.year))
        key = (row.city, a.programme, a.methodology, a.year)
        if key not in sheets:
            sheets[key] = indicator_sheet(con, a, row.city, lang).set_index("indicator")
        sheet = sheets[key]
        ind = sheet.loc[row.indicator] if row.indicator in sheet.index else None
        said = feedback[
            (feedback["city"] == row.city)
            & (feedback["methodology"] == row.methodology)
            & (feedback["year"] == row.year)
            & (feedback["indicator"] == row.indicator)
        ]
        out.append(
            {
                "entry": int(row.id),
                "city": row.city,
                "programme": row.programme,
                "methodology": row.methodology,
                "year": int(row.year),
                "indicator": row.indicator,
                "text": None if ind is None else ind["text"],
                "max_points": None if ind is None else ind["max_points"],
                "current_score": None if ind is None else ind["score"],
                "current_source": None if ind is None else ind["source"],
                "proposed_score": row.score,
                "proof_url": row.url,
                "proof_host": host(row.url),
                "comment": row.comment,
                "proposed_by": row.author,
                "submitted_at": row.submitted_at,
                "feedback": _feedback_text(said, labels),
                "last_year_score": None if ind is None else ind["last_year_score"],
            }
        )
    return pd.DataFrame(out, columns=QUEUE_COLUMNS)


QUEUE_COLUMNS = [
    "entry",
    "city",
    "programme",
    "methodology",
    "year",
    "indicator",
    "text",
    "max_points",
    "current_score",
    "current_source",
    "proposed_score",
    "proof_url",
    "proof_host",
    "comment",
    "proposed_by",
    "submitted_at",
    "feedback",
    "last_year_score",
]


def _feedback_text(said: pd.DataFrame, labels: Mapping[str, str]) -> str:
    parts = []
    for f in said.itertuples(index=False):
        head = labels.get(f.stance if f.kind == "feedback" else "reply", "")
        link = f" ({host(f.url)})" if f.url else ""
        parts.append(f"{head}: {f.comment or ''}{link}".strip())
    return " | ".join(parts)


# ------------------------------------------------------------------------------ review


def review(
    store: Store,
    db: Path,
    person: Person,
    choices: Mapping[int, tuple[str, str]],
) -> Reviewed:
    """Decide proposals: ``choices`` maps an entry id to ``("accepted" | "rejected", reason)``.

    The decisions are recorded first (a pending review); the accepted corrections are then
    written into the analytic file at ``db`` as ONE import batch through the importer
    (built from the rows in force inside the write, so a concurrent import is never undone);
    then the review is marked applied with its batch. If the import is refused the decisions
    are withdrawn; if the process dies in between, ``reconcile`` settles it.
    """
    authorise(person, "review")
    if not choices:
        raise Invalid(["no decisions to record"])
    review_id, accepted, cities = _record(store, person, choices)
    result = Reviewed(review_id, len(accepted), len(choices) - len(accepted), cities=cities)
    if accepted:
        name = review_file(review_id)
        try:
            with storage.writing(Path(db)) as con:
                data = correction_csv(con, accepted, review_id, person)
                report = importer.import_into(con, data, name, who=person.email)
        except BaseException:
            _withdraw(store, review_id)
            raise
        result.batch, result.superseded = report.batch, report.superseded
    with store.write() as w:
        w.execute(
            update(s.reviews)
            .where(s.reviews.c.id == review_id)
            .values(state="applied", batch=result.batch, applied_at=s.now())
        )
        log(w, person, "review-applied", None, f"review {review_id}: batch {result.batch}")
    return result


def review_file(review_id: int) -> str:
    """The import's file name, by which a review and its batch find each other."""
    return f"cooperation-review-{review_id}.csv"


def _record(
    store: Store, person: Person, choices: Mapping[int, tuple[str, str]]
) -> tuple[int, list[dict[str, Any]], list[str]]:
    problems = []
    for entry, (decision, reason) in choices.items():
        if decision not in DECISIONS:
            problems.append(f"entry {entry}: decide accepted or rejected")
        if not clean_text(reason):
            problems.append(f"entry {entry}: a decision needs a reason")
        elif len(reason) > MAX_TEXT:
            problems.append(f"entry {entry}: the reason is longer than 2,000 characters")
    if problems:
        raise Invalid(problems)
    try:
        with store.write() as w:
            rows = {
                r["id"]: dict(r)
                for r in w.execute(
                    select(s.entries).where(s.entries.c.id.in_(list(choices)))
                ).mappings()
            }
            _check_choices(w, person, choices, rows)
            at = s.now()
            rid = w.execute(
                s.reviews.insert()
                .values(reviewer=person.email, state="pending", started_at=at)
                .returning(s.reviews.c.id)
            ).scalar_one()
            w.execute(
                update(s.reviews).where(s.reviews.c.id == rid).values(file_name=review_file(rid))
            )
            for entry, (decision, reason) in choices.items():
                w.execute(
                    s.decisions.insert().values(
                        entry=entry,
                        review=rid,
                        decision=decision,
                        reason=clean_text(reason),
                        decided_by=person.email,
                        decided_at=at,
                    )
                )
                log(
                    w, person, decision, rows[entry]["city"], f"entry {entry}: {clean_text(reason)}"
                )
    except IntegrityError:
        raise Invalid(
            ["some of these proposals were decided meanwhile; reload the queue"]
        ) from None
    accepted = [
        {**rows[e], "reason": clean_text(r)} for e, (d, r) in choices.items() if d == "accepted"
    ]
    return int(rid), accepted, sorted({rows[e]["city"] for e in choices})


def _check_choices(
    w: Connection,
    person: Person,
    choices: Mapping[int, tuple[str, str]],
    rows: dict[int, dict[str, Any]],
) -> None:
    problems = [f"entry {e}: no such proposal" for e in choices if e not in rows]
    problems += [f"entry {e}: not a proposal" for e, r in rows.items() if r["kind"] != "proposal"]
    decided = w.execute(
        select(s.decisions.c.entry).where(s.decisions.c.entry.in_(list(choices)))
    ).scalars()
    problems += [f"entry {e}: already decided" for e in decided]
    seen: set[tuple[str, str, int, str]] = set()
    for e, (decision, _) in choices.items():
        r = rows.get(e)
        if r is None or decision != "accepted":
            continue
        key = (r["city"], r["methodology"], r["year"], r["indicator"])
        if key in seen:
            problems.append(f"entry {e}: another accepted proposal sets the same indicator")
        seen.add(key)
    if problems:
        raise Invalid(problems)
    for e, r in rows.items():
        if r["author"] == person.email:
            raise Refused(f"entry {e}: nobody may decide their own proposal")
        authorise(person, "review", r["city"])


def _withdraw(store: Store, review_id: int) -> None:
    with store.write() as w:
        w.execute(delete(s.decisions).where(s.decisions.c.review == review_id))
        w.execute(delete(s.reviews).where(s.reviews.c.id == review_id))


def reconcile(store: Store, db: Path) -> int:
    """Settle reviews left pending by a process that died: applied if their import batch is
    in the analytic file, withdrawn (back in the queue) if older than ``STALE_REVIEW``
    without one. Returns how many were settled."""
    with store.read() as r:
        pending = (
            r.execute(select(s.reviews).where(s.reviews.c.state == "pending")).mappings().all()
        )
    if not pending:
        return 0
    con = storage.connect_read_only(Path(db))
    try:
        batches = dict(
            con.execute(
                "SELECT file_name, max(id) FROM import_batches WHERE file_name LIKE "
                "'cooperation-review-%' GROUP BY file_name"
            ).fetchall()
        )
    finally:
        con.close()
    settled = 0
    for p in pending:
        if p["file_name"] in batches:
            with store.write() as w:
                w.execute(
                    update(s.reviews)
                    .where(s.reviews.c.id == p["id"])
                    .values(state="applied", batch=batches[p["file_name"]], applied_at=s.now())
                )
            settled += 1
        elif s.now() - p["started_at"] > STALE_REVIEW:
            _withdraw(store, p["id"])
            settled += 1
    return settled


def correction_csv(
    con: duckdb.DuckDBPyConnection,
    accepted: list[dict[str, Any]],
    review_id: int,
    person: Person,
) -> bytes:
    """The import file of accepted corrections, in the documented import format: for every
    city-year touched, all its indicator rows in force (the import supersedes the level as a
    whole), with the accepted scores, proof links and the reason."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(importer.BY_CODE)
    groups: dict[tuple[str, str, int, str], dict[str, dict[str, Any]]] = {}
    for a in accepted:
        groups.setdefault((a["programme"], a["methodology"], int(a["year"]), a["city"]), {})[
            a["indicator"]
        ] = a
    date = dt.date.today().isoformat()
    for (programme, methodology, year, city), changes in sorted(groups.items()):
        rows = con.execute(
            """SELECT item, score, status::VARCHAR, evidence_url, comment, source
               FROM current_scores WHERE methodology = ? AND year = ? AND city = ?
                 AND level = 'indicator' ORDER BY item""",
            [methodology, year, city],
        ).fetchall()
        current = {r[0]: r for r in rows}
        for item in sorted(set(current) | set(changes)):
            if item in changes:
                a = changes[item]
                note = f"Council correction accepted {date}"
                if not _MARKUP.search(a["reason"] or ""):
                    note += f": {a['reason']}"
                writer.writerow(
                    [
                        programme,
                        year,
                        city,
                        "indicator",
                        item,
                        repr(float(a["score"])),
                        "scored",
                        a["url"],
                        note[:MAX_TEXT],
                        f"city council correction, review {review_id}",
                    ]
                )
            else:
                _, score, status, url, comment, source = current[item]
                writer.writerow(
                    [
                        programme,
                        year,
                        city,
                        "indicator",
                        item,
                        "" if score is None else repr(float(score)),
                        status,
                        url or "",
                        comment or "",
                        source or "",
                    ]
                )
    return out.getvalue().encode("utf-8")
