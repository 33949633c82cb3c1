-- Each village's aggregate figures for a quarter under a rule set, kept so that district and
-- province reports read one small row per village instead of decoding every record.
-- A row is valid while `change_seq` equals the village's newest record.change_seq: any write
-- to the village takes a new change_seq, so staleness needs no triggers and no extra writes
-- on the push path.
CREATE TABLE village_figures (
    year         INTEGER NOT NULL,
    quarter      INTEGER NOT NULL,
    rule_set_id  TEXT NOT NULL,
    village_code TEXT NOT NULL REFERENCES region(code),
    change_seq   INTEGER NOT NULL,
    figures      TEXT NOT NULL,
    PRIMARY KEY (year, quarter, rule_set_id, village_code)
) STRICT, WITHOUT ROWID;
