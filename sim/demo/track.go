package demo

import (
	"context"
	"sync"

	"github.com/riverqueue/river"
)

// tracker knows which job attempts have returned from their work, so the
// simulation moves the clock as soon as the work is done rather than when
// River's batched bookkeeping marks the jobs completed. It also counts the
// attempts at work now, so that waiting for a busy queue needs no query.
type tracker struct {
	mu      sync.Mutex
	done    map[attempt]bool
	working int
	// changed is closed and replaced whenever an attempt returns.
	changed chan struct{}
	// gate holds work back while the simulation feeds a step's answers and
	// events and makes its jobs due: a job River fetched meanwhile would
	// otherwise see some of them and not others, depending on timing.
	gate   sync.RWMutex
	closed bool // whether the simulation holds gate; its goroutine's alone
}

// hold stops jobs from starting work until let.
func (t *tracker) hold() {
	if !t.closed {
		t.gate.Lock()
		t.closed = true
	}
}

// let lets jobs work.
func (t *tracker) let() {
	if t.closed {
		t.closed = false
		t.gate.Unlock()
	}
}

type attempt struct {
	id int64
	n  int
}

func newTracker() *tracker {
	return &tracker{done: map[attempt]bool{}, changed: make(chan struct{})}
}

func (t *tracker) start() {
	t.mu.Lock()
	t.working++
	t.mu.Unlock()
}

func (t *tracker) finish(id int64, n int) {
	t.mu.Lock()
	t.done[attempt{id, n}] = true
	t.working--
	close(t.changed)
	t.changed = make(chan struct{})
	t.mu.Unlock()
}

// busy says how many attempts are at work, and gives a channel closed when
// one of them returns.
func (t *tracker) busy() (int, <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.working, t.changed
}

// unfinished counts the jobs the simulation still waits for with count
// (jobs.Queue.AnyUnfinished), and forgets the returned attempts the queue
// no longer shows running: the simulation asks only about those, and a
// record of every attempt of a run grew with the population. Only a count
// of 0 has asked about every running job: a count may stop at the first
// job it finds unfinished, so after any other outcome nothing is forgotten.
func (t *tracker) unfinished(ctx context.Context, count func(context.Context, func(jobID int64, attempt int) bool) (int, error)) (int, error) {
	t.mu.Lock()
	prev := t.done
	t.done = map[attempt]bool{} // returns from now on, and prev's still running
	t.mu.Unlock()
	n, err := count(ctx, func(id int64, n int) bool {
		a := attempt{id, n}
		t.mu.Lock()
		defer t.mu.Unlock()
		if prev[a] {
			t.done[a] = true
		}
		return t.done[a]
	})
	if err != nil || n > 0 {
		t.mu.Lock()
		for a := range prev {
			t.done[a] = true
		}
		t.mu.Unlock()
	}
	return n, err
}

// trackedWorker reports to its tracker when a job's work starts and returns.
type trackedWorker[T river.JobArgs] struct {
	river.Worker[T]
	t *tracker
}

func (w trackedWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	w.t.gate.RLock()
	defer w.t.gate.RUnlock()
	w.t.start()
	defer w.t.finish(job.ID, job.Attempt)
	return w.Worker.Work(ctx, job)
}

// addTracked registers w with its returns reported to t.
func addTracked[T river.JobArgs](ws *river.Workers, t *tracker, w river.Worker[T]) {
	river.AddWorker[T](ws, trackedWorker[T]{Worker: w, t: t})
}
