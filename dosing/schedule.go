package dosing

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"
)

// Dose is one scheduled dose of a regimen.
type Dose struct {
	// At is when the dose is due, in the regimen's zone.
	At time.Time
	// Date and Time are the local day and dose time the dose belongs to.
	// After a spring-forward shift or a snooze, At reads differently.
	Date Date
	Time TimeOfDay
	// Key is "YYYY-MM-DD@HH:MM" from Date and Time: the dose's identity,
	// stable whatever moves At. Reminders are keyed by [Dose.ReminderKey].
	Key string
	// Shifted marks a dose whose time did not exist that day (the clocks
	// sprang forward over it); it is due as far past the change as the
	// time was past the last minute before it. See [Instant].
	Shifted bool
	// Snoozed marks a dose moved by a [Snooze].
	Snoozed bool
	// PatientChosen marks a dose at a time the patient chose (or snoozed
	// to): its reminder may go in the organisation's quiet hours.
	PatientChosen bool
}

// ReminderKey is the idempotency key for the dose's reminder: the Key,
// and for a snoozed dose (reminded again) the Key and the new due minute,
// "2026-06-10@09:00/20260610T1405Z".
func (d Dose) ReminderKey() string {
	if !d.Snoozed {
		return d.Key
	}
	return d.Key + "/" + d.At.UTC().Format("20060102T1504Z")
}

// DoseKey returns the key of the dose at t on d, "YYYY-MM-DD@HH:MM".
func DoseKey(d Date, t TimeOfDay) string {
	b := d.appendTo(make([]byte, 0, 16))
	return string(t.appendTo(append(b, '@')))
}

// parseKey reads a key written by [DoseKey].
func parseKey(key string) (Date, TimeOfDay, error) {
	ds, ts, ok := strings.Cut(key, "@")
	if !ok {
		return Date{}, 0, errors.New("not YYYY-MM-DD@HH:MM")
	}
	d, err := ParseDate(ds)
	if err != nil {
		return Date{}, 0, errors.New("not YYYY-MM-DD@HH:MM")
	}
	t, err := ParseTimeOfDay(ts)
	if err != nil || len(ts) != 5 {
		return Date{}, 0, errors.New("not YYYY-MM-DD@HH:MM")
	}
	return d, t, nil
}

// dose returns the dose at dt on d as scheduled, before any snooze.
func (r Regimen) dose(d Date, dt DoseTime) Dose {
	at, shifted := Instant(d, dt.At, r.Zone)
	return Dose{At: at, Date: d, Time: dt.At, Key: DoseKey(d, dt.At), Shifted: shifted, PatientChosen: dt.PatientChosen}
}

// snoozed returns the dose a snooze moves, if the key names a dose of the
// regimen; stale snoozes (of a time not kept that day) are ignored.
func (r Regimen) snoozed(s Snooze) (Dose, bool) {
	d, t, err := parseKey(s.Key)
	if err != nil || !r.doseDay(d) {
		return Dose{}, false
	}
	dt, ok := r.timeOn(d, t)
	if !ok {
		return Dose{}, false
	}
	dose := r.dose(d, dt)
	dose.At, dose.Snoozed, dose.PatientChosen = s.At.In(r.Zone), true, true
	return dose, true
}

func (r Regimen) isSnoozed(key string) bool {
	return slices.ContainsFunc(r.Snoozes, func(s Snooze) bool { return s.Key == key })
}

// Next returns the instant of the first dose due strictly after after, or
// the zero time when there is none (an as-needed regimen, one that has
// ended, or one that is not valid).
func (r Regimen) Next(after time.Time) time.Time {
	d, ok := r.NextDose(after)
	if !ok {
		return time.Time{}
	}
	return d.At
}

// NextDose returns the first dose due strictly after after, snoozes
// applied, and whether there is one. See [Regimen.Next].
func (r Regimen) NextDose(after time.Time) (Dose, bool) {
	if !r.Scheduled() || r.Validate() != nil {
		return Dose{}, false
	}
	var best Dose
	found := false
	take := func(d Dose) {
		if d.At.After(after) && (!found || earlier(d, best)) {
			best, found = d, true
		}
	}
	// A day's doses can come out of order (a shifted 02:30 is due after
	// 03:15), so the first day with a dose after after is searched whole;
	// start a day early, as a day's doses can fall on the next wall date.
	day := DateOf(after.In(r.Zone)).AddDays(-1)
	if day.Before(r.Start) {
		day = r.Start
	}
	for n := 0; n <= r.every()+2 && !found; n++ {
		if !r.End.IsZero() && day.After(r.End) {
			break
		}
		if r.doseDay(day) {
			for _, dt := range r.Times {
				if !dt.on(day) {
					continue
				}
				if dose := r.dose(day, dt); !r.isSnoozed(dose.Key) {
					take(dose)
				}
			}
		}
		day = day.AddDays(1)
	}
	for _, s := range r.Snoozes {
		if dose, ok := r.snoozed(s); ok {
			take(dose)
		}
	}
	return best, found
}

// DosesBetween returns the doses due in [from, to), snoozes applied, in
// the order they are due (by key when two are due at once, which only a
// spring-forward shift onto another dose time can cause). It returns nil
// for an as-needed or invalid regimen.
func (r Regimen) DosesBetween(from, to time.Time) []Dose {
	if !r.Scheduled() || r.Validate() != nil || !from.Before(to) {
		return nil
	}
	first := DateOf(from.In(r.Zone)).AddDays(-1)
	if first.Before(r.Start) {
		first = r.Start
	}
	last := DateOf(to.In(r.Zone)).AddDays(1)
	if !r.End.IsZero() && r.End.Before(last) {
		last = r.End
	}
	in := func(d Dose) bool { return !d.At.Before(from) && d.At.Before(to) }
	var out []Dose
	for day := first; !day.After(last); day = day.AddDays(1) {
		if !r.doseDay(day) {
			continue
		}
		for _, dt := range r.Times {
			if !dt.on(day) {
				continue
			}
			if dose := r.dose(day, dt); in(dose) && !r.isSnoozed(dose.Key) {
				out = append(out, dose)
			}
		}
	}
	for _, s := range r.Snoozes {
		if dose, ok := r.snoozed(s); ok && in(dose) {
			out = append(out, dose)
		}
	}
	slices.SortFunc(out, func(a, b Dose) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// earlier orders doses by instant, then key.
func earlier(a, b Dose) bool {
	if !a.At.Equal(b.At) {
		return a.At.Before(b.At)
	}
	return a.Key < b.Key
}
