package storetest

import (
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testRegimens: regimens round-trip, the reminder job finds the due ones
// soonest first and never a stopped one, and reminder times leave out
// suppressed messages and other steps.
func testRegimens(t *testing.T, s suite) {
	a, b := phonePatient("A", "+15125550120"), phonePatient("B", "+15125550121")
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b}) })
	now := s.clock.Now()
	early := &store.Regimen{PatientID: a.ID, Drug: rapport.Code{System: "rxnorm", Code: "314076", Display: "lisinopril 10 MG"}, Zone: "America/Chicago",
		Schedule: []byte(`{"times":[{"at":"08:00"}]}`), Status: store.RegimenActive, NextDueAt: now.Add(time.Minute), CreatedBy: "staff-1"}
	late := &store.Regimen{PatientID: b.ID, Drug: rapport.Code{Code: "861007"}, Zone: "America/Denver", Schedule: []byte(`{}`),
		Status: store.RegimenActive, NextDueAt: now.Add(time.Hour), RemindersRequested: true, CheckinAfter: 2 * time.Hour, ReadingPriority: rapport.PriorityUrgent}
	stopped := &store.Regimen{PatientID: b.ID, Drug: rapport.Code{Code: "617310"}, Zone: "UTC", Schedule: []byte(`{}`),
		Status: store.RegimenStopped, NextDueAt: now}
	// A regimen proposed from an imported prescription is never due, even
	// with a time on it: only staff start it.
	proposed := &store.Regimen{PatientID: a.ID, Drug: rapport.Code{Code: "861007"}, Zone: "America/Chicago", Schedule: []byte(`{}`),
		Status: store.RegimenProposed, NextDueAt: now, RequestID: "rx-1", CreatedBy: "import"}
	s.tx(t, func(tx *store.Tx) error {
		for _, r := range []*store.Regimen{late, early, stopped, proposed} {
			if err := tx.CreateRegimen(s.ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	s.tx(t, func(tx *store.Tx) error {
		due, err := tx.DueRegimens(s.ctx, now.Add(2*time.Hour), 10)
		if err != nil {
			return err
		}
		if len(due) != 2 || due[0].ID != early.ID || due[1].ID != late.ID {
			t.Errorf("due in 2 h: %d regimens, want early then late (the stopped and proposed ones never)", len(due))
		}
		if due, _ := tx.DueRegimens(s.ctx, now.Add(30*time.Minute), 10); len(due) != 1 || due[0].ID != early.ID {
			t.Errorf("due in 30 min: %d regimens, want the early one", len(due))
		}
		got, err := tx.FindRegimen(s.ctx, early.ID)
		if err != nil {
			return err
		}
		if got.PatientID != a.ID || got.Drug != early.Drug || got.Zone != "America/Chicago" || string(got.Schedule) != string(early.Schedule) ||
			!got.NextDueAt.Equal(early.NextDueAt) || got.CreatedBy != "staff-1" || got.RemindersRequested {
			t.Errorf("round trip: %+v", got)
		}
		got.Status, got.NextDueAt, got.Schedule = store.RegimenStopped, time.Time{}, []byte(`{"times":[]}`)
		got.LastDoseKey, got.LastDoseAt = "2026-03-01@08:00", now.Add(time.Minute)
		if err := tx.UpdateRegimens(s.ctx, []*store.Regimen{got}); err != nil {
			return err
		}
		if due, _ := tx.DueRegimens(s.ctx, now.Add(2*time.Hour), 10); len(due) != 1 || due[0].ID != late.ID {
			t.Errorf("after stopping the early one: %d due, want the late one", len(due))
		}
		if again, err := tx.FindRegimen(s.ctx, early.ID); err != nil || again.LastDoseKey != "2026-03-01@08:00" || !again.LastDoseAt.Equal(now.Add(time.Minute)) ||
			again.Status != store.RegimenStopped || !again.NextDueAt.IsZero() {
			t.Errorf("after the update: %+v, %v", again, err)
		}
		if err := tx.UpdateRegimens(s.ctx, []*store.Regimen{{ID: "missing", Status: store.RegimenActive}}); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Errorf("update of a missing regimen: %v, want ENOTFOUND", err)
		}
		if _, err := tx.FindRegimen(s.ctx, "missing"); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Errorf("find a missing regimen: %v, want ENOTFOUND", err)
		}
		list, err := tx.PatientRegimens(s.ctx, b.ID)
		if err != nil || len(list) != 2 {
			t.Errorf("B's regimens: %d, %v; want 2", len(list), err)
		}
		both, err := tx.PatientsRegimens(s.ctx, []rapport.PatientID{a.ID, b.ID, "nobody"})
		if err != nil || len(both) != 2 || len(both[a.ID]) != 2 || len(both[b.ID]) != 2 {
			t.Errorf("A's and B's regimens: %v, %v; want two each", both, err)
		}
		if got, err := tx.FindRegimen(s.ctx, proposed.ID); err != nil || got.Status != store.RegimenProposed || got.RequestID != "rx-1" {
			t.Errorf("proposed regimen read back: %+v, %v", got, err)
		}
		lateAgain, err := tx.FindRegimen(s.ctx, late.ID)
		if err != nil || lateAgain.CheckinAfter != 2*time.Hour || !lateAgain.RemindersRequested || lateAgain.ReadingPriority != rapport.PriorityUrgent {
			t.Fatalf("check-in after and reading priority: %+v, %v; want 2h and urgent", lateAgain, err)
		}
		if again, _ := tx.FindRegimen(s.ctx, proposed.ID); again.ReadingPriority != "" {
			t.Errorf("reading priority of a regimen created without one: %q, want ''", again.ReadingPriority)
		}
		lateAgain.ReadingPriority = rapport.PriorityNormal
		if err := tx.UpdateRegimens(s.ctx, []*store.Regimen{lateAgain}); err != nil {
			return err
		}
		if again, err := tx.FindRegimen(s.ctx, late.ID); err != nil || again.ReadingPriority != rapport.PriorityNormal {
			t.Errorf("reading priority after the update: %q, %v; want normal", again.ReadingPriority, err)
		}
		ms := []*rapport.Message{
			{PatientID: a.ID, Channel: rapport.ChannelSMS, To: "+15125550120", Purpose: rapport.PurposeCare, Status: rapport.MessageSent, Step: "dose-reminder", Deadline: now.Add(time.Hour), PatientTimed: true},
			{PatientID: a.ID, Channel: rapport.ChannelSMS, To: "+15125550120", Purpose: rapport.PurposeCare, Status: rapport.MessageSuppressed, Step: "dose-reminder", Deadline: now.Add(time.Hour)},
			{PatientID: a.ID, Channel: rapport.ChannelSMS, To: "+15125550120", Purpose: rapport.PurposeCare, Status: rapport.MessageSent, Step: "other", Deadline: now.Add(time.Hour)},
			{PatientID: b.ID, Channel: rapport.ChannelSMS, To: "+15125550121", Purpose: rapport.PurposeCare, Status: rapport.MessageQueued, Step: "dose-reminder", Deadline: now.Add(time.Hour)},
		}
		for _, m := range ms {
			m.Body = "Time for your medicine."
		}
		if err := tx.CreateMessages(s.ctx, ms); err != nil {
			return err
		}
		found, err := tx.FindMessagesByID(s.ctx, []rapport.MessageID{ms[0].ID})
		if err != nil || len(found) != 1 || !found[0].PatientTimed {
			t.Errorf("a patient-timed message read back: %v, %v", found, err)
		}
		times, err := tx.ReminderTimes(s.ctx, []string{"dose-reminder", "refill-reminder"}, []rapport.PatientID{a.ID, b.ID}, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if len(times[a.ID]) != 1 || len(times[b.ID]) != 1 || !times[a.ID][0].Equal(now) {
			t.Errorf("reminder times %v, want one each at %v (suppressed and other steps left out)", times, now)
		}
		if times, _ := tx.ReminderTimes(s.ctx, []string{"dose-reminder", "refill-reminder"}, []rapport.PatientID{a.ID}, now.Add(time.Minute)); len(times[a.ID]) != 0 {
			t.Errorf("reminders from a minute from now: %v, want none", times)
		}
		return nil
	})
}
