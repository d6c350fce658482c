-- +goose Up
-- Per regimen: the inbox priority of the out-of-range readings it concerns
-- (a blood pressure on an antihypertensive…): normal, high or urgent; ''
-- takes the reading's level, as before. An urgent reading stays urgent.
ALTER TABLE regimens ADD COLUMN reading_priority TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE regimens DROP COLUMN reading_priority;
