package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestStatusOnlyMovesForward applies status changes out of order, as a
// delivery receipt that commits before the send worker records "sent"
// does: the status never goes back, and what the late change knows (when
// it was sent, the provider's id) is still kept.
func TestStatusOnlyMovesForward(t *testing.T) {
	t.Parallel()
	sent := func(reason string) store.MessageUpdate {
		return store.MessageUpdate{Status: rapport.MessageSent, Reason: reason, ProviderID: "SM1", Segments: 2, SentAt: start.Add(time.Second)}
	}
	to := func(s rapport.MessageStatus, reason string) store.MessageUpdate {
		return store.MessageUpdate{Status: s, Reason: reason}
	}
	cases := []struct {
		name    string
		steps   []store.MessageUpdate // each in a transaction of its own
		status  rapport.MessageStatus
		reason  string
		sentAt  bool
		provide string
	}{
		{"sent then delivered", []store.MessageUpdate{sent(""), to(rapport.MessageDelivered, "")}, rapport.MessageDelivered, "", true, "SM1"},
		{"delivered then sent", []store.MessageUpdate{to(rapport.MessageDelivered, ""), sent("")}, rapport.MessageDelivered, "", true, "SM1"},
		{"undelivered then sent", []store.MessageUpdate{to(rapport.MessageUndelivered, "bad address (provider code 30003)"), sent("")},
			rapport.MessageUndelivered, "bad address (provider code 30003)", true, "SM1"},
		{"failed then sent", []store.MessageUpdate{to(rapport.MessageFailed, "carrier refused"), sent("")}, rapport.MessageFailed, "carrier refused", true, "SM1"},
		{"sent then undelivered", []store.MessageUpdate{sent(""), to(rapport.MessageUndelivered, "unreachable")}, rapport.MessageUndelivered, "unreachable", true, "SM1"},
		{"delivered then failed", []store.MessageUpdate{sent(""), to(rapport.MessageDelivered, ""), to(rapport.MessageFailed, "late")},
			rapport.MessageDelivered, "", true, "SM1"},
		{"suppressed then sent", []store.MessageUpdate{to(rapport.MessageSuppressed, "opted out"), sent("")}, rapport.MessageSuppressed, "opted out", true, "SM1"},
		{"sent then queued", []store.MessageUpdate{sent(""), to(rapport.MessageQueued, "")}, rapport.MessageSent, "", true, "SM1"},
		{"queued again (deferred)", []store.MessageUpdate{to(rapport.MessageQueued, "")}, rapport.MessageQueued, "", false, ""},
	}
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ms := make([]*rapport.Message, len(cases))
		for i := range cases {
			ms[i] = queuedMessage()
		}
		createMessages(t, db, ms)
		for i, c := range cases {
			for _, u := range c.steps {
				u.ID = ms[i].ID
				inTx(t, db, func(tx *store.Tx) error { return tx.UpdateMessages(ctx, []store.MessageUpdate{u}) })
			}
		}
		for i, c := range cases {
			got, err := db.FindMessage(ctx, ms[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.status || got.StatusReason != c.reason {
				t.Errorf("%s: status %s (%q), want %s (%q)", c.name, got.Status, got.StatusReason, c.status, c.reason)
			}
			if !got.SentAt.IsZero() != c.sentAt || got.ProviderID != c.provide {
				t.Errorf("%s: sent at %v, provider id %q; want sent at recorded %v, provider id %q", c.name, got.SentAt, got.ProviderID, c.sentAt, c.provide)
			}
		}
	})
}

// TestStatusForwardInOneCall checks the order within one UpdateMessages
// call, where the send worker records "sent" and an immediate "delivered".
func TestStatusForwardInOneCall(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func() rapport.Clock { return rapport.NewManualClock(start) }, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := queuedMessage(), queuedMessage()
		createMessages(t, db, []*rapport.Message{a, b})
		inTx(t, db, func(tx *store.Tx) error {
			return tx.UpdateMessages(ctx, []store.MessageUpdate{
				{ID: a.ID, Status: rapport.MessageSent, SentAt: start},
				{ID: a.ID, Status: rapport.MessageDelivered},
				{ID: b.ID, Status: rapport.MessageDelivered},
				{ID: b.ID, Status: rapport.MessageSent, SentAt: start},
			})
		})
		for _, m := range []*rapport.Message{a, b} {
			got, err := db.FindMessage(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != rapport.MessageDelivered || !got.SentAt.Equal(start) {
				t.Errorf("message %s: %s sent at %v, want delivered sent at %v", m.ID, got.Status, got.SentAt, start)
			}
		}
	})
}

// start is when every test clock of this file starts.
var start = time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)

// queuedMessage returns a queued SMS to a patient of its own (created with it).
func queuedMessage() *rapport.Message {
	return &rapport.Message{Channel: rapport.ChannelSMS, To: "+15125550100", Purpose: rapport.PurposeCare, Body: "Reply C to confirm",
		Status: rapport.MessageQueued, NotBefore: start, Deadline: start.Add(24 * time.Hour)}
}

// createMessages stores a patient and the messages, all to that patient.
func createMessages(t *testing.T, db *store.DB, ms []*rapport.Message) {
	t.Helper()
	p := &rapport.Patient{Given: "Rosa", Family: "Diaz", Language: "en"}
	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.CreatePatients(context.Background(), []*rapport.Patient{p}); err != nil {
			return err
		}
		for _, m := range ms {
			m.PatientID = p.ID
		}
		return tx.CreateMessages(context.Background(), ms)
	})
}

func inTx(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
