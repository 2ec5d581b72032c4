-- Units of other kinds than cities (Moldova's district councils), classes known only by name
-- (grades published per city, without published bands), methodologies whose total cannot be
-- computed from its area scores (weights not published), and a programme's coverage note.
ALTER TABLE cities ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'city';
ALTER TABLE class_thresholds ALTER COLUMN min_score DROP NOT NULL;
ALTER TABLE methodologies ADD COLUMN total_from_areas BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE programmes ADD COLUMN note_en VARCHAR;
ALTER TABLE programmes ADD COLUMN note_uk VARCHAR;
ALTER TABLE programmes ADD COLUMN note_ru VARCHAR;
