-- +goose Up
-- Issue 13, validation: a patient's USDA RUCA code (0 unknown) and whether
-- the source stated rurality (then it wins over the code); a contact
-- point's flags (a JSON array of {code, reason}, '' for none) and the
-- suggested correction of its value ('' for none).
ALTER TABLE patients ADD COLUMN ruca INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN rural_stated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact_points ADD COLUMN flags TEXT NOT NULL DEFAULT '';
ALTER TABLE contact_points ADD COLUMN suggestion TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE contact_points DROP COLUMN suggestion;
ALTER TABLE contact_points DROP COLUMN flags;
ALTER TABLE patients DROP COLUMN rural_stated;
ALTER TABLE patients DROP COLUMN ruca;
