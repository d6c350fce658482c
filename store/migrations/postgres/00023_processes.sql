-- +goose Up
-- processes lists the running serve and worker processes, each beating
-- every few seconds: what channels they send on, so that a campaign launch
-- can refuse when no running process could send a message.
CREATE TABLE processes (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    host       TEXT NOT NULL,
    pid        INTEGER NOT NULL,
    channels   TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE processes;
