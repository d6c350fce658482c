package dosing

import (
	"testing"
	"time"
)

func TestDateArithmetic(t *testing.T) {
	t.Parallel()
	cases := []struct {
		d       string
		n       int
		want    string
		weekday time.Weekday // of want
	}{
		{"2026-03-07", 1, "2026-03-08", time.Sunday},
		{"2026-12-31", 1, "2027-01-01", time.Friday},
		{"2028-02-28", 1, "2028-02-29", time.Tuesday},
		{"2026-03-01", -1, "2026-02-28", time.Saturday},
		{"2026-01-01", 365, "2027-01-01", time.Friday},
	}
	for _, c := range cases {
		got := date(c.d).AddDays(c.n)
		if got.String() != c.want || got.Weekday() != c.weekday {
			t.Errorf("%s + %d = %s (%s), want %s (%s)", c.d, c.n, got, got.Weekday(), c.want, c.weekday)
		}
		if back := got.DaysSince(date(c.d)); back != c.n {
			t.Errorf("%s since %s = %d, want %d", got, c.d, back, c.n)
		}
		if (c.n > 0) != got.After(date(c.d)) || (c.n > 0) == got.Before(date(c.d)) {
			t.Errorf("%s vs %s: order wrong", got, c.d)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "2026-13-01", "2026-02-30", "26-01-01", "2026/01/01"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	var d Date
	if err := d.UnmarshalText([]byte("2026-11-01")); err != nil || d != (Date{2026, time.November, 1}) {
		t.Errorf("unmarshal: %v %v", d, err)
	}
	if err := d.UnmarshalText(nil); err != nil || !d.IsZero() {
		t.Errorf("empty text: %v %v", d, err)
	}
}
