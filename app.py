"""Open Cities Monitor: the dashboard's entry point (page config, navigation, shared sidebar)."""

from pathlib import Path

import streamlit as st

from analytics.roles import may
from pages import common, share_ui
from pages.common import t

PRESENT = st.query_params.get("present") == "1"
st.set_page_config(
    page_title="Open Cities Monitor",
    # A file shipped with the app: a ":material/…" page icon makes the browser fetch the
    # favicon from a font host on the internet.
    page_icon=str(Path(__file__).with_name("assets") / "icon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if PRESENT else "auto",
)
# Anything unexpected shows our own calm, translated message (no links to search engines).
with common.friendly_errors():
    common.ensure_database()
    common.begin_run()
    # Each page's url_path is its file name, so a link names the page it shows.
    PAGES = [
        st.Page(
            "pages/overview.py",
            title=t("Overview"),
            icon=":material/map:",
            default=True,
            url_path="overview",
        ),
        st.Page(
            "pages/rankings.py",
            title=t("Rankings"),
            icon=":material/leaderboard:",
            url_path="rankings",
        ),
        st.Page(
            "pages/city.py",
            title=t("City profile"),
            icon=":material/location_city:",
            url_path="city",
        ),
        st.Page(
            "pages/compare.py",
            title=t("Compare"),
            icon=":material/compare_arrows:",
            url_path="compare",
        ),
        st.Page(
            "pages/indicator.py",
            title=t("Indicator"),
            icon=":material/checklist:",
            url_path="indicator",
        ),
        st.Page(
            "pages/trends.py", title=t("Trends"), icon=":material/trending_up:", url_path="trends"
        ),
        st.Page(
            "pages/projects.py",
            title=t("Projects"),
            icon=":material/handshake:",
            url_path="projects",
        ),
        st.Page(
            "pages/methodology.py",
            title=t("Methodology and sources"),
            icon=":material/menu_book:",
            url_path="methodology",
        ),
        st.Page(
            "pages/data.py", title=t("Data inventory"), icon=":material/database:", url_path="data"
        ),
        PRESENTATION := st.Page(
            "pages/present.py",
            title=t("Presentation mode"),
            icon=":material/slideshow:",
            url_path="present",
        ),
    ]
    # Work pages exist only where sign-in is set up; a role without the right does not see them,
    # and opening one by URL shows a refusal (the page checks the role again itself).
    if common.auth_configured():
        ROLE = common.role()
        PAGES += [
            st.Page(
                "pages/upload.py",
                title=t("Import assessments"),
                icon=":material/upload_file:",
                url_path="upload",
                visibility="visible" if may(ROLE, "import") else "hidden",
            ),
            st.Page(
                "pages/versions.py",
                title=t("Database versions"),
                icon=":material/history:",
                url_path="versions",
                visibility="visible" if may(ROLE, "rollback") else "hidden",
            ),
            st.Page(
                "pages/propose.py",
                title=t("Respond to the assessment"),
                icon=":material/rate_review:",
                url_path="propose",
                visibility="visible" if may(ROLE, "propose") or may(ROLE, "feedback") else "hidden",
            ),
            st.Page(
                "pages/review.py",
                title=t("Review corrections"),
                icon=":material/fact_check:",
                url_path="review",
                visibility="visible" if may(ROLE, "review") else "hidden",
            ),
        ]
    # expanded: every page is listed (Streamlit folds a long menu into "View N more")
    page = st.navigation(PAGES, position="hidden" if PRESENT else "sidebar", expanded=True)
    # "overview" is the default page's own name in links (its url_path reads "").
    common.notice_page_not_found(t("Overview"), ["overview", *(p.url_path for p in PAGES)])
    common.follow_goto(PAGES)
    if PRESENT:
        common.present(page, PRESENTATION)
    else:
        common.sidebar()
        share_ui.sidebar_share(page.url_path)
        # Presenting this view keeps its programme, year, city and language.
        st.sidebar.page_link(
            PRESENTATION,
            label=t("Present this view"),
            icon=":material/slideshow:",
            query_params={
                **{k: st.query_params.get_all(k) for k in st.query_params},
                "present": "1",
            },
        )
    common.database_notice()
    page.run()
