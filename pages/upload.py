"""Import assessments (coordinators): upload → validation report → confirm → import."""

import pandas as pd
import streamlit as st

from analytics import catalog, importer, storage
from analytics.paths import db_path
from pages import common
from pages.common import t

common.guard(__file__)
common.require("import")

st.title(t("Import assessments"))
st.caption(
    t(
        "Upload a CSV or XLSX file in the import format (see docs/import-format.md). "
        "It is checked first; nothing changes until you confirm. An import is all or "
        "nothing, and a correction replaces earlier figures while keeping them in the "
        "history."
    )
)

limit_mb = importer.UPLOAD_MAX_BYTES // 1_000_000
upload = st.file_uploader(
    t("Assessment file (CSV or XLSX, at most {mb} MB)", mb=limit_mb),
    type=["csv", "xlsx"],
    max_upload_size=limit_mb,
    key="upload_file",
)


def _problems_frame(report: importer.ImportReport) -> pd.DataFrame:
    lang = common.lang()
    return pd.DataFrame(
        [
            {
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "problem": importer.localised(p.message, lang),
            }
            for p in report.problems
        ]
    )


def _server_refusal(error: Exception) -> str:
    """Why the server (not the file) refused an import, in the interface language."""
    if isinstance(error, storage.NotEnoughSpace):
        return t(
            "The server has too little free space for the import ({free} MB free, {needed} MB "
            "needed). The database was not changed; tell the administrator.",
            free=common.fmt_num(error.free / 1e6),
            needed=common.fmt_num(error.needed / 1e6),
        )
    if isinstance(error, storage.WriteLocked):
        return t(
            "Another import is still being written. The database was not changed; try again "
            "in a few minutes."
        )
    return t(
        "The database file cannot be read, so nothing can be imported into it. The database "
        "was not changed; tell the administrator (see Database versions)."
    )


def _show_problems(report: importer.ImportReport) -> None:
    st.error(
        t(
            "{file}: refused, {n} problem(s). The database was not changed.",
            file=report.file_name,
            n=common.fmt_int(report.problem_count),
        ),
        icon=":material/error:",
    )
    frame = _problems_frame(report)
    if report.problem_count > len(frame):
        st.caption(
            common.tn(
                "The first {n} problem is listed.", "The first {n} problems are listed.", len(frame)
            )
        )
    common.table(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "row": st.column_config.NumberColumn(t("Row"), help=t("Row 1 is the header")),
            "column": t("Column"),
            "value": t("Value"),
            "problem": st.column_config.TextColumn(t("Problem"), width="large"),
        },
    )
    common.downloads(frame, "import-problems", "problems")


if upload is None:
    st.session_state.pop("upload_checked", None)
    st.info(t("Choose a file to check it."), icon=":material/upload_file:")
else:
    data = upload.getvalue()
    checked = st.session_state.get("upload_checked")
    sig = (upload.file_id, common.signature())
    if not checked or checked["sig"] != sig:
        with st.spinner(t("Checking {file}…", file=upload.name)):
            report, preview = importer.check_bytes(db_path(), data, upload.name)
        checked = {"sig": sig, "report": report, "preview": preview, "done": None}
        st.session_state["upload_checked"] = checked
    report, preview = checked["report"], checked["preview"]
    if checked["done"] is not None:
        done = checked["done"]
        if done.unchanged:
            st.info(
                t("{file}: identical to what is loaded; nothing changed.", file=done.file_name),
                icon=":material/check:",
            )
        else:
            st.success(
                t(
                    "{file}: imported {rows} rows as batch {batch}; {old} earlier rows "
                    "replaced (kept in the history). Every page shows the new figures.",
                    file=done.file_name,
                    rows=common.fmt_int(done.inserted),
                    batch=done.batch,
                    old=common.fmt_int(done.superseded),
                ),
                icon=":material/check_circle:",
            )
    elif not report.ok:
        _show_problems(report)
    else:
        st.success(
            t(
                "{file}: {rows} rows checked, no problems.",
                file=upload.name,
                rows=common.fmt_int(report.rows),
            ),
            icon=":material/task_alt:",
        )
        c = st.columns(4)
        c[0].metric(t("Rows"), common.fmt_int(preview["rows"]))
        c[1].metric(t("Cities"), common.fmt_int(preview["cities"]))
        years = (
            str(preview["first_year"])
            if preview["first_year"] == preview["last_year"]
            else f"{preview['first_year']}–{preview['last_year']}"
        )
        c[2].metric(t("Years"), years)
        c[3].metric(
            t("Rows it replaces"),
            common.fmt_int(preview["replaces"]),
            help=t(
                "Figures now loaded for the same city, year, methodology and level; "
                "they stay in the history."
            ),
        )
        st.caption(
            t(
                "Methodologies: {m} · levels: {l} · read as {d}",
                m=preview["methodologies"],
                l=preview["levels"],
                d=", ".join(f"{k} {v}" for k, v in report.dialect.items()),
            )
        )
        if st.button(
            t("Import {rows} rows", rows=common.fmt_int(report.rows)),
            type="primary",
            icon=":material/upload:",
        ):
            with st.status(t("Importing {file}…", file=upload.name), expanded=True) as status:
                st.write(
                    t(
                        "Waiting for any other import to finish, then writing a new "
                        "version of the database; the dashboard keeps serving the "
                        "current one meanwhile."
                    )
                )
                try:
                    done = importer.import_bytes(
                        db_path(),
                        data,
                        upload.name,
                        who=st.user.get("email") or "coordinator",
                        max_bytes=importer.UPLOAD_MAX_BYTES,
                    )
                except importer.ImportRefused as e:
                    status.update(label=t("Refused"), state="error")
                    checked["report"] = e.report
                    _show_problems(e.report)
                    st.stop()
                except (storage.NotEnoughSpace, storage.WriteLocked, storage.DatabaseDamaged) as e:
                    status.update(label=t("Refused"), state="error")
                    st.error(_server_refusal(e), icon=":material/error:")
                    st.stop()
                status.update(
                    label=t("Imported in {s:.1f} s", s=done.seconds),
                    state="complete",
                    expanded=False,
                )
            checked["done"] = done
            checked["sig"] = (upload.file_id, common.signature(fresh=True))
            st.rerun()

st.subheader(t("Import history"))
batches = common.run(catalog.import_batches)
common.table(
    batches,
    hide_index=True,
    width="stretch",
    column_order=["id", "imported_at", "imported_by", "file_name", "rows", "message"],
    column_config={
        "id": t("Batch"),
        "imported_at": t("Time"),
        "imported_by": t("By"),
        "file_name": t("File"),
        "rows": st.column_config.NumberColumn(t("Rows"), format="localized"),
        "message": t("Note"),
    },
)
log = pd.DataFrame(importer.read_log(db_path()))
with st.expander(
    t("Every attempt, including refused and unchanged files ({n})", n=common.fmt_int(len(log)))
):
    if log.empty:
        st.caption(t("No attempts logged yet."))
    else:
        log["outcome"] = log["outcome"].map(common.label)
        common.table(
            log[["time", "who", "file", "outcome", "rows", "batch", "problems"]],
            hide_index=True,
            width="stretch",
            column_config={
                "time": t("Time (UTC)"),
                "who": t("By"),
                "file": t("File"),
                "outcome": t("Outcome"),
                "rows": st.column_config.NumberColumn(t("Rows"), format="localized"),
                "batch": t("Batch"),
                "problems": t("Problems"),
            },
        )
