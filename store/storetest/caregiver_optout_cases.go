package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testCaregiverMessages: a caregiver is found by a contact value and opted
// out once (stored, in the ledger, surviving a save); a message to a
// caregiver keeps whom it is for and its kind, and is neither in the
// patient's recent sends (caps) nor the message a reply is tied to.
func testCaregiverMessages(t *testing.T, s suite) {
	p := samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{p}) })
	c := sampleCaregiver(p.ID)
	s.tx(t, func(tx *store.Tx) error { return tx.SaveCaregiver(s.ctx, c) })

	const to = "+15125550142" // the caregiver's mobile
	m := &rapport.Message{PatientID: p.ID, CaregiverID: c.ID, Proxy: rapport.ProxyMissedDose, Channel: rapport.ChannelSMS, To: to,
		Purpose: rapport.PurposeCare, Language: "es", Body: "Hola", Status: rapport.MessageQueued, NotBefore: Start, Deadline: Start.Add(time.Hour)}
	s.tx(t, func(tx *store.Tx) error { return tx.CreateMessages(s.ctx, []*rapport.Message{m}) })
	s.tx(t, func(tx *store.Tx) error {
		got, err := tx.FindMessage(s.ctx, m.ID)
		if err == nil && (got.CaregiverID != c.ID || got.Proxy != rapport.ProxyMissedDose) {
			t.Errorf("stored message for caregiver %q kind %q, want %s %s", got.CaregiverID, got.Proxy, c.ID, rapport.ProxyMissedDose)
		}
		return err
	})
	s.tx(t, func(tx *store.Tx) error {
		recent, err := tx.RecentSendsFor(s.ctx, []rapport.PatientID{p.ID}, Start.Add(-time.Hour))
		if err == nil && len(recent[p.ID]) != 0 {
			t.Errorf("recent sends of the patient %v: the caregiver's message counts in the patient's caps", recent[p.ID])
		}
		if _, err := tx.LastMessageTo(s.ctx, rapport.ChannelSMS, to); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Errorf("last message to the caregiver's number: %v, want ENOTFOUND (no reply is tied to it)", err)
		}
		return err
	})

	s.clock.Advance(time.Minute)
	s.tx(t, func(tx *store.Tx) error {
		found, err := tx.FindCaregiversByContact(s.ctx, rapport.ContactPhone, to)
		if err != nil {
			return err
		}
		if len(found) != 1 || found[0].ID != c.ID {
			t.Fatalf("caregivers by %s: %d, want the one", to, len(found))
		}
		if none, err := tx.FindCaregiversByContact(s.ctx, rapport.ContactPhone, "+15125550199"); err != nil || len(none) != 0 {
			t.Errorf("caregivers by an unknown number: %d, %v", len(none), err)
		}
		for range 2 { // the second STOP changes nothing
			if _, err := tx.OptOutCaregivers(s.ctx, []string{c.ID, "nope"}, "in-1"); err != nil {
				return err
			}
		}
		return nil
	})
	s.tx(t, func(tx *store.Tx) error { return tx.SaveCaregiver(s.ctx, c) }) // c as it was: no opt-out in memory
	g, err := s.db.FindCaregiverByID(s.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !g.OptedOutAt.Equal(Start.Add(time.Minute)) || g.MayReceive(rapport.ProxyMissedDose, Start.Add(time.Hour)) {
		t.Errorf("opted out at %v, want %v and no more messages", g.OptedOutAt, Start.Add(time.Minute))
	}
	evs, err := s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: p.ID, Kind: rapport.EventCaregiverOptedOut})
	if err != nil || len(evs) != 1 {
		t.Errorf("opt-out events = %d, %v; want 1", len(evs), err)
	}

	// START: opted in once, in the ledger; the next save keeps it so.
	s.clock.Advance(time.Minute)
	for i, want := range []int{1, 0} { // the second START changes nothing
		var done []string
		s.tx(t, func(tx *store.Tx) (err error) {
			done, err = tx.OptInCaregivers(s.ctx, []string{c.ID, "nope"}, "in-2")
			return err
		})
		if len(done) != want {
			t.Errorf("START %d opted in %v, want %d", i+1, done, want)
		}
	}
	s.tx(t, func(tx *store.Tx) error { return tx.SaveCaregiver(s.ctx, c) })
	if g, err = s.db.FindCaregiverByID(s.ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if !g.OptedOutAt.IsZero() || !g.MayReceive(rapport.ProxyMissedDose, Start.Add(time.Hour)) {
		t.Errorf("after START opted out at %v, want none and messages again", g.OptedOutAt)
	}
	evs, err = s.db.FindEvents(s.ctx, rapport.EventFilter{PatientID: p.ID, Kind: rapport.EventCaregiverOptedIn})
	if err != nil || len(evs) != 1 || !strings.Contains(string(evs[0].Payload), "in-2") {
		t.Errorf("opt-in events = %v, %v; want 1 naming the inbound", evs, err)
	}
}
