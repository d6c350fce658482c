package rapport

import (
	"sync"
	"time"
)

// Clock is the one source of time for every component: the store, the job
// queue, the messaging pipeline and the journeys. Tests and the demo drive
// simulated weeks through a [*ManualClock]; production uses [SystemClock].
//
// Its method set matches River's rivertype.TimeGenerator, so the same clock
// is handed to the job queue.
type Clock interface {
	Now() time.Time
	// NowOrNil returns the stubbed time, or nil when time is real.
	NowOrNil() *time.Time
}

// SystemClock reads the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time       { return time.Now() }
func (SystemClock) NowOrNil() *time.Time { return nil }

// ManualClock is a clock that only moves when told to. It is safe for
// concurrent use.
type ManualClock struct {
	mu  sync.RWMutex
	now time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t.UTC()} }

func (c *ManualClock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.now
}

func (c *ManualClock) NowOrNil() *time.Time {
	t := c.Now()
	return &t
}

// Set moves the clock to t. Moving backwards is allowed but rarely meaningful.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.UTC()
	c.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new time.
func (c *ManualClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}
