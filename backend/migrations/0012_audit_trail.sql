-- A record's first version is no longer copied into its audit row: a create's `after` is
-- NULL (it doubled every new record's body on the push path, docs/benchmarks.md). The body
-- is still there: while the record is at version 1 it is the record's own body, and once the
-- record changed it is the `before` of its next upsert or delete row, which every later write
-- of a record stores. `audit_trail` is the audit as it was, every row with its `after`:
-- read the audit through it. Rows written before this migration keep their `after`.
CREATE VIEW audit_trail AS
SELECT a.id, a.at, a.user_id, a.device_id, a.action, a.entity, a.record_id, a.before,
       CASE
           WHEN a.action = 'upsert' AND a.after IS NULL THEN coalesce(
               (SELECT later.before FROM audit later
                 WHERE later.record_id = a.record_id AND later.id > a.id
                   AND later.action IN ('upsert', 'delete')
                 ORDER BY later.id LIMIT 1),
               (SELECT r.body FROM record r WHERE r.id = a.record_id AND r.version = 1))
           ELSE a.after
       END AS after
FROM audit a;
