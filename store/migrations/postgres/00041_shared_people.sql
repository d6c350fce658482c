-- +goose Up
-- A person's records are one holder of a number or address: two duplicate
-- records of one phone, merged, are not a family's landline. Until now the
-- counts were of records and merges did not recount; count people for the
-- values that a record merged into another holds, and forget those that one
-- person holds.
UPDATE shared_values SET holders = (
    SELECT count(DISTINCT coalesce(m.survivor_id, c.patient_id))
    FROM contact_points c LEFT JOIN patient_merges m ON m.merged_id = c.patient_id
    WHERE c.kind = shared_values.kind AND c.value = shared_values.value)
WHERE EXISTS (SELECT 1 FROM contact_points c JOIN patient_merges m ON m.merged_id = c.patient_id
    WHERE c.kind = shared_values.kind AND c.value = shared_values.value);
DELETE FROM shared_values WHERE holders < 2;

-- +goose Down
-- Records again, for the values merged records hold.
INSERT INTO shared_values (kind, value, holders)
SELECT kind, value, count(DISTINCT patient_id) FROM contact_points
WHERE value <> '' AND (kind, value) IN (SELECT c.kind, c.value FROM contact_points c JOIN patient_merges m ON m.merged_id = c.patient_id)
GROUP BY kind, value HAVING count(DISTINCT patient_id) > 1
ON CONFLICT (kind, value) DO UPDATE SET holders = excluded.holders;
