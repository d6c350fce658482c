-- +goose Up
-- request_id links a regimen made from an imported prescription to it
-- (medication_requests.id; '' for regimens staff entered), so that a
-- newer or stopped prescription finds the regimen it changes. Such a
-- regimen starts 'proposed': staff start it before anything is sent.
ALTER TABLE regimens ADD COLUMN request_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE regimens DROP COLUMN request_id;
