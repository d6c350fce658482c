package importer

import "testing"

func TestStatsDue(t *testing.T) {
	for _, tc := range []struct {
		name             string
		flushes, flushed int
		before           int64
		want             bool
	}{
		{"first batch of a cold import: nothing written yet", 1, 0, 0, false},
		{"second batch of a cold import", 2, 512, 0, true},
		{"third batch: not a doubling", 3, 1024, 0, false},
		{"fourth batch", 4, 1536, 0, true},
		{"a Bundle of one into a large database", 1, 0, 1_000_000, false},
		{"a nightly delta's 64th batch, still a sliver of the tables", 64, 32_256, 1_000_000, false},
		{"a file that outgrew the database it met", 4096, 2_096_640, 1_000_000, true},
		{"outgrown, but not at a doubling of batches", 4097, 2_097_152, 1_000_000, false},
	} {
		if got := statsDue(tc.flushes, tc.flushed, tc.before); got != tc.want {
			t.Errorf("%s: statsDue(%d, %d, %d) = %v, want %v", tc.name, tc.flushes, tc.flushed, tc.before, got, tc.want)
		}
	}
}
