-- +goose Up
-- What rapport learns about a contact point beyond its status (issue 13):
-- shared_by counts the patients whose records hold the same normalised
-- value when they are 2 or more (0 otherwise: a family landline, a shared inbox); confirmed_at is the
-- last time an answer to a message proved the address works; soft failures
-- (a phone off, a call not answered) count toward staleness until the next
-- confirmation; added_at is when rapport first heard of the contact point,
-- the start of its staleness clock until it is confirmed.
ALTER TABLE contact_points ADD COLUMN shared_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact_points ADD COLUMN confirmed_at TIMESTAMPTZ;
ALTER TABLE contact_points ADD COLUMN soft_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact_points ADD COLUMN soft_failed_at TIMESTAMPTZ;
ALTER TABLE contact_points ADD COLUMN added_at TIMESTAMPTZ;
UPDATE contact_points SET added_at = status_at;
UPDATE contact_points SET shared_by = (SELECT CASE WHEN count(DISTINCT o.patient_id) > 1 THEN count(DISTINCT o.patient_id) ELSE 0 END
    FROM contact_points o WHERE o.kind = contact_points.kind AND o.value = contact_points.value)
WHERE value <> '';
-- The staleness sweep reads the contact points that can still go stale.
CREATE INDEX contact_points_staleness ON contact_points (status, confirmed_at);

-- phone_lookups caches a line-type provider's answer per number (E.164), so
-- a number shared by a family is looked up once and again only after the
-- configured age. looked_up_at is the date of the last answer (NULL until
-- one came); a failed look-up leaves the contact points as they were and
-- sets retry_at, with the attempts so far and the error as evidence.
CREATE TABLE phone_lookups (
    number        TEXT PRIMARY KEY,
    provider      TEXT NOT NULL,
    line_type     TEXT NOT NULL DEFAULT '',
    provider_type TEXT NOT NULL DEFAULT '',
    carrier       TEXT NOT NULL DEFAULT '',
    error_code    TEXT NOT NULL DEFAULT '',
    looked_up_at  TIMESTAMPTZ,
    attempts      INTEGER NOT NULL DEFAULT 0,
    retry_at      TIMESTAMPTZ NOT NULL,
    last_error    TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE phone_lookups;
DROP INDEX contact_points_staleness;
ALTER TABLE contact_points DROP COLUMN added_at;
ALTER TABLE contact_points DROP COLUMN soft_failed_at;
ALTER TABLE contact_points DROP COLUMN soft_failures;
ALTER TABLE contact_points DROP COLUMN confirmed_at;
ALTER TABLE contact_points DROP COLUMN shared_by;
