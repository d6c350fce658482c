package hygiene

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/jobs"
)

// RunArgs is the job of one hygiene run.
type RunArgs struct{}

// Kind is the job kind River stores.
func (RunArgs) Kind() string { return "hygiene_run" }

// InsertOpts keeps one run at a time (see [jobs.OneAtATime]).
func (RunArgs) InsertOpts() river.InsertOpts {
	return jobs.OneAtATime(3)
}

// RunWorker works [RunArgs] with the deps and clock it was built with.
type RunWorker struct {
	river.WorkerDefaults[RunArgs]
	deps  Deps
	clock rapport.Clock
}

// NewRunWorker returns the worker of hygiene runs.
func NewRunWorker(deps Deps, clock rapport.Clock) *RunWorker {
	return &RunWorker{deps: deps, clock: clock}
}

// Work does one run.
func (w *RunWorker) Work(ctx context.Context, _ *river.Job[RunArgs]) error {
	_, err := Run(ctx, w.deps, w.clock.Now())
	return err
}

// Timeout lets a run over a large list take its time (River's default is
// one minute), staying under the default rescue delay of an hour so the
// run is not taken for lost while it works.
func (w *RunWorker) Timeout(*river.Job[RunArgs]) time.Duration { return 45 * time.Minute }

// PeriodicJob is the River periodic job of the schedule, or nil when it is
// off. River's elected leader alone inserts periodic jobs, so one run is
// queued per due time across every serve and worker process; the job's
// unique options keep a second from being queued while one waits or runs
// (after a leader change, say), and any one worker takes it.
func PeriodicJob(s Schedule) *river.PeriodicJob {
	if s.Off() {
		return nil
	}
	return river.NewPeriodicJob(s, func() (river.JobArgs, *river.InsertOpts) {
		return RunArgs{}, nil
	}, &river.PeriodicJobOpts{ID: "hygiene_run"})
}
