-- +goose Up
-- Partial indexes of the references still waiting for the resource they
-- name: the pass that resolves them after each import reads only these.
CREATE INDEX encounters_pending_practitioner ON encounters (practitioner_ref) WHERE practitioner_id IS NULL AND practitioner_ref <> '';
CREATE INDEX encounters_pending_location ON encounters (location_ref) WHERE location_id IS NULL AND location_ref <> '';
CREATE INDEX appointments_pending_practitioner ON appointments (practitioner_ref) WHERE practitioner_id IS NULL AND practitioner_ref <> '';
CREATE INDEX appointments_pending_location ON appointments (location_ref) WHERE location_id IS NULL AND location_ref <> '';
CREATE INDEX medication_requests_pending_practitioner ON medication_requests (practitioner_ref) WHERE practitioner_id IS NULL AND practitioner_ref <> '';
CREATE INDEX medication_dispenses_pending_request ON medication_dispenses (request_ref) WHERE request_id IS NULL AND request_ref <> '';

-- +goose Down
DROP INDEX medication_dispenses_pending_request;
DROP INDEX medication_requests_pending_practitioner;
DROP INDEX appointments_pending_location;
DROP INDEX appointments_pending_practitioner;
DROP INDEX encounters_pending_location;
DROP INDEX encounters_pending_practitioner;
