package store

import (
	"context"
	"fmt"
	"strings"
)

// bulkIndexes are the secondary indexes of the tables a patient import
// fills that no lookup of the import itself needs while the database held no
// patients when it began. The import finds records by their primary keys
// (source records, identifiers); these are only read to update a stored
// patient or by the rest of rapport.
var bulkIndexes = []string{
	"contact_points_patient", "contact_points_value",
	"patient_identifiers_patient", "source_records_entity",
	"ledger_patient", "ledger_kind", "ledger_kind_seq",
}

// BeginBulkLoad prepares a transaction that will write many patients into a
// database that has none, on SQLite; it reports whether it did. Two kinds of
// B-tree insert make a bulk load slow once its tables outgrow the page
// cache: secondary indexes, and primary keys that arrive in random order
// (source resource ids, identifier values). BeginBulkLoad drops the
// secondary indexes of the tables written, and the rows of source_records
// and patient_identifiers wait in staging tables, appended in arrival order;
// both are built once, from sorted keys, when a query reads those tables or
// the load ends. Until [Tx.EndBulkLoad] — which Commit calls — lookups of
// patients by id with their identifiers and contact points, and of the
// source records of a rapport entity, scan whole tables: end the bulk load
// before them. Everything happens inside the transaction, so a rollback or a
// crash leaves the database as it was.
//
// It does nothing on PostgreSQL (where dropping an index would lock the
// table against readers until commit) or when the database holds patients
// or patient source records.
func (tx *Tx) BeginBulkLoad(ctx context.Context) (bool, error) {
	s, ok := tx.q.(sqlQuerier)
	if !ok || tx.bulk != nil {
		return false, nil
	}
	var empty bool
	if err := tx.q.queryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM patients)
		AND NOT EXISTS (SELECT 1 FROM source_records WHERE resource_type = 'Patient')`).Scan(&empty); err != nil {
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
	for _, t := range stagedTables {
		if _, err := tx.q.exec(ctx, "CREATE TABLE "+t.stage+" ("+t.cols+")"); err != nil {
			return false, fmt.Errorf("begin bulk load: %w", err)
		}
	}
	if err := tx.q.queryRow(ctx, "PRAGMA cache_size").Scan(&tx.bulkCache); err != nil {
		return false, fmt.Errorf("begin bulk load: cache size: %w", err)
	}
	if _, err := tx.q.exec(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheKiB)); err != nil {
		return false, fmt.Errorf("begin bulk load: cache size: %w", err)
	}
	tx.bulk = ddl
	s.stage = &staging{}
	tx.q = s
	return true, nil
}

// EndBulkLoad moves the staged rows into their tables and builds the
// indexes [Tx.BeginBulkLoad] dropped. It does nothing outside a bulk load.
func (tx *Tx) EndBulkLoad(ctx context.Context) error {
	if tx.bulk == nil {
		return nil
	}
	ddl := tx.bulk
	tx.bulk = nil
	s := tx.q.(sqlQuerier)
	if err := s.stage.flush(ctx, s); err != nil {
		return err
	}
	s.stage = nil
	tx.q = s
	for _, t := range stagedTables {
		if _, err := tx.q.exec(ctx, "DROP TABLE "+t.stage); err != nil {
			return fmt.Errorf("end bulk load: %w", err)
		}
	}
	for _, sql := range ddl {
		if _, err := tx.q.exec(ctx, sql); err != nil {
			return fmt.Errorf("end bulk load: %s: %w", sql, err)
		}
	}
	if _, err := tx.q.exec(ctx, fmt.Sprintf("PRAGMA cache_size = %d", tx.bulkCache)); err != nil {
		return fmt.Errorf("end bulk load: cache size: %w", err)
	}
	return nil
}

// bulkCacheKiB is the page cache during a bulk load. SQLite's sorter keeps
// as many bytes of records in memory as the page cache may hold before it
// spills a sorted run to a temporary file, on top of the cache itself: with
// the connection's 64 MB cache, the index builds and sorted moves of a
// million patients peaked near 500 MB. A bulk load needs few cached pages:
// it appends to every B-tree it writes (time-ordered ids, staging tables,
// sorted index builds).
const bulkCacheKiB = 8 << 10

// stagedTable is a table whose rows wait, during a bulk load, in a staging
// table without keys, and move over sorted by the table's primary key (then
// by arrival, so that the last write of a key wins).
type stagedTable struct {
	table, stage, cols, order, conflict string
}

// The staging tables' names must not contain their tables' names: a query
// that names the table moves the staged rows first.
var stagedTables = []stagedTable{
	{table: "source_records", stage: "rapport_bulk_links",
		cols: "source, resource_type, resource_id, entity_id, content_hash, imported_at", order: "source, resource_type, resource_id",
		conflict: " ON CONFLICT (source, resource_type, resource_id) DO UPDATE SET entity_id = excluded.entity_id, content_hash = excluded.content_hash, imported_at = excluded.imported_at"},
	{table: "patient_identifiers", stage: "rapport_bulk_idents",
		cols: "patient_id, system, value, type", order: "system, value, patient_id"},
}

// staging tracks whether rows wait in the staging tables of a bulk load.
type staging struct{ pending bool }

// before moves the staged rows over when q reads or writes a staged table.
func (st *staging) before(ctx context.Context, s sqlQuerier, q string) error {
	if st == nil || !st.pending {
		return nil
	}
	for _, t := range stagedTables {
		if strings.Contains(q, t.table) {
			return st.flush(ctx, s)
		}
	}
	return nil
}

func (st *staging) flush(ctx context.Context, s sqlQuerier) error {
	if !st.pending {
		return nil
	}
	st.pending = false // the statements below name the tables
	for _, t := range stagedTables {
		// WHERE true: SQLite's parser needs it between a SELECT and an upsert.
		q := "INSERT INTO " + t.table + " (" + t.cols + ") SELECT " + t.cols + " FROM " + t.stage + " WHERE true ORDER BY " + t.order + ", rowid" + t.conflict
		if _, err := s.exec(ctx, q); err != nil {
			return fmt.Errorf("bulk load: move staged %s: %w", t.table, err)
		}
		if _, err := s.exec(ctx, "DELETE FROM "+t.stage); err != nil {
			return fmt.Errorf("bulk load: empty staged %s: %w", t.table, err)
		}
	}
	return nil
}

// stageInto returns the table rows for table go to: its staging table during
// a bulk load (marking rows as waiting), else table itself.
func (tx *Tx) stageInto(table string) string {
	s, ok := tx.q.(sqlQuerier)
	if !ok || s.stage == nil {
		return table
	}
	for _, t := range stagedTables {
		if t.table == table {
			s.stage.pending = true
			return t.stage
		}
	}
	return table
}
