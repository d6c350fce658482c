package journeys_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/messaging"
)

// A dead number (30003) is marked unreachable; a patient left with no
// working phone gets a staff task and, where there is one, an email asking
// for the new number. A patient with another working phone gets neither.
func TestDeadNumberStartsContactLost(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		email := rapport.ContactPoint{Kind: rapport.ContactEmail, Value: "ana@example.com", Use: rapport.UseHome}
		ana := h.patient("Ana", "en", mobile("+15125550191"), email)
		beto := h.patient("Beto", "es", mobile("+15125550192"), mobile("+15125550193"))
		if err := h.e.StartTriggers(h.ctx); err != nil {
			t.Fatal(err)
		}
		h.sim.Behave = acceptOnly
		h.launch("outreach")
		for _, number := range []string{"+15125550191", "+15125550192"} {
			m := h.lastSent(number)
			err := h.p.HandleStatus(h.ctx, messaging.StatusReport{MessageID: rapport.MessageID(m.ID), Status: rapport.MessageUndelivered,
				Err: &channel.Error{Kind: channel.ErrBadAddress, Code: "30003", Msg: "unreachable destination handset"}})
			if err != nil {
				t.Fatal(err)
			}
		}
		h.advance(10 * time.Minute) // the trigger job reads the ledger

		if ens := h.enrollments(ana, "contact-lost"); len(ens) != 1 {
			t.Fatalf("Ana lost her only phone: %d contact-lost enrollments, want 1", len(ens))
		}
		tasks := 0
		for _, it := range h.inbox(ana) {
			if it.Kind == rapport.InboxCareTask && strings.Contains(it.Summary, "No working phone number") {
				tasks++
			}
		}
		if tasks != 1 {
			t.Errorf("Ana: %d staff tasks to find a new number, want 1", tasks)
		}
		asked := false
		for _, m := range h.sent("ana@example.com") {
			asked = asked || strings.Contains(m.Body, "could not reach you at the phone number")
		}
		if !asked {
			t.Errorf("Ana was not asked by email for her new number: %q", bodies(h.sent("ana@example.com")))
		}
		if ens := h.enrollments(beto, "contact-lost"); len(ens) != 0 {
			t.Errorf("Beto still has a working phone, yet is in contact-lost")
		}
	})
}
