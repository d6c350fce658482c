-- +goose Up
-- uploads: FHIR data pushed to the API, kept until imported, so an
-- accepted upload survives a crash and is imported by a job.
CREATE TABLE uploads (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    content     BYTEA NOT NULL,
    status      TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '{}',
    error       TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE uploads;
