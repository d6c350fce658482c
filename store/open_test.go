package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestSQLiteFileSettings: a new database gets rapport's page size and WAL
// mode; a database made elsewhere keeps its page size and is switched to WAL.
func TestSQLiteFileSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()

	// A database another tool made, with SQLite's default pages and journal.
	old := filepath.Join(dir, "old.db")
	raw, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	for _, tc := range []struct {
		file     string
		wantPage int
	}{
		{filepath.Join(dir, "new.db"), pageSize},
		{old, 4096},
	} {
		db, err := Open(ctx, "sqlite:"+tc.file, nil)
		if err != nil {
			t.Fatal(err)
		}
		var page int
		var mode string
		if err := db.q.queryRow(ctx, "PRAGMA page_size").Scan(&page); err != nil {
			t.Fatal(err)
		}
		if err := db.q.queryRow(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if page != tc.wantPage || mode != "wal" {
			t.Errorf("%s: page size %d, journal mode %q; want %d and wal", filepath.Base(tc.file), page, mode, tc.wantPage)
		}
	}
}
