-- No query reads records by (entity, village) since the aggregates read per village through
-- record_village_change; the index only cost every push a fifth index write.
DROP INDEX record_entity_village;
