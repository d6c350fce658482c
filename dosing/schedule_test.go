package dosing

import (
	"testing"
	"time"
)

// daily returns a valid daily regimen at the given times.
func daily(loc *time.Location, start string, times ...TimeOfDay) Regimen {
	r := Regimen{Zone: loc, Start: date(start), EveryDays: 1}
	for _, t := range times {
		r.Times = append(r.Times, DoseTime{At: t})
	}
	return r
}

// localDay returns midnight at the start of d in loc and of the next day.
func localDay(d Date, loc *time.Location) (time.Time, time.Time) {
	from, _ := Instant(d, 0, loc)
	to, _ := Instant(d.AddDays(1), 0, loc)
	return from, to
}

func TestDosesOnDSTDays(t *testing.T) {
	t.Parallel()
	for _, z := range dstDays {
		loc := mustZone(t, z.zone)
		for i := range 2 {
			spring, fall := date(z.spring[i]), date(z.fall[i])
			r := daily(loc, "2026-01-01", z.overlap, z.gap, Clock(9, 0))
			if z.overlap == z.gap {
				r = daily(loc, "2026-01-01", z.gap, Clock(9, 0))
			}
			for _, day := range []Date{spring, fall} {
				from, to := localDay(day, loc)
				doses := r.DosesBetween(from, to)
				if len(doses) != len(r.Times) {
					t.Fatalf("%s %s: %d doses, want %d: %v", z.zone, day, len(doses), len(r.Times), doses)
				}
				for _, d := range doses {
					if d.Date != day || d.Key != DoseKey(day, d.Time) {
						t.Errorf("%s %s: dose %s on the wrong day", z.zone, day, d.Key)
					}
					local := TimeOfDayOf(d.At)
					switch {
					case d.Time == Clock(9, 0) && local != Clock(9, 0):
						t.Errorf("%s %s: 09:00 dose at %s local", z.zone, day, local)
					case day == spring && d.Time == z.gap && z.winter != z.summer && (local != Clock(3, 30) || !d.Shifted):
						t.Errorf("%s %s: gap dose at %s local shifted %v, want 03:30 shifted", z.zone, day, local, d.Shifted)
					case day == fall && d.Time == z.overlap && !d.At.Equal(utc(day, z.overlap, z.summer)):
						t.Errorf("%s %s: overlap dose at %s, want the first occurrence", z.zone, day, d.At.UTC())
					}
				}
			}
			// A 09:00 dose keeps 09:00 local, so its UTC instant moves by the
			// change: 23 hours between the doses either side of spring
			// forward, 25 across fall back.
			nine := daily(loc, "2026-01-01", Clock(9, 0))
			for _, c := range []struct {
				day  Date
				want time.Duration
			}{{spring, time.Duration(24-(z.summer-z.winter)) * time.Hour}, {fall, time.Duration(24+(z.summer-z.winter)) * time.Hour}} {
				before, _ := Instant(c.day.AddDays(-1), Clock(9, 0), loc)
				next := nine.Next(before)
				if got := next.Sub(before); got != c.want {
					t.Errorf("%s across %s: 09:00 doses %s apart, want %s", z.zone, c.day, got, c.want)
				}
			}
		}
	}
}

func TestFallBackDoseOnce(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	r := daily(ny, "2026-10-01", Clock(1, 30))
	// Every instant of the fall-back night, a minute apart: the 01:30 dose
	// comes up once.
	from := time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC) // 00:00 EDT
	doses := r.DosesBetween(from, from.Add(4*time.Hour))
	if len(doses) != 1 || !doses[0].At.Equal(time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)) {
		t.Fatalf("fall-back night: %v", doses)
	}
	// After the first 01:30 has passed, the next dose is the next day's.
	if next := r.Next(doses[0].At); !next.Equal(time.Date(2026, 11, 2, 6, 30, 0, 0, time.UTC)) {
		t.Errorf("next after the first 01:30: %s", next.UTC())
	}
}

