-- Analysts' working notes beside the scores (recommendations, extra evidence, working-sheet
-- values, cells a publisher's total did not count, cities that did not reply); where an
-- indicator's texts come from; the rank a publisher gave, kept beside the computed one.
ALTER TABLE indicators ADD COLUMN text_source VARCHAR;
ALTER TABLE indices ADD COLUMN published_rank INTEGER;
CREATE TABLE indicator_notes (
    methodology VARCHAR NOT NULL,
    year        SMALLINT NOT NULL,
    city        VARCHAR NOT NULL,
    indicator   VARCHAR,
    kind        VARCHAR NOT NULL,
    text        VARCHAR,
    url         VARCHAR,
    source      VARCHAR NOT NULL
);
