-- Open Cities Monitor: the database schema.
-- This file always describes the newest schema; its version is the number below. A database
-- of an older version is brought up to date by the files in analytics/migrations/
-- (NNN_description.sql, applied in order, each in the transaction that records it).
-- schema_version: 7

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TYPE score_level AS ENUM ('indicator', 'area', 'total');
CREATE TYPE score_status AS ENUM ('scored', 'not_applicable', 'not_assessed');
CREATE TYPE indicator_kind AS ENUM ('legal_requirement', 'best_practice');

-- Countries of the Eastern Partnership; outline is a GeoJSON geometry (WGS 84).
CREATE TABLE countries (
    iso2        VARCHAR PRIMARY KEY,
    iso3        VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    name_uk     VARCHAR,
    name_ru     VARCHAR,
    name_native VARCHAR,
    outline     VARCHAR
);

-- First-level administrative divisions as drawn on the map (scripts/derive_geo.py): keys of
-- our own ("UA-KYIV-CITY"), names in English, Ukrainian, Russian and the local language, the
-- GeoNames admin-1 codes each covers, the area in km² (equal-area projection) and the outline
-- as GeoJSON text (WGS 84, simplified for the browser).
CREATE TABLE regions (
    code        VARCHAR PRIMARY KEY,
    country     VARCHAR NOT NULL,
    name_en     VARCHAR NOT NULL,
    name_uk     VARCHAR,
    name_ru     VARCHAR,
    name_native VARCHAR,
    admin1      VARCHAR[] DEFAULT [],
    area_km2    DOUBLE,
    geometry    VARCHAR
);

-- Cities. code is stable ("ua-lviv") and survives renamings; former names go to aliases.
-- kind: 'city' (a city, town or village council) or 'district' (a district council, such as
-- Moldova's raion councils): units of different kinds are assessed by different programmes.
CREATE TABLE cities (
    code          VARCHAR PRIMARY KEY,
    country       VARCHAR NOT NULL,
    region        VARCHAR,
    name_en       VARCHAR NOT NULL,
    name_uk       VARCHAR,
    name_ru       VARCHAR,
    name_native   VARCHAR,
    aliases       VARCHAR[] NOT NULL DEFAULT [],
    lat           DOUBLE,
    lon           DOUBLE,
    population    INTEGER,
    geonameid     INTEGER,
    capital       BOOLEAN NOT NULL DEFAULT false,
    ogp_local     BOOLEAN NOT NULL DEFAULT false,
    in_tc_ranking BOOLEAN NOT NULL DEFAULT false,
    synthetic     BOOLEAN NOT NULL DEFAULT false,
    kind          VARCHAR NOT NULL DEFAULT 'city'
);

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

-- Every spelling of a city that search should find: its names and aliases, and GeoNames'
-- alternate names (transliterations, historic forms), see scripts/derive_names.py.
CREATE TABLE city_names (
    city VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (city, name)
);

-- An assessment series (a ranking or study repeated over years).
CREATE TABLE programmes (
    code           VARCHAR PRIMARY KEY,
    name_en        VARCHAR NOT NULL,
    name_uk        VARCHAR,
    name_ru        VARCHAR,
    organisation   VARCHAR,
    website        VARCHAR,
    country        VARCHAR,
    description_en VARCHAR,
    description_uk VARCHAR,
    description_ru VARCHAR,
    synthetic      BOOLEAN NOT NULL DEFAULT false,
    note_en        VARCHAR,   -- what a reader must know about its coverage, shown with it
    note_uk        VARCHAR,
    note_ru        VARCHAR
);

-- A version of a programme's method, valid for the years year_from..year_to.
CREATE TABLE methodologies (
    code         VARCHAR PRIMARY KEY,
    programme    VARCHAR NOT NULL,
    year_from    SMALLINT NOT NULL,
    year_to      SMALLINT NOT NULL,
    n_areas      SMALLINT,
    n_indicators SMALLINT,
    max_points   DOUBLE NOT NULL,
    source_url   VARCHAR,
    note         VARCHAR,
    total_from_areas BOOLEAN NOT NULL DEFAULT true  -- false: weights of the areas unpublished
);

-- Lowest total of each class (best class has position 1). min_score is NULL for classes the
-- programme publishes per city without publishing their bands: those are never computed.
CREATE TABLE class_thresholds (
    methodology VARCHAR NOT NULL,
    position    SMALLINT NOT NULL,
    class_name  VARCHAR NOT NULL,
    min_score   DOUBLE,
    source_url  VARCHAR,
    note        VARCHAR,
    PRIMARY KEY (methodology, class_name)
);

CREATE TABLE areas (
    methodology VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,
    position    SMALLINT NOT NULL,
    name_en     VARCHAR NOT NULL,
    name_uk     VARCHAR,
    name_ru     VARCHAR,
    max_points  DOUBLE,
    aliases     VARCHAR[] NOT NULL DEFAULT [],
    source_url  VARCHAR,
    PRIMARY KEY (methodology, code)
);

-- An area that continues in a later methodology (possibly under another name).
CREATE TABLE area_links (
    from_methodology VARCHAR NOT NULL,
    from_area        VARCHAR NOT NULL,
    to_methodology   VARCHAR NOT NULL,
    to_area          VARCHAR NOT NULL,
    PRIMARY KEY (from_methodology, from_area, to_methodology, to_area)
);

CREATE TABLE indicators (
    methodology VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,
    area        VARCHAR NOT NULL,
    position    SMALLINT NOT NULL,
    text_en     VARCHAR NOT NULL,
    text_uk     VARCHAR,
    text_ru     VARCHAR,
    max_points  DOUBLE NOT NULL,
    kind        indicator_kind,
    -- where the texts come from, e.g. "uk: TI Ukraine's wording; en, ru: our translation"
    text_source VARCHAR,
    PRIMARY KEY (methodology, code)
);

-- Analysts' working notes beside the scores: context, never a score. kind: recommendation,
-- evidence (all links and remarks of the analyst), sheet_value (the working sheet's value where
-- it differs from the final score), uncounted (a value the publisher's total did not count; the
-- score is what the total counted), no_reply (indicator NULL: the city did not answer).
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

-- One imported file (or the reference build). Refused files never reach the database; they
-- are logged beside it (see analytics.importer).
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    rows        BIGINT NOT NULL,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    imported_by VARCHAR,
    outcome     VARCHAR NOT NULL,
    message     VARCHAR
);

