package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/rapporthq/rapport"

	"github.com/rapporthq/rapport/internal/deltafile"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/store"
)

// syncFiles are the nightly sync's inputs: a CRM's Patient NDJSON, the
// new patients of a night, and the delta (every 40th base patient with a
// new phone, then the new ones).
type syncFiles struct{ base, fresh, delta string }

// writeSyncFiles generates the inputs for base and fresh people (deltafile).
func writeSyncFiles(t *testing.T, base, fresh int) syncFiles {
	t.Helper()
	dir := t.TempDir()
	var f syncFiles
	var err error
	if f.base, err = deltafile.Patients(filepath.Join(dir, "base"), base, 7); err != nil {
		t.Fatal(err)
	}
	if f.fresh, err = deltafile.Patients(filepath.Join(dir, "fresh"), fresh, 8); err != nil {
		t.Fatal(err)
	}
	f.delta = filepath.Join(dir, "delta.ndjson")
	if err := deltafile.Write(f.base, f.fresh, f.delta, 1); err != nil {
		t.Fatal(err)
	}
	return f
}

// onEachDatabase runs test in parallel subtests on a new SQLite file and a
// new PostgreSQL database (skipped without RAPPORT_TEST_POSTGRES).
func onEachDatabase(t *testing.T, test func(t *testing.T, dsn string)) {
	t.Helper()
	for _, d := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "rapport.db") }},
		{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t) }},
	} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			test(t, d.dsn(t))
		})
	}
}

// openDB opens the database at dsn as rapport does; the caller closes it.
func openDB(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

var importSummary = regexp.MustCompile(`(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) rejected`)

// wantCounts checks the summary line of `rapport import` for its patients.
func wantCounts(t *testing.T, out string, created, updated, unchanged int) {
	t.Helper()
	m := importSummary.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary in the import's output: %s", out)
	}
	got := [4]int{}
	for i := range got {
		got[i], _ = strconv.Atoi(m[i+1])
	}
	if got != [4]int{created, updated, unchanged, 0} {
		t.Errorf("import: %d created, %d updated, %d unchanged, %d rejected; want %d, %d, %d, 0:\n%s",
			got[0], got[1], got[2], got[3], created, updated, unchanged, out)
	}
}

func lineCount(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(data, []byte{'\n'})
}

// countRows counts the rows of from: a table, or a FROM clause with its
// joins and WHERE ("encounters WHERE practitioner_id IS NULL").
func countRows(t *testing.T, db *store.DB, from string) int {
	t.Helper()
	var n int
	if err := db.SQLDB().QueryRowContext(context.Background(), "SELECT count(*) FROM "+from).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", from, err)
	}
	return n
}
