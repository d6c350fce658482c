package store

import (
	"context"
	"fmt"
)

// bulkIndexes are the secondary indexes of the tables a patient import
// fills that no lookup of the import itself needs while the database held no
// patients when it began. The import finds records by their primary keys
// (source records, identifiers); these are only read to update a stored
// patient or by the rest of rapport.
var bulkIndexes = []string{
	"contact_points_patient", "contact_points_value",
	"patient_identifiers_patient", "source_records_entity",
	"ledger_patient", "ledger_kind",
}

// BeginBulkLoad prepares a transaction that will write many patients into a
// database that has none: on SQLite it drops the secondary indexes of the
// tables written, to build them once, sorted, when the load ends (an index
// built from sorted keys costs a fraction of a million inserts at random
// places, which at that size no longer fit the page cache). It reports
// whether it did; it does nothing on PostgreSQL (where dropping an index
// would lock the table against readers until commit) or when the database
// holds patients. Until [Tx.EndBulkLoad] — which Commit calls — lookups of
// patients by id with their identifiers and contact points, and of the
// source records of a rapport entity, scan whole tables: end the bulk load
// before them. The indexes are dropped and rebuilt inside the transaction,
// so a rollback or a crash leaves them as they were.
func (tx *Tx) BeginBulkLoad(ctx context.Context) (bool, error) {
	if tx.sqlTx == nil || tx.bulk != nil {
		return false, nil
	}
	var empty bool
	if err := tx.q.queryRow(ctx, "SELECT NOT EXISTS (SELECT 1 FROM patients)").Scan(&empty); err != nil {
		return false, fmt.Errorf("begin bulk load: %w", err)
	}
	if !empty {
		return false, nil
	}
	ddl := make([]string, 0, len(bulkIndexes))
	for _, name := range bulkIndexes {
		// The index is rebuilt from its own definition, whatever migration made it.
		var sql string
		if err := tx.q.queryRow(ctx, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", name).Scan(&sql); IsNotFound(err) {
			continue
		} else if err != nil {
			return false, fmt.Errorf("begin bulk load: index %s: %w", name, err)
		}
		if _, err := tx.q.exec(ctx, "DROP INDEX "+name); err != nil {
			return false, fmt.Errorf("begin bulk load: drop index %s: %w", name, err)
		}
		ddl = append(ddl, sql)
	}
	tx.bulk = ddl
	return true, nil
}

// EndBulkLoad builds the indexes [Tx.BeginBulkLoad] dropped. It does
// nothing outside a bulk load.
func (tx *Tx) EndBulkLoad(ctx context.Context) error {
	ddl := tx.bulk
	tx.bulk = nil
	for _, sql := range ddl {
		if _, err := tx.q.exec(ctx, sql); err != nil {
			return fmt.Errorf("end bulk load: %s: %w", sql, err)
		}
	}
	return nil
}

// InBulkLoad reports whether the transaction is in a bulk load.
func (tx *Tx) InBulkLoad() bool { return tx.bulk != nil }
