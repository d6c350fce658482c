package rules

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestCapsNextAllowed(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	list := func(ss ...string) []time.Time {
		var out []time.Time
		for _, s := range ss {
			out = append(out, at(s))
		}
		return out
	}
	tests := []struct {
		name string
		caps Caps
		t    string
		prev []time.Time
		want string
	}{
		{"no caps", Caps{}, "2026-06-01T10:00:00-04:00", list("2026-06-01T09:00:00-04:00"), "2026-06-01T10:00:00-04:00"},
		{"nothing sent", Caps{PerDay: 1, PerWeek: 1}, "2026-06-01T10:00:00-04:00", nil, "2026-06-01T10:00:00-04:00"},
		{"day cap moves to local midnight", Caps{PerDay: 1}, "2026-06-01T10:00:00-04:00",
			list("2026-06-01T09:00:00-04:00"), "2026-06-02T00:00:00-04:00"},
		{"day is local, not UTC", Caps{PerDay: 1}, "2026-06-01T22:00:00-04:00", // 02:00Z next UTC day
			list("2026-06-01T09:00:00-04:00"), "2026-06-02T00:00:00-04:00"},
		{"two a day", Caps{PerDay: 2}, "2026-06-01T10:00:00-04:00",
			list("2026-06-01T09:00:00-04:00"), "2026-06-01T10:00:00-04:00"},
		{"yesterday does not count", Caps{PerDay: 1}, "2026-06-02T08:00:00-04:00",
			list("2026-06-01T23:59:00-04:00"), "2026-06-02T08:00:00-04:00"},
		{"week cap waits for the oldest to leave", Caps{PerWeek: 2}, "2026-06-05T10:00:00-04:00",
			list("2026-06-01T09:00:00-04:00", "2026-06-03T15:00:00-04:00"), "2026-06-08T09:00:00-04:00"},
		{"week is 7x24h across DST", Caps{PerWeek: 1}, "2026-03-09T10:00:00-04:00",
			list("2026-03-05T09:00:00-05:00"), "2026-03-12T14:00:00Z"},
		{"both caps: week binds", Caps{PerDay: 1, PerWeek: 3}, "2026-06-04T10:00:00-04:00",
			list("2026-06-01T09:00:00-04:00", "2026-06-02T09:00:00-04:00", "2026-06-03T09:00:00-04:00"), "2026-06-08T09:00:00-04:00"},
		{"both caps: day binds", Caps{PerDay: 1, PerWeek: 3}, "2026-06-03T10:00:00-04:00",
			list("2026-06-01T09:00:00-04:00", "2026-06-03T09:00:00-04:00"), "2026-06-04T00:00:00-04:00"},
		{"a scheduled later send counts", Caps{PerWeek: 1}, "2026-06-01T10:00:00-04:00",
			list("2026-06-03T10:00:00-04:00"), "2026-06-10T10:00:00-04:00"},
		{"a scheduled send the same day counts", Caps{PerDay: 1}, "2026-06-01T10:00:00-04:00",
			list("2026-06-01T18:00:00-04:00"), "2026-06-02T00:00:00-04:00"},
		{"order of previous does not matter", Caps{PerWeek: 2}, "2026-06-05T10:00:00-04:00",
			list("2026-06-03T15:00:00-04:00", "2026-06-01T09:00:00-04:00"), "2026-06-08T09:00:00-04:00"},
	}
	for _, tt := range tests {
		got := tt.caps.NextAllowed(at(tt.t), ny, tt.prev)
		if !got.Equal(at(tt.want)) {
			t.Errorf("%s: NextAllowed = %s, want %s", tt.name, got.In(ny).Format(time.RFC3339), tt.want)
		}
	}
}

