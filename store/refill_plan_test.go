package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// TestRefillPlan: the refill planner's hourly read on SQLite walks the
// due part of regimens_refill_check, not every regimen: paging by id made
// it read all 17,001 regimens of the demo's database when none was due.
func TestRefillPlan(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "rapport.db"), rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Refills(ctx, time.Now(), store.RefillCheck{}, 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var read string
	for _, q := range cachedQueries(t, db) {
		if strings.Contains(q, "r.refill_check_at <=") {
			read = q
		}
	}
	if read == "" {
		t.Fatal("the refill read is not in the statement cache")
	}
	plan, err := store.QueryPlan(ctx, db, read)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "SEARCH r USING INDEX regimens_refill_check (") {
		t.Errorf("the refill read does not search regimens_refill_check by due time:\n%s", plan)
	}
}
