-- +goose Up
-- Source links and patient identifiers are keyed by the rapport row first
-- (the entity id leads: with the resource type first, SQLite's planner
-- answered lookups by source resource from the key's type prefix, a scan of
-- every link of that type).
-- Rapport ids are time-ordered, so an import appends to both tables instead
-- of inserting at random places (source resource ids and identifier values
-- arrive in no order); the lookups by source resource and by identifier go
-- through secondary indexes, which a bulk load builds once, sorted, at its
-- end. The old keys become those indexes and the old indexes by rapport
-- row become the keys: the same two B-trees per table.
CREATE TABLE source_records_by_entity (
    source        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    imported_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (entity_id, resource_type, source, resource_id)
) WITHOUT ROWID;
INSERT INTO source_records_by_entity (source, resource_type, resource_id, entity_id, content_hash, imported_at)
    SELECT source, resource_type, resource_id, entity_id, content_hash, imported_at FROM source_records;
DROP TABLE source_records;
ALTER TABLE source_records_by_entity RENAME TO source_records;
CREATE UNIQUE INDEX source_records_resource ON source_records (source, resource_type, resource_id);

CREATE TABLE patient_identifiers_by_patient (
    patient_id TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    system     TEXT NOT NULL,
    value      TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (patient_id, system, value)
) WITHOUT ROWID;
INSERT INTO patient_identifiers_by_patient (patient_id, system, value, type)
    SELECT patient_id, system, value, type FROM patient_identifiers;
DROP TABLE patient_identifiers;
ALTER TABLE patient_identifiers_by_patient RENAME TO patient_identifiers;
CREATE INDEX patient_identifiers_value ON patient_identifiers (system, value);

-- +goose Down
CREATE TABLE source_records_by_resource (
    source        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    imported_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (source, resource_type, resource_id)
) WITHOUT ROWID;
INSERT INTO source_records_by_resource (source, resource_type, resource_id, entity_id, content_hash, imported_at)
    SELECT source, resource_type, resource_id, entity_id, content_hash, imported_at FROM source_records;
DROP TABLE source_records;
ALTER TABLE source_records_by_resource RENAME TO source_records;
CREATE INDEX source_records_entity ON source_records (resource_type, entity_id);

CREATE TABLE patient_identifiers_by_value (
    patient_id TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    system     TEXT NOT NULL,
    value      TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (system, value, patient_id)
) WITHOUT ROWID;
INSERT INTO patient_identifiers_by_value (patient_id, system, value, type)
    SELECT patient_id, system, value, type FROM patient_identifiers;
DROP TABLE patient_identifiers;
ALTER TABLE patient_identifiers_by_value RENAME TO patient_identifiers;
CREATE INDEX patient_identifiers_patient ON patient_identifiers (patient_id);
