-- +goose Up
-- The refill planner pages through the regimens due a look in the order
-- they fell due, resuming after the last one read: with the id in the
-- index, each pass walks only the due part of it, where paging by id
-- alone walked every regimen's row (on SQLite, the primary key) each hour
-- even when none was due.
DROP INDEX regimens_refill_check;
CREATE INDEX regimens_refill_check ON regimens (refill_check_at, id) WHERE status = 'active';

-- +goose Down
DROP INDEX regimens_refill_check;
CREATE INDEX regimens_refill_check ON regimens (refill_check_at) WHERE status = 'active';
