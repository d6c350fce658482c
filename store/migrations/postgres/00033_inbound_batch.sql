-- +goose Up
-- Inbound messages are processed in batches, oldest first: a batch takes
-- the pending messages through this index (as small as the backlog, like
-- inbound_pending_from) and deletes the processing jobs of the messages it
-- took, by the job id Receive records. 0: no job recorded (older rows).
ALTER TABLE inbound_messages ADD COLUMN job_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX inbound_pending ON inbound_messages (received_at, id) WHERE status = 'received';

-- +goose Down
DROP INDEX inbound_pending;
ALTER TABLE inbound_messages DROP COLUMN job_id;
