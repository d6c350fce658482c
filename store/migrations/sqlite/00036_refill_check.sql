-- +goose Up
-- When the refill planner next needs to look at a regimen: the time its
-- latest fill's next refill message (the reminder, then the follow-up)
-- falls due; NULL when nothing is left to send until a new fill. A new
-- fill of the regimen's drug sets it back to the epoch (look now). The
-- planner reads only regimens due, where it read every active regimen
-- with its latest fill every hour.
ALTER TABLE regimens ADD COLUMN refill_check_at TIMESTAMP DEFAULT '1970-01-01 00:00:00+00:00';
CREATE INDEX regimens_refill_check ON regimens (refill_check_at) WHERE status = 'active';

-- +goose Down
DROP INDEX regimens_refill_check;
ALTER TABLE regimens DROP COLUMN refill_check_at;
