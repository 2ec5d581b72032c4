-- Every spelling of a city that search should find (transliterations, historic names).
CREATE TABLE city_names (
    city VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (city, name)
);
