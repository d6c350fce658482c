package store

import (
	"context"
	"testing"
)

// On SQLite an all-or-nothing transaction runs its writes as OR ROLLBACK,
// so that SQLite keeps no statement journal: a failed write ends the whole
// transaction at once, and nothing before it can be committed after all.
func TestAllOrNothingRollsBackAtTheFailure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testSQLite(t, false)
	if _, err := db.q.exec(ctx, "CREATE TABLE t (id TEXT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for _, allOrNothing := range []bool{false, true} {
		tx, err := db.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if allOrNothing {
			tx.AllOrNothing()
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM t"); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.q.exec(ctx, "INSERT INTO t (id) VALUES (?)", "a"); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.q.exec(ctx, "INSERT INTO t (id) VALUES (?)", "a"); err == nil {
			t.Fatal("duplicate key inserted")
		}
		err = tx.Commit(ctx)
		if allOrNothing && err == nil {
			t.Error("all-or-nothing: the transaction committed after a failed write")
		}
		if !allOrNothing && err != nil {
			t.Errorf("ordinary transaction: commit after a failed statement: %v", err)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Errorf("rollback: %v", err)
		}
	}
}
