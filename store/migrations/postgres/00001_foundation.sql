-- +goose Up
CREATE TABLE patients (
    id              TEXT PRIMARY KEY,
    given           TEXT NOT NULL DEFAULT '',
    family          TEXT NOT NULL DEFAULT '',
    birth_date      TEXT NOT NULL DEFAULT '',
    sex             TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    time_zone       TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '{}',
    postal_code     TEXT NOT NULL DEFAULT '',
    rural           BOOLEAN NOT NULL DEFAULT false,
    internet_access BOOLEAN,
    deceased        BOOLEAN NOT NULL DEFAULT false,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE patient_identifiers (
    patient_id TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    system     TEXT NOT NULL,
    value      TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (system, value, patient_id)
);
CREATE INDEX patient_identifiers_patient ON patient_identifiers (patient_id);

CREATE TABLE contact_points (
    id            TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
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
    source        TEXT NOT NULL
);
CREATE INDEX contact_points_patient ON contact_points (patient_id);
CREATE INDEX contact_points_value ON contact_points (kind, value);

CREATE TABLE consents (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    decision    TEXT NOT NULL,
    source      TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '',
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX consents_patient ON consents (patient_id, channel, purpose, recorded_at);

-- source_records links a resource of an outside system to the rapport row it
-- became, with a hash of what was imported, so re-imports are idempotent.
CREATE TABLE source_records (
    source        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    imported_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, resource_type, resource_id)
);
CREATE INDEX source_records_entity ON source_records (resource_type, entity_id);

CREATE TABLE practitioners (
    id          TEXT PRIMARY KEY,
    given       TEXT NOT NULL DEFAULT '',
    family      TEXT NOT NULL DEFAULT '',
    prefix      TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    identifiers TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE locations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '{}',
    phone       TEXT NOT NULL DEFAULT '',
    latitude    DOUBLE PRECISION NOT NULL DEFAULT 0,
    longitude   DOUBLE PRECISION NOT NULL DEFAULT 0,
    identifiers TEXT NOT NULL DEFAULT '[]'
);

-- resource_identifiers lets conditional references (Practitioner?identifier=…)
-- find practitioners and locations.
CREATE TABLE resource_identifiers (
    resource_type TEXT NOT NULL,
    system        TEXT NOT NULL,
    value         TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    PRIMARY KEY (resource_type, system, value, entity_id)
);

CREATE TABLE conditions (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    code_system     TEXT NOT NULL DEFAULT '',
    code            TEXT NOT NULL DEFAULT '',
    display         TEXT NOT NULL DEFAULT '',
    clinical_status TEXT NOT NULL DEFAULT '',
    onset           TIMESTAMPTZ,
    abatement       TIMESTAMPTZ
);
CREATE INDEX conditions_patient ON conditions (patient_id);
CREATE INDEX conditions_code ON conditions (code);

CREATE TABLE encounters (
    id               TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    status           TEXT NOT NULL DEFAULT '',
    class            TEXT NOT NULL DEFAULT '',
    type_system      TEXT NOT NULL DEFAULT '',
    type_code        TEXT NOT NULL DEFAULT '',
    type_display     TEXT NOT NULL DEFAULT '',
    start_at         TIMESTAMPTZ,
    end_at           TIMESTAMPTZ,
    practitioner_id  TEXT REFERENCES practitioners (id),
    location_id      TEXT REFERENCES locations (id),
    practitioner_ref TEXT NOT NULL DEFAULT '',
    location_ref     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX encounters_patient ON encounters (patient_id, start_at);

CREATE TABLE appointments (
    id               TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    status           TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    service_system   TEXT NOT NULL DEFAULT '',
    service_code     TEXT NOT NULL DEFAULT '',
    service_display  TEXT NOT NULL DEFAULT '',
    start_at         TIMESTAMPTZ,
    end_at           TIMESTAMPTZ,
    practitioner_id  TEXT REFERENCES practitioners (id),
    location_id      TEXT REFERENCES locations (id),
    practitioner_ref TEXT NOT NULL DEFAULT '',
    location_ref     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX appointments_patient ON appointments (patient_id, start_at);

CREATE TABLE medication_requests (
    id               TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    status           TEXT NOT NULL DEFAULT '',
    intent           TEXT NOT NULL DEFAULT '',
    drug_system      TEXT NOT NULL DEFAULT '',
    drug_code        TEXT NOT NULL DEFAULT '',
    drug_name        TEXT NOT NULL DEFAULT '',
    authored_on      TIMESTAMPTZ,
    dosage           TEXT NOT NULL DEFAULT '{}',
    days_supply      INTEGER NOT NULL DEFAULT 0,
    quantity         DOUBLE PRECISION NOT NULL DEFAULT 0,
    refills          INTEGER NOT NULL DEFAULT 0,
    practitioner_id  TEXT REFERENCES practitioners (id),
    practitioner_ref TEXT NOT NULL DEFAULT ''
);
CREATE INDEX medication_requests_patient ON medication_requests (patient_id);

CREATE TABLE medication_dispenses (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    request_id  TEXT REFERENCES medication_requests (id),
    request_ref TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    drug_system TEXT NOT NULL DEFAULT '',
    drug_code   TEXT NOT NULL DEFAULT '',
    drug_name   TEXT NOT NULL DEFAULT '',
    quantity    DOUBLE PRECISION NOT NULL DEFAULT 0,
    days_supply INTEGER NOT NULL DEFAULT 0,
    prepared    TIMESTAMPTZ,
    handed_over TIMESTAMPTZ
);
CREATE INDEX medication_dispenses_patient ON medication_dispenses (patient_id, handed_over);

-- possible_duplicates: two patients that share a business identifier but come
-- from different source resources. Never merged silently.
CREATE TABLE possible_duplicates (
    patient_a   TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    patient_b   TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    detected_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (patient_a, patient_b)
);

-- ledger: the append-only engagement ledger.
CREATE TABLE ledger (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id TEXT,
    at         TIMESTAMPTZ NOT NULL,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL DEFAULT '',
    journey    TEXT NOT NULL DEFAULT '',
    campaign   TEXT NOT NULL DEFAULT '',
    payload    JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX ledger_patient ON ledger (patient_id, seq);
CREATE INDEX ledger_kind ON ledger (kind, at);
CREATE INDEX ledger_campaign ON ledger (campaign, seq) WHERE campaign <> '';

-- +goose StatementBegin
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_no_update BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TABLE ledger;
DROP FUNCTION ledger_append_only;
DROP TABLE possible_duplicates;
DROP TABLE medication_dispenses;
DROP TABLE medication_requests;
DROP TABLE appointments;
DROP TABLE encounters;
DROP TABLE conditions;
DROP TABLE resource_identifiers;
DROP TABLE locations;
DROP TABLE practitioners;
DROP TABLE source_records;
DROP TABLE consents;
DROP TABLE contact_points;
DROP TABLE patient_identifiers;
DROP TABLE patients;
