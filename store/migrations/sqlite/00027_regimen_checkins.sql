-- +goose Up
-- A regimen whose patient takes part asks "did you take it?" this many
-- minutes after each dose reminded; 0 asks nothing.
ALTER TABLE regimens ADD COLUMN checkin_after_minutes INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE regimens DROP COLUMN checkin_after_minutes;
