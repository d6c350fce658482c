package demo

import (
	"context"
	"sync"

	"github.com/riverqueue/river"
)

// tracker knows which job attempts have returned from their work, so the
// simulation moves the clock as soon as the work is done rather than when
// River's batched bookkeeping marks the jobs completed.
type tracker struct {
	mu   sync.Mutex
	done map[attempt]bool
}

type attempt struct {
	id int64
	n  int
}

func newTracker() *tracker { return &tracker{done: map[attempt]bool{}} }

func (t *tracker) finish(id int64, n int) {
	t.mu.Lock()
	t.done[attempt{id, n}] = true
	t.mu.Unlock()
}

// isDone is the done func of jobs.Queue.Unfinished.
func (t *tracker) isDone(id int64, n int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.done[attempt{id, n}]
}

// trackedWorker reports to its tracker when a job's work returns.
type trackedWorker[T river.JobArgs] struct {
	river.Worker[T]
	t *tracker
}

func (w trackedWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	defer w.t.finish(job.ID, job.Attempt)
	return w.Worker.Work(ctx, job)
}

// addTracked registers w with its returns reported to t.
func addTracked[T river.JobArgs](ws *river.Workers, t *tracker, w river.Worker[T]) {
	river.AddWorker[T](ws, trackedWorker[T]{Worker: w, t: t})
}
