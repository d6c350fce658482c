-- +goose Up
-- observations are the readings patients text ("142/90", "glucose 180"),
-- one row per LOINC-coded value: a blood pressure is a systolic (8480-6)
-- and a diastolic (8462-4) row, and its pulse a heart rate (8867-4), all
-- sharing panel (the id of the reading, and of the 85354-9 panel a FHIR
-- view builds of them); a glucose or weight is one row. level is the
-- reading's grade by the patient's thresholds when it came (normal, high,
-- urgent), kept on every row of it; inbound_id the message it came in.
CREATE TABLE observations (
    id           TEXT PRIMARY KEY,
    patient_id   TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    panel        TEXT NOT NULL,
    code_system  TEXT NOT NULL,
    code         TEXT NOT NULL,
    display      TEXT NOT NULL DEFAULT '',
    value        REAL NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    effective_at TIMESTAMP NOT NULL,
    source       TEXT NOT NULL,
    inbound_id   TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL DEFAULT 'normal',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX observations_patient ON observations (patient_id, effective_at);

-- A patient's own limits for their readings (package selfreport's
-- Thresholds as JSON, zero fields taking the defaults); no row: defaults.
CREATE TABLE patient_thresholds (
    patient_id TEXT PRIMARY KEY REFERENCES patients (id) ON DELETE CASCADE,
    thresholds TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE patient_thresholds;
DROP TABLE observations;
