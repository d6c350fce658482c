-- +goose Up
-- duplicate_candidates is the review queue of probable duplicate records:
-- pairs the linkage engine scored and pairs the import found sharing a
-- business identifier (which possible_duplicates held until now).
CREATE TABLE duplicate_candidates (
    id          TEXT PRIMARY KEY,
    patient_a   TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    patient_b   TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    weight      REAL NOT NULL DEFAULT 0,
    probability REAL NOT NULL DEFAULT 0,
    explanation TEXT NOT NULL DEFAULT '[]',
    reason      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'pending',
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TIMESTAMP,
    detected_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX duplicate_candidates_pair ON duplicate_candidates (patient_a, patient_b);
CREATE INDEX duplicate_candidates_b ON duplicate_candidates (patient_b);
CREATE INDEX duplicate_candidates_queue ON duplicate_candidates (status, probability);
INSERT INTO duplicate_candidates (id, patient_a, patient_b, reason, detected_at)
    SELECT lower(hex(randomblob(8))), patient_a, patient_b, reason, detected_at FROM possible_duplicates;
DROP TABLE possible_duplicates;

-- patient_merges: record merged_id folded into survivor_id. Nothing of the
-- merged record moves: deleting this row (an unmerge) gives it back whole.
-- ended keeps the enrollments the merge ended, as they were, as JSON.
CREATE TABLE patient_merges (
    merged_id    TEXT PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    survivor_id  TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    candidate_id TEXT NOT NULL DEFAULT '',
    merged_by    TEXT NOT NULL,
    merged_at    TIMESTAMP NOT NULL,
    ended        TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE INDEX patient_merges_survivor ON patient_merges (survivor_id);

-- step_sends: a campaign step reaches one address (per channel) once,
-- whichever record holds it; the key is rapport.StepKey. Planning checks it,
-- the key's uniqueness settles races between workers, and the send job
-- checks it again before sending.
CREATE TABLE step_sends (
    step_key   TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
) WITHOUT ROWID;

-- org_settings: the organisation's settings, one JSON value per key.
CREATE TABLE org_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE org_settings;
DROP TABLE step_sends;
DROP TABLE patient_merges;
CREATE TABLE possible_duplicates (
    patient_a   TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    patient_b   TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    detected_at TIMESTAMP NOT NULL,
    PRIMARY KEY (patient_a, patient_b)
) WITHOUT ROWID;
INSERT INTO possible_duplicates (patient_a, patient_b, reason, detected_at)
    SELECT patient_a, patient_b, reason, detected_at FROM duplicate_candidates;
DROP TABLE duplicate_candidates;
