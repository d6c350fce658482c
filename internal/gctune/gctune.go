// Package gctune keeps Go's garbage collector from running many times a
// second while a server's live heap is small.
//
// A campaign allocates fast and keeps little: at the default GOGC=100 and a
// live heap of some 20 MB, rapport serve collected about ten times a second
// and spent a sixth of its CPU on it. A fixed GOGC=400 helps but grows
// with the heap (a deduplication run keeps a gigabyte live), and a fixed
// GOMEMLIMIT under a large live heap makes the collector run back to back.
// So after every collection the percentage is set for the next heap goal to
// be the larger of the floor and twice the live heap: a small heap is
// collected as if it were the floor's size, a large one as by default.
package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Percent is the GOGC percentage that puts the next heap goal at floor for
// a live heap of live bytes and roots (stacks and globals) of roots bytes,
// and never below above, the percentage of a heap past the floor. Since Go
// 1.18 the goal is live + (live+roots)×GOGC/100, but at least
// 4 MiB×GOGC/100.
func Percent(live, roots, floor uint64, above int) int {
	base := live + roots
	if live == 0 || live+base*uint64(above)/100 >= floor {
		return above
	}
	p := (floor - live) * 100 / base
	return int(min(p, floor*100/minHeap))
}

// minHeap is the runtime's smallest heap goal at GOGC=100, which it scales
// with GOGC.
const minHeap = 4 << 20

// Floor tunes the collector after each collection so that the heap goal is
// at least floor bytes, and above the floor GOGC=above (100 is Go's
// default; a smaller one trades collector CPU for memory); it returns what
// stops it and gives GOGC back.
// It does nothing, and says so, when GOGC or GOMEMLIMIT is set (the
// operator's choice wins) or when a tuner already runs in the process.
func Floor(floor uint64, above int, getenv func(string) string) (stop func(), tuned bool) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" || !running.CompareAndSwap(false, true) {
		return func() {}, false
	}
	t := &tuner{floor: floor, above: above, sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/globals:bytes"}, {Name: "/gc/scan/stack:bytes"},
	}}
	t.before = debug.SetGCPercent(above)
	t.arm()
	return t.stop, true
}

// running is whether a tuner runs: the setting is the process's.
var running atomic.Bool

type tuner struct {
	floor   uint64
	above   int
	before  int
	stopped atomic.Bool
	sample  []metrics.Sample
}

// arm asks to hear of the next collection: a cleanup runs once the
// collector has found its object unreachable.
func (t *tuner) arm() {
	// A pointer-holding object is never batched by the tiny allocator,
	// which would tie its cleanup to its neighbours'.
	type sentinel struct{ _ *int }
	runtime.AddCleanup(&sentinel{}, func(t *tuner) { t.collected() }, t)
}

// collected runs on the cleanup goroutine after a collection.
func (t *tuner) collected() {
	if t.stopped.Load() {
		return
	}
	metrics.Read(t.sample)
	var v [3]uint64
	for i, s := range t.sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return // not this Go: leave the default
		}
		v[i] = s.Value.Uint64()
	}
	debug.SetGCPercent(Percent(v[0], v[1]+v[2], t.floor, t.above))
	t.arm()
}

func (t *tuner) stop() {
	if t.stopped.CompareAndSwap(false, true) {
		debug.SetGCPercent(t.before)
		running.Store(false)
	}
}
