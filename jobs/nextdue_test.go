package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/jobs"
)

func TestNextDue(t *testing.T) {
	t.Parallel()
	for name, openDB := range openers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			clock := rapport.NewManualClock(start)
			db := openDB(t, clock)
			// Insert-only: nothing works the jobs, so they stay where they are put.
			q, err := jobs.New(db, jobs.Config{TestOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok, err := q.NextDue(ctx); err != nil || ok {
				t.Fatalf("empty queue: ok %v err %v, want no job", ok, err)
			}
			in := func(d time.Duration) river.InsertManyParams {
				return river.InsertManyParams{Args: noteArgs{Note: d.String()}, InsertOpts: &river.InsertOpts{ScheduledAt: start.Add(d)}}
			}
			if _, err := q.Insert(ctx, in(3*time.Hour), in(90*time.Minute), in(5*time.Hour)); err != nil {
				t.Fatal(err)
			}
			at, ok, err := q.NextDue(ctx)
			if err != nil || !ok || !at.Equal(start.Add(90*time.Minute)) {
				t.Fatalf("NextDue = %v, %v, %v; want %v", at, ok, err, start.Add(90*time.Minute))
			}
			// Skipped kinds do not count.
			if _, ok, err := q.NextDue(ctx, noteArgs{}.Kind()); err != nil || ok {
				t.Fatalf("NextDue skipping every job: ok %v err %v, want none", ok, err)
			}
			// A job due now is the next one.
			if _, err := q.Insert(ctx, river.InsertManyParams{Args: noteArgs{Note: "now"}}); err != nil {
				t.Fatal(err)
			}
			at, ok, err = q.NextDue(ctx)
			if err != nil || !ok || at.After(start) {
				t.Fatalf("NextDue = %v, %v, %v; want at most %v", at, ok, err, start)
			}
		})
	}
}
