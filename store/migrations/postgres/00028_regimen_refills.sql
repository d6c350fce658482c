-- +goose Up
-- The refill a regimen was last reminded of (the dispense whose supply
-- runs out) and how far: 1 reminded before it runs out, 2 asked after
-- whether it was picked up (or the patient said so).
ALTER TABLE regimens ADD COLUMN refill_dispense TEXT NOT NULL DEFAULT '';
ALTER TABLE regimens ADD COLUMN refill_stage INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE regimens DROP COLUMN refill_stage;
ALTER TABLE regimens DROP COLUMN refill_dispense;
