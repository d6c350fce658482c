package dosing

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

func TestFromDosage(t *testing.T) {
	t.Parallel()
	chicago := mustZone(t, "America/Chicago")
	start := date("2026-06-03") // a Wednesday
	cases := []struct {
		name      string
		d         rapport.Dosage
		wantTimes string // comma-separated; "" for none
		wantEvery int
		wantPRN   bool
		wantErr   string // field named in the error
	}{
		{"once a day", rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "d"}, "09:00", 1, false, ""},
		{"twice a day", rapport.Dosage{Frequency: 2, Period: 1, PeriodUnit: "d"}, "09:00,21:00", 1, false, ""},
		{"three times a day", rapport.Dosage{Frequency: 3, Period: 1, PeriodUnit: "d"}, "08:00,14:00,20:00", 1, false, ""},
		{"four times a day", rapport.Dosage{Frequency: 4, Period: 1, PeriodUnit: "d"}, "08:00,12:00,16:00,20:00", 1, false, ""},
		{"frequency absent is once", rapport.Dosage{Period: 1, PeriodUnit: "d"}, "09:00", 1, false, ""},
		{"prescribed times win", rapport.Dosage{Frequency: 2, Period: 1, PeriodUnit: "d", TimesOfDay: []string{"20:00", "08:00"}}, "08:00,20:00", 1, false, ""},
		{"times without period", rapport.Dosage{TimesOfDay: []string{"07:30"}}, "07:30", 1, false, ""},
		{"repeated times", rapport.Dosage{TimesOfDay: []string{"07:30", "7:30"}}, "07:30", 1, false, ""},
		{"every 12 hours", rapport.Dosage{Frequency: 1, Period: 12, PeriodUnit: "h"}, "09:00,21:00", 1, false, ""},
		{"every 8 hours", rapport.Dosage{Frequency: 1, Period: 8, PeriodUnit: "h"}, "01:00,09:00,17:00", 1, false, ""},
		{"every 6 hours", rapport.Dosage{Frequency: 1, Period: 6, PeriodUnit: "h"}, "03:00,09:00,15:00,21:00", 1, false, ""},
		{"every 24 hours", rapport.Dosage{Frequency: 1, Period: 24, PeriodUnit: "h"}, "09:00", 1, false, ""},
		{"every 4 hours", rapport.Dosage{Frequency: 1, Period: 4, PeriodUnit: "h"}, "01:00,05:00,09:00,13:00,17:00,21:00", 1, false, ""},
		{"every other day", rapport.Dosage{Frequency: 1, Period: 2, PeriodUnit: "d"}, "09:00", 2, false, ""},
		{"every 48 hours", rapport.Dosage{Frequency: 1, Period: 48, PeriodUnit: "h"}, "09:00", 2, false, ""},
		{"weekly", rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "wk"}, "09:00", 7, false, ""},
		{"weekly at a time", rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "wk", TimesOfDay: []string{"18:00"}}, "18:00", 7, false, ""},
		{"daily by the week", rapport.Dosage{Frequency: 7, Period: 1, PeriodUnit: "wk"}, "09:00", 1, false, ""},
		{"half a day", rapport.Dosage{Frequency: 1, Period: 0.5, PeriodUnit: "d"}, "09:00,21:00", 1, false, ""},
		{"as needed", rapport.Dosage{Frequency: 1, Period: 4, PeriodUnit: "h", AsNeeded: true}, "", 1, true, ""},
		{"as needed with times", rapport.Dosage{AsNeeded: true, TimesOfDay: []string{"08:00"}}, "", 1, true, ""},

		{"monthly", rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "mo"}, "", 0, false, "period_unit"},
		{"yearly", rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "a"}, "", 0, false, "period_unit"},
		{"no unit", rapport.Dosage{Frequency: 1, Period: 1}, "", 0, false, "period_unit"},
		{"twice a week", rapport.Dosage{Frequency: 2, Period: 1, PeriodUnit: "wk"}, "", 0, false, "period"},
		{"twice a week at a time", rapport.Dosage{Frequency: 2, Period: 1, PeriodUnit: "wk", TimesOfDay: []string{"09:00"}}, "", 0, false, "period"},
		{"every 5 hours", rapport.Dosage{Frequency: 1, Period: 5, PeriodUnit: "h"}, "", 0, false, "period"},
		{"five a day", rapport.Dosage{Frequency: 5, Period: 1, PeriodUnit: "d"}, "", 0, false, "frequency"},
		{"six a day", rapport.Dosage{Frequency: 6, Period: 1, PeriodUnit: "d"}, "", 0, false, "frequency"},
		{"six a day at times", rapport.Dosage{Frequency: 6, Period: 1, PeriodUnit: "d", TimesOfDay: []string{"07:00", "10:00", "13:00", "16:00", "19:00", "22:00"}},
			"07:00,10:00,13:00,16:00,19:00,22:00", 1, false, ""},
		{"every 30 minutes", rapport.Dosage{Frequency: 1, Period: 30, PeriodUnit: "min"}, "", 0, false, "frequency"},
		{"nothing", rapport.Dosage{}, "", 0, false, "period"},
		{"negative frequency", rapport.Dosage{Frequency: -1, Period: 1, PeriodUnit: "d"}, "", 0, false, "frequency"},
		{"negative period", rapport.Dosage{Frequency: 1, Period: -1, PeriodUnit: "d"}, "", 0, false, "period"},
		{"NaN period", rapport.Dosage{Frequency: 1, Period: math.NaN(), PeriodUnit: "d"}, "", 0, false, "period"},
		{"huge period", rapport.Dosage{Frequency: 1, Period: 1e300, PeriodUnit: "wk"}, "", 0, false, "period"},
		{"bad time", rapport.Dosage{TimesOfDay: []string{"08:00", "25:00"}}, "", 0, false, "times_of_day[1]"},
	}
	for _, c := range cases {
		r, err := FromDosage(c.d, chicago, start)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), "dosage "+c.wantErr+":") || rapport.ErrorCode(err) != rapport.EINVALID {
				t.Errorf("%s: error %v, want EINVALID naming %s", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var times []string
		for _, dt := range r.Times {
			times = append(times, dt.At.String())
			if dt.PatientChosen {
				t.Errorf("%s: default time %s marked patient-chosen", c.name, dt.At)
			}
		}
		if got := strings.Join(times, ","); got != c.wantTimes || r.every() != c.wantEvery || r.AsNeeded != c.wantPRN {
			t.Errorf("%s: times %q every %d prn %v, want %q every %d prn %v", c.name, got, r.every(), r.AsNeeded, c.wantTimes, c.wantEvery, c.wantPRN)
		}
		if c.wantPRN && (r.Next(time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)) != time.Time{}) {
			t.Errorf("%s: an as-needed regimen has a next dose", c.name)
		}
	}
}

