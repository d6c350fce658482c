package reminders

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/internal/zones"
	"github.com/rapporthq/rapport/store"
)

// Ledger event kinds of reminders.
const (
	EventRegimenCreated  rapport.EventKind = "regimen.created"
	EventRegimenChanged  rapport.EventKind = "regimen.changed"
	EventRegimenStarted  rapport.EventKind = "regimen.started"
	EventRegimenStopped  rapport.EventKind = "regimen.stopped"
	EventReminderSkipped rapport.EventKind = "reminder.skipped"
)

// Create stores a new active regimen for sched's patient and medication,
// due at its first dose after now. by says who created it (a token's
// name, "import"); checkinAfter, when positive, asks "did you take it?"
// that long after each dose, which needs the patient to have asked for
// the reminders (the limits on unsolicited ones allow one message a day).
func Create(ctx context.Context, tx *store.Tx, sched dosing.Regimen, requested bool, checkinAfter time.Duration, by string) (*store.Regimen, error) {
	if err := checkCheckin(requested, checkinAfter); err != nil {
		return nil, err
	}
	if err := sched.Validate(); err != nil {
		return nil, err
	}
	if !sched.Scheduled() {
		return nil, rapport.Errorf(rapport.EINVALID, "regimen times: none (an as-needed medication has no reminders)")
	}
	data, err := json.Marshal(sched)
	if err != nil {
		return nil, fmt.Errorf("encode regimen: %w", err)
	}
	r := &store.Regimen{PatientID: sched.PatientID, Drug: sched.Medication, Zone: sched.Zone.String(), Schedule: data,
		RemindersRequested: requested, CheckinAfter: checkinAfter.Truncate(time.Minute), EscalateMissed: EscalateMissed, EscalateWindow: EscalateWindow, Status: store.RegimenActive, NextDueAt: sched.Next(tx.Now()), CreatedBy: by}
	if err := tx.CreateRegimen(ctx, r); err != nil {
		return nil, err
	}
	return r, tx.AppendEvents(ctx, regimenEvent(r, EventRegimenCreated, map[string]any{"by": by, "requested": requested}))
}

// checkCheckin checks the check-in delay of a regimen being started.
func checkCheckin(requested bool, checkinAfter time.Duration) error {
	if checkinAfter < 0 || checkinAfter > 12*time.Hour || (checkinAfter > 0 && !requested) {
		return rapport.Errorf(rapport.EINVALID, "checkin_after_minutes: %v; want 0 to 720, and check-ins need reminders_requested", checkinAfter.Minutes())
	}
	return nil
}

// Start begins the reminders of proposed regimen id (one made from an
// imported prescription), due at its next dose; requested and
// checkinAfter are as for [Create]. ECONFLICT when it is not proposed:
// an active one runs already and a stopped one stays stopped.
func Start(ctx context.Context, tx *store.Tx, id string, requested bool, checkinAfter time.Duration, by string) (*store.Regimen, error) {
	if err := checkCheckin(requested, checkinAfter); err != nil {
		return nil, err
	}
	r, err := tx.FindRegimen(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != store.RegimenProposed {
		return nil, rapport.Errorf(rapport.ECONFLICT, "regimen %s is %s: only a proposed regimen can be started", id, r.Status)
	}
	sched, err := Schedule(r)
	if err != nil {
		return nil, err
	}
	r.Status, r.RemindersRequested, r.CheckinAfter = store.RegimenActive, requested, checkinAfter.Truncate(time.Minute)
	if err := save(r, sched, tx.Now()); err != nil {
		return nil, err
	}
	if err := tx.UpdateRegimens(ctx, []*store.Regimen{r}); err != nil {
		return nil, err
	}
	return r, tx.AppendEvents(ctx, regimenEvent(r, EventRegimenStarted, map[string]any{"by": by, "requested": requested}))
}

// Stop ends the reminders of regimen id; stopping a stopped one is a no-op.
func Stop(ctx context.Context, tx *store.Tx, id, by string) (*store.Regimen, error) {
	r, err := tx.FindRegimen(ctx, id)
	if err != nil || r.Status == store.RegimenStopped {
		return r, err
	}
	r.Status, r.NextDueAt = store.RegimenStopped, time.Time{}
	if err := tx.UpdateRegimens(ctx, []*store.Regimen{r}); err != nil {
		return nil, err
	}
	return r, tx.AppendEvents(ctx, regimenEvent(r, EventRegimenStopped, map[string]any{"by": by}))
}

// Schedule decodes a stored regimen's schedule, in its zone.
func Schedule(r *store.Regimen) (dosing.Regimen, error) {
	var s dosing.Regimen
	if err := json.Unmarshal(r.Schedule, &s); err != nil {
		return s, fmt.Errorf("regimen %s schedule: %w", r.ID, err)
	}
	loc, err := zones.Load(r.Zone)
	if err != nil {
		return s, fmt.Errorf("regimen %s zone: %w", r.ID, err)
	}
	s.Zone, s.PatientID, s.Medication = loc, r.PatientID, r.Drug
	return s, nil
}

// save encodes sched into r and sets its next due dose after now, never
// the dose last reminded again.
func save(r *store.Regimen, sched dosing.Regimen, now time.Time) error {
	data, err := json.Marshal(sched)
	if err != nil {
		return fmt.Errorf("encode regimen %s: %w", r.ID, err)
	}
	r.Schedule = data
	r.NextDueAt = time.Time{}
	after := now
	for range 3 { // the dose last reminded, then a dose at the same instant at most
		d, ok := sched.NextDose(after)
		if !ok {
			return nil
		}
		if d.ReminderKey() != r.LastDoseKey || !d.At.Equal(r.LastDoseAt) {
			r.NextDueAt = d.At
			return nil
		}
		after = d.At
	}
	return nil
}

// doseOf reads the dose a reminder was about from its key.
func doseOf(key string) (dosing.Dose, error) {
	day, at, ok := strings.Cut(key, "@")
	if !ok {
		return dosing.Dose{}, fmt.Errorf("dose key %q: want YYYY-MM-DD@HH:MM", key)
	}
	d, err := dosing.ParseDate(day)
	if err != nil {
		return dosing.Dose{}, fmt.Errorf("dose key %q: %w", key, err)
	}
	t, err := dosing.ParseTimeOfDay(at)
	if err != nil {
		return dosing.Dose{}, fmt.Errorf("dose key %q: %w", key, err)
	}
	return dosing.Dose{Date: d, Time: t, Key: key}, nil
}

func regimenEvent(r *store.Regimen, kind rapport.EventKind, payload map[string]any) rapport.Event {
	payload["regimen"], payload["drug"] = r.ID, r.Drug.Code
	p, _ := json.Marshal(payload)
	return rapport.Event{PatientID: r.PatientID, Kind: kind, Payload: p}
}
