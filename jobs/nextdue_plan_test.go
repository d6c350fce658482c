package jobs

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/store"
)

// TestNextDueReadsWaitingJobsOnly: on SQLite, NextDue's question seeks the
// waiting states in River's fetching index, with or without kinds. Through
// the index on the kind it would read every job of those kinds ever run,
// and a simulation asks it at every step.
func TestNextDueReadsWaitingJobsOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "q.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, kinds := range [][]string{nil, {"send_messages"}, {"send_messages", "journey_wake"}} {
		q, args := nextDueQuery(store.SQLite, kinds)
		rs, err := db.SQLDB().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan strings.Builder
		for rs.Next() {
			var id, parent, notused int
			var detail string
			if err := rs.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(detail + "\n")
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
		rs.Close()
		if p := plan.String(); !strings.Contains(p, "river_job_prioritized_fetching_index (state=?)") {
			t.Errorf("kinds %v: the plan does not seek the waiting states in the fetching index:\n%s", kinds, p)
		}
	}
}
