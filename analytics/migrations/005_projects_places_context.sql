-- Real EU projects and the country backdrop (issue 11 items 4 and 5, issue 12 item 5).
-- projects: EU Neighbours East id, funders, total budget, non-EU comparator flag, dates as
-- published when the source gives only a year or month (the DATE columns then hold the
-- period's first / last day), the source page.
ALTER TABLE projects ADD COLUMN eune_id INTEGER;
ALTER TABLE projects ADD COLUMN funders VARCHAR[] DEFAULT [];
ALTER TABLE projects ADD COLUMN total_budget_eur DOUBLE;
ALTER TABLE projects ADD COLUMN non_eu BOOLEAN DEFAULT false;
ALTER TABLE projects ADD COLUMN start_published VARCHAR;
ALTER TABLE projects ADD COLUMN end_published VARCHAR;
ALTER TABLE projects ADD COLUMN source_url VARCHAR;
ALTER TABLE projects ADD COLUMN countries_note VARCHAR;

-- Every amount a source gives besides the headline figures: alternatives (kept like
-- published results), other funders' shares, the programme a project belongs to, and
-- splits by country where the source states them (share of the EU contribution).
CREATE TABLE project_amounts (
    project    VARCHAR NOT NULL,
    position   SMALLINT NOT NULL,
    kind       VARCHAR NOT NULL,
    amount     DOUBLE,
    currency   VARCHAR NOT NULL DEFAULT 'EUR',
    country    VARCHAR,
    share      DOUBLE,
    source_url VARCHAR,
    note       VARCHAR,
    PRIMARY KEY (project, position)
);

-- The cities, municipalities and regions a project works with, as the sources name them.
-- city / region are set when the place is a city or region of this database (matched by
-- GeoNames id / admin-1 code at load time); other places stay listed by name.
CREATE TABLE project_places (
    project    VARCHAR NOT NULL,
    position   SMALLINT NOT NULL,
    name_en    VARCHAR NOT NULL,
    name_uk    VARCHAR,
    name_ru    VARCHAR,
    kind       VARCHAR NOT NULL,
    country    VARCHAR,
    geonameid  INTEGER,
    city       VARCHAR,
    region     VARCHAR,
    role_en    VARCHAR,
    role_uk    VARCHAR,
    role_ru    VARCHAR,
    role_source VARCHAR,
    year_from  SMALLINT,
    year_to    SMALLINT,
    source_url VARCHAR,
    PRIMARY KEY (project, position)
);

-- National context per country and year: OGP facts, TI's CPI, the World Bank's WGI.
-- One row per figure; values are as published (CPI: CC BY-ND, never altered).
CREATE TABLE country_context (
    country    VARCHAR NOT NULL,
    year       SMALLINT,
    period     VARCHAR,
    measure    VARCHAR NOT NULL,
    value      DOUBLE,
    text_value VARCHAR,
    source     VARCHAR NOT NULL,
    source_url VARCHAR,
    licence    VARCHAR,
    note       VARCHAR
);

-- OGP Local members with the year they joined (city set when the city is in this database).
CREATE TABLE ogp_local_members (
    country    VARCHAR NOT NULL,
    name_en    VARCHAR NOT NULL,
    city       VARCHAR,
    year       SMALLINT NOT NULL,
    source_url VARCHAR
);

DROP VIEW project_overview;
CREATE VIEW project_overview AS
SELECT *,
       CASE
           WHEN start_date IS NULL THEN 'unknown'
           WHEN current_date < start_date THEN 'planned'
           WHEN end_date IS NULL THEN 'end not published'
           WHEN current_date <= end_date THEN 'ongoing'
           ELSE 'completed'
       END AS status
FROM projects;
