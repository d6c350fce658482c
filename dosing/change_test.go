package dosing

import (
	"testing"
	"time"
)

func TestApplyChangeMove(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	base := daily(ny, "2026-06-01", Clock(9, 0), Clock(21, 0))
	cases := []struct {
		name string
		c    Change
		want []DoseTime
	}{
		{"move evening dose", Change{Kind: ChangeMove, Replaces: Clock(21, 0), To: Clock(20, 0)},
			[]DoseTime{{Clock(9, 0), false}, {Clock(20, 0), true}}},
		{"move morning dose past evening", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(22, 30)},
			[]DoseTime{{Clock(21, 0), false}, {Clock(22, 30), true}}},
		{"early by choice", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(6, 30)},
			[]DoseTime{{Clock(6, 30), true}, {Clock(21, 0), false}}},
		{"onto the other time", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(21, 0)},
			[]DoseTime{{Clock(21, 0), true}}},
		{"same time: now the patient's", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(9, 0)},
			[]DoseTime{{Clock(9, 0), true}, {Clock(21, 0), false}}},
		{"stale reminder", Change{Kind: ChangeMove, Replaces: Clock(8, 0), To: Clock(10, 0)},
			[]DoseTime{{Clock(9, 0), false}, {Clock(21, 0), false}}},
		{"invalid time", Change{Kind: ChangeMove, Replaces: Clock(9, 0), To: Clock(25, 0)},
			[]DoseTime{{Clock(9, 0), false}, {Clock(21, 0), false}}},
	}
	for _, c := range cases {
		got := ApplyChange(base, c.c)
		if len(got.Times) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got.Times, c.want)
			continue
		}
		for i := range c.want {
			if got.Times[i] != c.want[i] {
				t.Errorf("%s: %v, want %v", c.name, got.Times, c.want)
			}
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if base.Times[0].PatientChosen || base.Times[1].At != Clock(21, 0) {
		t.Errorf("ApplyChange modified its argument: %v", base.Times)
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
	// A week later, old snoozes are dropped.
	r = ApplyChange(r, Change{Kind: ChangeSnooze, DoseKey: "2026-06-17@09:00", At: at.Add(7 * 24 * time.Hour)})
	if len(r.Snoozes) != 1 || r.Snoozes[0].Key != "2026-06-17@09:00" {
		t.Errorf("old snooze kept: %+v", r.Snoozes)
	}
	if r.Times[0].PatientChosen {
		t.Error("a snooze made the regimen's time patient-chosen")
	}
	// A snooze without a dose is ignored.
	if got := ApplyChange(r, Change{Kind: ChangeSnooze, At: at}); len(got.Snoozes) != 1 {
		t.Errorf("keyless snooze recorded: %+v", got.Snoozes)
	}
}
