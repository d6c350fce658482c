package messaging_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// storeInbound keeps an inbound message without processing it yet, as Receive
// does when its processing job has not run; process queues that job.
func (h *harness) storeInbound(from, body string) *rapport.Inbound {
	h.t.Helper()
	in := &rapport.Inbound{Channel: rapport.ChannelSMS, From: from, To: ourNumber, Body: body}
	h.tx(func(tx *store.Tx) error { _, err := tx.CreateInbound(h.ctx, in); return err })
	return in
}

func (h *harness) process(in *rapport.Inbound) {
	h.t.Helper()
	h.tx(func(tx *store.Tx) error {
		_, err := h.q.InsertTx(h.ctx, tx, river.InsertManyParams{Args: messaging.ProcessArgs{InboundID: in.ID}})
		return err
	})
}

// TestPendingStopHoldsSend: a STOP from a shared number is stored, its
// processing job not yet run, when a message to another patient with that
// number comes up for sending. It must not go; once the STOP is processed
// the message is suppressed. A pending reply that is no opt-out holds
// nothing.
func TestPendingStopHoldsSend(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body string
		want rapport.MessageStatus
	}{
		{"STOP", rapport.MessageSuppressed},
		{"parar.", rapport.MessageSuppressed},
		{"Unsubscribe", rapport.MessageSuppressed},
		{"stop texting my mom please", rapport.MessageDelivered}, // not a keyword: staff read it
		{"C", rapport.MessageDelivered},
	}
	for _, c := range cases {
		t.Run(c.body, func(t *testing.T) {
			t.Parallel()
			each(t, func(t *testing.T, h *harness) {
				const family = "+15125550160"
				a := h.patient("en", mobile(family))
				b := h.patient("en", mobile(family))
				h.send(messaging.Request{PatientID: a.ID, Purpose: rapport.PurposeCare, Content: en("Your appointment is tomorrow")})
				h.idle()

				in := h.storeInbound(family, c.body)
				m := h.send(messaging.Request{PatientID: b.ID, Purpose: rapport.PurposeCare, Content: en("Your results are ready")})
				h.idle()
				before := rapport.MessageQueued // held
				if c.want != rapport.MessageSuppressed {
					before = c.want // not held
				}
				if got := h.message(m.ID); got.Status != before {
					t.Fatalf("with %q pending: status %s, want %s", c.body, got.Status, before)
				}

				h.process(in)
				h.advance(time.Minute)
				if got := h.message(m.ID); got.Status != c.want {
					t.Errorf("after %q was processed: %s (%q), want %s", c.body, got.Status, got.StatusReason, c.want)
				}
				for _, s := range h.sentTo(family) {
					if s.ID == string(m.ID) && c.want == rapport.MessageSuppressed {
						t.Errorf("sent despite %q: %+v", c.body, s)
					}
				}
			})
		})
	}
}
