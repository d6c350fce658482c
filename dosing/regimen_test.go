package dosing

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

func TestRegimenValidate(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	ok := daily(ny, "2026-06-01", Clock(9, 0), Clock(21, 0))
	cases := []struct {
		name    string
		edit    func(r *Regimen)
		wantErr string // a substring naming the field; "" for valid
	}{
		{"valid", func(r *Regimen) {}, ""},
		{"as needed without times", func(r *Regimen) { r.Times, r.AsNeeded = nil, true }, ""},
		{"no zone", func(r *Regimen) { r.Zone = nil }, "zone"},
		{"server zone", func(r *Regimen) { r.Zone = time.Local }, "zone"},
		{"no start", func(r *Regimen) { r.Start = Date{} }, "start"},
		{"end before start", func(r *Regimen) { r.End = date("2026-05-31") }, "end"},
		{"negative step", func(r *Regimen) { r.EveryDays = -1 }, "every_days"},
		{"no times", func(r *Regimen) { r.Times = nil }, "times"},
		{"bad time", func(r *Regimen) { r.Times = []DoseTime{{At: Clock(24, 0)}} }, "times[0]"},
		{"unsorted", func(r *Regimen) { r.Times = []DoseTime{{At: Clock(21, 0)}, {At: Clock(9, 0)}} }, "times[1]"},
		{"repeated", func(r *Regimen) { r.Times = []DoseTime{{At: Clock(9, 0)}, {At: Clock(9, 0)}} }, "times[1]"},
		{"bad snooze", func(r *Regimen) { r.Snoozes = []Snooze{{Key: "tomorrow"}} }, "snoozes[0] key"},
		{"snooze to nowhen", func(r *Regimen) { r.Snoozes = []Snooze{{Key: "2026-06-02@09:00"}} }, "snoozes[0] at"},
		{"moved time", func(r *Regimen) {
			r.Times = []DoseTime{{At: Clock(9, 0), Until: date("2026-06-05")}, {At: Clock(9, 0), From: date("2026-06-08")}, {At: Clock(21, 0)}}
		}, ""},
		{"moved time overlapping", func(r *Regimen) {
			r.Times = []DoseTime{{At: Clock(9, 0), Until: date("2026-06-08")}, {At: Clock(9, 0), From: date("2026-06-08")}}
		}, "times[1]: overlaps"},
		{"until before from", func(r *Regimen) {
			r.Times = []DoseTime{{At: Clock(9, 0), From: date("2026-06-08"), Until: date("2026-06-07")}}
		}, "times[0] until"},
	}
	for _, c := range cases {
		r := ok
		r.Times = append([]DoseTime(nil), ok.Times...)
		c.edit(&r)
		err := r.Validate()
		if c.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.wantErr) || rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("%s: error %v, want EINVALID naming %s", c.name, err, c.wantErr)
		}
		// An invalid regimen schedules nothing rather than something wrong.
		if c.name != "no zone" && c.name != "server zone" {
			if d := r.DosesBetween(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)); d != nil {
				t.Errorf("%s: invalid regimen scheduled %d doses", c.name, len(d))
			}
		}
	}
}

func TestRegimenPatientChosen(t *testing.T) {
	t.Parallel()
	r := Regimen{Times: []DoseTime{{At: Clock(6, 30), PatientChosen: true}, {At: Clock(21, 0)}}}
	cases := []struct {
		t           TimeOfDay
		has, chosen bool
	}{
		{Clock(6, 30), true, true},
		{Clock(21, 0), true, false},
		{Clock(9, 0), false, false},
	}
	for _, c := range cases {
		if r.HasTime(c.t) != c.has || r.PatientChosen(c.t) != c.chosen {
			t.Errorf("%s: has %v chosen %v", c.t, r.HasTime(c.t), r.PatientChosen(c.t))
		}
	}
	// Doses carry the flag for the pipeline's quiet-hours check.
	ny := mustZone(t, "America/New_York")
	r.Zone, r.Start = ny, date("2026-06-01")
	from, to := localDay(date("2026-06-02"), ny)
	doses := r.DosesBetween(from, to)
	if len(doses) != 2 || !doses[0].PatientChosen || doses[1].PatientChosen {
		t.Errorf("doses: %+v", doses)
	}
}
