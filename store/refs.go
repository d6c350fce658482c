package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapporthq/rapport"
)

// ResolveRef finds the rapport id of the resource of resourceType that r
// points at: by the source's resource id, or by a business identifier when
// exactly one resource carries it. ok is false when it is not (yet) known.
func (tx *Tx) ResolveRef(ctx context.Context, resourceType string, r rapport.Ref) (id string, ok bool, err error) {
	return tx.resolveRefText(ctx, resourceType, refText(r))
}

func (tx *Tx) resolveRefText(ctx context.Context, resourceType, ref string) (string, bool, error) {
	var rows rows
	var err error
	switch {
	case strings.HasPrefix(ref, "id:"):
		source, rid, _ := strings.Cut(strings.TrimPrefix(ref, "id:"), "|")
		var id string
		err = tx.q.queryRow(ctx, "SELECT entity_id FROM source_records WHERE source = ? AND resource_type = ? AND resource_id = ?",
			source, resourceType, rid).Scan(&id)
		if err == sql.ErrNoRows {
			return "", false, nil
		} else if err != nil {
			return "", false, fmt.Errorf("resolve %s reference: %w", resourceType, err)
		}
		return id, true, nil
	case strings.HasPrefix(ref, "identifier:"):
		system, value, _ := strings.Cut(strings.TrimPrefix(ref, "identifier:"), "|")
		rows, err = tx.q.query(ctx, "SELECT entity_id FROM resource_identifiers WHERE resource_type = ? AND system = ? AND value = ? LIMIT 2",
			resourceType, system, value)
	default:
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("resolve %s reference: %w", resourceType, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", false, fmt.Errorf("resolve %s reference: %w", resourceType, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", false, fmt.Errorf("resolve %s reference: %w", resourceType, err)
	}
	if len(ids) != 1 { // unknown, or ambiguous: never guess
		return "", false, nil
	}
	return ids[0], true, nil
}

// pendingRefs lists the reference columns that may wait for a resource
// imported later: table, id column, ref column, referenced resource type.
var pendingRefs = [][4]string{
	{"encounters", "practitioner_id", "practitioner_ref", "Practitioner"},
	{"encounters", "location_id", "location_ref", "Location"},
	{"appointments", "practitioner_id", "practitioner_ref", "Practitioner"},
	{"appointments", "location_id", "location_ref", "Location"},
	{"medication_requests", "practitioner_id", "practitioner_ref", "Practitioner"},
	{"medication_dispenses", "request_id", "request_ref", "MedicationRequest"},
}

// ResolvePendingRefs resolves the references that pointed at resources not
// yet imported when their row was written, and returns how many rows it
// resolved and how many still wait. Waiting rows are found through partial
// indexes (only unresolved rows are in them) and updated by primary key, so
// the pass costs what is waiting, not the size of the tables.
func (tx *Tx) ResolvePendingRefs(ctx context.Context) (resolved, waiting int, err error) {
	for _, p := range pendingRefs {
		table, idCol, refCol, typ := p[0], p[1], p[2], p[3]
		rs, err := tx.q.query(ctx, "SELECT id, "+refCol+" FROM "+table+" WHERE "+idCol+" IS NULL AND "+refCol+" <> ''")
		if err != nil {
			return resolved, waiting, fmt.Errorf("pending %s references: %w", table, err)
		}
		type row struct{ id, ref string }
		var rows []row
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.id, &r.ref); err != nil {
				rs.Close()
				return resolved, waiting, fmt.Errorf("pending %s references: %w", table, err)
			}
			rows = append(rows, r)
		}
		err = rs.Err()
		rs.Close()
		if err != nil {
			return resolved, waiting, fmt.Errorf("pending %s references: %w", table, err)
		}
		known := map[string]string{} // ref → id, "" when it cannot be resolved yet
		for _, r := range rows {
			id, seen := known[r.ref]
			if !seen {
				var ok bool
				if id, ok, err = tx.resolveRefText(ctx, typ, r.ref); err != nil {
					return resolved, waiting, err
				} else if !ok {
					id = ""
				}
				known[r.ref] = id
			}
			if id == "" {
				waiting++
				continue
			}
			if _, err := tx.q.exec(ctx, "UPDATE "+table+" SET "+idCol+" = ? WHERE id = ?", id, r.id); err != nil {
				return resolved, waiting, fmt.Errorf("resolve %s references: %w", table, err)
			}
			resolved++
		}
	}
	return resolved, waiting, nil
}
