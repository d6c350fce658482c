// Package dbtest opens migrated test databases, SQLite and PostgreSQL, so a
// test can run the same body against both.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/store"
)

// Dialects are the databases [Each] runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Open returns a fresh, migrated database of the dialect (job tables
// included), closed when the test ends. PostgreSQL skips or fails as
// [pgtest.DSN] says when no server is configured.
func Open(t testing.TB, d store.Dialect, clock rapport.Clock) *store.DB {
	t.Helper()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "rapport.db")
	if d == store.Postgres {
		dsn = pgtest.NewDatabase(t)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db
}

// Each runs fn as a parallel subtest on each dialect.
func Each(t *testing.T, clock func() rapport.Clock, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, Open(t, d, clock()))
		})
	}
}
