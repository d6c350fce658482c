package rules

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

func TestParseWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Window
		wantErr bool
	}{
		{"08:00-21:00", Window{480, 1260}, false},
		{" 8:30 - 20:15 ", Window{510, 1215}, false},
		{"00:00-24:00", Window{0, 1440}, false},
		{"22:00-06:00", Window{1320, 360}, false},
		{"22:00-24:00", Window{1320, 1440}, false},
		{"00:00-00:01", Window{0, 1}, false},
		{"08:00-08:00", Window{}, true},
		{"24:00-08:00", Window{}, true},
		{"08:00", Window{}, true},
		{"8-21", Window{}, true},
		{"08:60-21:00", Window{}, true},
		{"25:00-26:00", Window{}, true},
		{"-1:00-08:00", Window{}, true},
		{"+8:00-21:00", Window{}, true},
		{"08:00-21:00-22:00", Window{}, true},
		{"", Window{}, true},
	}
	for _, tt := range tests {
		got, err := ParseWindow(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseWindow(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			if back, err := ParseWindow(got.String()); err != nil || back != got {
				t.Errorf("ParseWindow(%q.String()) = %v, %v", tt.in, back, err)
			}
		}
	}
}

func TestWindowNextAllowed(t *testing.T) {
	t.Parallel()
	day := DefaultWindow
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name   string
		zone   string
		window string
		t      string // RFC 3339, any offset
		want   string // RFC 3339 in UTC
	}{
		{"allowed stays", "America/New_York", "", "2026-06-15T12:00:00-04:00", "2026-06-15T16:00:00Z"},
		{"last allowed minute", "America/Chicago", "", "2026-06-15T20:59:59-05:00", "2026-06-16T01:59:59Z"},
		{"end is exclusive", "America/Chicago", "", "2026-06-15T21:00:00-05:00", "2026-06-16T13:00:00Z"},
		{"seconds before start", "America/New_York", "", "2026-01-10T07:59:30-05:00", "2026-01-10T13:00:00Z"},
		{"NY early morning, spring-forward day", "America/New_York", "", "2026-03-08T05:00:00-04:00", "2026-03-08T12:00:00Z"},
		{"NY evening before spring forward", "America/New_York", "", "2026-03-07T22:00:00-05:00", "2026-03-08T12:00:00Z"},
		{"NY window starts inside the gap", "America/New_York", "02:30-04:00", "2026-03-08T01:00:00-05:00", "2026-03-08T07:00:00Z"},
		{"NY window only inside the gap", "America/New_York", "02:00-02:30", "2026-03-08T01:00:00-05:00", "2026-03-09T06:00:00Z"},
		{"NY fall back into window", "America/New_York", "22:00-01:30", "2026-11-01T01:45:00-04:00", "2026-11-01T06:00:00Z"},
		{"NY fall back, first 01:30", "America/New_York", "01:30-02:00", "2026-11-01T00:30:00-04:00", "2026-11-01T05:30:00Z"},
		{"NY morning after fall back", "America/New_York", "", "2026-11-01T00:30:00-04:00", "2026-11-01T13:00:00Z"},
		{"Chicago spring forward", "America/Chicago", "", "2026-03-08T01:30:00-06:00", "2026-03-08T13:00:00Z"},
		{"Chicago fall back", "America/Chicago", "", "2026-10-31T23:00:00-05:00", "2026-11-01T14:00:00Z"},
		{"Denver spring forward", "America/Denver", "", "2026-03-08T07:00:00-06:00", "2026-03-08T14:00:00Z"},
		{"Denver fall back", "America/Denver", "", "2026-11-01T22:00:00-07:00", "2026-11-02T15:00:00Z"},
		{"Phoenix keeps MST", "America/Phoenix", "", "2026-03-08T07:00:00-07:00", "2026-03-08T15:00:00Z"},
		{"Phoenix in summer", "America/Phoenix", "", "2026-07-01T21:30:00-07:00", "2026-07-02T15:00:00Z"},
		{"LA fall back night", "America/Los_Angeles", "", "2026-10-31T23:00:00-07:00", "2026-11-01T16:00:00Z"},
		{"LA spring forward", "America/Los_Angeles", "", "2026-03-08T03:30:00-07:00", "2026-03-08T15:00:00Z"},
		{"Honolulu", "Pacific/Honolulu", "", "2026-03-08T06:00:00-10:00", "2026-03-08T18:00:00Z"},
		{"Madrid spring forward", "Europe/Madrid", "", "2026-03-29T00:30:00+01:00", "2026-03-29T06:00:00Z"},
		{"Madrid window in the gap", "Europe/Madrid", "02:15-03:30", "2026-03-29T01:00:00+01:00", "2026-03-29T01:00:00Z"},
		{"Madrid fall back", "Europe/Madrid", "", "2026-10-24T21:30:00+02:00", "2026-10-25T07:00:00Z"},
		{"Mexico City has no DST", "America/Mexico_City", "", "2026-04-05T06:00:00-06:00", "2026-04-05T14:00:00Z"},
		{"night window, daytime", "America/New_York", "22:00-06:00", "2026-07-01T12:00:00-04:00", "2026-07-02T02:00:00Z"},
		{"night window, late", "America/New_York", "22:00-06:00", "2026-07-01T23:00:00-04:00", "2026-07-02T03:00:00Z"},
		{"night window, early", "America/New_York", "22:00-06:00", "2026-07-02T05:59:00-04:00", "2026-07-02T09:59:00Z"},
		{"night window, closes", "America/New_York", "22:00-06:00", "2026-07-02T06:00:00-04:00", "2026-07-03T02:00:00Z"},
		{"always", "America/New_York", "00:00-24:00", "2026-07-02T03:00:00-04:00", "2026-07-02T07:00:00Z"},
	}
	for _, tt := range tests {
		w := day
		if tt.window != "" {
			var err error
			if w, err = ParseWindow(tt.window); err != nil {
				t.Fatal(err)
			}
		}
		got := w.NextAllowed(utc(tt.t), mustZone(t, tt.zone))
		if !got.Equal(utc(tt.want)) {
			t.Errorf("%s: NextAllowed(%s) = %s, want %s", tt.name, tt.t, got.UTC().Format(time.RFC3339), tt.want)
		}
	}
}

var propertyZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"Pacific/Honolulu", "Europe/Madrid", "America/Mexico_City", "America/Santiago", "Australia/Lord_Howe",
	"Asia/Kathmandu", "America/St_Johns", "Europe/London", "UTC",
}

func TestWindowNextAllowedProperty(t *testing.T) {
	t.Parallel()
	locs := make([]*time.Location, len(propertyZones))
	for i, z := range propertyZones {
		locs[i] = mustZone(t, z)
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	rapid.Check(t, func(rt *rapid.T) {
		loc := rapid.SampledFrom(locs).Draw(rt, "zone")
		at := time.Unix(base+rapid.Int64Range(0, 3*365*86400).Draw(rt, "seconds"), 0).UTC()
		start := rapid.IntRange(0, minutesPerDay-1).Draw(rt, "start")
		end := rapid.IntRange(0, minutesPerDay).Draw(rt, "end")
		if end == start {
			end = (start + 1) % minutesPerDay
		}
		w := Window{Start: start, End: end}
		got := w.NextAllowed(at, loc)
		if got.Before(at) {
			rt.Fatalf("%v: NextAllowed(%s) = %s is before", w, at, got)
		}
		if !w.Allowed(got, loc) {
			rt.Fatalf("%v: NextAllowed(%s) = %s (%s) is not allowed", w, at, got, got.In(loc))
		}
		if got.After(at.Add(49 * time.Hour)) {
			rt.Fatalf("%v: NextAllowed(%s) = %s is more than two days on", w, at, got)
		}
		if !got.Equal(at) && w.Allowed(at, loc) {
			rt.Fatalf("%v: %s is allowed but NextAllowed moved it to %s", w, at, got)
		}
		for u := at.Truncate(time.Minute).Add(time.Minute); u.Before(got); u = u.Add(time.Minute) {
			if w.Allowed(u, loc) {
				rt.Fatalf("%v: %s (%s) is allowed, before NextAllowed(%s) = %s", w, u, u.In(loc), at, got)
			}
		}
	})
}

func BenchmarkWindowNextAllowed(b *testing.B) {
	loc := mustZone(b, "America/New_York")
	t0 := time.Date(2026, 3, 8, 3, 0, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		DefaultWindow.NextAllowed(t0.Add(time.Duration(i%1440)*time.Minute), loc)
	}
}
