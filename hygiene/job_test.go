package hygiene_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/jobs/jobstest"
	"github.com/rapporthq/rapport/store"
)

// TestRunJob: the queued job does a run and stores its report; while one
// run waits, a second insert is skipped as a duplicate; once it completed,
// the next run may be queued.
func TestRunJob(t *testing.T) {
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		workers := river.NewWorkers()
		river.AddWorker(workers, hygiene.NewRunWorker(hygiene.Deps{DB: db}, db.Clock()))
		q, err := jobs.New(db, jobs.Config{Workers: workers, TestOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		insert := func() bool {
			t.Helper()
			res, err := q.Insert(ctx, river.InsertManyParams{Args: hygiene.RunArgs{}})
			if err != nil {
				t.Fatal(err)
			}
			return !res[0].UniqueSkippedAsDuplicate
		}
		if !insert() || insert() {
			t.Fatal("want the first insert queued and the second skipped while it waits")
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		jobstest.WaitIdle(t, ctx, q, 60*time.Second)
		first, err := db.LatestHygieneRun(ctx)
		if err != nil {
			t.Fatalf("no run stored: %v", err)
		}
		db.Clock().(*rapport.ManualClock).Advance(time.Hour)
		if !insert() {
			t.Fatal("the next run was skipped after the first completed")
		}
		jobstest.WaitIdle(t, ctx, q, 60*time.Second)
		if second, err := db.LatestHygieneRun(ctx); err != nil || second.ID == first.ID {
			t.Errorf("second run: %v, %v", second, err)
		}
	})
}
