-- +goose Up
-- Nothing to do on PostgreSQL: SQLite's 00010 re-keys source_records and
-- patient_identifiers so that imports append to them; PostgreSQL stores rows
-- in heaps whatever their keys. The version keeps both dialects in step.
SELECT 1;

-- +goose Down
SELECT 1;
