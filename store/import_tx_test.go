package store

import (
	"context"
	"testing"
)

// TestImportTempFiles: an import's transaction keeps SQLite's temporary
// files on disk (a bulk load's index builds would hold their sorted runs in
// memory otherwise), and the connection is back to memory once it ends,
// committed or rolled back; other transactions never see the disk setting.
func TestImportTempFiles(t *testing.T) {
	ctx := context.Background()
	db := testSQLite(t, true)
	// PRAGMA temp_store answers 1 for FILE and 2 for MEMORY.
	storeOf := func(q querier) int {
		t.Helper()
		var n int
		if err := q.queryRow(ctx, "PRAGMA temp_store").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := storeOf(db.q); got != 2 {
		t.Fatalf("a fresh connection's temp_store = %d, want 2 (memory)", got)
	}
	for _, end := range []string{"commit", "rollback"} {
		tx, err := db.BeginImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := storeOf(tx.q); got != 1 {
			t.Errorf("inside an import: temp_store = %d, want 1 (files)", got)
		}
		if end == "commit" {
			err = tx.Commit(ctx)
		} else {
			err = tx.Rollback(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(ctx); err != nil { // as a deferred rollback after a commit does
			t.Fatalf("rollback after %s: %v", end, err)
		}
		if got := storeOf(db.q); got != 2 {
			t.Errorf("after the import's %s: temp_store = %d, want 2", end, got)
		}
	}
}
