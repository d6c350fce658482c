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
	// DoseKey is the dose the reminder was about ([Dose.Key]).
	DoseKey string
	// At is when a snoozed dose is reminded again; zero for a move.
	At time.Time
}

// snoozeKeep is how long a snooze is remembered after the latest one.
const snoozeKeep = 48 * time.Hour

// ApplyChange returns r with c carried out; r itself is not modified.
//
// A move replaces dose time c.Replaces by c.To, marked patient-chosen (if
// c.To is already a dose time, the two become one, patient-chosen). If
// c.Replaces is no longer a dose time (the regimen changed after the
// reminder went out), the times are left as they are: compare with
// [Regimen.HasTime] to tell the patient.
//
// A snooze records that dose c.DoseKey is due at c.At instead; a later
// snooze of the same dose replaces it. Snoozes older than two days before
// the new one are dropped, so the list stays short.
func ApplyChange(r Regimen, c Change) Regimen {
	switch c.Kind {
	case ChangeMove:
		i, ok := r.timeIndex(c.Replaces)
		if !ok || !c.To.Valid() {
			return r
		}
		times := slices.Delete(slices.Clone(r.Times), i, i+1)
		j, found := slices.BinarySearchFunc(times, c.To, func(dt DoseTime, t TimeOfDay) int { return int(dt.At - t) })
		if found {
			times[j].PatientChosen = true
		} else {
			times = slices.Insert(times, j, DoseTime{At: c.To, PatientChosen: true})
		}
		r.Times = times
	case ChangeSnooze:
		if c.At.IsZero() || c.DoseKey == "" {
			return r
		}
		var kept []Snooze
		for _, s := range r.Snoozes {
			if s.Key != c.DoseKey && !s.At.Before(c.At.Add(-snoozeKeep)) {
				kept = append(kept, s)
			}
		}
		r.Snoozes = append(kept, Snooze{Key: c.DoseKey, At: c.At})
	}
	return r
}
