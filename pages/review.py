"""Review corrections (coordinators): the queue by city, accept or reject each with a reason;
accepted corrections are imported as one batch."""

import pandas as pd
import streamlit as st

from analytics import dashboard
from analytics.cooperation import workflow
from analytics.paths import db_path
from pages import common, trail_ui
from pages.common import t

common.guard(__file__)
me = trail_ui.gate("review")
coop = trail_ui.store()
lang = common.lang()
workflow.reconcile(coop, db_path())

st.title(t("Review corrections"))
st.caption(
    t(
        "Proposals submitted by city councils, with the score in force and its source, the "
        "proof, the monitors' feedback and last year's score. Accept or reject each with a "
        "reason; accepted corrections are imported as one batch (all or nothing) and every "
        "page follows."
    )
)
done = st.session_state.pop("coop_reviewed", None)
if done is not None:
    st.success(
        t(
            "Recorded {a} accepted and {r} rejected; imported as batch {b}.",
            a=done.accepted,
            r=done.rejected,
            b=done.batch if done.batch is not None else "—",
        ),
        icon=":material/check_circle:",
    )

queue = workflow.queue(
    coop,
    common.connection(),
    me,
    labels={"agree": t("agrees"), "disagree": t("disagrees"), "reply": t("council reply")},
    lang=lang,
)
names = common.run(dashboard.city_names, tuple(sorted(set(queue["city"]))), lang=lang)
cities = ["all", *sorted(set(queue["city"]), key=lambda c: names.get(c, c))]
city = st.selectbox(
    t("City"),
    cities,
    format_func=lambda c: (
        t("All cities ({n})", n=len(cities) - 1) if c == "all" else names.get(c, c)
    ),
    key=common.bind("city", cities, "all"),
)
common.remember(city=None if city == "all" else city)
shown = queue if city == "all" else queue[queue["city"] == city]
shown = shown.assign(city_name=shown["city"].map(lambda c: names.get(c, c)))
st.subheader(t("Waiting for a decision ({n})", n=len(shown)))
if shown.empty:
    st.info(t("No proposals are waiting for a decision."), icon=":material/inbox:")
