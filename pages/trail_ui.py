"""What the cooperation pages and the city profile share: the acting person, the store, the
refusal for pages a role may not use, and the public trail of a city's indicators."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import roles
from analytics.cooperation import store as coop_store
from analytics.cooperation import trail
from analytics.paths import db_path
from analytics.roles import Person
from pages import common
from pages.common import t

STEP_LABELS = {
    "assessed": "assessed",
    "proposal": "proposal",
    "reply": "reply",
    "feedback": "feedback",
    "accepted": "accepted",
    "rejected": "rejected",
    "result": "resulting value",
}
BY_LABELS = {"council": "council", "monitor": "monitor", "coordinator": "coordinator"}
STANCE_LABELS = {"agree": "agrees", "disagree": "disagrees"}
# A link column shows only the host a link leads to.
HOST_ONLY = r"^https?://([^/?#:]+)"


def person() -> Person:
    """Who uses this session (a viewer when sign-in is not set up or signed out)."""
    if not common.auth_configured():
        return Person("", "viewer")
    try:
        allowlists = st.secrets.get("roles", {})
    except Exception:
        allowlists = {}
    return roles.person_for(st.user.to_dict(), allowlists)


def store_url() -> str:
    try:
        configured = st.secrets.get("cooperation", {}).get("url")
    except Exception:
        configured = None
    return coop_store.resolve_url(db_path(), configured)


def store(create: bool = True) -> coop_store.Store | None:
    """The cooperation store; with ``create=False``, ``None`` where none was made yet."""
    url = store_url()
    if not create and not coop_store.exists(url):
        return None
    return coop_store.open_store(url)


def gate(*rights: str) -> Person:
    """At the top of a cooperation page: stop with a refusal unless the person has one of
    ``rights``; returns the person."""
    who = person()
    if common.auth_configured() and any(who.may(r) for r in rights):
        return who
    common.refuse(
        t(
            "This page is for city councils, civil-society monitors and coordinators. "
            "Sign in with an account that has these rights."
        )
    )


def blank(frame: pd.DataFrame, numbers: dict[str, int] | None = None) -> pd.DataFrame:
    """A copy for display: missing text as empty cells and the ``numbers`` columns
    formatted with that many decimals (empty where missing), so no table shows “None”."""
    out = frame.copy()
    for col in out.columns:
        if numbers and col in numbers:
            out[col] = out[col].map(
                lambda v, d=numbers[col]: "" if v is None or pd.isna(v) else common.fmt_num(v, d)
            )
        elif pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "" if v is None or v is pd.NA or v != v else v)
    return out


def synthetic(programme: str) -> bool:
    """Whether a programme's data are the synthetic demo (labelled in every download)."""
    from analytics import dashboard

    progs = common.run(dashboard.programmes)
    return bool(progs.loc[progs["code"] == programme, "synthetic"].any())


def labelled_trail(frame: pd.DataFrame) -> pd.DataFrame:
    """The trail with its steps, roles and stances in the interface language."""
    return frame.assign(
        step=frame["step"].map(lambda s: t(STEP_LABELS.get(s, s))),
        by=frame["by"].map(lambda b: t(BY_LABELS[b]) if b in BY_LABELS else b),
        stance=frame["stance"].map(lambda s: t(STANCE_LABELS[s]) if s in STANCE_LABELS else None),
    )


def show_trail(frame: pd.DataFrame, key: str) -> None:
    """The trail as a table (text shown as text, links by their host) with downloads."""
    shown = labelled_trail(frame)
    links = "programme" in frame.columns  # each code a link to its indicator's page
    drawn = blank(shown, {"value": 2})
    if links:
        drawn = drawn.assign(
            indicator_page=[
                common.page_href("indicator", programme=p, year=int(y), indicator=i)
                if isinstance(i, str) and not pd.isna(y)
                else ""
                for p, y, i in zip(frame["programme"], frame["year"], frame["indicator"])
            ]
        )
    common.table(
        drawn,
        hide_index=True,
        width="stretch",
        column_order=[
            "indicator_page" if links and c == "indicator" else c
            for c in trail.TRAIL_COLUMNS
            if c not in ("host", "methodology")  # the host is in the link; one methodology
        ],
        column_config={
            "year": st.column_config.NumberColumn(t("Year"), format="%d"),
            "indicator": t("Code"),
            "indicator_page": common.indicator_column(),
            "text": st.column_config.TextColumn(t("Indicator"), width="medium"),
            "step": t("Step"),
            "date": st.column_config.DatetimeColumn(t("Date (UTC)"), format="YYYY-MM-DD HH:mm"),
            "by": t("By"),
            "value": st.column_config.TextColumn(t("Points")),
            "stance": t("Feedback"),
            "link": st.column_config.LinkColumn(t("Link"), display_text=HOST_ONLY),
            "note": st.column_config.TextColumn(t("Note"), width="large"),
        },
    )
    common.downloads(shown, f"trail-{key}", f"trail_{key}")


def city_context(programme: str, city: str, methodology: str, year: int, lang: str) -> None:
    """On the city profile, beside the index: the council's response rate and accepted
    corrections (context, never part of the index) and every indicator's trail."""
    coop = store(create=False)
    if coop is None:
        return
    con = common.connection()
    stats = trail.response(coop, con, city, methodology, year)
    frame = trail.trail(coop, con, city, lang)
    if stats["answered"] == 0 and frame.empty:
        return
    st.caption(
        t(
            "Council response to the {y} assessment: {rate} of indicators answered or "
            "corrected · accepted corrections: {n}. Context only — not part of the index.",
            y=year,
            rate="—" if stats["rate"] is None else common.fmt_pct(stats["rate"]),
            n=common.fmt_int(stats["accepted"]),
        )
    )
    with st.expander(
        t("Corrections and feedback: the trail of {n} indicator(s)", n=frame["indicator"].nunique())
    ):
        st.caption(
            t(
                "What was assessed, what the council proposed or replied, what civil-society "
                "monitors said, what the coordinator decided and the value in force."
            )
        )
        show_trail(frame.assign(programme=programme, synthetic=synthetic(programme)), city)


def indicator_trail(programme: str, city: str, indicator: str, lang: str) -> None:
    """On an indicator page: that indicator's trail for ``city`` (nothing where councils and
    monitors never spoke about it). One call, for the page that shows a single indicator."""
    coop = store(create=False)
    if coop is None:
        return
    frame = trail.trail(coop, common.connection(), city, lang)
    frame = frame[frame["indicator"] == indicator]
    if frame.empty:
        return
    st.subheader(t("Corrections and feedback"))
    show_trail(
        frame.assign(programme=programme, synthetic=synthetic(programme)), f"{city}-{indicator}"
    )
