package metrics_test

import (
	"testing"

	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/metrics"
)

func TestAdherencePeriod(t *testing.T) {
	t.Parallel()
	today := adherence.NewDate(2026, 12, 5)
	cases := []struct {
		from, to   string
		start, end string // "" when an error is wanted
	}{
		{"", "", "2025-12-06", "2026-12-05"}, // the last 365 days, today included
		{"2026-01-01", "2026-12-31", "2026-01-01", "2026-12-31"},
		{"", "2024-12-31", "2024-01-02", "2024-12-31"}, // 2024 is a leap year
		{"2026-06-01", "", "2026-06-01", "2026-12-05"},
		{"2026-12-05", "2026-12-05", "2026-12-05", "2026-12-05"},
		{"2026-12-06", "2026-12-05", "", ""},
		{"2026-13-01", "", "", ""},
		{"", "yesterday", "", ""},
		{"2026-01-01T00:00:00Z", "", "", ""},
	}
	for _, c := range cases {
		p, err := metrics.AdherencePeriod(c.from, c.to, today)
		switch {
		case c.start == "" && err == nil:
			t.Errorf("AdherencePeriod(%q, %q) = %v to %v, want an error", c.from, c.to, p.Start, p.End)
		case c.start != "" && err != nil:
			t.Errorf("AdherencePeriod(%q, %q): %v", c.from, c.to, err)
		case c.start != "" && (p.Start.String() != c.start || p.End.String() != c.end):
			t.Errorf("AdherencePeriod(%q, %q) = %v to %v, want %s to %s", c.from, c.to, p.Start, p.End, c.start, c.end)
		}
	}
}

// FuzzAdherencePeriod: any query bounds give a valid period or an error.
func FuzzAdherencePeriod(f *testing.F) {
	f.Add("2026-01-01", "2026-12-31")
	f.Add("", "0000-01-01")
	f.Fuzz(func(t *testing.T, from, to string) {
		p, err := metrics.AdherencePeriod(from, to, adherence.NewDate(2026, 12, 5))
		if err == nil && p.Validate() != nil {
			t.Fatalf("AdherencePeriod(%q, %q) = %v to %v, not a period", from, to, p.Start, p.End)
		}
	})
}
