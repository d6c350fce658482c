package dosing

import "testing"

func TestParseTimeOfDay(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want TimeOfDay
		ok   bool
	}{
		{"08:00", Clock(8, 0), true},
		{"8:00", Clock(8, 0), true},
		{"00:00", Clock(0, 0), true},
		{"23:59", Clock(23, 59), true},
		{"21:30", Clock(21, 30), true},
		{"24:00", 0, false},
		{"12:60", 0, false},
		{"8", 0, false},
		{"8:0", 0, false},
		{"08:00:00", 0, false},
		{"+8:00", 0, false},
		{"-1:00", 0, false},
		{"", 0, false},
		{"ab:cd", 0, false},
	}
	for _, c := range cases {
		got, err := ParseTimeOfDay(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v ok=%v", c.in, got, err, c.want, c.ok)
		}
		if c.ok && got.String() != c.want.String() {
			t.Errorf("%q: String %s", c.in, got)
		}
	}
}

func TestTimeOfDayText(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"00:00", "09:05", "23:59"} {
		var v TimeOfDay
		if err := v.UnmarshalText([]byte(s)); err != nil {
			t.Fatal(err)
		}
		b, err := v.MarshalText()
		if err != nil || string(b) != s {
			t.Errorf("round trip %s: %s, %v", s, b, err)
		}
	}
	if _, err := TimeOfDay(24 * 60).MarshalText(); err == nil {
		t.Error("24:00 marshalled")
	}
}
