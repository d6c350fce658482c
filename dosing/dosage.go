package dosing

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rapporthq/rapport"
)

// Default dose times when the prescriber named none.
//
// "n times a day" (a period in days or weeks that works out at one to four
// doses a day) is spread over waking hours:
//
//	1/d 09:00 · 2/d 09:00 21:00 · 3/d 08:00 14:00 20:00 · 4/d 08:00 12:00 16:00 20:00
//
// More than four a day needs times_of_day. "Every N hours" (a period in
// hours or minutes) is around the clock, N hours apart from 09:00, so q12h
// and q24h agree with 2/d and 1/d: q8h is 01:00 09:00 17:00, q6h 03:00
// 09:00 15:00 21:00. Night-time defaults are not patient-chosen and so wait for the
// end of quiet hours; staff or the patient should set real times.
//
// A dose every k days (k a whole number: "1 per 2 d", "q48h") is at 09:00
// on every k-th day from the start; weekly ("1 per 1 wk") is on the start
// date's weekday.
var dailyDefaults = map[int][]TimeOfDay{
	1: {Clock(9, 0)},
	2: {Clock(9, 0), Clock(21, 0)},
	3: {Clock(8, 0), Clock(14, 0), Clock(20, 0)},
	4: {Clock(8, 0), Clock(12, 0), Clock(16, 0), Clock(20, 0)},
}

// aroundTheClockAnchor is the dose time every-N-hours schedules step from.
const aroundTheClockAnchor = TimeOfDay(9 * 60)

// unitSeconds are the FHIR Timing period units that can be scheduled on a
// clock. Months and years ("mo", "a") vary in length and are refused.
var unitSeconds = map[string]float64{"s": 1, "min": 60, "h": 3600, "d": 86400, "wk": 7 * 86400}

const minutesPerDay = 24 * 60

// FromDosage builds the regimen a prescription's dosage describes, in the
// patient's zone, with doses from start. Explicit TimesOfDay win for the
// time of day (the period still sets the day step); otherwise the defaults
// above apply. An as-needed dosage gives a regimen without times, so no
// reminders. Errors are [rapport.EINVALID] naming the dosage field that
// cannot be scheduled.
func FromDosage(d rapport.Dosage, zone *time.Location, start Date) (Regimen, error) {
	r := Regimen{Zone: zone, Start: start, EveryDays: 1, AsNeeded: d.AsNeeded}
	if d.AsNeeded {
		return r, r.Validate()
	}
	for i, s := range d.TimesOfDay {
		t, err := ParseTimeOfDay(s)
		if err != nil {
			return Regimen{}, rapport.Errorf(rapport.EINVALID, "dosage times_of_day[%d]: %v", i, err)
		}
		r.Times = append(r.Times, DoseTime{At: t})
	}
	slices.SortFunc(r.Times, func(a, b DoseTime) int { return int(a.At - b.At) })
	r.Times = slices.Compact(r.Times)

	interval, err := doseInterval(d, len(r.Times) > 0)
	if err != nil {
		return Regimen{}, err
	}
	switch {
	case interval == 0: // times given, no period: daily
	case interval%minutesPerDay == 0:
		r.EveryDays = interval / minutesPerDay
		if len(r.Times) == 0 {
			r.Times = []DoseTime{{At: aroundTheClockAnchor}}
		}
	case minutesPerDay%interval == 0:
		perDay := minutesPerDay / interval
		if len(r.Times) > 0 {
			break
		}
		switch {
		case d.PeriodUnit != "d" && d.PeriodUnit != "wk":
			r.Times = aroundTheClock(interval)
		case perDay > len(dailyDefaults):
			// Five or six "a day" are waking-hour doses whose hours only
			// the prescriber knows; around the clock would wake the patient.
			return Regimen{}, rapport.Errorf(rapport.EINVALID, "dosage frequency: %d a day has no default times; name times_of_day", perDay)
		default:
			for _, t := range dailyDefaults[perDay] {
				r.Times = append(r.Times, DoseTime{At: t})
			}
		}
	default:
		// 2 per week, every 5 hours: no day step or daily times fit.
		return Regimen{}, rapport.Errorf(rapport.EINVALID,
			"dosage period: doses every %d minutes fall neither at the same times each day nor every whole number of days", interval)
	}
	return r, r.Validate()
}

// doseInterval returns the minutes between doses the frequency and period
// say, or 0 when there is no period and the times alone are the schedule.
func doseInterval(d rapport.Dosage, haveTimes bool) (int, error) {
	switch {
	case d.Frequency < 0:
		return 0, rapport.Errorf(rapport.EINVALID, "dosage frequency: negative")
	case d.Period < 0 || math.IsNaN(d.Period) || math.IsInf(d.Period, 0):
		return 0, rapport.Errorf(rapport.EINVALID, "dosage period: not a positive number")
	case d.Period == 0 && haveTimes:
		return 0, nil
	case d.Period == 0:
		return 0, rapport.Errorf(rapport.EINVALID, "dosage period: missing, and no times_of_day")
	}
	unit, ok := unitSeconds[d.PeriodUnit]
	if !ok {
		return 0, rapport.Errorf(rapport.EINVALID, "dosage period_unit: %q cannot be scheduled on a clock", d.PeriodUnit)
	}
	freq := max(d.Frequency, 1) // FHIR: frequency absent means once per period
	secs := d.Period * unit / float64(freq)
	if secs > 366*86400 {
		return 0, rapport.Errorf(rapport.EINVALID, "dosage period: longer than a year")
	}
	mins := secs / 60
	if mins != math.Trunc(mins) {
		return 0, rapport.Errorf(rapport.EINVALID, "dosage period: doses not a whole number of minutes apart")
	}
	if mins < 60 {
		return 0, rapport.Errorf(rapport.EINVALID, "dosage frequency: doses less than an hour apart are not reminded")
	}
	return int(mins), nil
}

// aroundTheClock returns the times interval minutes apart through the day,
// one of them at the anchor.
func aroundTheClock(interval int) []DoseTime {
	var out []DoseTime
	for t := int(aroundTheClockAnchor) % interval; t < minutesPerDay; t += interval {
		out = append(out, DoseTime{At: TimeOfDay(t)})
	}
	return out
}

// FromRequest builds the regimen of a prescription with [FromDosage],
// starting on the day it was authored in the patient's zone.
func FromRequest(mr rapport.MedicationRequest, zone *time.Location) (Regimen, error) {
	if mr.AuthoredOn.IsZero() {
		return Regimen{}, rapport.Errorf(rapport.EINVALID, "medication request %s authored_on: missing", mr.ID)
	}
	if zone == nil {
		return Regimen{}, rapport.Errorf(rapport.EINVALID, "medication request %s: regimen zone: missing", mr.ID)
	}
	r, err := FromDosage(mr.Dosage, zone, DateOf(mr.AuthoredOn.In(zone)))
	if err != nil {
		return Regimen{}, fmt.Errorf("medication request %s: %w", mr.ID, err)
	}
	r.PatientID, r.Medication = mr.PatientID, mr.Medication
	return r, nil
}
