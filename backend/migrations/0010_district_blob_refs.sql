-- The team's records (an agency's part of an item, an innovation) name files too: their
-- references keep the files from the sweeper and let the team and the province read them.
-- Records written before this migration are read once here; later writes keep them.
INSERT OR IGNORE INTO blob_ref (sha256, kind, record, region)
SELECT lower(json_extract(file.value, '$.sha256')), 'district_record', r.id, r.village_code
FROM record AS r, json_each(r.body, '$.files') AS file
WHERE r.entity = 'contribution' AND r.deleted = 0 AND r.body IS NOT NULL
  AND json_extract(file.value, '$.sha256') IS NOT NULL;

INSERT OR IGNORE INTO blob_ref (sha256, kind, record, region)
SELECT lower(json_extract(photo.value, '$.sha256')), 'district_record', r.id, r.village_code
FROM record AS r, json_each(r.body, '$.photos') AS photo
WHERE r.entity = 'innovation' AND r.deleted = 0 AND r.body IS NOT NULL
  AND json_extract(photo.value, '$.sha256') IS NOT NULL;
