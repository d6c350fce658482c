package store

import (
	"context"
	"fmt"
)

// countedTables are the tables [DB.Counts] reports, in a stable order.
var countedTables = []string{"patients", "patient_identifiers", "contact_points", "consents", "conditions", "encounters",
	"appointments", "medication_requests", "medication_dispenses", "practitioners", "locations", "duplicate_candidates", "ledger", "caregivers", "caregiver_contacts"}

// Counts returns the number of rows of each domain table.
func (db *DB) Counts(ctx context.Context) (map[string]int, error) {
	out := make(map[string]int, len(countedTables))
	for _, t := range countedTables {
		var n int
		if err := db.q.queryRow(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}
