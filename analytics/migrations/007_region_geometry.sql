-- First-level regions become the units drawn on the map (keys of our own, such as
-- "UA-KYIV-CITY"): a name in the local language, the GeoNames admin-1 codes they cover, the
-- area (km², equal-area projection) and the outline as GeoJSON text (WGS 84, simplified for
-- the browser). Cities keep their region code; the reference data rebuilt by
-- `python -m analytics build` fills these columns.
ALTER TABLE regions ADD COLUMN name_native VARCHAR;
ALTER TABLE regions ADD COLUMN admin1 VARCHAR[] DEFAULT [];
ALTER TABLE regions ADD COLUMN area_km2 DOUBLE;
ALTER TABLE regions ADD COLUMN geometry VARCHAR;

-- Context for Ukrainian cities: the city's hromada (KSE Local Data Hub): population on
-- 1 January 2022 (the hromada's, not the city's), e-dem.ua tools (September 2022), budget
-- income 2021 and 2022 (Open Budget via KSE; thousand UAH). Kyiv is not in the source.
CREATE TABLE hromada_context (
    city                      VARCHAR PRIMARY KEY,
    hromada_code              VARCHAR NOT NULL,
    hromada_name              VARCHAR NOT NULL,
    population_2022           INTEGER,
    edem_petitions            BOOLEAN,
    edem_consultations        BOOLEAN,
    edem_participatory_budget BOOLEAN,
    edem_open_hromada         BOOLEAN,
    edem_total                INTEGER,
    income_total_2021         DOUBLE,
    income_own_2021           DOUBLE,
    income_total_2022         DOUBLE,
    income_own_2022           DOUBLE
);
