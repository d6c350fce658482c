package dosing

import (
	"slices"
	"testing"
	"time"
)

func TestApplyChangeMove(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	base := daily(ny, "2026-06-01", Clock(9, 0), Clock(21, 0))
	jun10, jun11 := date("2026-06-10"), date("2026-06-11")
	cases := []struct {
		name string
		c    Change
		want []DoseTime
	}{
		{"move evening dose", Change{Kind: ChangeMove, Replaces: Clock(21, 0), To: Clock(20, 0), From: jun11},
			[]DoseTime{{At: Clock(9, 0)}, {At: Clock(20, 0), PatientChosen: true, From: jun11}, {At: Clock(21, 0), Until: jun10}}},
		{"early by choice", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(6, 30), From: jun11},
			[]DoseTime{{At: Clock(6, 30), PatientChosen: true, From: jun11}, {At: Clock(9, 0), Until: jun10}, {At: Clock(21, 0)}}},
		{"onto the other time", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(21, 0), From: jun11},
			[]DoseTime{{At: Clock(9, 0), Until: jun10}, {At: Clock(21, 0), PatientChosen: true}}},
		{"same time: now the patient's", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(9, 0), From: jun11},
			[]DoseTime{{At: Clock(9, 0), PatientChosen: true}, {At: Clock(21, 0)}}},
		{"from the start", Change{Kind: ChangeMove, Replaces: Clock(21, 0), To: Clock(20, 0)},
			[]DoseTime{{At: Clock(9, 0)}, {At: Clock(20, 0), PatientChosen: true}}},
		{"stale reminder", Change{Kind: ChangeMove, Replaces: Clock(8, 0), To: Clock(10, 0), From: jun11},
			[]DoseTime{{At: Clock(9, 0)}, {At: Clock(21, 0)}}},
		{"invalid time", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(25, 0), From: jun11},
			[]DoseTime{{At: Clock(9, 0)}, {At: Clock(21, 0)}}},
		{"unknown kind", Change{Kind: "maybe", Replaces: Clock(9, 0), To: Clock(10, 0), From: jun11},
			[]DoseTime{{At: Clock(9, 0)}, {At: Clock(21, 0)}}},
	}
	for _, c := range cases {
		got := ApplyChange(base, c.c)
		if !slices.Equal(got.Times, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got.Times, c.want)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if base.Times[0].PatientChosen || base.Times[1].At != Clock(21, 0) || !base.Times[1].Until.IsZero() {
		t.Errorf("ApplyChange modified its argument: %v", base.Times)
	}
}

