import streamlit as st
from pages import common

common.guard(__file__)
st.title("Coming soon")
