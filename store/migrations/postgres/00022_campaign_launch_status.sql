-- +goose Up
-- A campaign's stored status is its launch's: launching while the launch
-- job enrolls, launched once every patient is enrolled. Whether a launched
-- campaign is running or done is read from its live enrollments
-- (rapport.Campaign.Progress), so it cannot go stale.
UPDATE campaigns SET status = 'launching' WHERE status = 'running';
UPDATE campaigns SET status = 'launched' WHERE status = 'done';
-- GET /api/v1/campaigns pages newest first.
CREATE INDEX campaigns_created ON campaigns (created_at, id);

-- +goose Down
DROP INDEX campaigns_created;
UPDATE campaigns SET status = 'done' WHERE status = 'launched';
UPDATE campaigns SET status = 'running' WHERE status = 'launching';
