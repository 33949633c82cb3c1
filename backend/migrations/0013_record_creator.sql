-- Who created a record, when and from which device is kept in the record's own row instead
-- of an audit row of its own: that row, and its entry in the audit's random-keyed record
-- index, were a quarter of the push time on the benchmark (docs/benchmarks.md). Every update
-- and delete still writes an audit row with the body it replaced. Records created before
-- this migration keep their create rows in `audit` and have no creator here. There is no
-- foreign key on `created_by`, as there is none on an audit row's copy of the past: users
-- are disabled, never deleted.
ALTER TABLE record ADD COLUMN created_at INTEGER;
ALTER TABLE record ADD COLUMN created_by INTEGER;
ALTER TABLE record ADD COLUMN created_device TEXT;

-- The audit as it was: every stored row with its `after` (see 0012), and a row for each
-- create kept in its record. Such a row has no audit id (NULL): it is its record's first
-- entry, and `ORDER BY id` puts NULL first.
DROP VIEW audit_trail;
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
FROM audit a
UNION ALL
SELECT NULL, r.created_at, r.created_by, r.created_device, 'upsert', r.entity, r.id, NULL,
       coalesce(
           (SELECT later.before FROM audit later
             WHERE later.record_id = r.id AND later.action IN ('upsert', 'delete')
             ORDER BY later.id LIMIT 1),
           CASE WHEN r.version = 1 THEN r.body END)
FROM record r
WHERE r.created_at IS NOT NULL;
