package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestLiveProcesses: a beating process is live, one silent past the
// window is not, and one that ended is gone.
func TestLiveProcesses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := db.Clock().(*rapport.ManualClock)
		serve := rapport.Process{ID: "a", Kind: "serve", Host: "h", PID: 10, Channels: "sms, email", StartedAt: start}
		worker := rapport.Process{ID: "b", Kind: "worker", Host: "h", PID: 11, Channels: "none", StartedAt: start.Add(time.Second)}
		for _, p := range []rapport.Process{serve, worker} {
			if err := db.BeatProcess(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		live, err := db.LiveProcesses(ctx, clock.Now().Add(-time.Minute))
		if err != nil || len(live) != 2 || live[0].ID != "a" || live[0].Channels != "sms, email" || live[1].PID != 11 {
			t.Fatalf("live = %+v, %v; want serve then worker", live, err)
		}
		clock.Advance(2 * time.Minute)
		if err := db.BeatProcess(ctx, worker); err != nil {
			t.Fatal(err)
		}
		live, err = db.LiveProcesses(ctx, clock.Now().Add(-time.Minute))
		if err != nil || len(live) != 1 || live[0].ID != "b" || !live[0].SeenAt.Equal(clock.Now()) {
			t.Fatalf("after two silent minutes: %+v, %v; want the worker alone, seen now", live, err)
		}
		if err := db.EndProcess(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		if live, err = db.LiveProcesses(ctx, start.Add(-time.Hour)); err != nil || len(live) != 1 || live[0].ID != "a" {
			t.Fatalf("after the worker ended: %+v, %v; want the old serve alone", live, err)
		}
	})
}
