-- +goose Up
-- A reply is matched to the last message to its sender's address by
-- (channel, to_addr); sent_at in the key helped no query (they order by
-- coalesce(sent_at, not_before)) but made every send move the message's
-- entry in this index.
DROP INDEX messages_to;
CREATE INDEX messages_to ON messages (channel, to_addr);

-- +goose Down
DROP INDEX messages_to;
CREATE INDEX messages_to ON messages (channel, to_addr, sent_at);