func TestNextDayStartSkippedMidnight(t *testing.T) {
	t.Parallel()
	// Santiago springs forward at local midnight (00:00 → 01:00) on
	// 2026-09-06; the day starts at 01:00 -03.
	loc := mustZone(t, "America/Santiago")
	got := nextDayStart(time.Date(2026, 9, 5, 15, 0, 0, 0, loc), loc)
	want := time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC)
	if !got.Equal(want) {
		t.Errorf("nextDayStart = %s (%s), want %s", got.UTC(), got, want)
	}
}

// A schedule that places each send at NextAllowed never breaks the caps.
func TestCapsProperty(t *testing.T) {
	t.Parallel()
	locs := make([]*time.Location, len(propertyZones))
	for i, z := range propertyZones {
		locs[i] = mustZone(t, z)
	}
	rapid.Check(t, func(rt *rapid.T) {
		loc := rapid.SampledFrom(locs).Draw(rt, "zone")
		c := Caps{PerDay: rapid.IntRange(0, 3).Draw(rt, "per_day"), PerWeek: rapid.IntRange(0, 8).Draw(rt, "per_week")}
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.IntRange(0, 365*24).Draw(rt, "start_hour")) * time.Hour)
		var sent []time.Time
		n := rapid.IntRange(1, 25).Draw(rt, "sends")
		for i := range n {
			at = at.Add(time.Duration(rapid.IntRange(0, 36*60).Draw(rt, "gap_minutes")) * time.Minute)
			x := c.NextAllowed(at, loc, sent)
			if x.Before(at) {
				rt.Fatalf("send %d: NextAllowed(%s) = %s is before", i, at, x)
			}
			sent = append(sent, x)
			at = x
		}
		if c.PerDay > 0 {
			perDay := map[[3]int]int{}
			for _, s := range sent {
				perDay[dayKey(s, loc)]++
				if perDay[dayKey(s, loc)] > c.PerDay {
					rt.Fatalf("%d sends on %v, cap %d: %v", perDay[dayKey(s, loc)], dayKey(s, loc), c.PerDay, sent)
				}
			}
		}
		if c.PerWeek > 0 {
			sorted := slices.Clone(sent)
			slices.SortFunc(sorted, func(a, b time.Time) int { return a.Compare(b) })
			for i, s := range sorted {
				n := 0
				for _, u := range sorted[i:] {
					if u.Before(s.Add(Week)) {
						n++
					}
				}
				if n > c.PerWeek {
					rt.Fatalf("%d sends in the week from %s, cap %d", n, s, c.PerWeek)
				}
			}
		}
	})
}

// An earlier answer would have broken a cap: NextAllowed is the first.
func TestCapsNextAllowedIsFirst(t *testing.T) {
	t.Parallel()
	loc := mustZone(t, "Europe/Madrid")
	rapid.Check(t, func(rt *rapid.T) {
		c := Caps{PerDay: rapid.IntRange(1, 2).Draw(rt, "per_day"), PerWeek: rapid.IntRange(1, 4).Draw(rt, "per_week")}
		base := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
		var prev []time.Time
		for range rapid.IntRange(0, 6).Draw(rt, "n") {
			prev = append(prev, base.Add(time.Duration(rapid.IntRange(0, 14*24*4).Draw(rt, "quarter_hours"))*15*time.Minute))
		}
		at := base.Add(time.Duration(rapid.IntRange(0, 14*24).Draw(rt, "hour")) * time.Hour)
		got := c.NextAllowed(at, loc, prev)
		if !c.fits(got, loc, sortedTimes(prev)) {
			rt.Fatalf("NextAllowed(%s) = %s does not fit %v", at, got, prev)
		}
		for u := at; u.Before(got); u = u.Add(15 * time.Minute) {
			if c.fits(u, loc, sortedTimes(prev)) {
				rt.Fatalf("%s fits but NextAllowed(%s) = %s", u, at, got)
			}
		}
	})
}

func sortedTimes(ts []time.Time) []time.Time {
	s := slices.Clone(ts)
	slices.SortFunc(s, func(a, b time.Time) int { return a.Compare(b) })
	return s
}
