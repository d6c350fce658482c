package journeys_test

import (
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
)

// TestDeclinerNurture drives the shipped decliner-nurture journey: a
// numbered reason then a second no, a Spanish reason in words then "sí",
// STOP, silence, a bare no, a landline answering on the keypad, and a
// reason rapport does not know followed by a question for staff.
func TestDeclinerNurture(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ana := h.patient("Ana", "en", mobile("+15125550201"))
		beto := h.patient("Beto", "es", mobile("+15125550202"))
		cora := h.patient("Cora", "en", mobile("+15125550203"))
		dario := h.patient("Dario", "en", mobile("+15125550204"))
		elena := h.patient("Elena", "en", mobile("+15125550205"))
		fidel := h.patient("Fidel", "en", landline("+15125550206"))
		gloria := h.patient("Gloria", "en", mobile("+15125550207"))
		h.enroll("decliner-nurture", ana, beto, cora, dario, elena, fidel, gloria)

		if got := h.lastSent("+15125550201").Body; !strings.Contains(got, "1 cost, 2 don't need it, 3 privacy, 4 no internet or smartphone, 5 no time") {
			t.Errorf("the reason question: %q", got)
		}
		h.text("+15125550201", "1")
		h.text("+15125550202", "no tengo internet")
		h.text("+15125550203", "STOP")
		h.text("+15125550205", "no")
		h.press(h.lastSent("+15125550206"), "4")
		h.text("+15125550207", "my cousin told me not to")

		answers := map[string]string{
			"+15125550201": "Many of our services cost you nothing",
			"+15125550202": "todo funciona por mensaje de texto y por teléfono",
			"+15125550206": "everything also works by text message and by phone",
			"+15125550207": "Someone from our team will read your message",
		}
		for to, want := range answers {
			if got := h.lastSent(to).Body; !strings.Contains(got, want) {
				t.Errorf("answer to %s: %q, want it to say %q", to, got, want)
			}
		}

		h.advance(30 * day) // the answered are offered again; the silent's question timed out on day 7
		for _, to := range []string{"+15125550201", "+15125550202", "+15125550206", "+15125550207"} {
			if got := h.lastSent(to).Body; !strings.Contains(got, "still open") && !strings.Contains(got, "sigue en pie") {
				t.Errorf("no re-offer to %s: %q", to, got)
			}
		}
		h.text("+15125550201", "2")
		h.text("+15125550202", "sí")
		h.press(h.lastSent("+15125550206"), "2")
		h.text("+15125550207", "what was the offer again?")
		h.advance(7 * day)  // Dario's re-offer, 30 days after his question timed out
		h.advance(7 * day)  // and its silence
		h.advance(30 * day) // nothing more happens to anyone

		h.wantPath("Ana", ana, "decliner-nurture", "known_reason ask_why wait_why answer answer_cost later reoffer wait_reoffer declined end")
		h.wantOutcomes("Ana", ana, "decliner-nurture", outcome{Outcome: "declined", Reason: "cost", Verbatim: "1"})
		h.wantPath("Beto", beto, "decliner-nurture", "known_reason ask_why wait_why answer check_no_need check_privacy check_internet answer_internet later reoffer wait_reoffer interested end")
		h.wantOutcomes("Beto", beto, "decliner-nurture", outcome{Outcome: "interested", Reason: "no_internet_device", Verbatim: "no tengo internet"})
		h.wantPath("Cora", cora, "decliner-nurture", "known_reason ask_why wait_why opted_out end")
		h.wantOutcomes("Cora", cora, "decliner-nurture", outcome{Outcome: "opted_out"})
		h.wantPath("Dario", dario, "decliner-nurture", "known_reason ask_why wait_why later reoffer wait_reoffer no_reply end")
		h.wantOutcomes("Dario", dario, "decliner-nurture", outcome{Outcome: "no_reply"})
		h.wantPath("Elena", elena, "decliner-nurture", "known_reason ask_why wait_why declined end")
		h.wantOutcomes("Elena", elena, "decliner-nurture", outcome{Outcome: "declined"})
		h.wantPath("Fidel", fidel, "decliner-nurture", "known_reason ask_why wait_why answer check_no_need check_privacy check_internet answer_internet later reoffer wait_reoffer declined end")
		h.wantOutcomes("Fidel", fidel, "decliner-nurture", outcome{Outcome: "declined", Reason: "no_internet_device", Verbatim: "4"})
		h.wantPath("Gloria", gloria, "decliner-nurture", "known_reason ask_why wait_why answer check_no_need check_privacy check_internet check_time answer_other read_reason later reoffer wait_reoffer no_reply end")
		h.wantOutcomes("Gloria", gloria, "decliner-nurture", outcome{Outcome: "no_reply", Reason: "other", Verbatim: "my cousin told me not to"})

		// Stops for good: after STOP only the confirmation; after a bare no, nothing.
		if ms := h.sent("+15125550203"); len(ms) != 2 {
			t.Errorf("Cora got %d messages, want the question and the STOP confirmation: %q", len(ms), bodies(ms))
		}
		if ms := h.sent("+15125550205"); len(ms) != 1 {
			t.Errorf("Elena got %d messages after her no, want only the question: %q", len(ms), bodies(ms))
		}
		if ms := h.sent("+15125550204"); len(ms) != 2 {
			t.Errorf("Dario got %d messages, want the question and one re-offer: %q", len(ms), bodies(ms))
		}
		// Gloria's reason in her words goes to staff, as promised; her
		// question to the re-offer too, and it is no engagement: her wait
		// went on and ended in silence.
		items := h.inbox(gloria)
		if len(items) != 2 || !strings.Contains(items[0].Summary, "my cousin told me not to") || items[0].Kind != rapport.InboxCareTask ||
			items[1].Kind != rapport.InboxReply {
			t.Errorf("Gloria's inbox: %d items, want her reason then her question", len(items))
			for _, it := range items {
				t.Logf("  %s: %s", it.Kind, it.Summary)
			}
		}
		for _, p := range []*rapport.Patient{ana, beto, cora, dario, elena, fidel, gloria} {
			for _, en := range h.enrollments(p, "decliner-nurture") {
				if en.Status != rapport.EnrollmentDone {
					t.Errorf("%s's nurture is %s at %s", p.Given, en.Status, en.Step)
				}
			}
		}
	})
}
