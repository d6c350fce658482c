// Package jobstest drives a job queue from tests on a manual clock: wait
// until the queue has done all it can, then move the clock.
package jobstest

import (
	"context"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/jobs"
)

// poll is how often WaitIdle asks the queue: a condition polled, not a
// sleep the test depends on.
const poll = 5 * time.Millisecond

// WaitIdle waits until no job of q is due or running, and fails tb after
// timeout (wall time). Jobs whose time has come are made available at
// once, as River's scheduler would a few seconds later.
func WaitIdle(tb testing.TB, ctx context.Context, q *jobs.Queue, timeout time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if _, err := q.PromoteDue(ctx); err != nil {
			tb.Fatal(err)
		}
		n, err := q.Busy(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			d, _ := q.Depth(ctx)
			tb.Fatalf("queue not idle after %s: %d busy, depth %v", timeout, n, d)
		}
		select {
		case <-ctx.Done():
			tb.Fatal(ctx.Err())
		case <-time.After(poll):
		}
	}
}

// Advance moves clock forward by d in steps of at most step (0: one step),
// letting the queue finish what is due before and after each, as time
// passes for real.
func Advance(tb testing.TB, ctx context.Context, q *jobs.Queue, clock *rapport.ManualClock, d, step, timeout time.Duration) {
	tb.Helper()
	if step <= 0 {
		step = d
	}
	WaitIdle(tb, ctx, q, timeout)
	for d > 0 {
		s := min(d, step)
		clock.Advance(s)
		WaitIdle(tb, ctx, q, timeout)
		d -= s
	}
}
