package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport"
)

// testSQLite opens a fresh SQLite database in a temporary folder, migrated
// when migrate is set, and closes it when the test ends.
func testSQLite(t *testing.T, migrate bool) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "rapport.db"), rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if migrate {
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return db
}
