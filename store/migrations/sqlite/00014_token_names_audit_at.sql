-- +goose Up
-- Token names are what the audit trail shows of who did something: two
-- tokens may not share one. Older duplicates keep their name with their
-- id added, the oldest its name as it was.
UPDATE api_tokens SET name = name || ' (' || id || ')'
WHERE EXISTS (SELECT 1 FROM api_tokens o WHERE o.name = api_tokens.name
    AND (o.created_at < api_tokens.created_at OR (o.created_at = api_tokens.created_at AND o.id < api_tokens.id)));
CREATE UNIQUE INDEX api_tokens_name ON api_tokens (name);

-- rapport audit and GET /api/v1/audit read the trail by time.
CREATE INDEX audit_log_at ON audit_log (at, seq);

-- +goose Down
DROP INDEX audit_log_at;
DROP INDEX api_tokens_name;
