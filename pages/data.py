"""Data inventory: what the database holds."""
import streamlit as st

from analytics import catalog
from pages import common
from pages.common import SYNTHETIC_LABEL

common.guard(__file__)

st.title("Open Cities Monitor")
st.write("How transparent and accountable city governments in Armenia, Azerbaijan, Belarus, "
         "Georgia, Moldova and Ukraine are, how that changes over the years, and which "
         "EU-funded projects work on it.")

n = common.run(catalog.counts)
programmes = common.run(catalog.programmes)
projects = common.run(catalog.projects)
cols = st.columns(5)
cols[0].metric("Countries", n["countries"])
cols[1].metric("Cities", len(common.run(catalog.cities)))
cols[2].metric("Programmes", len(programmes))
cols[3].metric("Projects", len(projects))
cols[4].metric("Scores in force", f"{n['current_scores']:,}")

st.subheader("Assessment programmes")
if programmes["synthetic"].any():
    st.warning(f"Rows marked *synthetic* are {SYNTHETIC_LABEL.split(' — ')[0].lower()}: "
               f"{SYNTHETIC_LABEL.split(' — ')[1]}.", icon=":material/science:")
st.dataframe(
    programmes.assign(synthetic=programmes["synthetic"].map({True: "synthetic", False: "real"})),
    hide_index=True, width="stretch",
    column_order=["name_en", "organisation", "years", "methodologies", "cities", "scores",
                  "published_figures", "synthetic"],
    column_config={
        "name_en": st.column_config.TextColumn("Programme", width="medium"),
        "organisation": st.column_config.TextColumn("Organisation", width="medium"),
        "years": "Years", "methodologies": "Methodologies",
        "cities": st.column_config.NumberColumn("Cities scored"),
        "scores": st.column_config.NumberColumn("Scores", format="localized"),
        "published_figures": st.column_config.NumberColumn("Published figures"),
        "synthetic": "Data",
    })

st.subheader("Projects")
if projects.empty:
    st.info("No projects in the database yet.")
else:
    shown = projects.assign(
        title=projects["title_en"] + projects["synthetic"].map({True: " (synthetic)", False: ""}),
        status=projects["status"].replace({"unknown": "dates not published"}))
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_order=["title", "status", "start_date", "end_date",
                               "eu_contribution_eur", "implementing_partners", "countries",
                               "targets"],
                 column_config={
                     "title": st.column_config.TextColumn("Project", width="large"),
                     "status": "Status", "start_date": st.column_config.DateColumn("Start"),
                     "end_date": st.column_config.DateColumn("End"),
                     "eu_contribution_eur": st.column_config.NumberColumn(
                         "EU contribution, €", format="localized"),
                     "implementing_partners": st.column_config.ListColumn("Partners"),
                     "countries": st.column_config.ListColumn("Countries"),
                     "targets": st.column_config.NumberColumn("Targets")})

st.subheader("Countries")
st.dataframe(common.run(catalog.countries), hide_index=True,
             column_order=["name_en", "name_uk", "name_ru", "cities", "regions", "population"],
             column_config={"name_en": "Country", "name_uk": "Українською", "name_ru": "По-русски",
                            "cities": "Cities", "regions": "Regions",
                            "population": st.column_config.NumberColumn(
                                "Population of these cities", format="localized")})
st.subheader("Cities")
query = st.text_input("Find a city", placeholder="Name in English, Ukrainian or Russian")
cities = common.run(catalog.cities, search=query)
if cities.empty:
    st.info(f"No city matches “{query}”.")
else:
    st.dataframe(cities, hide_index=True, width="stretch",
                 column_order=["name_en", "name_uk", "name_ru", "name_native", "country",
                               "region", "population", "capital", "ogp_local", "in_tc_ranking"],
                 column_config={
                     "name_en": "City", "name_uk": "Українською", "name_ru": "По-русски",
                     "name_native": "Local name", "country": "Country", "region": "Region",
                     "population": st.column_config.NumberColumn("Population",
                                                                  format="localized"),
                     "capital": "Capital", "ogp_local": "OGP Local",
                     "in_tc_ranking": "In TI Ukraine's 100-city ranking"})
st.caption("Sources: GeoNames (cities), Natural Earth (outlines), Transparency International "
           "Ukraine (published results), EU Neighbours East (projects). See data/SOURCES.md.")
