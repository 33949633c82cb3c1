-- Accounts. Roles: cadre (villages), supervisor (one regency), province (one province), admin.
CREATE TABLE user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('cadre', 'supervisor', 'province', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;

-- The areas a user works in: villages for a cadre, one regency for a supervisor, one
-- province for the province role. Admins have none (they manage accounts, not data).
CREATE TABLE user_area (
    user_id     INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES region(code),
    PRIMARY KEY (user_id, region_code)
) STRICT;

-- Sessions: only a SHA-256 of the token is stored, so a copied database cannot log in.
CREATE TABLE session (
    token_hash  BLOB PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
) STRICT;
CREATE INDEX session_user ON session(user_id);

-- Records of every synced kind, the body as JSON. change_seq is the server's monotonic
-- change counter: pulls page on it, never on clocks.
CREATE TABLE record (
    id           TEXT PRIMARY KEY,
    entity       TEXT NOT NULL,
    village_code TEXT NOT NULL REFERENCES region(code),
    parent_id    TEXT,
    version      INTEGER NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    body         TEXT,
    change_seq   INTEGER NOT NULL UNIQUE,
    updated_at   INTEGER NOT NULL,
    updated_by   INTEGER REFERENCES user(id),
    device_id    TEXT
) STRICT;
CREATE INDEX record_village_change ON record(village_code, change_seq);
CREATE INDEX record_entity_village ON record(entity, village_code);
CREATE INDEX record_parent ON record(parent_id);

-- The counter behind record.change_seq (one row).
CREATE TABLE change_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
) STRICT;
INSERT INTO change_counter (id, value) VALUES (1, 0);

-- Devices, their last processed sequence and their last heartbeat.
CREATE TABLE device (
    id                  TEXT PRIMARY KEY,
    user_id             INTEGER NOT NULL REFERENCES user(id),
    last_seq            INTEGER NOT NULL DEFAULT 0,
    first_seen_at       INTEGER NOT NULL,
    last_push_at        INTEGER,
    last_pull_at        INTEGER,
    outbox_size         INTEGER,
    oldest_pending_secs INTEGER,
    last_pull_device_ms INTEGER,
    storage_used        INTEGER,
    storage_quota       INTEGER,
    persisted           INTEGER,
    app_version         TEXT,
    clock_offset_ms     INTEGER,
    heartbeat_at        INTEGER
) STRICT;

-- Every processed mutation and its answer, so a retry gets the same answer (idempotency).
CREATE TABLE mutation (
    device_id    TEXT NOT NULL REFERENCES device(id),
    seq          INTEGER NOT NULL,
    record_id    TEXT NOT NULL,
    payload_hash INTEGER NOT NULL,
    status       TEXT NOT NULL,
    version      INTEGER,
    change_seq   INTEGER,
    errors       TEXT,
    processed_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;

-- Sequence gaps: mutations a device numbered but never delivered (e.g. a wiped browser).
CREATE TABLE known_loss (
    id          INTEGER PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES device(id),
    from_seq    INTEGER NOT NULL,
    to_seq      INTEGER NOT NULL,
    detected_at INTEGER NOT NULL
) STRICT;

-- Stale edits kept for review: the incoming version next to the server's at that moment.
CREATE TABLE conflict (
    id             INTEGER PRIMARY KEY,
    record_id      TEXT NOT NULL,
    entity         TEXT NOT NULL,
    village_code   TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES user(id),
    seq            INTEGER NOT NULL,
    base_version   INTEGER NOT NULL,
    server_version INTEGER NOT NULL,
    server_body    TEXT,
    incoming_body  TEXT,
    incoming_op    TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    resolved_at    INTEGER,
    resolved_by    INTEGER REFERENCES user(id),
    resolution     TEXT,
    reason         TEXT
) STRICT;
CREATE INDEX conflict_open ON conflict(village_code, resolved_at);

-- Audit trail: who changed what, when, from which device, before and after.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    user_id    INTEGER REFERENCES user(id),
    device_id  TEXT,
    action     TEXT NOT NULL,
    entity     TEXT,
    record_id  TEXT,
    before     TEXT,
    after      TEXT
) STRICT;
CREATE INDEX audit_record ON audit(record_id);
