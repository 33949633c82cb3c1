-- The 8 convergence actions: one checklist per regency and year (the whole state as JSON,
-- written in one statement), the province's scores, and the weights per year.
CREATE TABLE action_checklist (
    regency_code TEXT NOT NULL REFERENCES region(code),
    year         INTEGER NOT NULL,
    body         TEXT NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   INTEGER REFERENCES user(id),
    PRIMARY KEY (regency_code, year)
) STRICT;

CREATE TABLE assessment (
    regency_code TEXT NOT NULL REFERENCES region(code),
    year         INTEGER NOT NULL,
    documents    INTEGER NOT NULL,
    presentation INTEGER NOT NULL,
    field        INTEGER NOT NULL,
    scored_by    INTEGER REFERENCES user(id),
    scored_at    INTEGER NOT NULL,
    PRIMARY KEY (regency_code, year)
) STRICT;

CREATE TABLE assessment_weights (
    province_code TEXT NOT NULL REFERENCES region(code),
    year          INTEGER NOT NULL,
    documents     INTEGER NOT NULL,
    presentation  INTEGER NOT NULL,
    field         INTEGER NOT NULL,
    PRIMARY KEY (province_code, year)
) STRICT;
