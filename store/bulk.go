package store

import (
	"context"
	"fmt"
	"runtime"
	"strings"
)

// deferredIndexes are the secondary indexes a bulk load builds at its end.
// The first three get their keys in random order (source resource ids,
// identifier values, phone numbers and emails); every other B-tree an
// import writes is appended to (rapport ids are time-ordered, and the
// tables are keyed by them first). contact_points_patient is appended to,
// but building it at the end, sorted on helper threads, took less time
// than keeping it; the ledger's indexes took more (1M patients, 2 runs).
var deferredIndexes = []struct{ name, table string }{
	{"source_records_resource", "source_records"},
	{"patient_identifiers_value", "patient_identifiers"},
	{"contact_points_value", "contact_points"},
	{"contact_points_patient", "contact_points"},
}

// BeginBulkLoad prepares a transaction that will write many patients into a
// database that has none; it reports whether it did. The caller may then
// look up only what the transaction itself wrote, and the holders of shared
// phone numbers and emails are counted once, at the end, not per batch.
//
// On SQLite it also defers index maintenance. Once a B-tree outgrows the
// page cache, each insert at a random place reads and rewrites pages;
// appends do not. BeginBulkLoad drops the indexes of [deferredIndexes], and
// [Tx.EndBulkLoad] — which Commit calls — builds them again, once, from
// sorted keys. A statement that needs one of them before that (any but a
// plain INSERT … VALUES into its table) builds its table's indexes first. A
// unique index dropped this way checks its rows when it is built: the
// caller must not insert a duplicate it would have turned into an update
// (see [Tx.PutSourceRecords]). Everything happens inside the transaction,
// so a rollback or a crash leaves the database as it was. PostgreSQL keeps
// its indexes: dropping one would lock the table against readers until
// commit.
//
// It does nothing when the database holds patients or patient source
// records.
func (tx *Tx) BeginBulkLoad(ctx context.Context) (bool, error) {
	if tx.bulkLoad {
		return false, nil
	}
	// Two queries: no index leads with the resource type, and the second
	// (links left by deleted patients) only runs when there are none.
	for _, q := range []string{"SELECT EXISTS (SELECT 1 FROM patients)",
		"SELECT EXISTS (SELECT 1 FROM source_records WHERE resource_type = 'Patient')"} {
		var found bool
		if err := tx.q.queryRow(ctx, q).Scan(&found); err != nil {
			return false, fmt.Errorf("begin bulk load: %w", err)
		} else if found {
			return false, nil
		}
	}
	tx.bulkLoad = true
	if _, ok := tx.q.(sqlQuerier); !ok {
		return true, nil
	}
	d := &deferred{ddl: map[string][]string{}}
	for _, ix := range deferredIndexes {
		// The index is rebuilt from its own definition, whatever migration made it.
		var sql string
		if err := tx.q.queryRow(ctx, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", ix.name).Scan(&sql); IsNotFound(err) {
			continue
		} else if err != nil {
			return false, fmt.Errorf("begin bulk load: index %s: %w", ix.name, err)
		}
		if _, err := tx.q.exec(ctx, "DROP INDEX "+ix.name); err != nil {
			return false, fmt.Errorf("begin bulk load: drop index %s: %w", ix.name, err)
		}
		d.ddl[ix.table] = append(d.ddl[ix.table], sql)
	}
	if err := tx.q.queryRow(ctx, "PRAGMA cache_size").Scan(&tx.bulkCache); err != nil {
		return false, fmt.Errorf("begin bulk load: cache size: %w", err)
	}
	// The sorter of an index build hands sorting and merging of its runs to
	// helper threads: the builds take a third less time on two cores, idle
	// at the end of an import but for the builds.
	if _, err := tx.q.exec(ctx, fmt.Sprintf("PRAGMA cache_size = -%d; PRAGMA threads = %d", bulkCacheKiB, runtime.GOMAXPROCS(0))); err != nil {
		return false, fmt.Errorf("begin bulk load: cache size: %w", err)
	}
	tx.setBulk(d)
	return true, nil
}

// EndBulkLoad builds the indexes [Tx.BeginBulkLoad] dropped and counts the
// holders of shared numbers. It does nothing outside a bulk load.
func (tx *Tx) EndBulkLoad(ctx context.Context) error {
	if !tx.bulkLoad {
		return nil
	}
	d := tx.bulk()
	if d == nil { // PostgreSQL
		tx.bulkLoad = false
		return tx.refreshAllShared(ctx)
	}
	for table := range d.ddl {
		if err := d.build(ctx, tx.q.(sqlQuerier), table); err != nil {
			return err // Rollback gives the connection's settings back
		}
	}
	tx.setBulk(nil)
	tx.bulkLoad = false
	if _, err := tx.q.exec(ctx, tx.bulkRestore()); err != nil {
		return fmt.Errorf("end bulk load: %w", err)
	}
	return tx.refreshAllShared(ctx)
}

// bulk is the transaction's bulk load, nil when none is under way.
func (tx *Tx) bulk() *deferred {
	s, _ := tx.q.(sqlQuerier)
	return s.deferred
}

// setBulk starts or (with nil) ends a bulk load on the transaction's queries.
func (tx *Tx) setBulk(d *deferred) {
	s := tx.q.(sqlQuerier)
	s.deferred = d
	tx.q = s
}

// bulkRestore gives back the connection settings a bulk load changed: they
// are the connection's, not the transaction's.
func (tx *Tx) bulkRestore() string {
	return fmt.Sprintf("PRAGMA cache_size = %d; PRAGMA threads = 0", tx.bulkCache)
}

// bulkCacheKiB is the page cache during a bulk load. SQLite's sorter keeps
// as many bytes of records in memory as the page cache may hold before it
// spills a sorted run to a temporary file, on top of the cache itself: with
// the connection's 64 MB cache, the index builds of a million patients
// peaked near 500 MB. A bulk load needs few cached pages: it appends to
// every B-tree it writes.
const bulkCacheKiB = 8 << 10

// deferred holds, by table, the definitions of the indexes a bulk load
// dropped and has not built yet.
type deferred struct{ ddl map[string][]string }

// before builds the indexes of the tables q names, unless q only appends
// rows to them.
func (d *deferred) before(ctx context.Context, s sqlQuerier, q string) error {
	if d == nil {
		return nil
	}
	for table := range d.ddl {
		if strings.Contains(q, table) && !appendsOnly(q, table) {
			if err := d.build(ctx, s, table); err != nil {
				return err
			}
		}
	}
	return nil
}

// build creates the dropped indexes of table.
func (d *deferred) build(ctx context.Context, s sqlQuerier, table string) error {
	ddl := d.ddl[table]
	delete(d.ddl, table) // the statements below name the table
	for _, sql := range ddl {
		if _, err := s.exec(ctx, sql); err != nil {
			return fmt.Errorf("bulk load: %s: %w", sql, err)
		}
	}
	return nil
}

// has reports whether table's indexes wait to be built.
func (d *deferred) has(table string) bool {
	if d == nil {
		return false
	}
	_, ok := d.ddl[table]
	return ok
}

// appendsOnly reports whether q is a plain INSERT … VALUES into table,
// which no index of the table helps.
func appendsOnly(q, table string) bool {
	return strings.HasPrefix(q, "INSERT INTO "+table+" (") &&
		!strings.Contains(q, "SELECT") && !strings.Contains(q, "ON CONFLICT")
}
