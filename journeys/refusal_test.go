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