func TestNext(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	bid := daily(ny, "2026-06-01", Clock(9, 0), Clock(21, 0))
	weekly := daily(ny, "2026-06-03", Clock(9, 0)) // a Wednesday
	weekly.EveryDays = 7
	ended := bid
	ended.End = date("2026-06-02")
	prn := Regimen{Zone: ny, Start: date("2026-06-01"), AsNeeded: true}
	cases := []struct {
		name  string
		r     Regimen
		after string
		want  string // "" for none
	}{
		{"before start", bid, "2026-05-01 12:00", "2026-06-01 09:00"},
		{"morning", bid, "2026-06-10 08:59", "2026-06-10 09:00"},
		{"strictly after", bid, "2026-06-10 09:00", "2026-06-10 21:00"},
		{"evening", bid, "2026-06-10 21:30", "2026-06-11 09:00"},
		{"weekly same weekday", weekly, "2026-06-04 10:00", "2026-06-10 09:00"},
		{"weekly on the day", weekly, "2026-06-10 08:00", "2026-06-10 09:00"},
		{"ended", ended, "2026-06-02 21:00", ""},
		{"last dose", ended, "2026-06-02 20:00", "2026-06-02 21:00"},
		{"as needed", prn, "2026-06-10 08:00", ""},
		{"spring forward", daily(ny, "2026-01-01", Clock(2, 30)), "2026-03-08 01:00", "2026-03-08 03:30"},
	}
	for _, c := range cases {
		got := c.r.Next(at(c.after))
		if c.want == "" {
			if !got.IsZero() {
				t.Errorf("%s: got %s, want none", c.name, got)
			}
			continue
		}
		if !got.Equal(at(c.want)) {
			t.Errorf("%s: got %s, want %s", c.name, got.In(ny).Format("2006-01-02 15:04"), c.want)
		}
	}
}

func TestDosesBetweenEveryDays(t *testing.T) {
	t.Parallel()
	madrid := mustZone(t, "Europe/Madrid")
	r := daily(madrid, "2026-06-01", Clock(9, 0))
	r.EveryDays = 3
	from, _ := Instant(date("2026-05-30"), 0, madrid)
	to, _ := Instant(date("2026-06-11"), 0, madrid)
	var keys []string
	for _, d := range r.DosesBetween(from, to) {
		keys = append(keys, d.Key)
	}
	want := []string{"2026-06-01@09:00", "2026-06-04@09:00", "2026-06-07@09:00", "2026-06-10@09:00"}
	if len(keys) != len(want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("keys %v, want %v", keys, want)
		}
	}
	if got := r.DosesBetween(to, from); got != nil {
		t.Errorf("reversed range: %v", got)
	}
}

func TestSnoozedDose(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	r := daily(ny, "2026-06-01", Clock(9, 0), Clock(21, 0))
	due, _ := Instant(date("2026-06-10"), Clock(9, 0), ny)
	later := due.Add(65 * time.Minute)
	r = ApplyChange(r, Change{Kind: ChangeSnooze, Replaces: Clock(9, 0), DoseKey: "2026-06-10@09:00", At: later, To: TimeOfDayOf(later)})

	from, to := localDay(date("2026-06-10"), ny)
	doses := r.DosesBetween(from, to)
	if len(doses) != 2 || !doses[0].At.Equal(later) || !doses[0].Snoozed || !doses[0].PatientChosen || doses[0].Key != "2026-06-10@09:00" {
		t.Fatalf("snoozed day: %+v", doses)
	}
	if doses[0].ReminderKey() != "2026-06-10@09:00/20260610T1405Z" || doses[1].ReminderKey() != "2026-06-10@21:00" {
		t.Errorf("reminder keys %s %s", doses[0].ReminderKey(), doses[1].ReminderKey())
	}
	if next := r.Next(due.Add(-time.Minute)); !next.Equal(later) {
		t.Errorf("next before the snoozed dose: %s, want %s", next, later)
	}
	if next := r.Next(later); !next.Equal(due.Add(12 * time.Hour)) {
		t.Errorf("next after the snoozed dose: %s", next)
	}
	// The next day is untouched.
	from, to = localDay(date("2026-06-11"), ny)
	if doses := r.DosesBetween(from, to); len(doses) != 2 || doses[0].Snoozed || TimeOfDayOf(doses[0].At) != Clock(9, 0) {
		t.Errorf("next day: %+v", doses)
	}
	// A snooze past the range's end takes its dose out of the range.
	if doses := r.DosesBetween(due.Add(-time.Hour), due.Add(time.Hour)); len(doses) != 0 {
		t.Errorf("dose snoozed out of range still listed: %+v", doses)
	}
}
