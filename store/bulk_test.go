package store

import (
	"context"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

// TestBulkLoadIndexes: a bulk load drops the secondary indexes only while
// the database holds no patients, and they are back — as defined — after a
// commit and after a rollback, with the connection's cache size.
func TestBulkLoadIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testSQLite(t, true)
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
	pragma := func(q querier, name string) int {
		t.Helper()
		var n int
		if err := q.queryRow(ctx, "PRAGMA "+name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cacheSize := func() int { return pragma(db.q, "cache_size") }
	wantCache := cacheSize()
	for _, ix := range deferredIndexes {
		name := ix.name
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
		if bulk && (pragma(tx.q, "cache_size") != -bulkCacheKiB || pragma(tx.q, "threads") == 0) {
			t.Errorf("bulk load: cache_size %d, threads %d; want -%d and helper threads", pragma(tx.q, "cache_size"), pragma(tx.q, "threads"), bulkCacheKiB)
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
		if n := pragma(db.q, "threads"); n != 0 {
			t.Errorf("%s: %d sorter threads after the load, want none", tc.name, n)
		}
		got := indexes()
		for name, sql := range want {
			if got[name] != sql {
				t.Errorf("%s: index %s = %q, want %q", tc.name, name, got[name], sql)
			}
		}
	}
}

// TestBulkLoadLookups: during a bulk load a lookup builds the indexes of the
// table it reads, and answers as it would without the bulk load; links
// then upsert again. A duplicate link written while the unique index waits
// fails the load when the index is built, and leaves nothing behind.
func TestBulkLoadLookups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testSQLite(t, true)
	mrn := rapport.Identifier{System: "urn:mrn", Value: "42"}
	begin := func() *Tx {
		t.Helper()
		tx, err := db.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tx.AllOrNothing()
		if bulk, err := tx.BeginBulkLoad(ctx); err != nil || !bulk {
			t.Fatalf("bulk load = %v, %v; want a bulk load", bulk, err)
		}
		return tx
	}
	create := func(tx *Tx, resourceID string) rapport.PatientID {
		t.Helper()
		p := &rapport.Patient{Family: "Okafor", Identifiers: []rapport.Identifier{mrn}}
		if err := tx.CreatePatients(ctx, []*rapport.Patient{p}); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutSourceRecords(ctx, []SourceRecord{{Source: "ehr", ResourceType: "Patient", ResourceID: resourceID, EntityID: string(p.ID), ContentHash: "h1"}}); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}

	tx := begin()
	a := create(tx, "a")
	if !tx.bulk().has("patient_identifiers") || !tx.bulk().has("source_records") {
		t.Fatal("plain inserts built the deferred indexes")
	}
	found, err := tx.FindPatientsByIdentifier(ctx, []rapport.Identifier{mrn})
	if err != nil {
		t.Fatal(err)
	}
	if got := found[mrn]; len(got) != 1 || got[0] != a {
		t.Errorf("patients with %v during the bulk load = %v, want [%s]", mrn, got, a)
	}
	if tx.bulk().has("patient_identifiers") {
		t.Error("the identifier lookup ran without its index")
	}
	links, err := tx.FindSourceRecords(ctx, "ehr", "Patient", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	if links["a"].EntityID != string(a) || tx.bulk().has("source_records") {
		t.Errorf("link of a = %+v (index waiting: %v), want patient %s from the index", links["a"], tx.bulk().has("source_records"), a)
	}
	// The unique index is back: the same resource now updates its link.
	if err := tx.PutSourceRecords(ctx, []SourceRecord{{Source: "ehr", ResourceType: "Patient", ResourceID: "a", EntityID: string(a), ContentHash: "h2"}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := db.q.queryRow(ctx, "SELECT content_hash FROM source_records WHERE resource_id = 'a'").Scan(&hash); err != nil || hash != "h2" {
		t.Errorf("link after the upsert: hash %q, %v; want h2", hash, err)
	}

	// A fresh database for the failing load.
	if _, err := db.q.exec(ctx, "DELETE FROM source_records"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.q.exec(ctx, "DELETE FROM patients"); err != nil {
		t.Fatal(err)
	}
	tx = begin()
	create(tx, "b")
	create(tx, "b") // a caller error: the same resource linked twice
	err = tx.Commit(ctx)
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("commit with a duplicate link: %v, want a UNIQUE constraint error", err)
	}
	_ = tx.Rollback(ctx)
	var n int
	if err := db.q.queryRow(ctx, "SELECT (SELECT count(*) FROM patients) + (SELECT count(*) FROM source_records)").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows left by the failed load: %d, %v; want none", n, err)
	}
	var idx int
	if err := db.q.queryRow(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 'source_records_resource'").Scan(&idx); err != nil || idx != 1 {
		t.Errorf("source_records_resource after the failed load: %d, %v; want it back", idx, err)
	}
}

// TestBulkLoadFailedStatement: when a failed statement has already rolled
// an all-or-nothing bulk load back, Rollback still gives the connection its
// cache size and sorter threads back.
func TestBulkLoadFailedStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testSQLite(t, true)
	pragma := func(name string) int {
		t.Helper()
		var n int
		if err := db.q.queryRow(ctx, "PRAGMA "+name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	wantCache := pragma("cache_size")
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx.AllOrNothing()
	if bulk, err := tx.BeginBulkLoad(ctx); err != nil || !bulk {
		t.Fatalf("bulk load = %v, %v; want a bulk load", bulk, err)
	}
	p := &rapport.Patient{Family: "Nakamura"}
	if err := tx.CreatePatients(ctx, []*rapport.Patient{p}); err != nil {
		t.Fatal(err)
	}
	if err := tx.CreatePatients(ctx, []*rapport.Patient{p}); err == nil {
		t.Fatal("a second patient with the same id was accepted")
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if c, th := pragma("cache_size"), pragma("threads"); c != wantCache || th != 0 {
		t.Errorf("after the failed load: cache size %d, %d sorter threads; want %d and none", c, th, wantCache)
	}
}
