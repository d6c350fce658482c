package jobs

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// TestFinishedJobsKeptUnderSimulatedClock: River's cleaner and rescuer
// measure a job's age by the wall clock, so under a simulated clock they
// are turned off; on the real clock River's defaults (0 here) stand. With
// the cleaner on, a test whose clock was set months back lost its finished
// jobs at each of the cleaner's passes, every 30 s of wall time, and
// counted one launch job of four (TestLaunchPages, in a slow run).
func TestFinishedJobsKeptUnderSimulatedClock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		clock  rapport.Clock
		keep   time.Duration
		rescue bool
	}{
		{"simulated", rapport.NewManualClock(time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)), keepJobs, false},
		{"real", rapport.SystemClock{}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "q.db"), tc.clock)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			rc := riverConfig(db, Config{})
			if rc.CompletedJobRetentionPeriod != tc.keep || rc.CancelledJobRetentionPeriod != tc.keep || rc.DiscardedJobRetentionPeriod != tc.keep {
				t.Errorf("retention of completed, cancelled, discarded jobs = %v, %v, %v; want %v each",
					rc.CompletedJobRetentionPeriod, rc.CancelledJobRetentionPeriod, rc.DiscardedJobRetentionPeriod, tc.keep)
			}
			if rescues := rc.RescueStuckJobsAfter < 24*time.Hour; rescues != tc.rescue {
				t.Errorf("rescue after %v: rescues within a day = %v, want %v", rc.RescueStuckJobsAfter, rescues, tc.rescue)
			}
		})
	}
}
