-- Each village's sync checksum (count and XOR of the record hashes of
-- shared/src/sync/checksum.rs), so the last page of a pull adds up one row per village
-- instead of hashing every record of the scope. A row is valid while `change_seq` equals the
-- village's newest record.change_seq, as for village_figures: the push path updates a valid
-- row in the transaction of the record write, and a missing or stale row (a database from
-- before this table, records loaded by a fixture) is recomputed when a pull needs it. The hash
-- is FNV-1a, computed in Rust, which is why this migration leaves the table empty.
-- `xor` holds the 64 hash bits as SQLite's signed integer.
CREATE TABLE village_checksum (
    village_code TEXT PRIMARY KEY REFERENCES region(code),
    count        INTEGER NOT NULL,
    xor          INTEGER NOT NULL,
    change_seq   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
