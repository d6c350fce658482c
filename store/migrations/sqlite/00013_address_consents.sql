-- +goose Up
-- address_consents are opt-outs (and the opt-ins that lift them) by address:
-- a phone number in E.164 or an email address lower-cased. A STOP holds for
-- whoever has the number, including records imported or merged later; the
-- pipeline checks them when planning and again just before sending.
CREATE TABLE address_consents (
    id          TEXT PRIMARY KEY,
    address     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    decision    TEXT NOT NULL,
    source      TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '',
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX address_consents_address ON address_consents (address, recorded_at);

-- The patients' own decisions recorded so far (STOP and START, unsubscribes,
-- providers' opt-outs; not staff entries) hold for their addresses too.
INSERT INTO address_consents (id, address, channel, purpose, decision, source, evidence, recorded_at)
SELECT c.id || ':' || cp.id, CASE WHEN cp.kind = 'email' THEN lower(trim(cp.value)) ELSE trim(cp.value) END,
       c.channel, c.purpose, c.decision, c.source, c.evidence, c.recorded_at
FROM consents c JOIN contact_points cp ON cp.patient_id = c.patient_id
WHERE c.source = 'patient' AND trim(cp.value) <> ''
  AND ((c.channel IN ('sms', 'voice') AND cp.kind = 'phone') OR (c.channel = 'email' AND cp.kind = 'email'));

-- +goose Down
DROP TABLE address_consents;
