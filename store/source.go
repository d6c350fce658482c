package store

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// SourceRecord links a resource of an outside system (an EHR's Patient/123,
// a CRM's contact 42) to the rapport row it became, with a hash of the
// imported content so that re-imports know whether anything changed.
type SourceRecord struct {
	Source       string
	ResourceType string
	ResourceID   string
	EntityID     string
	ContentHash  string
	ImportedAt   time.Time
}

// FindSourceRecords returns the known links among the given resource ids of
// one source and type, keyed by resource id.
func (tx *Tx) FindSourceRecords(ctx context.Context, source, resourceType string, ids []string) (map[string]SourceRecord, error) {
	out := make(map[string]SourceRecord, len(ids))
	const chunk = 900
	for start := 0; start < len(ids); start += chunk {
		in, args := inClause(ids[start:min(start+chunk, len(ids))])
		rs, err := tx.q.query(ctx, fmt.Sprintf(querySourceRecords, in),
			append([]any{source, resourceType}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("find source records: %w", err)
		}
		for rs.Next() {
			r := SourceRecord{Source: source, ResourceType: resourceType}
			if err := rs.Scan(&r.ResourceID, &r.EntityID, &r.ContentHash, &r.ImportedAt); err != nil {
				rs.Close()
				return nil, fmt.Errorf("scan source record: %w", err)
			}
			out[r.ResourceID] = r
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return nil, fmt.Errorf("find source records: %w", err)
		}
	}
	return out, nil
}

// PutSourceRecords inserts or replaces links. recs must not hold one
// resource twice. During a bulk load it only inserts, and a link to a
// resource linked before fails the load when it ends: the importer looks up
// every resource it may have written.
func (tx *Tx) PutSourceRecords(ctx context.Context, recs []SourceRecord) error {
	if len(recs) == 0 {
		return nil
	}
	upsert := " ON CONFLICT (source, resource_type, resource_id) DO UPDATE SET entity_id = excluded.entity_id, content_hash = excluded.content_hash, imported_at = excluded.imported_at"
	if tx.bulk().has("source_records") {
		upsert = "" // the unique index it needs is built at the end
	}
	err := insertRows(ctx, tx.q, "INSERT INTO source_records (source, resource_type, resource_id, entity_id, content_hash, imported_at) VALUES ",
		upsert, 6, len(recs), func(i int, a []any) []any {
			r := recs[i]
			return append(a, same{r.Source}, same{r.ResourceType}, r.ResourceID, r.EntityID, r.ContentHash, same{tx.now})
		})
	if err != nil {
		return fmt.Errorf("put source records: %w", err)
	}
	return nil
}

// sourceHashUpdate finds a link by its whole primary key on either database.
var sourceHashUpdate = rowUpdate{
	table: "source_records",
	keys:  []string{"source", "resource_type", "resource_id", "entity_id"},
	cols:  []string{"content_hash"},
	also:  "imported_at = ?",
}

// UpdateSourceRecords stores the new content hashes of links that exist,
// unchanged otherwise: a re-import of changed records. Unlike
// [Tx.PutSourceRecords] it is a plain UPDATE, which SQLite runs without a
// statement journal in an all-or-nothing transaction. A link not found is
// ENOTFOUND.
func (tx *Tx) UpdateSourceRecords(ctx context.Context, recs []SourceRecord) error {
	n, err := updateRows(ctx, tx.q, sourceHashUpdate, []any{tx.now}, len(recs), func(i int, a []any) []any {
		r := recs[i]
		return append(a, r.Source, r.ResourceType, r.ResourceID, r.EntityID, r.ContentHash)
	})
	if err != nil {
		return fmt.Errorf("update source records: %w", err)
	} else if n != int64(len(recs)) {
		return rapport.Errorf(rapport.ENOTFOUND, "update source records: %d of %d not found", int64(len(recs))-n, len(recs))
	}
	return nil
}

// LinkedToSource returns which of the patients are linked to a record of
// source.
func (tx *Tx) LinkedToSource(ctx context.Context, source string, ids []rapport.PatientID) (map[rapport.PatientID]bool, error) {
	out, err := tx.patientsAmong(ctx, queryPatientsLinkedToSource, []any{source}, ids)
	if err != nil {
		return nil, fmt.Errorf("patients linked to %s: %w", source, err)
	}
	return out, nil
}
