-- +goose Up
-- A message to a caregiver on a patient's behalf names the caregiver; ''
-- for a message to the patient. The patient's caps, metrics and reply
-- matching leave such messages out. proxy is its kind (missed_dose…),
-- which the caregiver's scope must allow when it is sent.
ALTER TABLE messages ADD COLUMN caregiver_id TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN proxy TEXT NOT NULL DEFAULT '';
-- Per regimen: the patient's caregivers (within scope, with consent) are
-- told when a check-in says a dose was skipped or not yet taken.
ALTER TABLE regimens ADD COLUMN alert_caregivers INTEGER NOT NULL DEFAULT 0;
-- Set when the caregiver texted STOP: nothing more goes to them.
ALTER TABLE caregivers ADD COLUMN opted_out_at TIMESTAMP;

-- +goose Down
ALTER TABLE caregivers DROP COLUMN opted_out_at;
ALTER TABLE regimens DROP COLUMN alert_caregivers;
ALTER TABLE messages DROP COLUMN proxy;
ALTER TABLE messages DROP COLUMN caregiver_id;
