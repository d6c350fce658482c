package demo

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/store"
)

type orderArgs struct {
	Name string `json:"name"`
}

func (orderArgs) Kind() string { return "test_order" }

// orderWorker notes the order in which jobs run.
type orderWorker struct {
	river.WorkerDefaults[orderArgs]
	mu  sync.Mutex
	ran []string
}

func (w *orderWorker) Work(_ context.Context, j *river.Job[orderArgs]) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ran = append(w.ran, j.Args.Name)
	return nil
}

// TestStepRunsDueJobsBeforeFedOnes checks that a job due at a step's time
// runs before a job the step's feed queues (an answer's, say, at the very
// second a wait for it ends), even when River fetches the fed job while
// the simulation holds the queue: the order must not depend on when
// River's producer polled, or two runs of one seed give two reports.
func TestStepRunsDueJobsBeforeFedOnes(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	clock := rapport.NewManualClock(t0)
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "step.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	// Another process leads the queue, so that River's scheduler, which
	// runs on the leader every 5 s of wall time, cannot make the due job
	// available at a moment of its own: here only the step does.
	if _, err := db.SQLDB().ExecContext(ctx, "INSERT INTO river_leader (elected_at, expires_at, leader_id) VALUES ('2026-01-01 00:00:00', '2100-01-01 00:00:00', 'another-process')"); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	tr := newTracker()
	ow := &orderWorker{}
	addTracked(workers, tr, river.Worker[orderArgs](ow))
	q, err := jobs.New(db, jobs.Config{Workers: workers, MaxWorkers: 1, PollInterval: time.Millisecond, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{q: q, track: tr, clock: clock}
	tr.hold()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.WithoutCancel(ctx))
	defer tr.let()

	at := t0.Add(time.Hour)
	if _, err := q.Insert(ctx, river.InsertManyParams{Args: orderArgs{Name: "due"}, InsertOpts: &river.InsertOpts{ScheduledAt: at}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(at)
	err = w.step(ctx, func(ctx context.Context) error {
		if _, err := q.Insert(ctx, river.InsertManyParams{Args: orderArgs{Name: "fed"}}); err != nil {
			return err
		}
		// Wait until River has fetched a job and holds it at the gate:
		// the case where the fetched job runs first.
		deadline := time.Now().Add(30 * time.Second)
		for {
			var running int
			if err := db.SQLDB().QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state = 'running'").Scan(&running); err != nil {
				return err
			}
			if running > 0 {
				return nil
			}
			if time.Now().After(deadline) {
				t.Fatal("River fetched no job in 30 s")
			}
			time.Sleep(time.Millisecond)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	ow.mu.Lock()
	defer ow.mu.Unlock()
	if want := []string{"due", "fed"}; !slices.Equal(ow.ran, want) {
		t.Errorf("jobs ran in the order %v, want %v", ow.ran, want)
	}
}
