-- +goose Up
-- Per regimen: this many missed doses (said in check-ins) within this many
-- days put an item in the care team's inbox; 0 missed turns it off.
ALTER TABLE regimens ADD COLUMN escalate_missed INTEGER NOT NULL DEFAULT 3;
ALTER TABLE regimens ADD COLUMN escalate_window_days INTEGER NOT NULL DEFAULT 7;

-- +goose Down
ALTER TABLE regimens DROP COLUMN escalate_window_days;
ALTER TABLE regimens DROP COLUMN escalate_missed;
