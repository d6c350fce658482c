package jobs_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/store"
)

type noteArgs struct {
	Note string `json:"note"`
}

func (noteArgs) Kind() string { return "test_note" }

// noteWorker reports each note it works, with the clock's time then.
type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	clock rapport.Clock
	done  chan string
}

func (w *noteWorker) Work(ctx context.Context, j *river.Job[noteArgs]) error {
	w.done <- j.Args.Note + "@" + w.clock.Now().Format(time.RFC3339)
	return nil
}

var openers = map[string]func(t *testing.T, clock rapport.Clock) *store.DB{
	"sqlite": func(t *testing.T, clock rapport.Clock) *store.DB {
		return open(t, "sqlite:"+filepath.Join(t.TempDir(), "q.db"), clock)
	},
	"postgres": func(t *testing.T, clock rapport.Clock) *store.DB {
		return open(t, pgtest.NewDatabase(t), clock)
	},
}

func open(t *testing.T, dsn string, clock rapport.Clock) *store.DB {
	db, err := store.Open(context.Background(), dsn, clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestQueue(t *testing.T) {
	t.Parallel()
	for name, openDB := range openers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, start, clock, db, q, w := noteQueue(t, openDB)

			// A rolled-back transaction leaves neither the domain row nor the job.
			errAbort := errors.New("abort")
			err := db.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.CreatePatients(ctx, []*rapport.Patient{{Given: "Rolled", Family: "Back"}}); err != nil {
					return err
				}
				if _, err := q.InsertTx(ctx, tx, river.InsertManyParams{Args: noteArgs{Note: "rolled-back"}}); err != nil {
					return err
				}
				return errAbort
			})
			if !errors.Is(err, errAbort) {
				t.Fatal(err)
			}
			// A committed one has both; the second job is due in an hour of clock time.
			err = db.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.CreatePatients(ctx, []*rapport.Patient{{Given: "Kept", Family: "Patient"}}); err != nil {
					return err
				}
				_, err := q.InsertTx(ctx, tx,
					river.InsertManyParams{Args: noteArgs{Note: "now"}},
					river.InsertManyParams{Args: noteArgs{Note: "later"}, InsertOpts: &river.InsertOpts{ScheduledAt: start.Add(time.Hour)}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			depth, err := q.Depth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if depth["available"] != 1 || depth["scheduled"] != 1 {
				t.Errorf("depth before start = %v, want 1 available and 1 scheduled", depth)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Stop(context.Background()) })

			if got := wait(t, w.done); got != "now@2026-05-01T09:00:00Z" {
				t.Errorf("first job = %q", got)
			}
			// Move the clock only once the queue is idle, as the demo does: a
			// job still running when simulated hours pass would look stuck.
			// (Not "one completed": River's cleaner, on the wall clock, may
			// already have deleted a job finished at simulated May 1.)
			var d map[string]int
			waitFor(t, func() bool {
				d, err = q.Depth(ctx)
				return err == nil && d["available"] == 0 && d["running"] == 0
			}, func() { t.Logf("depth %v err %v", d, err) })
			clock.Advance(time.Hour)
			if got := wait(t, w.done); got != "later@2026-05-01T10:00:00Z" {
				t.Errorf("scheduled job = %q, want it worked once the clock reached its time", got)
			}
			select {
			case extra := <-w.done:
				t.Errorf("unexpected job %q (the rolled-back job must not exist)", extra)
			default:
			}

			reg := prometheus.NewRegistry()
			if err := q.Register(reg); err != nil {
				t.Fatal(err)
			}
			want := "# HELP rapport_jobs_total Jobs worked by this process, by kind and outcome.\n# TYPE rapport_jobs_total counter\n" +
				"rapport_jobs_total{kind=\"test_note\",outcome=\"completed\"} 2\n"
			// Completion events reach the metrics a moment after the work.
			var last error
			waitFor(t, func() bool {
				last = testutil.GatherAndCompare(reg, strings.NewReader(want), "rapport_jobs_total")
				return last == nil
			}, func() { t.Log(last) })
		})
	}
}

// noteQueue opens a database on a manual clock at 2026-05-01 09:00 UTC and
// a queue (not started) whose noteWorker reports each note it works.
func noteQueue(t *testing.T, openDB func(*testing.T, rapport.Clock) *store.DB) (context.Context, time.Time, *rapport.ManualClock, *store.DB, *jobs.Queue, *noteWorker) {
	t.Helper()
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	clock := rapport.NewManualClock(start)
	db := openDB(t, clock)
	w := &noteWorker{clock: clock, done: make(chan string, 10)}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	q, err := jobs.New(db, jobs.Config{Workers: workers, PollInterval: 20 * time.Millisecond, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return context.Background(), start, clock, db, q, w
}

func wait(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(30 * time.Second):
		t.Fatal("timed out waiting for a job")
		return ""
	}
}

// waitFor polls cond until it holds, failing after a generous bound.
func waitFor(t *testing.T, cond func() bool, onFail ...func()) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			for _, f := range onFail {
				f()
			}
			t.Fatal("condition not met in time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSoonJobWorkedAtItsTime: a job due in two seconds is not left to
// River's scheduler pass (every 5 s of wall time), yet is not worked early.
func TestSoonJobWorkedAtItsTime(t *testing.T) {
	t.Parallel()
	for name, openDB := range openers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, start, clock, _, q, w := noteQueue(t, openDB)
			if _, err := q.Insert(ctx,
				river.InsertManyParams{Args: noteArgs{Note: "soon"}, InsertOpts: &river.InsertOpts{ScheduledAt: start.Add(2 * time.Second)}},
				river.InsertManyParams{Args: noteArgs{Note: "later"}, InsertOpts: &river.InsertOpts{ScheduledAt: start.Add(time.Minute)}}); err != nil {
				t.Fatal(err)
			}
			depth, err := q.Depth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if depth["available"] != 1 || depth["scheduled"] != 1 {
				t.Errorf("depth = %v, want the job due in 2 s available and the one due in a minute scheduled", depth)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Stop(context.Background()) })
			// A job due now is fetched by the same query as the soon one:
			// once it is worked, the soon one was passed over, not missed.
			if _, err := q.Insert(ctx, river.InsertManyParams{Args: noteArgs{Note: "now"}}); err != nil {
				t.Fatal(err)
			}
			if got := wait(t, w.done); got != "now@2026-05-01T09:00:00Z" {
				t.Fatalf("first job = %q, want the one due now (the soon one must wait for its time)", got)
			}
			clock.Advance(2 * time.Second)
			if got := wait(t, w.done); got != "soon@2026-05-01T09:00:02Z" {
				t.Errorf("second job = %q, want the soon one at its time", got)
			}
		})
	}
}
