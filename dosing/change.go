package dosing

import (
	"slices"
	"time"
)

// ChangeKind says how far a patient's reply moves their reminder.
type ChangeKind string

const (
	// ChangeSnooze moves one dose, once ("LATER", "más tarde").
	ChangeSnooze ChangeKind = "snooze"
	// ChangeMove moves a dose time of the regimen from now on ("8PM",
	// "cambiar a las 9").
	ChangeMove ChangeKind = "move"
)

// DefaultSnooze is how much later a snoozed dose is reminded again.
const DefaultSnooze = time.Hour

// Change is a patient's request to move a reminder, read by
// [ParseTimeChange] and carried out by [ApplyChange].
type Change struct {
	Kind ChangeKind
	// Replaces is the dose time the reminder was about.
	Replaces TimeOfDay
	// To is the new local time: the regimen's new dose time for a move, the
	// wall-clock reading of At for a snooze.
	To TimeOfDay
	// From is the first day of the new time, for a move: the day after the
	// last dose at the old time already due when the patient replied.
	From Date
	// DoseKey and At move one dose ([Dose.Key]) to a new instant: the
	// snoozed dose; for a move, the dose of the day before From when the
	// new time that day is still to come ("change to 10pm" at 09:05 moves
	// this morning's dose to tonight). Both are empty otherwise.
	DoseKey string
	At      time.Time
}

// ApplyChange returns r with c carried out; r itself is not modified.
//
// A move ends dose time c.Replaces the day before c.From and starts c.To,
// patient-chosen, on c.From, so the days already reminded keep their doses
// and no day gets the old and the new dose both; the dose c.DoseKey (if
// any) moves to c.At. If c.To is already a current dose time, the two
// become one, patient-chosen. If c.Replaces is not a current dose time (the
// regimen changed after the reminder went out), r is returned as it is:
// compare with [Regimen.HasTime] to tell the patient.
//
// A snooze records that dose c.DoseKey is due at c.At instead; a later
// snooze of the same dose replaces it. Old snoozes stay, so past doses
// read as they were reminded, until [Regimen.DropSnoozesBefore].
func ApplyChange(r Regimen, c Change) Regimen {
	switch c.Kind {
	case ChangeMove:
		i, ok := r.currentIndex(c.Replaces)
		if !ok || !c.To.Valid() {
			return r
		}
		r.Times = moveTime(r.Times, i, c)
	case ChangeSnooze:
	default:
		return r
	}
	if !c.At.IsZero() && c.DoseKey != "" {
		r.Snoozes = withSnooze(r.Snoozes, c.DoseKey, c.At)
	}
	return r
}

// moveTime returns a copy of times with entry i moved as c says.
func moveTime(times []DoseTime, i int, c Change) []DoseTime {
	times = slices.Clone(times)
	old := times[i]
	if c.To == old.At {
		times[i].PatientChosen = true
		return times
	}
	from := c.From
	if from.IsZero() || (!old.From.IsZero() && from.Before(old.From)) {
		from = old.From // moved again before it began: the new time takes its place
	}
	if from.IsZero() || !from.After(old.From) {
		times = slices.Delete(times, i, i+1)
	} else {
		times[i].Until = from.AddDays(-1)
	}
	// Never onto a day an ended entry of the new time still covers.
	for _, dt := range times {
		if dt.At == c.To && !dt.current() && !dt.Until.Before(from) {
			from = dt.Until.AddDays(1)
		}
	}
	if j := slices.IndexFunc(times, func(dt DoseTime) bool { return dt.At == c.To && dt.current() }); j >= 0 {
		times[j].PatientChosen = true
		if !times[j].From.IsZero() && from.Before(times[j].From) {
			times[j].From = from // no day between the old time's end and this one's start
		}
		return times
	}
	times = append(times, DoseTime{At: c.To, PatientChosen: true, From: from})
	slices.SortStableFunc(times, func(a, b DoseTime) int {
		if a.At != b.At {
			return int(a.At - b.At)
		}
		return dateCompare(a.From, b.From)
	})
	return times
}

// dateCompare orders dates, the zero (open) date first.
func dateCompare(a, b Date) int {
	switch {
	case a == b:
		return 0
	case a.IsZero() || a.Before(b):
		return -1
	}
	return 1
}

// withSnooze returns a copy of snoozes with key moved to at, in place of
// any former snooze of key.
func withSnooze(snoozes []Snooze, key string, at time.Time) []Snooze {
	kept := make([]Snooze, 0, len(snoozes)+1)
	for _, s := range snoozes {
		if s.Key != key {
			kept = append(kept, s)
		}
	}
	return append(kept, Snooze{Key: key, At: at})
}

// DropSnoozesBefore returns r without the snoozes due before t, so that a
// stored regimen's list stays short: doses before t then read as scheduled
// (the ledger, not the regimen, is the record of what was sent).
func (r Regimen) DropSnoozesBefore(t time.Time) Regimen {
	var kept []Snooze
	for _, s := range r.Snoozes {
		if !s.At.Before(t) {
			kept = append(kept, s)
		}
	}
	r.Snoozes = kept
	return r
}
