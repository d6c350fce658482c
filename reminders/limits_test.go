package reminders

import "testing"

func TestParseLimits(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Limits
		wantErr bool
	}{
		{"1/day,3/week", Limits{1, 3}, false},
		{" 2/day ", Limits{PerDay: 2}, false},
		{"5/week", Limits{PerWeek: 5}, false},
		{"off", Limits{}, false},
		{"OFF", Limits{}, false},
		{"0/day", Limits{}, true},
		{"1/month", Limits{}, true},
		{"three/week", Limits{}, true},
		{"", Limits{}, true},
	} {
		got, err := ParseLimits(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseLimits(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err == nil {
			if again, _ := ParseLimits(got.String()); again != got {
				t.Errorf("ParseLimits(%q).String() = %q reads back as %+v", tc.in, got.String(), again)
			}
		}
	}
}
