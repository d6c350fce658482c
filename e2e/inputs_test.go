package e2e

import (
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport/internal/deltafile"
	"github.com/rapporthq/rapport/internal/pgtest"
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
