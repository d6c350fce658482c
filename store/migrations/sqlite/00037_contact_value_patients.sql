-- +goose Up
-- Who else holds a phone number or an email (shared_by) is counted per
-- value: count(DISTINCT patient_id) over the contact points of a (kind,
-- value). With patient_id in the index the count reads the index alone;
-- without it, each entry looked its row up at random. The recount at the
-- end of a bulk load of 1,030,125 patients took 35 s of its 92 (SQLite),
-- the query alone 22 s → 0.7 s with this index.
DROP INDEX contact_points_value;
CREATE INDEX contact_points_value ON contact_points (kind, value, patient_id);

-- +goose Down
DROP INDEX contact_points_value;
CREATE INDEX contact_points_value ON contact_points (kind, value);
