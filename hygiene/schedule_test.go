package hygiene

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestScheduleNext(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		every, now, want string
	}{
		{"monthly", "2026-12-05T06:00:00Z", "2027-01-01T03:00:00Z"},
		{"monthly", "2026-12-01T02:59:59Z", "2026-12-01T03:00:00Z"},
		{"monthly", "2026-12-01T03:00:00Z", "2027-01-01T03:00:00Z"},
		{"", "2026-02-28T23:00:00-05:00", "2026-04-01T03:00:00Z"}, // 04:00 UTC on 1 March: already past
		{"24h", "2026-12-05T06:00:00Z", "2026-12-06T00:00:00Z"},
		{"168h", "2026-12-05T06:00:00Z", "2026-12-07T00:00:00Z"}, // weeks fall on Mondays
		{"off", "2026-12-05T06:00:00Z", "9999-01-01T00:00:00Z"},
	} {
		s, err := ParseSchedule(c.every)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Next(at(c.now)); !got.Equal(at(c.want)) {
			t.Errorf("%q after %s: %s, want %s", c.every, c.now, got.Format(time.RFC3339), c.want)
		}
	}
	if PeriodicJob(Schedule{}) != nil {
		t.Error("off makes a periodic job")
	}
	for _, bad := range []string{"fortnightly", "30s", "-1h"} {
		if _, err := ParseSchedule(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestScheduleFixedPoints: whenever it is asked, the next run is after
// now and no further than one period away, and asking again just before
// that time gives the same time — so a leader restarted at any moment
// keeps the dates.
func TestScheduleFixedPoints(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.SampledFrom([]Schedule{{Monthly: true}, {Every: time.Hour}, {Every: 24 * time.Hour}, {Every: 168 * time.Hour}}).Draw(t, "schedule")
		now := time.Unix(rapid.Int64Range(0, 4e9).Draw(t, "unix"), 0).UTC()
		next := s.Next(now)
		limit := s.Every
		if s.Monthly {
			limit = 31 * 24 * time.Hour
		}
		if !next.After(now) || next.Sub(now) > limit {
			t.Fatalf("next after %s: %s", now, next)
		}
		if again := s.Next(next.Add(-time.Nanosecond)); !again.Equal(next) {
			t.Fatalf("asked just before %s: %s", next, again)
		}
	})
}
