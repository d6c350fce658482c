-- +goose Up
-- regimens are medication schedules that rapport reminds patients of: one
-- per patient and medication. schedule holds the dose times (package
-- dosing's Regimen as JSON, times the patient moved included); next_due_at
-- is the next dose to remind, what the reminder job seeks by; last_dose_*
-- the last dose reminded, so that a change of times never reminds it twice.
CREATE TABLE regimens (
    id                  TEXT PRIMARY KEY,
    patient_id          TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    drug_system         TEXT NOT NULL DEFAULT '',
    drug_code           TEXT NOT NULL DEFAULT '',
    drug_name           TEXT NOT NULL DEFAULT '',
    zone                TEXT NOT NULL,
    schedule            TEXT NOT NULL,
    reminders_requested INTEGER NOT NULL DEFAULT 0,
    status              TEXT NOT NULL,
    next_due_at         TIMESTAMP,
    last_dose_key       TEXT NOT NULL DEFAULT '',
    last_dose_at        TIMESTAMP,
    created_by          TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX regimens_due ON regimens (next_due_at) WHERE status = 'active';
CREATE INDEX regimens_patient ON regimens (patient_id);

-- A reminder at a time the patient chose goes out at that time, quiet
-- hours or not: the message keeps that it was so timed.
ALTER TABLE messages ADD COLUMN patient_timed INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE messages DROP COLUMN patient_timed;
DROP TABLE regimens;
