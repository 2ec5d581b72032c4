"""Respond to the assessment (city councils and civil-society monitors): per indicator, a
proposed score with proof, a reply, or feedback; saved as written, submitted as one set."""

import uuid

import pandas as pd
import streamlit as st

from analytics import dashboard
from analytics.cooperation import workflow
from pages import common, trail_ui
from pages.common import t

common.guard(__file__)
me = trail_ui.gate("propose", "feedback")
coop = trail_ui.store()
con = common.connection()
lang = common.lang()
council = me.may("propose")

st.title(t("Respond to the assessment"))
st.caption(
    t(
        "Per indicator: propose a new score with a link to the proof, or reply without a new "
        "score. Everything is saved as a draft as you write it and stays until you submit the "
        "set; a coordinator then reviews it."
    )
    if council
    else t(
        "Per indicator: say whether you agree with the score, with a note and a link. "
        "Everything is saved as a draft as you write it and stays until you submit the set."
    )
)
cities = sorted(me.cities or [])
if not cities:
    st.info(t("Your account is not bound to any city yet."), icon=":material/info:")
    st.stop()
names = common.run(dashboard.city_names, tuple(cities), lang=lang)
city = st.selectbox(
    t("City"),
    cities,
    format_func=lambda c: names.get(c, c),
    key=common.bind("city", cities, cities[0]),
)
common.remember(city=city)
programmes = workflow.programmes_with_indicators(con, city)
if not programmes:
    st.info(t("This city has no indicator scores to respond to."), icon=":material/info:")
    st.stop()
progs = common.run(dashboard.programmes)
pnames = dict(zip(progs["code"], progs[f"name_{lang}"].fillna(progs["name_en"])))
programme = st.selectbox(
    t("Programme"),
    programmes,
    format_func=lambda p: pnames.get(p, p),
    key=common.bind("programme", programmes, programmes[0]),
)
common.remember(programme=programme)
assessment = workflow.current_assessment(con, programme, city)
sheet = workflow.indicator_sheet(con, assessment, city, lang)
common.synthetic_banner(bool(progs.loc[progs["code"] == programme, "synthetic"].any()))
st.subheader(t("{city}: the {y} assessment", city=names.get(city, city), y=assessment.year))

drafts = {d["indicator"]: d for d in workflow.drafts(coop, me, city, assessment)}
codes = list(sheet["indicator"])
by_code = sheet.set_index("indicator")


def _label(code: str) -> str:
    row = by_code.loc[code]
    score = "—" if pd.isna(row["score"]) else common.fmt_num(row["score"], 2)
    mark = " ✎" if code in drafts else ""
    return f"{code} · {row['text']} ({score} / {common.fmt_num(row['max_points'], 2)}){mark}"


code = st.selectbox(
    t("Indicator"), codes, format_func=_label, key=common.bind("indicator", codes, codes[0])
)
common.remember(indicator=code)
row = by_code.loc[code]
c = st.columns(3)
c[0].metric(t("Score now"), "—" if pd.isna(row["score"]) else common.fmt_num(row["score"], 2))
c[1].metric(t("Maximum"), common.fmt_num(row["max_points"], 2))
c[2].metric(
    t("Last year ({y})", y=int(row["last_year"]) if not pd.isna(row["last_year"]) else "—"),
    "—" if pd.isna(row["last_year_score"]) else common.fmt_num(row["last_year_score"], 2),
)
st.text(t("Source: {s}", s=row["source"] or "—"))

draft = drafts.get(code, {})
KINDS = ["proposal", "reply"] if council else ["feedback"]
KIND_LABELS = {
    "proposal": "Propose a new score",
    "reply": "Reply without a new score",
    "feedback": "Feedback",
}
k = f"d_{city}_{assessment.year}_{code}"
defaults = {
    "kind": draft.get("kind", KINDS[0]),
    "score": draft.get("score"),
    "url": draft.get("url") or "",
    "comment": draft.get("comment") or "",
    "stance": draft.get("stance"),
}
# Widgets show the stored draft: every change is saved at once (on_change), so the store
# holds what was last written, also after a reload, a lost connection or a server restart.
for field, value in defaults.items():
    if draft or f"{k}_{field}" not in st.session_state:
        st.session_state[f"{k}_{field}"] = value


def _save() -> None:
    """Save the draft as written (called on every change)."""
    get = st.session_state.get
    kind = get(f"{k}_kind") or KINDS[0]
    try:
        workflow.save_draft(
            coop,
            common.connection(),
            me,
            city,
            programme,
            code,
            kind=kind,
            score=get(f"{k}_score"),
            url=get(f"{k}_url"),
            comment=get(f"{k}_comment"),
            stance=get(f"{k}_stance"),
        )
        st.session_state["coop_saved"] = code
    except (workflow.Invalid, workflow.Refused) as e:
        st.session_state["coop_error"] = str(e)


if council:
    kind = st.radio(
        t("Your answer"),
        KINDS,
        format_func=lambda x: t(KIND_LABELS[x]),
        key=f"{k}_kind",
        horizontal=True,
        on_change=_save,
    )
    if kind == "proposal":
        st.number_input(
            t("New score (0 to {m})", m=common.fmt_num(row["max_points"], 2)),
            min_value=0.0,
            max_value=float(row["max_points"]),
            step=0.01,
            key=f"{k}_score",
            on_change=_save,
        )
    st.text_input(
        t("Link to the proof (http:// or https://)"),
        key=f"{k}_url",
        on_change=_save,
        max_chars=workflow.MAX_TEXT,
    )
    st.text_area(t("Comment"), key=f"{k}_comment", on_change=_save, max_chars=workflow.MAX_TEXT)
