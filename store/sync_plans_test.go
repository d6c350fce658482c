package store_test

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/deltafile"
	"github.com/rapporthq/rapport/store"
)

// TestNightlySyncPlans: every statement a nightly delta runs on SQLite
// (changed patients and new ones, into a database that holds patients)
// finds its rows through an index. A scan would cost in proportion to the
// database, which a small test does not feel and a million patients do.
// Two kinds of scan are bounded and allowed: of a partial index (it holds
// only the rows its condition admits, such as references not resolved
// yet) and the ones named in boundedScans.
func TestNightlySyncPlans(t *testing.T) {
	dir := t.TempDir()
	base, err := deltafile.Patients(filepath.Join(dir, "base"), 1200, 7)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := deltafile.Patients(filepath.Join(dir, "fresh"), 60, 8)
	if err != nil {
		t.Fatal(err)
	}
	delta := filepath.Join(dir, "delta.ndjson")
	if err := deltafile.Write(base, fresh, delta, 1); err != nil {
		t.Fatal(err)
	}
	dsn := "sqlite:" + filepath.Join(dir, "rapport.db")
	importFile(t, dsn, base, true)
	// Opened again, so that the statement cache holds the delta's alone.
	db := importFile(t, dsn, delta, false)
	assertIndexed(t, db, cachedQueries(t, db))
}

func cachedQueries(t *testing.T, db *store.DB) []string {
	t.Helper()
	qs, err := store.CachedQueries(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// assertIndexed explains each of queries on SQLite and fails t for each
// that reads a table whole.
func assertIndexed(t *testing.T, db *store.DB, queries []string) {
	t.Helper()
	tables, partial := schemaNames(t, db)
	checked := 0
	for _, q := range queries {
		if !dml.MatchString(q) {
			continue
		}
		plan, err := store.QueryPlan(context.Background(), db, q)
		if err != nil {
			t.Fatalf("explain %.200s: %v", q, err)
		}
		checked++
		for _, line := range strings.Split(plan, "\n") {
			table, index, ok := scanned(line)
			if !ok || !slices.Contains(tables, table) || slices.Contains(partial, index) || boundedScans[q] {
				continue
			}
			t.Errorf("a statement scans %s:\n%.300s\nplan:\n%s", table, q, plan)
		}
	}
	if checked < 10 {
		t.Fatalf("only %d statements seen: the statement cache did not hold them", checked)
	}
	t.Logf("%d statements explained", checked)
}

var dml = regexp.MustCompile(`(?i)^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b`)

// boundedScans are statements whose scan stops early, by what they ask.
var boundedScans = map[string]bool{
	// Whether the database holds any patient (a bulk load or not): the
	// first row answers.
	"SELECT EXISTS (SELECT 1 FROM patients)": true,
	// Whether any record is merged (shared values are then counted in
	// people): the first row answers.
	"SELECT EXISTS (SELECT 1 FROM patient_merges)": true,
}

// scanned reports the table a plan step reads whole, and the index it
// reads it by, if any: "SCAN t" or "SCAN t USING [COVERING] INDEX i".
func scanned(step string) (table, index string, ok bool) {
	f := strings.Fields(strings.TrimSpace(step))
	if len(f) < 2 || f[0] != "SCAN" {
		return "", "", false
	}
	if i := slices.Index(f, "INDEX"); i > 0 && i+1 < len(f) {
		index = f[i+1]
	}
	return f[1], index, true
}

func importFile(t *testing.T, dsn, path string, migrate bool) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if migrate {
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	im := &importer.Importer{DB: db, Source: "crm"}
	sum, err := im.ImportFHIR(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if c := sum.ByType["Patient"]; !migrate && (c.Updated == 0 || c.Created == 0) {
		t.Fatalf("delta: %+v; want changed and new patients", c)
	}
	return db
}

// schemaNames lists the database's tables and its partial indexes.
func schemaNames(t *testing.T, db *store.DB) (tables, partial []string) {
	t.Helper()
	rs, err := db.SQLDB().Query("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE type IN ('table', 'index')")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		var typ, name, sql string
		if err := rs.Scan(&typ, &name, &sql); err != nil {
			t.Fatal(err)
		}
		switch {
		case typ == "table":
			tables = append(tables, name)
		case strings.Contains(strings.ToUpper(sql), " WHERE "):
			partial = append(partial, name)
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return tables, partial
}
