-- +goose Up
-- Every ledger query reads in seq order (a kind filter uses ledger_kind_seq);
-- ledger_kind (kind, at) served none of them, and cost an index entry on
-- each of the five or so events a campaign message writes.
DROP INDEX ledger_kind;

-- +goose Down
CREATE INDEX ledger_kind ON ledger (kind, at);
