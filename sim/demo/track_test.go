package demo

import (
	"context"
	"errors"
	"testing"
)

// TestTrackerForgetsFinishedAttempts checks that the tracker keeps a
// returned attempt while the queue still shows it running, forgets it once
// the queue no longer asks, and loses nothing when the count fails or
// stops early.
func TestTrackerForgetsFinishedAttempts(t *testing.T) {
	ctx := context.Background()
	tr := newTracker()
	for _, id := range []int64{1, 2, 3} {
		tr.start()
		tr.finish(id, 1)
	}
	// count asks about the running attempts of ids, and counts those not done.
	count := func(ids ...int64) func(context.Context, func(int64, int) bool) (int, error) {
		return func(_ context.Context, done func(int64, int) bool) (int, error) {
			n := 0
			for _, id := range ids {
				if !done(id, 1) {
					n++
				}
			}
			return n, nil
		}
	}
	failing := func(context.Context, func(int64, int) bool) (int, error) { return 0, errors.New("database gone") }
	steps := []struct {
		name  string
		count func(context.Context, func(int64, int) bool) (int, error)
		want  int
		kept  int
	}{
		{"all three returned, two still shown running", count(1, 2), 0, 2},
		{"a failed count forgets nothing", failing, 0, 2},
		{"one still shown running", count(2), 0, 1},
		{"an attempt never returned is unfinished", count(2, 4), 1, 1},
		{"a count that stops at the first unfinished job forgets nothing", count(4), 1, 1},
		{"none shown running", count(), 0, 0},
		{"a forgotten attempt shown running again counts", count(1), 1, 0},
	}
	for _, s := range steps {
		n, err := tr.unfinished(ctx, s.count)
		if err == nil && n != s.want {
			t.Errorf("%s: unfinished = %d, want %d", s.name, n, s.want)
		}
		if len(tr.done) != s.kept {
			t.Errorf("%s: tracker keeps %d attempts, want %d", s.name, len(tr.done), s.kept)
		}
	}
}
