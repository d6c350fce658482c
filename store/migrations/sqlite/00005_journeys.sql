-- +goose Up
-- journey_versions: every version of every journey definition, so running
-- enrollments finish on the version they started with.
CREATE TABLE journey_versions (
    journey    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (journey, version)
) WITHOUT ROWID;

CREATE TABLE enrollments (
    id          TEXT PRIMARY KEY,
    journey     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    patient_id  TEXT NOT NULL,
    campaign    TEXT NOT NULL DEFAULT '',
    variant     TEXT NOT NULL DEFAULT '',
    step        TEXT NOT NULL,
    status      TEXT NOT NULL,
    wake_at     TIMESTAMP NOT NULL,
    waiting_for TEXT NOT NULL DEFAULT '',
    vars        TEXT NOT NULL DEFAULT '{}',
    outcome     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
) WITHOUT ROWID;
-- A patient is never in one journey twice at once.
CREATE UNIQUE INDEX enrollments_one_live ON enrollments (journey, patient_id) WHERE status IN ('active', 'waiting');
CREATE INDEX enrollments_patient ON enrollments (patient_id);
CREATE INDEX enrollments_waiting ON enrollments (waiting_for) WHERE waiting_for <> '';
CREATE INDEX enrollments_campaign ON enrollments (campaign, status) WHERE campaign <> '';

CREATE TABLE campaigns (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    journey           TEXT NOT NULL,
    version           INTEGER NOT NULL,
    segment           TEXT NOT NULL DEFAULT '',
    holdout_percent   REAL NOT NULL DEFAULT 0,
    throttle_per_hour INTEGER NOT NULL DEFAULT 0,
    start_at          TIMESTAMP NOT NULL,
    status            TEXT NOT NULL,
    cursor            TEXT NOT NULL DEFAULT '',
    enrolled          INTEGER NOT NULL DEFAULT 0,
    held_out          INTEGER NOT NULL DEFAULT 0,
    options           TEXT NOT NULL DEFAULT '{}',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE campaigns;
DROP TABLE enrollments;
DROP TABLE journey_versions;
