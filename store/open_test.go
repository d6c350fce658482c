package store

import (
	"context"
	"database/sql"
	"os"
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

// TestSQLiteFilesPrivate: a new database file, and the WAL files SQLite
// makes beside it, are readable by their owner only (0600).
func TestSQLiteFilesPrivate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "rapport.db")
	db, err := Open(context.Background(), "sqlite:"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQLDB().Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), st.Mode().Perm())
		}
	}
}

// TestMigrateKeepsTempStore: migrations run with temporary files on disk
// (a rewrite of a large table would hold its statement journal in memory),
// and the connection has them in memory again afterwards.
func TestMigrateKeepsTempStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "rapport.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var where int
	if err := db.q.queryRow(ctx, "PRAGMA temp_store").Scan(&where); err != nil {
		t.Fatal(err)
	}
	if where != 2 { // MEMORY
		t.Errorf("temp_store %d after migrating, want 2 (memory)", where)
	}
}
