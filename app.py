"""Open Cities Monitor: the dashboard's entry point (page config, navigation, shared sidebar)."""
import streamlit as st

from pages import common

st.set_page_config(page_title="Open Cities Monitor", page_icon=":material/location_city:", layout="wide")
common.ensure_database()
page = st.navigation([
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True, url_path="home"),
])
common.sidebar()
page.run()
