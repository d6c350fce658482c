package journeys_test

import (
	"testing"

	"github.com/rapporthq/rapport"
)

// A worded answer to the nurture's re-offer that refuses it ("I don't trust
// these texts") ends declined with its reason, never engaged; only a yes
// is engagement. A "yes" to "may we ask why not?" answers the question,
// not the offer: no engagement either.
func TestNurtureWordedRefusalIsNotEngagement(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		cases := []struct {
			name, phone, why, answer string
			want                     outcome
			engaged                  bool
		}{
			{"Ana", "+15125550301", "1", "I don't trust these texts", outcome{Outcome: "declined", Reason: "distrust_privacy", Verbatim: "I don't trust these texts"}, false},
			{"Beto", "+15125550302", "5", "how did you get my number", outcome{Outcome: "declined", Reason: "distrust_privacy", Verbatim: "how did you get my number"}, false},
			{"Cora", "+15125550303", "yes", "no, I'm fine", outcome{Outcome: "declined", Reason: "no_need", Verbatim: "no, I'm fine"}, false},
			{"Dario", "+15125550304", "2", "1", outcome{Outcome: "interested", Reason: "no_need", Verbatim: "2"}, true},
		}
		ps := make([]*rapport.Patient, len(cases))
		for i, c := range cases {
			ps[i] = h.patient(c.name, "en", mobile(c.phone))
		}
		h.enroll("decliner-nurture", ps...)
		for _, c := range cases {
			h.text(c.phone, c.why)
		}
		h.advance(30 * day)
		for _, c := range cases {
			h.text(c.phone, c.answer)
		}
		h.advance(7 * day)
		for i, c := range cases {
			h.wantOutcomes(c.name, ps[i], "decliner-nurture", c.want)
			if got := len(h.events(ps[i].ID, rapport.EventEngaged)) > 0; got != c.engaged {
				t.Errorf("%s answered %q then %q: engaged %v, want %v", c.name, c.why, c.answer, got, c.engaged)
			}
		}
	})
}

// In the post-visit check-in, words that answer it are engagement; a
// refusal in words goes to staff and is not, nor is a question (it waits
// in the inbox while the check-in goes on).
func TestCheckinWordedRefusalIsNotEngagement(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		cases := []struct {
			name, phone, answer string
			engaged             bool
			path                string
		}{
			{"Ana", "+15125550311", "feeling much better, thank you", true, "ask wait_ask answered staff_read end"},
			{"Beto", "+15125550312", "I don't trust these texts", false, "ask wait_ask refused end"},
			{"Cora", "+15125550313", "no thanks, stop asking", false, "ask wait_ask refused end"},
			{"Dario", "+15125550314", "who is this?", false, "ask wait_ask"},
		}
		ps := make([]*rapport.Patient, len(cases))
		for i, c := range cases {
			ps[i] = h.patient(c.name, "en", mobile(c.phone))
		}
		h.enroll("post-visit-checkin", ps...)
		for _, c := range cases {
			h.text(c.phone, c.answer)
		}
		for i, c := range cases {
			h.wantPath(c.name, ps[i], "post-visit-checkin", c.path)
			if got := len(h.events(ps[i].ID, rapport.EventEngaged)) > 0; got != c.engaged {
				t.Errorf("%s answered the check-in %q: engaged %v, want %v", c.name, c.answer, got, c.engaged)
			}
			if items := h.inbox(ps[i]); len(items) != 1 {
				t.Errorf("%s: %d inbox items, want 1 for staff to read", c.name, len(items))
			}
		}
	})
}
