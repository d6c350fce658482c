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
			// ScheduleDue makes the jobs due by the clock available, and only those.
			clock.Set(start.Add(3 * time.Hour))
			if n, err := q.ScheduleDue(ctx); err != nil || n != 2 {
				t.Fatalf("ScheduleDue at +3h = %d, %v; want 2", n, err)
			}
			at, ok, err = q.NextDue(ctx)
			if err != nil || !ok || !at.Equal(start.Add(90*time.Minute)) {
				t.Fatalf("NextDue after scheduling = %v, %v, %v; want the available job of %v", at, ok, err, start.Add(90*time.Minute))
			}
			d, err := q.Depth(ctx)
			if err != nil || d["available"] != 2 || d["scheduled"] != 1 {
				t.Fatalf("depth %v, %v; want 2 available, 1 scheduled", d, err)
			}
			clock.Set(start)
			// Only the kinds named count.
			if _, ok, err := q.NextDue(ctx, "other_kind"); err != nil || ok {
				t.Fatalf("NextDue of another kind: ok %v err %v, want none", ok, err)
			}
			if at, ok, err := q.NextDue(ctx, "other_kind", noteArgs{}.Kind()); err != nil || !ok || !at.Equal(start.Add(90*time.Minute)) {
				t.Fatalf("NextDue of the notes = %v, %v, %v", at, ok, err)
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

// TestUnfinished: a running job counts until its work is reported done,
// whether or not River has marked it completed yet.
func TestUnfinished(t *testing.T) {
	t.Parallel()
	for name, openDB := range openers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			clock := rapport.NewManualClock(start)
			db := openDB(t, clock)
			release := make(chan struct{})
			started := make(chan int64, 1)
			workers := river.NewWorkers()
			river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[noteArgs]) error {
				started <- j.ID
				<-release
				return nil
			}))
			q, err := jobs.New(db, jobs.Config{Workers: workers, PollInterval: 5 * time.Millisecond, TestOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := q.Insert(ctx, river.InsertManyParams{Args: noteArgs{Note: "x"}},
				river.InsertManyParams{Args: noteArgs{Note: "later"}, InsertOpts: &river.InsertOpts{ScheduledAt: start.Add(time.Hour)}},
				river.InsertManyParams{Args: noteArgs{Note: "soon"}, InsertOpts: &river.InsertOpts{ScheduledAt: start.Add(2 * time.Second)}}); err != nil {
				t.Fatal(err)
			}
			none := func(int64, int) bool { return false }
			if n, err := q.Unfinished(ctx, none); err != nil || n != 1 {
				t.Fatalf("before start: %d, %v; want 1 (the due job, not the later ones)", n, err)
			}
			if n, err := q.AnyUnfinished(ctx, none); err != nil || n != 1 {
				t.Fatalf("any, before start: %d, %v; want 1", n, err)
			}
			if js, err := q.UnfinishedJobs(ctx, none, 5); err != nil || len(js) != 1 || js[0].Kind != (noteArgs{}).Kind() || js[0].State != "available" {
				t.Fatalf("unfinished jobs, before start: %v, %v; want the one due note job, available", js, err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Stop(context.Background()) })
			id := <-started
			if n, err := q.Unfinished(ctx, none); err != nil || n != 1 {
				t.Fatalf("running: %d, %v; want 1", n, err)
			}
			if js, err := q.UnfinishedJobs(ctx, none, 5); err != nil || len(js) != 1 || js[0].ID != id || js[0].State != "running" {
				t.Fatalf("unfinished jobs, running: %v, %v; want job %d, running", js, err, id)
			}
			done := func(j int64, attempt int) bool { return j == id && attempt == 1 }
			if n, err := q.Unfinished(ctx, done); err != nil || n != 0 {
				t.Fatalf("running but done: %d, %v; want 0", n, err)
			}
			if n, err := q.AnyUnfinished(ctx, done); err != nil || n != 0 {
				t.Fatalf("any, running but done: %d, %v; want 0 (a job available but not due is not unfinished)", n, err)
			}
			close(release)
		})
	}
}
