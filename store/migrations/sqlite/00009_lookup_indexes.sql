-- +goose Up
-- The trigger poller reads events of a few kinds after a cursor: with only
-- (kind, at) every poll walked all of a kind's events up to now, which
-- grows with the ledger (a 100,000-patient import writes a million).
CREATE INDEX ledger_kind_seq ON ledger (kind, seq);
-- An inbound reply is matched to the last message sent to its sender's
-- address: without this, every reply scanned the whole messages table.
CREATE INDEX messages_to ON messages (channel, to_addr, sent_at);

-- +goose Down
DROP INDEX messages_to;
DROP INDEX ledger_kind_seq;
