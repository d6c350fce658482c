-- +goose Up
-- caregivers are people who help a patient (a daughter, a spouse, a
-- guardian), imported from FHIR RelatedPerson or added by staff, each with a
-- scope (reminders or the whole conversation), the patient's consent and a
-- revocation. identifiers is a JSON array of {system, value, type}.
CREATE TABLE caregivers (
    id                   TEXT PRIMARY KEY,
    patient_id           TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    identifiers          TEXT NOT NULL DEFAULT '',
    given                TEXT NOT NULL DEFAULT '',
    family               TEXT NOT NULL DEFAULT '',
    relationship_system  TEXT NOT NULL DEFAULT '',
    relationship_code    TEXT NOT NULL DEFAULT '',
    relationship_display TEXT NOT NULL DEFAULT '',
    language             TEXT NOT NULL DEFAULT '',
    scope                TEXT NOT NULL,
    consent              TEXT NOT NULL,
    consent_at           TIMESTAMPTZ,
    consent_source       TEXT NOT NULL DEFAULT '',
    period_start         TIMESTAMPTZ,
    period_end           TIMESTAMPTZ,
    revoked_at           TIMESTAMPTZ,
    revoked_by           TEXT NOT NULL DEFAULT '',
    revoke_reason        TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX caregivers_patient ON caregivers (patient_id);

-- caregiver_contacts are caregivers' own contact points. They live apart
-- from contact_points, which every patient lookup, shared-number count and
-- hygiene run reads as the patients' own: a caregiver's number must never
-- route a reply to, or be cleaned as, the patient's.
CREATE TABLE caregiver_contacts (
    id            TEXT PRIMARY KEY,
    caregiver_id  TEXT NOT NULL REFERENCES caregivers (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    raw           TEXT NOT NULL,
    value         TEXT NOT NULL DEFAULT '',
    use           TEXT NOT NULL DEFAULT '',
    line_type     TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    rank          INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    status_at     TIMESTAMPTZ NOT NULL,
    source        TEXT NOT NULL,
    flags         TEXT NOT NULL DEFAULT '',
    suggestion    TEXT NOT NULL DEFAULT '',
    added_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX caregiver_contacts_caregiver ON caregiver_contacts (caregiver_id);
CREATE INDEX caregiver_contacts_value ON caregiver_contacts (kind, value);

-- +goose Down
DROP TABLE caregiver_contacts;
DROP TABLE caregivers;
