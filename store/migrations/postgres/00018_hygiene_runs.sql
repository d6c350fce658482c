-- +goose Up
-- hygiene_runs keeps one row per monthly hygiene run: its report (JSON, read
-- by rapport hygiene report and GET /api/v1/hygiene/report) and the linkage
-- model it scored duplicates with, so the next run scores incrementally
-- exactly as the full run that fitted it.
CREATE TABLE hygiene_runs (
    id          TEXT PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    report      TEXT NOT NULL,
    model       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hygiene_runs_started ON hygiene_runs (started_at, id);

-- +goose Down
DROP TABLE hygiene_runs;
