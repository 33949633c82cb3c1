-- Integrity rules of issue #13.
--
-- Optimistic versions of the 8-action checklists. `version` counts the writes of a checklist
-- (a checklist never saved is version 0, so rows saved before this migration start at 1);
-- `item_versions` maps each evidence key to the checklist version that last wrote it (JSON
-- object), so a save based on an old read is refused only when that item changed since.
-- Items saved before this migration have no entry and count as unchanged.
ALTER TABLE action_checklist ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE action_checklist ADD COLUMN item_versions TEXT NOT NULL DEFAULT '{}';

-- Repeat conflicts: further stale edits of a record from the same device merge into the
-- open conflict of that device and record (newest body kept), counted in `repeats`;
-- `last_at` is when the newest arrived (NULL: only once, at created_at). Conflicts recorded
-- before this migration stay as they are, one row each. The partial index serves the
-- lookup of the open conflict on every stale write.
ALTER TABLE conflict ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
ALTER TABLE conflict ADD COLUMN last_at INTEGER;
CREATE INDEX conflict_open_device_record ON conflict(device_id, record_id)
    WHERE resolved_at IS NULL;
