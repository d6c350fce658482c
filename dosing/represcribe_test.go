package dosing

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestReprescribeTimes(t *testing.T) {
	t.Parallel()
	at := func(s string) TimeOfDay { tt, _ := ParseTimeOfDay(s); return tt }
	times := func(chosen []string, ts ...string) []DoseTime {
		var out []DoseTime
		for _, s := range ts {
			out = append(out, DoseTime{At: at(s), PatientChosen: slices.Contains(chosen, s)})
		}
		return out
	}
	tests := []struct {
		name     string
		old, upd []DoseTime
		want     []DoseTime
	}{
		{"prescribed times replace prescribed ones", times(nil, "08:00"), times(nil, "09:00", "21:00"), times(nil, "09:00", "21:00")},
		{"a chosen time stays for the same dose count", times([]string{"07:30"}, "07:30"), times(nil, "09:00"), times([]string{"07:30"}, "07:30")},
		{"a chosen time takes the nearest slot", times([]string{"19:00"}, "07:00", "19:00"), times(nil, "08:00", "14:00", "20:00"),
			times([]string{"19:00"}, "08:00", "14:00", "19:00")},
		{"around midnight is near", times([]string{"23:30"}, "23:30"), times(nil, "00:30", "12:00"), times([]string{"23:30"}, "12:00", "23:30")},
		{"fewer doses drop the farther chosen time", times([]string{"07:00", "19:00"}, "07:00", "19:00"), times(nil, "08:00"),
			times([]string{"07:00"}, "07:00")},
		{"a chosen time equal to a prescribed one is one dose", times([]string{"20:00"}, "20:00"), times(nil, "08:00", "20:00"),
			times([]string{"20:00"}, "08:00", "20:00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := Regimen{Zone: time.UTC, Start: Date{2026, 1, 1}, Times: tt.old}
			upd := Regimen{Zone: time.UTC, Start: Date{2026, 2, 1}, EveryDays: 1, Times: tt.upd}
			got := Represcribe(old, upd, Date{})
			if !slices.Equal(got.Times, tt.want) {
				t.Errorf("times %v, want %v", got.Times, tt.want)
			}
			if got.Start != upd.Start {
				t.Errorf("start %v, want the new prescription's %v", got.Start, upd.Start)
			}
			if err := got.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// A newer prescription of a regimen already reminded: the result is
// valid, days before from keep their doses, from on each dose day has one
// dose per new time, and every time the patient chose is kept while the
// new prescription has as many doses a day.
func TestReprescribeProperty(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		old := genRegimen(t)
		old.End = Date{}
		for i := range old.Times {
			old.Times[i].PatientChosen = rapid.Bool().Draw(t, "chosen")
		}
		upd := genRegimen(t)
		upd.Zone, upd.Start, upd.End, upd.EveryDays = old.Zone, old.Start, Date{}, old.EveryDays
		from := old.Start.AddDays(rapid.IntRange(1, 60).Draw(t, "from"))
		got := Represcribe(old, upd, from)
		if err := got.Validate(); err != nil {
			t.Fatalf("%v → %v: %v", old.Times, got.Times, err)
		}
		begin, _ := Instant(old.Start, 0, old.Zone)
		cut, _ := Instant(from, 0, old.Zone)
		if a, b := old.DosesBetween(begin, cut), got.DosesBetween(begin, cut); !slices.EqualFunc(a, b, func(x, y Dose) bool { return x.Key == y.Key && x.At.Equal(y.At) }) {
			t.Fatalf("doses before %v changed: %d then %d", from, len(a), len(b))
		}
		var current, chosen int
		for _, dt := range got.Times {
			if dt.current() {
				current++
			}
		}
		for _, dt := range old.Times {
			if dt.PatientChosen {
				chosen++
				if chosen <= len(upd.Times) && !got.PatientChosen(dt.At) && len(upd.Times) >= countChosen(old) {
					t.Fatalf("chosen %v lost: %v → %v", dt.At, old.Times, got.Times)
				}
			}
		}
		if current > len(upd.Times) || current == 0 {
			t.Fatalf("%d current times for a prescription of %d", current, len(upd.Times))
		}
		day := from.AddDays(old.every() * 2)
		d0, _ := Instant(day, 0, old.Zone)
		d1, _ := Instant(day.AddDays(1), 0, old.Zone)
		if n := len(got.DosesBetween(d0, d1)); got.doseDay(day) && n != current {
			t.Fatalf("%d doses on %v, want %d", n, day, current)
		}
	})
}

func countChosen(r Regimen) int {
	n := 0
	for _, dt := range r.Times {
		if dt.PatientChosen {
			n++
		}
	}
	return n
}

// A regimen already reminded: an unchanged time goes on as it was, a new
// one starts on from, and the start stays (the same day step).
func TestReprescribeReminded(t *testing.T) {
	t.Parallel()
	old := Regimen{Zone: time.UTC, Start: Date{2026, 1, 1}, EveryDays: 1, Times: []DoseTime{{At: Clock(8, 0)}, {At: Clock(12, 0)}}}
	upd := Regimen{Zone: time.UTC, Start: Date{2026, 2, 1}, EveryDays: 1, Times: []DoseTime{{At: Clock(8, 0)}, {At: Clock(20, 0)}}}
	from := Date{2026, 2, 10}
	got := Represcribe(old, upd, from)
	want := []DoseTime{{At: Clock(8, 0)}, {At: Clock(12, 0), Until: Date{2026, 2, 9}}, {At: Clock(20, 0), From: from}}
	if !slices.Equal(got.Times, want) || got.Start != old.Start {
		t.Errorf("times %+v start %v, want %+v from %v", got.Times, got.Start, want, old.Start)
	}
	if len(old.Times) != 2 || old.Times[1].Until != (Date{}) {
		t.Errorf("old modified: %+v", old.Times)
	}
}
