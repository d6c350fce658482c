package adherence

import (
	"testing"

	"pgregory.net/rapid"
)

// TestBitsetSetRange checks the word-at-a-time range against setting each bit.
func TestBitsetSetRange(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 400).Draw(t, "n")
		var fast, slow bitset
		fast, slow = fast.reset(n), slow.reset(n)
		for range rapid.IntRange(0, 5).Draw(t, "ranges") {
			lo := rapid.IntRange(0, n-1).Draw(t, "lo")
			hi := rapid.IntRange(lo-1, n-1).Draw(t, "hi")
			fast.setRange(lo, hi)
			for i := lo; i <= hi; i++ {
				slow.set(i)
			}
		}
		for i := range n {
			if fast.has(i) != slow.has(i) {
				t.Fatalf("bit %d: range %v, one by one %v", i, fast.has(i), slow.has(i))
			}
		}
		if fast.count() != slow.count() {
			t.Fatalf("count %d, want %d", fast.count(), slow.count())
		}
	})
}
