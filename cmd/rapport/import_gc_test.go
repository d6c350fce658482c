package main

import (
	"runtime/debug"
	"testing"
)

// TestBatchGC: an import collects less often under a memory limit, gives
// the settings back after, and leaves them alone when GOGC or GOMEMLIMIT
// is set. Not parallel: the settings are the process's.
func TestBatchGC(t *testing.T) {
	current := func() (int, int64) {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p, debug.SetMemoryLimit(-1) // a negative limit only reads it
	}
	p0, l0 := current()
	for _, tc := range []struct {
		name      string
		env       map[string]string
		wantTuned bool
	}{
		{"defaults", nil, true},
		{"GOGC set", map[string]string{"GOGC": "50"}, false},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, false},
	} {
		restore := batchGC(func(k string) string { return tc.env[k] })
		p, l := current()
		tuned := p == 400 && l == 160<<20
		if tuned != tc.wantTuned || (!tc.wantTuned && (p != p0 || l != l0)) {
			t.Errorf("%s: GC percent %d, memory limit %d during the import; tuned = %v, want %v", tc.name, p, l, tuned, tc.wantTuned)
		}
		restore()
		if p, l := current(); p != p0 || l != l0 {
			t.Errorf("%s: after the import GC percent %d, limit %d; want %d, %d back", tc.name, p, l, p0, l0)
		}
	}
}
