package fhir

import (
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"2024-02", time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), true},
		{"2024-02-29", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{"1989-10-04T02:25:16-04:00", time.Date(1989, 10, 4, 6, 25, 16, 0, time.UTC), true},
		{"1991-06-07T23:37:54+00:00", time.Date(1991, 6, 7, 23, 37, 54, 0, time.UTC), true},
		{"2015-02-07T13:28:17.239+02:00", time.Date(2015, 2, 7, 11, 28, 17, 239_000_000, time.UTC), true},
		{"2017-01-01T00:00:00Z", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"2017-01-01T00:00:00.123456789123Z", time.Date(2017, 1, 1, 0, 0, 0, 123456789, time.UTC), true},
		{"", time.Time{}, false},
		{"19x0", time.Time{}, false},
		{"2023-02-29", time.Time{}, false},
		{"2024-13", time.Time{}, false},
		{"2024-1", time.Time{}, false},
		{"0000", time.Time{}, false},
		{"2024-01-01T10:00:00", time.Time{}, false}, // a time needs a zone
		{"2024-01-01T10:00Z", time.Time{}, false},
		{"2024-01-01T24:00:00Z", time.Time{}, false},
		{"2024-01-01T10:00:00.Z", time.Time{}, false},
		{"2024-01-01T10:00:00+15:00", time.Time{}, false},
		{"2024-01-01 10:00:00Z", time.Time{}, false},
		{"2024-01-01T10:00:00+0100", time.Time{}, false},
	} {
		got, err := ParseDateTime(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDateTime(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err == nil && got.Location() != time.UTC {
			t.Errorf("ParseDateTime(%q) is in %v, want UTC", tt.in, got.Location())
		}
	}
}

func TestValidDate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{
		"1943-03-17": true, "1943-03": true, "1943": true,
		"19x0": false, "1943-02-30": false, "1943-03-17T00:00:00Z": false, "": false, "43-03-17": false,
	} {
		if got := ValidDate(in); got != want {
			t.Errorf("ValidDate(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2024", "2024-02-29", "1989-10-04T02:25:16-04:00", "2015-02-07T13:28:17.239+02:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDateTime(s)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("%q parsed to a non-UTC time", s)
		}
		// A full date-time must agree with the standard library.
		if len(s) > 10 {
			std, err := time.Parse(time.RFC3339Nano, s)
			if err == nil && !std.Equal(got) {
				t.Fatalf("%q: got %v, time.Parse says %v", s, got, std)
			}
		}
	})
}
