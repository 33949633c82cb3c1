-- The district team (issue #15): each regency keeps its own list of agencies (OPD), as data,
-- and an account of role `agency` belongs to one of them. The role list of `user` is a
-- CHECK constraint, so the table is rebuilt with the new role and the agency column;
-- `db::migrations::migrate` runs migrations with foreign keys off and checks them after.
CREATE TABLE agency (
    id           INTEGER PRIMARY KEY,
    regency_code TEXT NOT NULL REFERENCES region(code),
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (regency_code, name)
) STRICT;

CREATE TABLE user_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL
                  CHECK (role IN ('cadre', 'supervisor', 'agency', 'province', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    agency_id     INTEGER REFERENCES agency(id),
    CHECK ((role = 'agency') = (agency_id IS NOT NULL))
) STRICT;
INSERT INTO user_new (id, username, display_name, role, password_hash, disabled, created_at)
    SELECT id, username, display_name, role, password_hash, disabled, created_at FROM user;
DROP TABLE user;
ALTER TABLE user_new RENAME TO user;
