-- Evidence files (photos, PDFs) in the content-addressed blob store: the bytes live in the
-- data folder under blobs/ab/cd/<sha256>; these tables say what is there, who sent it and
-- which records name it.

-- One row per stored content. `last_put_at` moves on every upload of the same content, so
-- the sweeper's grace period counts from the latest one.
CREATE TABLE blob (
    sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size > 0),
    media_type  TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES user(id),
    created_at  INTEGER NOT NULL,
    last_put_at INTEGER NOT NULL
) STRICT;

-- Everyone who sent the whole content (and so may read it back). The first is also
-- `blob.uploaded_by`; a second phone sending the same photo stores nothing twice but gets
-- a row here.
CREATE TABLE blob_uploader (
    sha256  TEXT NOT NULL REFERENCES blob(sha256) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES user(id),
    at      INTEGER NOT NULL,
    PRIMARY KEY (sha256, user_id)
) STRICT, WITHOUT ROWID;

-- Which records name which content. Kept in the same transaction as the record write, so a
-- read check is one indexed lookup, and the sweeper a NOT EXISTS. No foreign key to `blob`:
-- a record may name a file that has not arrived yet (pending).
--   kind    what sort of record (`checklist_item`; innovations and rembuk documents later)
--   record  its key within the kind (`63.03/2026/a1.1` for an evidence item)
--   region  the region whose readers may read the record (who exactly depends on the kind)
CREATE TABLE blob_ref (
    sha256 TEXT NOT NULL,
    kind   TEXT NOT NULL,
    record TEXT NOT NULL,
    region TEXT NOT NULL,
    PRIMARY KEY (sha256, kind, record)
) STRICT, WITHOUT ROWID;

CREATE INDEX blob_ref_by_record ON blob_ref (kind, record);

-- Checklists saved before this migration already name files (metadata only).
INSERT OR IGNORE INTO blob_ref (sha256, kind, record, region)
SELECT lower(json_extract(file.value, '$.sha256')), 'checklist_item',
       c.regency_code || '/' || c.year || '/' || item.key, c.regency_code
FROM action_checklist AS c, json_each(c.body, '$.items') AS item,
     json_each(item.value, '$.files') AS file
WHERE json_extract(file.value, '$.sha256') IS NOT NULL;
