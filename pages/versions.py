"""Database versions (admins): the kept earlier versions and a rollback to the newest."""

import pandas as pd
import streamlit as st

from analytics import storage
from analytics.paths import db_path
from pages import common
from pages.common import t

common.guard(__file__)
common.require("rollback")

st.title(t("Database versions"))
st.caption(
    t(
        "Every import keeps the database as it was before, as a version (the last "
        "{n}). Rolling back puts the newest kept version in place at once; viewers see "
        "it on their next interaction. The same is `python -m analytics rollback`.",
        n=storage.KEEP_VERSIONS,
    )
)

if restored_name := st.session_state.pop("rolled_back", None):
    st.success(t("Restored {version}.", version=restored_name), icon=":material/check_circle:")
kept = pd.DataFrame(storage.version_list(db_path()))
if kept.empty:
    st.info(t("No earlier version is kept yet: one appears with the next import."))
    st.stop()
common.table(
    kept,
    hide_index=True,
    width="stretch",
    column_config={
        "version": t("Version"),
        "replaced_at_utc": t("Replaced at (UTC)"),
        "bytes": st.column_config.NumberColumn(t("Size (bytes)"), format="localized"),
    },
)

sure = st.checkbox(
    t(
        "I understand that the figures imported after {when} will no longer be "
        "shown (the current file is set aside in the versions folder).",
        when=kept.iloc[0]["replaced_at_utc"] or kept.iloc[0]["version"],
    )
)
if st.button(
    t("Roll back to the newest kept version"),
    type="primary",
    disabled=not sure,
    icon=":material/undo:",
):
    try:
        restored = storage.rollback(db_path())
    except (storage.NotEnoughSpace, storage.WriteLocked):
        st.error(
            t(
                "The rollback could not be done now; the database was not changed. "
                "Try again later, or run `python -m analytics rollback` on the server."
            ),
            icon=":material/error:",
        )
        st.stop()
    st.session_state["rolled_back"] = restored.name
    st.rerun()
