package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport"
)

// TestBulkLoadIndexes: a bulk load drops the secondary indexes only while
// the database holds no patients, and they are back — as defined — after a
// commit and after a rollback, with the connection's cache size.
func TestBulkLoadIndexes(t *testing.T) {
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
	indexes := func() map[string]string {
		t.Helper()
		rs, err := db.q.query(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		out := map[string]string{}
		for rs.Next() {
			var name, sql string
			if err := rs.Scan(&name, &sql); err != nil {
				t.Fatal(err)
			}
			out[name] = sql
		}
		return out
	}
	want := indexes()
	cacheSize := func() int {
		t.Helper()
		var n int
		if err := db.q.queryRow(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	wantCache := cacheSize()
	for _, name := range bulkIndexes {
		if want[name] == "" {
			t.Fatalf("index %s is not in the schema", name)
		}
	}
	load := func(commit bool) bool {
		t.Helper()
		tx, err := db.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		bulk, err := tx.BeginBulkLoad(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p := &rapport.Patient{Family: "Reyes", Identifiers: []rapport.Identifier{{System: "urn:mrn", Value: "1"}},
			Contacts: []rapport.ContactPoint{{Kind: rapport.ContactPhone, Raw: "+1 512 867 5309", Status: rapport.StatusUnverified, Source: rapport.SourceImport}}}
		if err := tx.CreatePatients(ctx, []*rapport.Patient{p}); err != nil {
			t.Fatal(err)
		}
		if commit {
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return bulk
	}
	for _, tc := range []struct {
		name     string
		commit   bool
		wantBulk bool
	}{
		{"rolled back", false, true},
		{"committed", true, true},
		{"patients present", true, false},
	} {
		if bulk := load(tc.commit); bulk != tc.wantBulk {
			t.Errorf("%s: bulk load = %v, want %v", tc.name, bulk, tc.wantBulk)
		}
		if n := cacheSize(); n != wantCache {
			t.Errorf("%s: cache size %d after the load, want %d", tc.name, n, wantCache)
		}
		got := indexes()
		for name, sql := range want {
			if got[name] != sql {
				t.Errorf("%s: index %s = %q, want %q", tc.name, name, got[name], sql)
			}
		}
	}
}
