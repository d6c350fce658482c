-- +goose Up
-- The send worker's last consent check looks for replies stored but not yet
-- processed from the addresses it is about to send to (a STOP waiting for
-- its job). Only unprocessed rows are indexed: the index stays as small as
-- the inbound backlog, however many replies the table holds.
CREATE INDEX inbound_pending_from ON inbound_messages (from_addr) WHERE status = 'received';

-- +goose Down
DROP INDEX inbound_pending_from;
