package dosing

import (
	"time"

	"github.com/rapporthq/rapport"
)

// Regimen is when one patient takes one medication: dose times as local
// clock times in the patient's zone, on every EveryDays-th day from Start
// to End. It is a value: [ApplyChange] returns a changed copy.
type Regimen struct {
	PatientID  rapport.PatientID `json:"patient_id"`
	Medication rapport.Code      `json:"medication"`
	// Times are the dose times, sorted by time then by From. A time moved
	// by the patient keeps its past (Until) and the new one starts the day
	// after (From), so the doses of past days stay as they were reminded.
	Times []DoseTime `json:"times,omitempty"`
	// EveryDays is 1 for a daily regimen, 7 for a weekly one (on Start's
	// weekday), k for every k-th day counted from Start; 0 reads as 1.
	EveryDays int `json:"every_days,omitempty"`
	// Zone is the patient's IANA time zone. Stores persist Zone.String().
	Zone *time.Location `json:"-"`
	// AsNeeded regimens ("PRN") have no scheduled doses, so no reminders.
	AsNeeded bool `json:"as_needed,omitempty"`
	// Start is the first dose day; End the last (inclusive), zero if open.
	Start Date `json:"start"`
	End   Date `json:"end,omitzero"`
	// Snoozes move single doses: the patient replied LATER.
	Snoozes []Snooze `json:"snoozes,omitempty"`
}

// DoseTime is one dose time of a regimen, from day From to day Until
// (inclusive; zero bounds are open).
type DoseTime struct {
	At TimeOfDay `json:"at"`
	// PatientChosen marks a time the patient set by replying. The messaging
	// pipeline reads it (through [Dose.PatientChosen]) to let the reminder
	// through the organisation's quiet hours: a patient who asks for 06:30
	// is asking for a message at 06:30.
	PatientChosen bool `json:"patient_chosen,omitempty"`
	From          Date `json:"from,omitzero"`
	Until         Date `json:"until,omitzero"`
}

// on reports whether the time applies on day d.
func (dt DoseTime) on(d Date) bool {
	return (dt.From.IsZero() || !d.Before(dt.From)) && (dt.Until.IsZero() || !d.After(dt.Until))
}

// current reports whether the time has no end: it is a time of the regimen now.
func (dt DoseTime) current() bool { return dt.Until.IsZero() }

// Snooze moves the dose with Key (see [Dose.Key]) to instant At, once.
type Snooze struct {
	Key string    `json:"key"`
	At  time.Time `json:"at"`
}

// every returns the day step, 1 when unset.
func (r Regimen) every() int { return max(r.EveryDays, 1) }

// doseDay reports whether d is a day with doses.
func (r Regimen) doseDay(d Date) bool {
	if d.Before(r.Start) || (!r.End.IsZero() && d.After(r.End)) {
		return false
	}
	return d.DaysSince(r.Start)%r.every() == 0
}

// Scheduled reports whether the regimen has scheduled doses at all: an
// as-needed regimen, or one with no times, has none.
func (r Regimen) Scheduled() bool { return !r.AsNeeded && len(r.Times) > 0 }

// PatientChosen reports whether the patient chose dose time t, one of the
// regimen's current times.
func (r Regimen) PatientChosen(t TimeOfDay) bool {
	i, ok := r.currentIndex(t)
	return ok && r.Times[i].PatientChosen
}

// HasTime reports whether t is a current dose time of the regimen (one
// not ended by a move).
func (r Regimen) HasTime(t TimeOfDay) bool {
	_, ok := r.currentIndex(t)
	return ok
}

// currentIndex finds the current entry of time t.
func (r Regimen) currentIndex(t TimeOfDay) (int, bool) {
	for i, dt := range r.Times {
		if dt.At == t && dt.current() {
			return i, true
		}
	}
	return 0, false
}

// timeOn finds the entry of time t that applies on day d.
func (r Regimen) timeOn(d Date, t TimeOfDay) (DoseTime, bool) {
	for _, dt := range r.Times {
		if dt.At == t && dt.on(d) {
			return dt, true
		}
	}
	return DoseTime{}, false
}

// Validate checks that the regimen can be scheduled. Its errors are
// [rapport.EINVALID] and name the field ("regimen times[1]: …").
func (r Regimen) Validate() error {
	switch {
	case r.Zone == nil:
		return rapport.Errorf(rapport.EINVALID, "regimen zone: missing")
	case r.Zone == time.Local || r.Zone.String() == "Local":
		return rapport.Errorf(rapport.EINVALID, "regimen zone: Local is the server's zone, not the patient's")
	case r.Start.IsZero():
		return rapport.Errorf(rapport.EINVALID, "regimen start: missing")
	case !r.End.IsZero() && r.End.Before(r.Start):
		return rapport.Errorf(rapport.EINVALID, "regimen end: before start")
	case r.EveryDays < 0:
		return rapport.Errorf(rapport.EINVALID, "regimen every_days: negative")
	case !r.AsNeeded && len(r.Times) == 0:
		return rapport.Errorf(rapport.EINVALID, "regimen times: none, and not as needed")
	}
	for i, t := range r.Times {
		if !t.At.Valid() {
			return rapport.Errorf(rapport.EINVALID, "regimen times[%d]: not a time of day", i)
		}
		if !t.From.IsZero() && !t.Until.IsZero() && t.Until.Before(t.From) {
			return rapport.Errorf(rapport.EINVALID, "regimen times[%d] until: before from", i)
		}
		if i == 0 {
			continue
		}
		// One entry per time and day: sorted by time, and a repeated time
		// only after the previous entry of it has ended.
		prev := r.Times[i-1]
		switch {
		case t.At < prev.At:
			return rapport.Errorf(rapport.EINVALID, "regimen times[%d]: before times[%d]", i, i-1)
		case t.At == prev.At && (prev.Until.IsZero() || t.From.IsZero() || !prev.Until.Before(t.From)):
			return rapport.Errorf(rapport.EINVALID, "regimen times[%d]: overlaps times[%d]", i, i-1)
		}
	}
	for i, s := range r.Snoozes {
		if _, _, err := parseKey(s.Key); err != nil {
			return rapport.Errorf(rapport.EINVALID, "regimen snoozes[%d] key: %v", i, err)
		}
		if s.At.IsZero() {
			return rapport.Errorf(rapport.EINVALID, "regimen snoozes[%d] at: missing", i)
		}
	}
	return nil
}
