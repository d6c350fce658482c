package dosing

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// propertyZones are the zones of the DST tables and a few with other kinds
// of change: southern-hemisphere DST, a 30-minute change, none at all.
var propertyZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"Europe/Madrid", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago", "America/Havana", "UTC",
}

// genRegimen draws a valid scheduled regimen starting between 2020 and 2035.
func genRegimen(t *rapid.T) Regimen {
	loc, _ := time.LoadLocation(rapid.SampledFrom(propertyZones).Draw(t, "zone"))
	mins := rapid.SliceOfNDistinct(rapid.IntRange(0, 24*60-1), 1, 6, rapid.ID[int]).Draw(t, "times")
	slices.Sort(mins)
	r := Regimen{Zone: loc, EveryDays: rapid.IntRange(1, 7).Draw(t, "every")}
	for _, m := range mins {
		r.Times = append(r.Times, DoseTime{At: TimeOfDay(m)})
	}
	r.Start = Date{2020, time.January, 1}.AddDays(rapid.IntRange(0, 16*365).Draw(t, "start"))
	if rapid.Bool().Draw(t, "ends") {
		r.End = r.Start.AddDays(rapid.IntRange(0, 3*365).Draw(t, "length"))
	}
	return r
}

func TestDosesProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := genRegimen(t)
		// Whole local days, a span of up to two years around the start.
		first := r.Start.AddDays(rapid.IntRange(-30, 400).Draw(t, "from"))
		days := rapid.IntRange(1, 2*365).Draw(t, "days")
		from, _ := Instant(first, 0, r.Zone)
		to, _ := Instant(first.AddDays(days), 0, r.Zone)
		doses := r.DosesBetween(from, to)

		seen := map[string]bool{}
		for i, d := range doses {
			if d.At.Before(from) || !d.At.Before(to) {
				t.Fatalf("dose %s at %s outside [%s, %s)", d.Key, d.At, from, to)
			}
			if i > 0 && !doses[i-1].At.Before(d.At) {
				// Only a spring-forward shift onto another dose time may share an instant.
				if !d.At.Equal(doses[i-1].At) || !(d.Shifted || doses[i-1].Shifted) {
					t.Fatalf("doses %s at %s and %s at %s not strictly increasing", doses[i-1].Key, doses[i-1].At, d.Key, d.At)
				}
			}
			if seen[d.Key] {
				t.Fatalf("dose %s twice", d.Key)
			}
			seen[d.Key] = true
			if d.Key != DoseKey(d.Date, d.Time) || !r.doseDay(d.Date) {
				t.Fatalf("dose %s not of the regimen", d.Key)
			}
			wall := d.At.In(r.Zone)
			switch {
			case !d.Shifted && (DateOf(wall) != d.Date || TimeOfDayOf(wall) != d.Time):
				t.Fatalf("dose %s due at %s local", d.Key, wall)
			case d.Shifted:
				// The time did not exist: no instant an hour either side reads it.
				for m := -90; m <= 90; m++ {
					w := d.At.Add(time.Duration(m) * time.Minute).In(r.Zone)
					if DateOf(w) == d.Date && TimeOfDayOf(w) == d.Time {
						t.Fatalf("shifted dose %s, yet %s reads its time", d.Key, w)
					}
				}
			}
			if !d.Shifted {
				// First occurrence: no earlier instant within two hours reads the same wall time.
				for m := 1; m <= 120; m++ {
					w := d.At.Add(-time.Duration(m) * time.Minute).In(r.Zone)
					if DateOf(w) == d.Date && TimeOfDayOf(w) == d.Time {
						t.Fatalf("dose %s at the second occurrence of its time", d.Key)
					}
				}
			}
		}
		// None skipped: every dose day in the range has every dose time.
		want := 0
		for d := first; d.Before(first.AddDays(days)); d = d.AddDays(1) {
			if r.doseDay(d) {
				want += len(r.Times)
			}
		}
		if len(doses) != want {
			t.Fatalf("%d doses over %d days from %s, want %d", len(doses), days, first, want)
		}
	})
}

// Next agrees with DosesBetween: the first dose strictly after a moment.
func TestNextProperty(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := genRegimen(t)
		start, _ := Instant(r.Start, 0, r.Zone)
		after := start.Add(time.Duration(rapid.Int64Range(-2*24*3600, 800*24*3600).Draw(t, "after")) * time.Second)
		if rapid.Bool().Draw(t, "on a dose") {
			if d, ok := r.NextDose(after); ok {
				after = d.At
			}
		}
		doses := r.DosesBetween(after.Add(time.Nanosecond), after.Add(9*24*time.Hour))
		got, ok := r.NextDose(after)
		if len(doses) == 0 {
			if ok && got.At.Before(after.Add(9*24*time.Hour)) {
				t.Fatalf("next %s, but no doses listed", got.Key)
			}
			return
		}
		if !ok || got.Key != doses[0].Key || !got.At.Equal(doses[0].At) {
			t.Fatalf("next after %s: %v %v, listed first %s at %s", after, got.Key, got.At, doses[0].Key, doses[0].At)
		}
	})
}