func TestFromDosageWeeklyOnStartWeekday(t *testing.T) {
	t.Parallel()
	la := mustZone(t, "America/Los_Angeles")
	r, err := FromDosage(rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "wk"}, la, date("2026-06-03"))
	if err != nil {
		t.Fatal(err)
	}
	from, _ := Instant(date("2026-06-01"), 0, la)
	doses := r.DosesBetween(from, from.AddDate(0, 2, 0))
	if len(doses) != 9 {
		t.Fatalf("%d weekly doses in two months", len(doses))
	}
	for _, d := range doses {
		if d.Date.Weekday() != time.Wednesday || TimeOfDayOf(d.At) != Clock(9, 0) {
			t.Errorf("weekly dose %s on %s", d.Key, d.Date.Weekday())
		}
	}
}

func TestFromRequest(t *testing.T) {
	t.Parallel()
	denver := mustZone(t, "America/Denver")
	mr := rapport.MedicationRequest{ID: "mr1", PatientID: "p1", Medication: rapport.Code{System: "rxnorm", Code: "197361"},
		// 03:00 UTC on 1 June is still 31 May in Denver.
		AuthoredOn: time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC), Dosage: rapport.Dosage{Frequency: 1, Period: 1, PeriodUnit: "d"}}
	r, err := FromRequest(mr, denver)
	if err != nil {
		t.Fatal(err)
	}
	if r.PatientID != "p1" || r.Medication.Code != "197361" || r.Start != date("2026-05-31") || r.Zone != denver {
		t.Errorf("regimen %+v", r)
	}
	bad := mr
	bad.AuthoredOn = time.Time{}
	if _, err := FromRequest(bad, denver); err == nil || !strings.Contains(err.Error(), "authored_on") {
		t.Errorf("no authored_on: %v", err)
	}
	bad = mr
	bad.Dosage.PeriodUnit = "mo"
	_, err = FromRequest(bad, denver)
	var appErr *rapport.Error
	if err == nil || !strings.Contains(err.Error(), "medication request mr1: dosage period_unit") || !errors.As(err, &appErr) {
		t.Errorf("monthly: %v", err)
	}
	if _, err := FromRequest(mr, nil); err == nil || !strings.Contains(err.Error(), "zone") {
		t.Errorf("no zone: %v", err)
	}
}
