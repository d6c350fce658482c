package messaging_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/store"
)

// TestMain removes the rapport binary the process tests built.
func TestMain(m *testing.M) { os.Exit(proctest.Main(m)) }

// processDB creates a migrated database of dialect d that a worker process
// can open too, and returns its DSN and an open handle.
func processDB(tb testing.TB, d store.Dialect) (string, *store.DB) {
	tb.Helper()
	dsn := "sqlite:" + filepath.Join(tb.TempDir(), "rapport.db")
	if d == store.Postgres {
		dsn = pgtest.NewDatabase(tb)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	return dsn, db
}
