package journeys_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// TestOutreachCampaign launches the shipped outreach journey over a segment
// and drives eight patients through it: yes, no with a reason in Spanish,
// a numbered no, silence, STOP, a landline answering on the keypad, "sí",
// and a reply after the timeout. Each one's path, outcome and messages are
// checked, and the decliners' and the silent's move on to decliner-nurture.
func TestOutreachCampaign(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ana := h.patient("Ana", "en", mobile("+15125550101"))
		beto := h.patient("Beto", "es", mobile("+15125550102"))
		cora := h.patient("Cora", "en", mobile("+15125550103"))
		dario := h.patient("Dario", "en", mobile("+15125550104"))
		elena := h.patient("Elena", "en", mobile("+15125550105"))
		fidel := h.patient("Fidel", "en", landline("+15125550106"))
		gloria := h.patient("Gloria", "es", mobile("+15125550107"))
		hugo := h.patient("Hugo", "en", mobile("+15125550108"))
		outside := h.patient("Ines", "en") // no contact: still in the segment, undeliverable

		c := &rapport.Campaign{Journey: "outreach", Segment: `language != ""`}
		h.tx(func(tx *store.Tx) error { return h.e.CreateCampaign(h.ctx, tx, c) })
		h.idle()

		for _, p := range []*rapport.Patient{ana, beto, cora, dario, elena, gloria, hugo} {
			m := h.lastSent(p.Contacts[0].Value)
			if m.Channel != rapport.ChannelSMS {
				t.Errorf("%s: offer by %s, want sms", p.Given, m.Channel)
			}
		}
		if got := h.lastSent("+15125550102").Body; !strings.Contains(got, "Hola Beto") || !strings.Contains(got, "tensiómetro") {
			t.Errorf("Beto's offer is not in Spanish: %q", got)
		}
		call := h.lastSent("+15125550106")
		if call.Channel != rapport.ChannelVoice {
			t.Fatalf("landline offer by %s, want a call", call.Channel)
		}

		h.text("+15125550101", "Yes")
		h.text("+15125550102", "no, es muy caro")
		h.text("+15125550103", "2")
		h.text("+15125550105", "STOP")
		h.press(call, "1")
		h.text("+15125550107", "sí")

		h.advance(3 * day) // the offer's wait times out: retries go out
		for _, p := range []*rapport.Patient{dario, hugo} {
			ms := h.sent(p.Contacts[0].Value)
			if len(ms) != 2 || ms[1].Channel != rapport.ChannelVoice {
				t.Errorf("%s: %d messages, the retry by %v; want a call after the text", p.Given, len(ms), channels(ms))
			}
		}
		h.text("+15125550108", "yes") // too late: the offer's wait has moved on
		h.advance(3 * day)            // the retry's wait times out
		h.advance(1 * day)            // nurture starts a day after

		h.wantPath("Ana", ana, "outreach", "offer wait_offer interested end")
		h.wantOutcomes("Ana", ana, "outreach", outcome{Outcome: "interested"})
		h.wantPath("Beto", beto, "outreach", "offer wait_offer declined nurture end")
		h.wantOutcomes("Beto", beto, "outreach", outcome{Outcome: "declined", Reason: "cost", Verbatim: "no, es muy caro"})
		h.wantPath("Cora", cora, "outreach", "offer wait_offer declined nurture end")
		h.wantOutcomes("Cora", cora, "outreach", outcome{Outcome: "declined"}) // a bare "2" gives no reason
		h.wantPath("Dario", dario, "outreach", "offer wait_offer retry wait_retry no_reply nurture end")
		h.wantOutcomes("Dario", dario, "outreach", outcome{Outcome: "no_reply"})
		h.wantPath("Elena", elena, "outreach", "offer wait_offer opted_out end")
		h.wantOutcomes("Elena", elena, "outreach", outcome{Outcome: "opted_out"})
		h.wantPath("Fidel", fidel, "outreach", "offer wait_offer interested end")
		h.wantOutcomes("Fidel", fidel, "outreach", outcome{Outcome: "interested"})
		h.wantPath("Gloria", gloria, "outreach", "offer wait_offer interested end")
		h.wantOutcomes("Gloria", gloria, "outreach", outcome{Outcome: "interested"})
		h.wantPath("Hugo", hugo, "outreach", "offer wait_offer retry wait_retry no_reply nurture end")
		h.wantOutcomes("Hugo", hugo, "outreach", outcome{Outcome: "no_reply"})
		h.wantPath("Ines", outside, "outreach", "offer wait_offer retry wait_retry undeliverable end")
		h.wantOutcomes("Ines", outside, "outreach", outcome{Outcome: "undeliverable"})
		// The ledger says where a journey ended once: no journey.step for
		// entering the end step, a journey.ended that names it.
		for _, p := range []*rapport.Patient{ana, dario, outside} {
			steps, ends := h.stepsOf(p.ID, rapport.EventJourneyStep, "outreach"), h.stepsOf(p.ID, rapport.EventJourneyEnded, "outreach")
			if slices.Contains(steps, "end") || !slices.Equal(ends, []string{"end"}) {
				t.Errorf("%s: journey.step to %v, journey.ended at %v; want no step event into the end step, one end there", p.Given, steps, ends)
			}
		}

		// Engagement: the yeses, not the others.
		for _, p := range []*rapport.Patient{ana, fidel, gloria} {
			if len(h.events(p.ID, rapport.EventEngaged)) == 0 {
				t.Errorf("%s said yes but is not engaged", p.Given)
			}
		}
		for _, p := range []*rapport.Patient{beto, cora, dario, elena} {
			if n := len(h.events(p.ID, rapport.EventEngaged)); n != 0 {
				t.Errorf("%s has %d engagement events", p.Given, n)
			}
		}
		// The late yes went to the staff inbox, tied to the outreach.
		late := h.inbox(hugo)
		if len(late) != 1 || late[0].Kind != rapport.InboxReply || late[0].Journey != "outreach" {
			t.Errorf("Hugo's late reply: inbox %+v, want one reply item", late)
		}
		// After STOP: the confirmation only, nothing more, and no nurture.
		if ms := h.sent("+15125550105"); len(ms) != 2 {
			t.Errorf("Elena got %d messages after STOP, want the offer and the confirmation: %v", len(ms), bodies(ms))
		}
		// Decliners and the silent go on to nurture, in their language: a
		// reason already given is answered, the others are asked why; the
		// rest are not in nurture.
		for _, p := range []*rapport.Patient{beto, cora, dario, hugo} {
			if ens := h.enrollments(p, "decliner-nurture"); len(ens) != 1 {
				t.Errorf("%s: %d nurture enrollments, want 1", p.Given, len(ens))
			}
		}
		h.wantPath("Beto", beto, "decliner-nurture", "known_reason answer answer_cost later")
		for _, p := range []*rapport.Patient{cora, dario, hugo} {
			h.wantPath(p.Given, p, "decliner-nurture", "known_reason ask_why wait_why")
		}
		if got := h.lastSent("+15125550102").Body; !strings.HasPrefix(got, "Gracias, Beto. Muchos de nuestros servicios no le cuestan nada") {
			t.Errorf("Beto's nurture answer to his reason (cost): %q", got)
		}
		for _, p := range []*rapport.Patient{ana, elena, fidel, gloria, outside} {
			if ens := h.enrollments(p, "decliner-nurture"); len(ens) != 0 {
				t.Errorf("%s is in nurture", p.Given)
			}
		}
	})
}

func channels(ms []channelMessage) []rapport.Channel {
	var out []rapport.Channel
	for _, m := range ms {
		out = append(out, m.Channel)
	}
	return out
}

func bodies(ms []channelMessage) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Body)
	}
	return out
}