else:
    links = [  # each code a link to its indicator's page, in the proposal's programme and year
        common.page_href("indicator", programme=p, year=int(y), indicator=i)
        for p, y, i in zip(shown["programme"], shown["year"], shown["indicator"])
    ]
    common.table(
        trail_ui.blank(
            shown, {"current_score": 2, "proposed_score": 2, "last_year_score": 2}
        ).assign(indicator_page=links),
        hide_index=True,
        width="stretch",
        column_order=[
            "city_name",
            "year",
            "indicator_page",
            "text",
            "current_score",
            "current_source",
            "proposed_score",
            "proof_url",
            "comment",
            "feedback",
            "last_year_score",
        ],
        column_config={
            "city_name": t("City"),
            "year": st.column_config.NumberColumn(t("Year"), format="%d"),
            "indicator_page": common.indicator_column(),
            "text": st.column_config.TextColumn(t("Indicator"), width="medium"),
            "current_score": t("Score now"),
            "current_source": t("Source"),
            "proposed_score": t("Proposed"),
            "proof_url": st.column_config.LinkColumn(t("Proof"), display_text=trail_ui.HOST_ONLY),
            "comment": st.column_config.TextColumn(t("Comment"), width="medium"),
            "feedback": st.column_config.TextColumn(t("Monitor feedback"), width="medium"),
            "last_year_score": t("Last year"),
        },
    )
    common.downloads(
        shown.drop(columns=["city_name"]).assign(
            synthetic=shown["programme"].map(trail_ui.synthetic)
        ),
        "review-queue",
        "queue",
    )

    OPTIONS = ["undecided", "accepted", "rejected"]
    LABELS = {"undecided": "Not yet", "accepted": "Accept", "rejected": "Reject"}
    choices: dict[int, tuple[str, str]] = {}
    for r in shown.head(50).itertuples(index=False):
        with st.container(border=True):
            st.markdown(f"**{r.city_name} · {r.year} · {r.indicator}**")
            st.text(
                "\n".join(
                    [
                        str(r.text or ""),
                        t(
                            "Score now {now} of {max} · proposed {new} · last year {last}",
                            now="—"
                            if pd.isna(r.current_score)
                            else common.fmt_num(r.current_score, 2),
                            max=common.fmt_num(r.max_points, 2),
                            new=common.fmt_num(r.proposed_score, 2),
                            last="—"
                            if pd.isna(r.last_year_score)
                            else common.fmt_num(r.last_year_score, 2),
                        ),
                        t("Proof: {host}", host=r.proof_host or "—"),
                        t("Comment: {c}", c=r.comment or "—"),
                        t("Monitor feedback: {f}", f=r.feedback or "—"),
                    ]
                )
            )
            if r.proof_url:
                st.link_button(t("Open the proof ({host})", host=r.proof_host), r.proof_url)
            cols = st.columns([2, 3])
            decision = cols[0].radio(
                t("Decision"),
                OPTIONS,
                format_func=lambda o: t(LABELS[o]),
                horizontal=True,
                key=f"rv_{r.entry}",
            )
            reason = cols[1].text_input(
                t("Reason (shown publicly)"), key=f"rr_{r.entry}", max_chars=workflow.MAX_TEXT
            )
            if decision != "undecided":
                choices[int(r.entry)] = (decision, reason)
    if len(shown) > 50:
        st.caption(t("The first 50 proposals are listed; choose a city to see the others."))
    if st.button(
        t("Record {n} decision(s)", n=len(choices)),
        type="primary",
        icon=":material/gavel:",
        disabled=not choices,
    ):
        try:
            with st.spinner(t("Importing the accepted corrections…")):
                result = workflow.review(coop, db_path(), me, choices)
        except workflow.Refused as e:
            st.error(t("Refused: {why}", why=str(e)), icon=":material/block:")
        except workflow.Invalid as e:
            st.error(t("Not recorded: every decision needs a reason."), icon=":material/error:")
            st.text("\n".join(e.problems))
        else:
            for key in list(st.session_state):
                if str(key).startswith(("rv_", "rr_")):
                    del st.session_state[key]
            st.session_state["coop_reviewed"] = result
            st.rerun()

st.subheader(t("Decided"))
decided = workflow.entries(coop, None if city == "all" else city, kinds=("proposal",))
decided = decided[decided["decision"].notna()]
if decided.empty:
    st.caption(t("Nothing decided yet."))
else:
    dnames = common.run(dashboard.city_names, tuple(sorted(set(decided["city"]))), lang=lang)
    decided = decided.assign(
        city=decided["city"].map(lambda c: dnames.get(c, c)),
        decision=decided["decision"].map(t),
    )
    common.table(
        trail_ui.blank(
            decided.sort_values("decided_at", ascending=False), {"assessed_score": 2, "score": 2}
        ),
        hide_index=True,
        width="stretch",
        column_order=[
            "decided_at",
            "city",
            "year",
            "indicator",
            "assessed_score",
            "score",
            "decision",
            "reason",
            "decided_by",
            "batch",
        ],
        column_config={
            "decided_at": st.column_config.DatetimeColumn(
                t("Date (UTC)"), format="YYYY-MM-DD HH:mm"
            ),
            "city": t("City"),
            "year": st.column_config.NumberColumn(t("Year"), format="%d"),
            "indicator": t("Code"),
            "assessed_score": t("Score then"),
            "score": t("Proposed"),
            "decision": t("Decision"),
            "reason": st.column_config.TextColumn(t("Reason"), width="large"),
            "decided_by": t("By"),
            "batch": t("Batch"),
        },
    )
    common.downloads(decided, "review-decisions", "decided")