-- Every score ever loaded. A later batch for the same methodology, year, city and level
-- supersedes the earlier rows (superseded_by = that batch); current rows have it NULL.
-- item is an indicator code, an area code, or 'total'.
CREATE TABLE scores (
    city          VARCHAR NOT NULL,
    year          SMALLINT NOT NULL,
    methodology   VARCHAR NOT NULL,
    level         score_level NOT NULL,
    item          VARCHAR NOT NULL,
    score         DOUBLE,
    status        score_status NOT NULL,
    evidence_url  VARCHAR,
    comment       VARCHAR,
    source        VARCHAR,
    batch         INTEGER NOT NULL,
    superseded_by INTEGER
);

-- Figures as published (scores, ranks, classes, averages), each with its source. Where
-- sources disagree, one row is preferred (the programme's own site first) and the others
-- stay as alternatives. Preferred scores are also loaded into scores.
CREATE TABLE published_figures (
    dataset     VARCHAR NOT NULL,
    programme   VARCHAR NOT NULL,
    methodology VARCHAR,
    year        SMALLINT NOT NULL,
    city        VARCHAR,
    kind        VARCHAR NOT NULL,   -- score | rank | class | average | note | derived
                                    -- (derived: a total we derived from published figures)
    level       score_level,
    item        VARCHAR,
    value       DOUBLE,
    text_value  VARCHAR,
    preferred   BOOLEAN NOT NULL,
    source_url  VARCHAR NOT NULL,
    quote       VARCHAR
);

CREATE TABLE projects (
    code                VARCHAR PRIMARY KEY,
    title_en            VARCHAR NOT NULL,
    title_uk            VARCHAR,
    title_ru            VARCHAR,
    eu_project_number   VARCHAR,
    start_date          DATE,
    end_date            DATE,
    eu_contribution_eur DOUBLE,
    implementing_partners VARCHAR[] NOT NULL DEFAULT [],
    countries           VARCHAR[] NOT NULL DEFAULT [],
    priority_areas      VARCHAR[] NOT NULL DEFAULT [],
    sub_sectors         VARCHAR[] NOT NULL DEFAULT [],
    topics              VARCHAR[] NOT NULL DEFAULT [],
    website             VARCHAR,
    summary_en          VARCHAR,
    summary_uk          VARCHAR,
    summary_ru          VARCHAR,
    objectives_en       VARCHAR[] NOT NULL DEFAULT [],
    objectives_uk       VARCHAR[] NOT NULL DEFAULT [],
    objectives_ru       VARCHAR[] NOT NULL DEFAULT [],
    expected_results_en VARCHAR[] NOT NULL DEFAULT [],
    expected_results_uk VARCHAR[] NOT NULL DEFAULT [],
    expected_results_ru VARCHAR[] NOT NULL DEFAULT [],
    sources             VARCHAR[] NOT NULL DEFAULT [],
    synthetic           BOOLEAN NOT NULL DEFAULT false,
    eune_id             INTEGER,
    funders             VARCHAR[] DEFAULT [],
    total_budget_eur    DOUBLE,
    non_eu              BOOLEAN DEFAULT false,
    start_published     VARCHAR,
    end_published       VARCHAR,
    source_url          VARCHAR,
    countries_note      VARCHAR
);

CREATE TABLE project_targets (
    project      VARCHAR NOT NULL,
    position     SMALLINT NOT NULL,
    indicator_en VARCHAR NOT NULL,
    indicator_uk VARCHAR,
    indicator_ru VARCHAR,
    unit         VARCHAR,
    baseline     DOUBLE,
    target       DOUBLE,
    actual       DOUBLE,
    as_of        DATE,
    PRIMARY KEY (project, position)
);

CREATE TABLE project_cities (
    project   VARCHAR NOT NULL,
    city      VARCHAR NOT NULL,
    year_from SMALLINT NOT NULL,
    year_to   SMALLINT NOT NULL,
    PRIMARY KEY (project, city)
);

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

-- Computed results (analytics.results.refresh fills them after every write).
-- area_results: per methodology, year, city and area: points rescaled to the area's nominal
-- maximum, share of it (0-1), coverage of assessed items, and whether nothing applies.
-- indices: per city-year: the index shown (published total where published, else computed),
-- coverage, ranks, change from the programme's previous assessed year, class.
CREATE TABLE area_results (
    methodology VARCHAR NOT NULL,
    year        SMALLINT NOT NULL,
    city        VARCHAR NOT NULL,
    area        VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    points      DOUBLE,
    max_points  DOUBLE,
    share       DOUBLE,
    coverage    DOUBLE,
    not_applicable BOOLEAN NOT NULL
);
CREATE TABLE indices (
    programme       VARCHAR NOT NULL,
    methodology     VARCHAR NOT NULL,
    year            SMALLINT NOT NULL,
    city            VARCHAR NOT NULL,
    country         VARCHAR,
    region          VARCHAR,
    total           DOUBLE,
    source          VARCHAR,
    coverage        DOUBLE,
    computed_total  DOUBLE,
    computed_from   VARCHAR,
    published_total DOUBLE,
    rank            INTEGER,
    rank_source     VARCHAR,
    ranked_cities   INTEGER,
    rank_country    INTEGER,
    rank_region     INTEGER,
    prev_year       SMALLINT,
    prev_total      DOUBLE,
    prev_rank       INTEGER,
    change_points   DOUBLE,
    change_rank     INTEGER,
    across_break    BOOLEAN,
    class_name      VARCHAR,
    class_position  SMALLINT,
    class_source    VARCHAR,
    published_rank  INTEGER
);

-- Scores that are in force (not superseded).
CREATE VIEW current_scores AS
SELECT * FROM scores WHERE superseded_by IS NULL;

-- Projects with their status derived from today's date.
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
