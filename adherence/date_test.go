package adherence

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	t.Parallel()
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"epoch", Date(0), "1970-01-01"},
		{"before the epoch", NewDate(1969, 12, 31), "1969-12-31"},
		{"leap day", NewDate(2024, 2, 29), "2024-02-29"},
		{"day after leap day", NewDate(2024, 2, 29).AddDays(1), "2024-03-01"},
		{"no leap day in 2100", NewDate(2100, 2, 28).AddDays(1), "2100-03-01"},
		{"leap day in 2000", NewDate(2000, 2, 28).AddDays(1), "2000-02-29"},
		// 23:30 in Chicago is already the next day in UTC: the local date counts.
		{"local date of a late dispense", DateOf(time.Date(2024, 3, 9, 23, 30, 0, 0, chicago)), "2024-03-09"},
	}
	for _, tt := range tests {
		if s := tt.got.String(); s != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, s, tt.want)
		}
	}
	for y, days := range map[int]int{2023: 365, 2024: 366, 1900: 365, 2000: 366} {
		if n := Year(y).Days(); n != days {
			t.Errorf("Year(%d).Days() = %d, want %d", y, n, days)
		}
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct{ D Date }{NewDate(2024, 2, 29)})
	if err != nil || string(b) != `{"D":"2024-02-29"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var v struct{ D Date }
	if err := json.Unmarshal(b, &v); err != nil || v.D != NewDate(2024, 2, 29) {
		t.Fatalf("unmarshal: %v %v", v.D, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"2024-02-30"}`), &v); err == nil {
		t.Fatal("accepted February 30")
	}
}

// FuzzParseDate checks that any date ParseDate accepts prints back to the
// same text and is the day time.Parse reads.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-02-29", "1970-01-01", "0000-01-01", "9999-12-31", "2023-02-29", "24-1-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) prints %q", s, d.String())
		}
		want, _ := time.Parse(time.DateOnly, s)
		if !d.Time().Equal(want) {
			t.Fatalf("ParseDate(%q) = %v, time.Parse %v", s, d.Time(), want)
		}
	})
}
