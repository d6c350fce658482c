package journey

import "testing"

func TestGrewPast(t *testing.T) {
	for _, tc := range []struct {
		before, after int
		want          bool
	}{
		{0, 1000, false},
		{0, 2048, true},
		{1000, 2047, false},
		{2047, 2048, true},
		{2048, 3000, false},
		{3000, 4096, true},
		{4096, 8191, false},
		{5000, 20000, true},
	} {
		if got := grewPast(tc.before, tc.after); got != tc.want {
			t.Errorf("grewPast(%d, %d) = %v, want %v", tc.before, tc.after, got, tc.want)
		}
	}
}
