package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		live, roots, floor uint64
		above, want        int
	}{
		{20 * mb, 0, 96 * mb, 100, 380}, // goal 20 + 20 × 3.8 = 96 MB
		{20 * mb, 4 * mb, 96 * mb, 100, 316},
		{8 * mb, 0, 96 * mb, 100, 1100},
		{mb / 2, mb / 2, 96 * mb, 100, 2400}, // the runtime's 4 MB minimum, scaled, reaches 96 MB
		{48 * mb, 0, 96 * mb, 100, 100},      // twice the live heap reaches the floor
		{40 * mb, 8 * mb, 96 * mb, 100, 116},
		{44 * mb, 8 * mb, 96 * mb, 100, 100},
		{500 * mb, 2 * mb, 96 * mb, 100, 100},
		{0, 2 * mb, 96 * mb, 100, 100}, // nothing measured yet
		{40 * mb, 0, 64 * mb, 50, 60},  // goal 40 + 40 × 0.6 = 64 MB: GOGC=50 would give 60 MB
		{48 * mb, 0, 64 * mb, 50, 50},  // 48 + 24 reaches the floor
		{200 * mb, 4 * mb, 64 * mb, 50, 50},
		{0, 2 * mb, 64 * mb, 50, 50},
	} {
		if got := Percent(tc.live, tc.roots, tc.floor, tc.above); got != tc.want {
			t.Errorf("Percent(%d MB, %d MB, %d) = %d, want %d", tc.live/mb, tc.floor/mb, tc.above, got, tc.want)
		}
	}
}

// TestFloorCollectsLessOften: churning through garbage with a small live
// heap, the floor makes far fewer collections than the default, and stop
// gives GOGC back. Not parallel: the settings are the process's.
func TestFloorCollectsLessOften(t *testing.T) {
	none := func(string) string { return "" }
	churn := func() uint64 {
		runtime.GC()
		s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
		metrics.Read(s)
		before := s[0].Value.Uint64()
		var keep [][]byte
		for i := range 20000 { // 640 MB of garbage, 64 KB live at a time
			b := make([]byte, 32<<10)
			b[0] = byte(i)
			keep = append(keep, b)
			if len(keep) == 2 {
				keep = keep[:0]
			}
		}
		metrics.Read(s)
		return s[0].Value.Uint64() - before
	}
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	plain := churn()
	stop, tuned := Floor(128<<20, 100, none)
	if !tuned {
		t.Fatal("Floor did not tune with neither GOGC nor GOMEMLIMIT set")
	}
	floored := churn()
	stop()
	t.Logf("collections: %d with the floor, %d without", floored, plain)
	if floored*4 > plain {
		t.Errorf("collections over 640 MB of garbage: %d with a 128 MB floor, %d without; want under a quarter", floored, plain)
	}
	if floored < 3 { // 640 / 128 = 5 if the goal stays at the floor
		t.Errorf("collections over 640 MB of garbage with a 128 MB floor: %d; the heap outgrew the floor", floored)
	}
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("after stop GOGC is %d, want 100 back", p)
	}
	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, tuned := Floor(128<<20, 100, func(s string) string {
			if s == k {
				return "200"
			}
			return ""
		}); tuned {
			t.Errorf("Floor tuned although %s was set", k)
		}
	}
}
