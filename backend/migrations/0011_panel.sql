-- The province's panel (issue #16): assessors are accounts of their own role, the rubric of a
-- year is kept in versions, each assessor keeps one sheet per district, and a published
-- year is frozen. The role list of `user` is a CHECK constraint, so the table is rebuilt as
-- in 0009 (foreign keys are off during migrations and checked afterwards).
CREATE TABLE user_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL
                  CHECK (role IN ('cadre', 'supervisor', 'agency', 'province', 'assessor', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    agency_id     INTEGER REFERENCES agency(id),
    CHECK ((role = 'agency') = (agency_id IS NOT NULL))
) STRICT;
INSERT INTO user_new (id, username, display_name, role, password_hash, disabled, created_at, agency_id)
    SELECT id, username, display_name, role, password_hash, disabled, created_at, agency_id FROM user;
DROP TABLE user;
ALTER TABLE user_new RENAME TO user;

-- Every saved rubric of a province and year; the highest version is the one in force.
-- Version 0 (the default rubric) is never stored.
CREATE TABLE rubric_version (
    province_code TEXT NOT NULL REFERENCES region(code),
    year          INTEGER NOT NULL,
    version       INTEGER NOT NULL CHECK (version > 0),
    body          TEXT NOT NULL,
    saved_by      INTEGER NOT NULL REFERENCES user(id),
    saved_at      INTEGER NOT NULL,
    PRIMARY KEY (province_code, year, version)
) STRICT;

-- One sheet per assessor and district; `submitted_at` set means final.
CREATE TABLE panel_sheet (
    regency_code   TEXT NOT NULL REFERENCES region(code),
    year           INTEGER NOT NULL,
    assessor_id    INTEGER NOT NULL REFERENCES user(id),
    rubric_version INTEGER NOT NULL,
    body           TEXT NOT NULL,
    updated_at     INTEGER NOT NULL,
    submitted_at   INTEGER,
    PRIMARY KEY (regency_code, year, assessor_id)
) STRICT;

CREATE TABLE assessment_publication (
    province_code  TEXT NOT NULL REFERENCES region(code),
    year           INTEGER NOT NULL,
    rubric_version INTEGER NOT NULL,
    published_by   INTEGER NOT NULL REFERENCES user(id),
    published_at   INTEGER NOT NULL,
    PRIMARY KEY (province_code, year)
) STRICT;
