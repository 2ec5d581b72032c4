-- First-level regions become the units drawn on the map (keys of our own, such as
-- "UA-KYIV-CITY"): a name in the local language, the GeoNames admin-1 codes they cover, the
-- area (km², equal-area projection) and the outline as GeoJSON text (WGS 84, simplified for
-- the browser). Cities keep their region code; the reference data rebuilt by
-- `python -m analytics build` fills these columns.
ALTER TABLE regions ADD COLUMN name_native VARCHAR;
ALTER TABLE regions ADD COLUMN admin1 VARCHAR[] DEFAULT [];
ALTER TABLE regions ADD COLUMN area_km2 DOUBLE;
ALTER TABLE regions ADD COLUMN geometry VARCHAR;
