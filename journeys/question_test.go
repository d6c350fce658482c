package journeys_test

import (
	"testing"

	"github.com/rapporthq/rapport"
)

// A question to the offer is not a decline: it goes to staff, the journey
// keeps waiting, and the answer that follows is the patient's answer. A
// worded refusal is a decline with its reason.
func TestOutreachQuestionIsNotADecline(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ana := h.patient("Ana", "en", mobile("+15125550181"))
		beto := h.patient("Beto", "es", mobile("+15125550182"))
		cora := h.patient("Cora", "en", mobile("+15125550183"))
		h.launch("outreach")

		h.text("+15125550181", "Who is this?")
		h.text("+15125550182", "¿de dónde sacaron mi número?")
		h.text("+15125550183", "No thanks, I can't afford it")
		for _, p := range []*rapport.Patient{ana, beto} {
			ens := h.enrollments(p, "outreach")
			if len(ens) != 1 || ens[0].Status != rapport.EnrollmentWaiting || ens[0].Step != "wait_offer" {
				t.Errorf("%s asked a question: enrollment %+v, want still waiting at wait_offer", p.Given, ens)
			}
			if items := h.inbox(p); len(items) != 1 {
				t.Errorf("%s's question: %d inbox items, want 1", p.Given, len(items))
			}
			h.wantOutcomes(p.Given, p, "outreach")
		}
		h.wantOutcomes("Cora", cora, "outreach", outcome{Outcome: "declined", Reason: "cost", Verbatim: "No thanks, I can't afford it"})

		h.text("+15125550181", "yes")
		h.wantOutcomes("Ana", ana, "outreach", outcome{Outcome: "interested"})
	})
}
