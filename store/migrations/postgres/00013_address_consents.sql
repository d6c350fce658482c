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
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX address_consents_address ON address_consents (address, recorded_at);

-- +goose Down
DROP TABLE address_consents;
