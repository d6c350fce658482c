-- +goose Up
ALTER TABLE patients ADD COLUMN preferred_channel TEXT NOT NULL DEFAULT '';

CREATE TABLE messages (
    id            TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    channel       TEXT NOT NULL DEFAULT '',
    contact_id    TEXT NOT NULL DEFAULT '',
    to_addr       TEXT NOT NULL DEFAULT '',
    from_addr     TEXT NOT NULL DEFAULT '',
    purpose       TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    subject       TEXT NOT NULL DEFAULT '',
    html          TEXT NOT NULL DEFAULT '',
    choices       TEXT NOT NULL DEFAULT '{}',
    urgent        INTEGER NOT NULL DEFAULT 0,
    compliance    INTEGER NOT NULL DEFAULT 0,
    fallback      TEXT NOT NULL DEFAULT '[]',
    status        TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    provider_id   TEXT NOT NULL DEFAULT '',
    segments      INTEGER NOT NULL DEFAULT 0,
    not_before    TIMESTAMP NOT NULL,
    deadline      TIMESTAMP NOT NULL,
    journey       TEXT NOT NULL DEFAULT '',
    campaign      TEXT NOT NULL DEFAULT '',
    step          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL
) WITHOUT ROWID;
CREATE INDEX messages_patient ON messages (patient_id, created_at);
CREATE INDEX messages_provider ON messages (provider_id) WHERE provider_id <> '';
CREATE INDEX messages_campaign ON messages (campaign) WHERE campaign <> '';

-- inbound_messages: everything patients send, stored before it is processed.
CREATE TABLE inbound_messages (
    id          TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,
    from_addr   TEXT NOT NULL,
    to_addr     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    provider_id TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMP NOT NULL,
    patient_id  TEXT NOT NULL DEFAULT '',
    in_reply_to TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    intent      TEXT NOT NULL DEFAULT '',
    choice      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- A provider retrying a webhook must not make a second message.
CREATE UNIQUE INDEX inbound_provider ON inbound_messages (channel, provider_id) WHERE provider_id <> '';
CREATE INDEX inbound_patient ON inbound_messages (patient_id, received_at);

-- senders: the pace of each sending address, shared by every worker process.
CREATE TABLE senders (
    address TEXT PRIMARY KEY,
    next_ns BIGINT NOT NULL
) WITHOUT ROWID;

-- inbox_items: what waits for staff: replies no journey waits for, messages
-- from unknown senders, care-team tasks.
CREATE TABLE inbox_items (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    priority    TEXT NOT NULL,
    inbound_id  TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT '',
    journey     TEXT NOT NULL DEFAULT '',
    campaign    TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX inbox_open ON inbox_items (resolved_at, priority, created_at);

-- +goose Down
DROP TABLE inbox_items;
DROP TABLE senders;
DROP TABLE inbound_messages;
DROP TABLE messages;
ALTER TABLE patients DROP COLUMN preferred_channel;
