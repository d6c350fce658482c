package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/store/storetest"
)

func TestSQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, clock rapport.Clock) *store.DB {
		db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "rapport.db"), clock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	pgtest.DSN(t) // skips loudly when no PostgreSQL is configured
	storetest.Run(t, func(t *testing.T, clock rapport.Clock) *store.DB {
		db, err := store.Open(context.Background(), pgtest.NewDatabase(t), clock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