else:
    st.session_state[f"{k}_kind"] = "feedback"
    st.radio(
        t("Do you agree with the score?"),
        list(workflow.STANCES),
        format_func=lambda x: t({"agree": "I agree", "disagree": "I disagree"}[x]),
        key=f"{k}_stance",
        horizontal=True,
        on_change=_save,
    )
    st.text_area(t("Note"), key=f"{k}_comment", on_change=_save, max_chars=workflow.MAX_TEXT)
    st.text_input(
        t("Link (http:// or https://)"),
        key=f"{k}_url",
        on_change=_save,
        max_chars=workflow.MAX_TEXT,
    )

b = st.columns([1, 1, 2])
if b[0].button(t("Save draft"), icon=":material/save:"):
    _save()
if code in drafts and b[1].button(t("Remove this draft"), icon=":material/delete:"):
    workflow.delete_draft(coop, me, city, assessment, code)
    for field in defaults:
        st.session_state.pop(f"{k}_{field}", None)
    st.rerun()
if st.session_state.pop("coop_error", None):
    st.error(t("The draft could not be saved: it is too long."), icon=":material/error:")
elif st.session_state.pop("coop_saved", None) == code:
    st.caption(t("Draft saved."))

# ------------------------------------------------------------------------------ the set
drafts = {d["indicator"]: d for d in workflow.drafts(coop, me, city, assessment)}
st.subheader(t("Your drafts ({n})", n=len(drafts)))
if drafts:
    frame = pd.DataFrame(drafts.values())
    frame["kind"] = frame["kind"].map(lambda x: t(KIND_LABELS[x]))
    frame["problems"] = [
        "; ".join(
            t(p)
            for p in workflow.draft_problems(d, float(by_code.loc[d["indicator"], "max_points"]))
        )
        for d in drafts.values()
    ]
    frame["stance"] = frame["stance"].map(
        lambda x: (
            t({"agree": "I agree", "disagree": "I disagree"}[x]) if x in workflow.STANCES else None
        )
    )
    common.table(
        trail_ui.blank(frame, {"score": 2}),
        hide_index=True,
        width="stretch",
        column_order=[
            "indicator",
            "kind",
            "score" if council else "stance",
            "url",
            "comment",
            "problems",
        ],
        column_config={
            "indicator": t("Code"),
            "kind": t("Answer"),
            "score": t("New score"),
            "stance": t("Feedback"),
            "url": st.column_config.LinkColumn(t("Link"), display_text=trail_ui.HOST_ONLY),
            "comment": st.column_config.TextColumn(t("Comment"), width="large"),
            "problems": t("To fix before submitting"),
        },
    )
    token = st.session_state.setdefault("coop_token", uuid.uuid4().hex)
    if st.button(t("Submit the set ({n})", n=len(drafts)), type="primary", icon=":material/send:"):
        try:
            done = workflow.submit(coop, con, me, city, programme, token)
        except workflow.RateLimited:
            st.error(
                t("Too many submissions in the last hour; please try again later."),
                icon=":material/timer:",
            )
        except workflow.Invalid as e:
            st.error(t("Not submitted: some drafts are incomplete."), icon=":material/error:")
            st.text("\n".join(e.problems))
        else:
            st.session_state.pop("coop_token", None)
            st.session_state["coop_done"] = done.entries
            st.rerun()
else:
    st.caption(t("No drafts. Choose an indicator above and write your answer."))
if st.session_state.get("coop_done"):
    st.success(
        t(
            "Submitted {n} entries. A coordinator will review them; the decisions appear "
            "below and on the city profile.",
            n=st.session_state.pop("coop_done"),
        ),
        icon=":material/check_circle:",
    )

st.subheader(t("Submitted for this assessment"))
said = workflow.entries(coop, city, assessment.methodology, assessment.year)
if said.empty:
    st.caption(t("Nothing submitted yet."))
else:
    said = said.assign(
        kind=said["kind"].map(lambda x: t(KIND_LABELS[x])),
        stance=said["stance"].map(
            lambda x: (
                t({"agree": "I agree", "disagree": "I disagree"}[x])
                if x in workflow.STANCES
                else None
            )
        ),
        decision=said["decision"].map(lambda d: t(d) if isinstance(d, str) else t("waiting")),
        role=said["role"].map(lambda r: t(r)),
    )
    common.table(
        trail_ui.blank(said, {"score": 2}),
        hide_index=True,
        width="stretch",
        column_order=[
            "submitted_at",
            "role",
            "indicator",
            "kind",
            "score",
            "stance",
            "url",
            "comment",
            "decision",
            "reason",
        ],
        column_config={
            "submitted_at": st.column_config.DatetimeColumn(
                t("Date (UTC)"), format="YYYY-MM-DD HH:mm"
            ),
            "role": t("By"),
            "indicator": t("Code"),
            "kind": t("Answer"),
            "score": t("New score"),
            "stance": t("Feedback"),
            "url": st.column_config.LinkColumn(t("Link"), display_text=trail_ui.HOST_ONLY),
            "comment": st.column_config.TextColumn(t("Comment"), width="large"),
            "decision": t("Decision"),
            "reason": st.column_config.TextColumn(t("Reason"), width="large"),
        },
    )
