package linelookup

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/jobs"
)

// Every is how often the periodic run comes: a run asks only about the
// numbers due, so most runs ask nothing.
const Every = time.Hour

// RunArgs is the job of one look-up run.
type RunArgs struct{}

// Kind is the job kind River stores.
func (RunArgs) Kind() string { return "line_lookup_run" }

// InsertOpts keeps one run at a time (see [jobs.OneAtATime]).
func (RunArgs) InsertOpts() river.InsertOpts {
	return jobs.OneAtATime(3)
}

// RunWorker works [RunArgs] with its runner.
type RunWorker struct {
	river.WorkerDefaults[RunArgs]
	runner *Runner
	clock  rapport.Clock
	logger *slog.Logger
}

// NewRunWorker returns the worker of look-up runs.
func NewRunWorker(r *Runner, clock rapport.Clock, logger *slog.Logger) *RunWorker {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &RunWorker{runner: r, clock: clock, logger: logger}
}

// Work does one run and logs its counts (never the numbers). A worker
// built without a runner (look-ups off in this process) does nothing: the
// next run comes at the next interval.
func (w *RunWorker) Work(ctx context.Context, _ *river.Job[RunArgs]) error {
	if w.runner == nil {
		return nil
	}
	rep, err := w.runner.Run(ctx, w.clock.Now())
	w.logger.Info("line lookups", "provider", w.runner.Name, "asked", rep.Asked, "answered", rep.Answered,
		"failed", rep.Failed, "changed", rep.Changed, "throttled", rep.Throttled)
	return err
}

// Timeout stops a long run before the default rescue delay of an hour;
// what it did not reach is still due at the next.
func (w *RunWorker) Timeout(*river.Job[RunArgs]) time.Duration { return 45 * time.Minute }

// PeriodicJob queues a run every interval and once when the leader starts.
// River's elected leader alone inserts periodic jobs, and the unique
// options keep a second run from being queued while one waits or runs.
func PeriodicJob(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return RunArgs{}, nil
	}, &river.PeriodicJobOpts{ID: "line_lookup_run", RunOnStart: true})
}
