-- Administrative regions (Kemendagri codes, dotted form). Loaded at first start.
CREATE TABLE region (
    code   TEXT PRIMARY KEY,
    level  TEXT NOT NULL CHECK (level IN ('province', 'regency', 'district', 'village')),
    name   TEXT NOT NULL,
    parent TEXT REFERENCES region(code)
) STRICT;
CREATE INDEX region_parent ON region(parent);

-- Key/value facts about this database (e.g. when regions were loaded).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
