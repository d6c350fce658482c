package jobs

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	t.Parallel()
	cases := []struct {
		errors   int
		u        float64
		min, max time.Duration
	}{
		{0, 0, 2500 * time.Millisecond, 2500 * time.Millisecond},
		{0, 0.999, 2500 * time.Millisecond, 5 * time.Second},
		{3, 0.5, 20 * time.Second, 40 * time.Second},
		{10, 0, 30 * time.Minute, 30 * time.Minute}, // capped at an hour, jittered down to half
		{100, 0.999, 30 * time.Minute, time.Hour},
	}
	for _, c := range cases {
		if got := backoff(c.errors, c.u); got < c.min || got > c.max {
			t.Errorf("backoff(%d, %v) = %v, want within [%v, %v]", c.errors, c.u, got, c.min, c.max)
		}
	}
	// Grows with the errors, for the same draw.
	for n := range 12 {
		if backoff(n+1, 0.3) < backoff(n, 0.3) {
			t.Errorf("backoff shrinks after %d errors", n)
		}
	}
}