// A reply moves the reminder from the reply on: past days keep the doses
// they were reminded of, and no day has both the old and the new dose.
func TestMoveByReply(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name     string
		times    []TimeOfDay
		about    string // the dose the reminder was about
		reply    string
		now      string
		want     []string // doses due 2026-06-09 00:00 – 2026-06-13 00:00, local
		patients []bool   // patient-chosen, per dose
	}{
		{"morning to evening, replied after the reminder", []TimeOfDay{Clock(9, 0)}, "2026-06-10@09:00", "change to 10pm", "2026-06-10 09:05",
			[]string{"06-09 09:00", "06-10 22:00", "06-11 22:00", "06-12 22:00"}, []bool{false, true, true, true}},
		{"evening earlier, replied after the reminder", []TimeOfDay{Clock(21, 0)}, "2026-06-10@21:00", "8pm", "2026-06-10 21:05",
			[]string{"06-09 21:00", "06-10 21:00", "06-11 20:00", "06-12 20:00"}, []bool{false, false, true, true}},
		{"evening a little later", []TimeOfDay{Clock(21, 0)}, "2026-06-10@21:00", "a las 10 de la noche", "2026-06-10 21:05",
			[]string{"06-09 21:00", "06-10 22:00", "06-11 22:00", "06-12 22:00"}, []bool{false, true, true, true}},
		{"reply the next morning to last night's reminder", []TimeOfDay{Clock(21, 0)}, "2026-06-10@21:00", "at 8", "2026-06-11 08:00",
			[]string{"06-09 21:00", "06-10 21:00", "06-11 20:00", "06-12 20:00"}, []bool{false, false, true, true}},
		{"new time already past today: the old one keeps today", []TimeOfDay{Clock(21, 0)}, "2026-06-10@21:00", "at 7am", "2026-06-11 08:00",
			[]string{"06-09 21:00", "06-10 21:00", "06-11 21:00", "06-12 07:00"}, []bool{false, false, false, true}},
		{"one of two doses", []TimeOfDay{Clock(9, 0), Clock(21, 0)}, "2026-06-10@09:00", "6:30am", "2026-06-10 09:02",
			[]string{"06-09 09:00", "06-09 21:00", "06-10 09:00", "06-10 21:00", "06-11 06:30", "06-11 21:00", "06-12 06:30", "06-12 21:00"},
			[]bool{false, false, false, false, true, false, true, false}},
	}
	for _, c := range cases {
		r := daily(ny, "2026-06-01", c.times...)
		d, tod, err := parseKey(c.about)
		if err != nil {
			t.Fatal(err)
		}
		about := r.dose(d, DoseTime{At: tod})
		ch, err := ParseTimeChange(c.reply, at(c.now), ny, about)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		r = ApplyChange(r, ch)
		if err := r.Validate(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		var chosen []bool
		for _, dose := range r.DosesBetween(at("2026-06-09 00:00"), at("2026-06-13 00:00")) {
			got = append(got, dose.At.Format("01-02 15:04"))
			chosen = append(chosen, dose.PatientChosen)
		}
		if !slices.Equal(got, c.want) || !slices.Equal(chosen, c.patients) {
			t.Errorf("%s: doses %v chosen %v, want %v %v", c.name, got, chosen, c.want, c.patients)
		}
		// Whatever was due by the reply stays as it was reminded.
		if next, _ := r.NextDose(at(c.now)); next.At.Before(at(c.now)) {
			t.Errorf("%s: next dose in the past", c.name)
		}
	}
}

func TestApplyChangeSnooze(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	r := daily(ny, "2026-06-01", Clock(9, 0))
	at := time.Date(2026, 6, 10, 14, 5, 0, 0, time.UTC)
	r = ApplyChange(r, Change{Kind: ChangeSnooze, DoseKey: "2026-06-10@09:00", At: at})
	r = ApplyChange(r, Change{Kind: ChangeSnooze, DoseKey: "2026-06-10@09:00", At: at.Add(time.Hour)})
	if len(r.Snoozes) != 1 || !r.Snoozes[0].At.Equal(at.Add(time.Hour)) {
		t.Fatalf("snoozing again should replace: %+v", r.Snoozes)
	}
	// A week later, the old snooze is kept until dropped.
	r = ApplyChange(r, Change{Kind: ChangeSnooze, DoseKey: "2026-06-17@09:00", At: at.Add(7 * 24 * time.Hour)})
	if len(r.Snoozes) != 2 {
		t.Errorf("snoozes: %+v", r.Snoozes)
	}
	if dropped := r.DropSnoozesBefore(at.Add(24 * time.Hour)); len(dropped.Snoozes) != 1 || dropped.Snoozes[0].Key != "2026-06-17@09:00" || len(r.Snoozes) != 2 {
		t.Errorf("dropped: %+v, left %+v", dropped.Snoozes, r.Snoozes)
	}
	if r.Times[0].PatientChosen {
		t.Error("a snooze made the regimen's time patient-chosen")
	}
	// A snooze without a dose is ignored.
	if got := ApplyChange(r, Change{Kind: ChangeSnooze, At: at}); len(got.Snoozes) != 2 {
		t.Errorf("keyless snooze recorded: %+v", got.Snoozes)
	}
}
