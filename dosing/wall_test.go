package dosing

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones resolve on hosts without a zone database
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func date(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// dstDays are the spring-forward and fall-back days of 2026 and 2027, and
// the wall time that is in the gap or the overlap on them.
var dstDays = []struct {
	zone           string
	spring, fall   []string // 2026, 2027
	gap, overlap   TimeOfDay
	winter, summer int // UTC offsets in hours
}{
	{"America/New_York", []string{"2026-03-08", "2027-03-14"}, []string{"2026-11-01", "2027-11-07"}, Clock(2, 30), Clock(1, 30), -5, -4},
	{"America/Chicago", []string{"2026-03-08", "2027-03-14"}, []string{"2026-11-01", "2027-11-07"}, Clock(2, 30), Clock(1, 30), -6, -5},
	{"America/Denver", []string{"2026-03-08", "2027-03-14"}, []string{"2026-11-01", "2027-11-07"}, Clock(2, 30), Clock(1, 30), -7, -6},
	{"America/Phoenix", []string{"2026-03-08", "2027-03-14"}, []string{"2026-11-01", "2027-11-07"}, Clock(2, 30), Clock(1, 30), -7, -7},
	{"America/Los_Angeles", []string{"2026-03-08", "2027-03-14"}, []string{"2026-11-01", "2027-11-07"}, Clock(2, 30), Clock(1, 30), -8, -7},
	{"Europe/Madrid", []string{"2026-03-29", "2027-03-28"}, []string{"2026-10-25", "2027-10-31"}, Clock(2, 30), Clock(2, 30), 1, 2},
}

// utc is the instant of wall time t on d at a fixed offset of off hours.
func utc(d Date, t TimeOfDay, off int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), 0, 0, time.UTC).Add(-time.Duration(off) * time.Hour)
}

func TestInstantDST(t *testing.T) {
	t.Parallel()
	for _, z := range dstDays {
		loc := mustZone(t, z.zone)
		noDST := z.winter == z.summer
		for i := range 2 {
			spring, fall := date(z.spring[i]), date(z.fall[i])
			cases := []struct {
				name        string
				d           Date
				t           TimeOfDay
				want        time.Time
				wantShifted bool
			}{
				// The gap time is read with the winter offset: 02:30 is due at 03:30 summer time.
				{"spring gap", spring, z.gap, utc(spring, z.gap, z.winter), !noDST},
				{"spring 09:00", spring, Clock(9, 0), utc(spring, Clock(9, 0), z.summer), false},
				{"day before spring 09:00", spring.AddDays(-1), Clock(9, 0), utc(spring.AddDays(-1), Clock(9, 0), z.winter), false},
				{"spring 00:30", spring, Clock(0, 30), utc(spring, Clock(0, 30), z.winter), false},
				// The overlap time is its first occurrence, still on summer time.
				{"fall overlap", fall, z.overlap, utc(fall, z.overlap, z.summer), false},
				{"fall 09:00", fall, Clock(9, 0), utc(fall, Clock(9, 0), z.winter), false},
				{"day before fall 09:00", fall.AddDays(-1), Clock(9, 0), utc(fall.AddDays(-1), Clock(9, 0), z.summer), false},
				{"fall 23:59", fall, Clock(23, 59), utc(fall, Clock(23, 59), z.winter), false},
			}
			for _, c := range cases {
				got, shifted := Instant(c.d, c.t, loc)
				if !got.Equal(c.want) || shifted != c.wantShifted {
					t.Errorf("%s %s %s %s: got %s shifted %v, want %s shifted %v", z.zone, c.name, c.d, c.t,
						got.UTC().Format(time.RFC3339), shifted, c.want.UTC().Format(time.RFC3339), c.wantShifted)
				}
				if got.Location() != loc {
					t.Errorf("%s %s: answer not in the zone", z.zone, c.name)
				}
			}
		}
	}
}

func TestInstantReadsBackLocal(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	madrid := mustZone(t, "Europe/Madrid")
	cases := []struct {
		loc  *time.Location
		d    string
		t    TimeOfDay
		want string // wall clock of the answer
	}{
		{ny, "2026-03-08", Clock(2, 30), "2026-03-08 03:30 EDT"},
		{ny, "2026-03-08", Clock(2, 0), "2026-03-08 03:00 EDT"},
		{ny, "2026-03-08", Clock(3, 0), "2026-03-08 03:00 EDT"},
		{ny, "2026-03-08", Clock(1, 59), "2026-03-08 01:59 EST"},
		{ny, "2026-11-01", Clock(1, 30), "2026-11-01 01:30 EDT"},
		{ny, "2026-11-01", Clock(0, 59), "2026-11-01 00:59 EDT"},
		{ny, "2026-11-01", Clock(2, 0), "2026-11-01 02:00 EST"},
		{madrid, "2026-03-29", Clock(2, 30), "2026-03-29 03:30 CEST"},
		{madrid, "2026-10-25", Clock(2, 30), "2026-10-25 02:30 CEST"},
		{madrid, "2026-10-25", Clock(3, 0), "2026-10-25 03:00 CET"},
		{time.UTC, "2026-03-08", Clock(2, 30), "2026-03-08 02:30 UTC"},
	}
	for _, c := range cases {
		got, _ := Instant(date(c.d), c.t, c.loc)
		if s := got.Format("2006-01-02 15:04 MST"); s != c.want {
			t.Errorf("%s %s %s: got %s, want %s", c.loc, c.d, c.t, s, c.want)
		}
	}
}
