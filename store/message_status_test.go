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

// TestStatusRaceOnPostgres has the send worker's "sent" wait on the row
// lock of a delivery receipt's transaction, which then commits: PostgreSQL
// re-reads the changed row before applying the waiting UPDATE, and the
// status must still not go back.
func TestStatusRaceOnPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t, store.Postgres, rapport.NewManualClock(start))
	m := queuedMessage()
	createMessages(t, db, []*rapport.Message{m})

	first, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx)
	if err := first.UpdateMessages(ctx, []store.MessageUpdate{{ID: m.ID, Status: rapport.MessageDelivered}}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- db.InTx(ctx, func(tx *store.Tx) error {
			return tx.UpdateMessages(ctx, []store.MessageUpdate{{ID: m.ID, Status: rapport.MessageSent, ProviderID: "SM1", SentAt: start}})
		})
	}()
	waitForLockWait(t, db)
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, err := db.FindMessage(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != rapport.MessageDelivered || !got.SentAt.Equal(start) || got.ProviderID != "SM1" {
		t.Errorf("after the race: %s, sent at %v, provider id %q; want delivered, %v, SM1", got.Status, got.SentAt, got.ProviderID, start)
	}
}

// waitForLockWait returns once a session of db's database waits for a
// lock, polling the server (there is no event to wait on).
func waitForLockWait(t *testing.T, db *store.DB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		var n int
		err := db.PgxPool().QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n)
		if err != nil {
			t.Fatalf("waiting for the second update to block: %v", err)
		}
		if n > 0 {
			return
		}
	}
}
