package messaging_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging"
)

// contact returns the patient's only contact point as stored.
func (h *harness) contact(pid rapport.PatientID) rapport.ContactPoint {
	h.t.Helper()
	p, err := h.db.FindPatientByID(h.ctx, pid)
	if err != nil || len(p.Contacts) != 1 {
		h.t.Fatalf("patient %s: %v", pid, err)
	}
	return p.Contacts[0]
}

// TestAnswerConfirmsContact: a reply to a message rapport sent makes the
// number valid, confirmed now, with the reply as evidence.
func TestAnswerConfirmsContact(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		cp := mobile("+15125550123")
		cp.Status = rapport.StatusStale
		p := h.patient("en", cp)
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("How are you feeling?")})
		h.idle()
		h.reply(rapport.ChannelSMS, "+15125550123", "much better, thanks")
		got := h.contact(p.ID)
		if got.Status != rapport.StatusValid || !got.ConfirmedAt.Equal(h.clock.Now()) || got.StatusReason == "" {
			t.Errorf("after the answer to %s: %+v; want valid, confirmed now, with evidence", m.ID, got)
		}
	})
}

// TestSoftFailureCounts: an undelivered report for a passing reason
// (handset off) counts on the contact point without changing its status; a
// hard failure does not count as soft.
func TestSoftFailureCounts(t *testing.T) {
	// Held: the simulator reports delivery in its answer, so the report
	// must come before the send job runs, which a live queue may not wait for.
	eachHeld(t, func(t *testing.T, h *harness) {
		p := h.patient("en", mobile("+15125550124"))
		m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Reminder")})
		err := h.p.HandleStatus(h.ctx, messaging.StatusReport{MessageID: m.ID, Status: rapport.MessageUndelivered,
			Err: &channel.Error{Kind: channel.ErrRetryable, Code: "30003", Msg: "unreachable handset"}})
		if err != nil {
			t.Fatal(err)
		}
		got := h.contact(p.ID)
		if got.SoftFailures != 1 || got.Status != rapport.StatusValid {
			t.Errorf("after a 30003: %d soft failures, status %s; want 1, valid", got.SoftFailures, got.Status)
		}
	})
}

// TestSoftFailureLimitMarksStale: the soft failure that reaches the limit
// makes the number stale when it is recorded, not at the next hygiene run,
// with the failures as evidence; the ones before it leave it valid.
func TestSoftFailureLimitMarksStale(t *testing.T) {
	// The queue is held: a send job that ran first would have the
	// simulator report the message delivered, a final status the failure
	// report could not replace (the test was flaky on a loaded machine).
	eachHeld(t, func(t *testing.T, h *harness) {
		p := h.patient("en", mobile("+15125550125"))
		for i := range rapport.DefaultSoftFailureLimit {
			// The provider's failure report is all that happens to the message.
			m := h.send(messaging.Request{PatientID: p.ID, Purpose: rapport.PurposeCare, Content: en("Reminder")})
			err := h.p.HandleStatus(h.ctx, messaging.StatusReport{MessageID: m.ID, Status: rapport.MessageUndelivered,
				Err: &channel.Error{Kind: channel.ErrRetryable, Code: "30003", Msg: "unreachable handset"}})
			if err != nil {
				t.Fatal(err)
			}
			got, last := h.contact(p.ID), i == rapport.DefaultSoftFailureLimit-1
			if (got.Status == rapport.StatusStale) != last {
				t.Fatalf("after soft failure %d: status %s (%s), %d counted; want stale only at failure %d", i+1, got.Status, got.StatusReason, got.SoftFailures, rapport.DefaultSoftFailureLimit)
			}
			if last && !strings.Contains(got.StatusReason, "soft delivery failures") {
				t.Errorf("stale with evidence %q; want the soft failures", got.StatusReason)
			}
		}
	})
}
