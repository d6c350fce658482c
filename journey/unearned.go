package journey

import (
	"fmt"

	"github.com/rapporthq/rapport"
)

// refusedBy are the kinds of reply and wait events that never show a
// patient engaging, each with the wait keys that catch it in the order the
// engine tries them (see replyKeys and onTimeout). A bare "no" is left out:
// it may answer a factual question ("is this still your number?").
var refusedBy = []struct {
	what string
	keys []string
}{
	{"a refusal in words", []string{"refusal", "free_text", "reply"}},
	{"a question", []string{"question", "reply"}},
	{"silence", []string{"timeout"}},
	{"an opt-out", []string{"opted_out", "timeout"}},
	{"a message that never arrived", []string{"undeliverable", "timeout"}},
}

// unearnedEngagement lists the ways an engagement outcome can be reached
// without the patient engaging: by going on from a notify step (staff
// reading a message is not the patient taking part), or, after an offer
// (an outreach message), by a refusal, a question, silence, an opt-out or
// a failed message. Care questions (a check-in, a re-verification) may
// take worded answers as answers, so only their notify steps are checked.
func (d *Definition) unearnedEngagement() []*FieldError {
	var errs []*FieldError
	for i, s := range d.Steps {
		f := fmt.Sprintf("steps[%d]", i)
		switch {
		case s.Notify != nil && !s.End:
			if o := d.engagementAhead(d.after(s.ID), map[string]bool{}); o != "" {
				field := f
				if s.Next != "" {
					field += ".next"
				}
				errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf("notify step %q goes on to the engagement outcome step %q: staff reading a message is no engagement; record the outcome before the notify step, on the patient's own answer", s.ID, o)})
			}
		case s.Wait != nil && d.waitsForOffer(s.ID):
			for _, r := range refusedBy {
				k, target := firstMapped(s.Wait.On, r.keys)
				if o := d.engagementAhead(target, map[string]bool{}); o != "" {
					errs = append(errs, &FieldError{Field: f + ".wait_reply.on." + k, Msg: fmt.Sprintf("%s to an offer takes on.%s to the engagement outcome step %q: a refusal is never engagement; map it to a step that records none", r.what, k, o)})
				}
			}
		}
	}
	return errs
}

func firstMapped(on map[string]string, keys []string) (string, string) {
	for _, k := range keys {
		if t := on[k]; t != "" {
			return k, t
		}
	}
	return "", ""
}

// engagementAhead follows every path from id until the patient is waited
// for again or the journey ends, and returns the first outcome step that
// counts as engagement on the way, or "".
func (d *Definition) engagementAhead(id string, seen map[string]bool) string {
	if id == "" || seen[id] {
		return ""
	}
	seen[id] = true
	s := d.step(id)
	switch {
	case s == nil || s.Wait != nil || s.End:
		return ""
	case s.Outcome != nil && engagedOutcomes[s.Outcome.Outcome]:
		return id
	}
	for _, n := range d.successors(id) {
		if o := d.engagementAhead(n, seen); o != "" {
			return o
		}
	}
	return ""
}

// waitsForOffer reports whether a wait step can wait for an outreach
// message: an outreach send comes before it with no other wait between.
func (d *Definition) waitsForOffer(id string) bool {
	preds := map[string][]string{}
	for _, s := range d.Steps {
		for _, n := range d.successors(s.ID) {
			preds[n] = append(preds[n], s.ID)
		}
	}
	seen := map[string]bool{}
	var back func(id string) bool
	back = func(id string) bool {
		for _, p := range preds[id] {
			if seen[p] {
				continue
			}
			seen[p] = true
			s := d.step(p)
			switch {
			case s.Send != nil:
				if s.Send.Purpose == rapport.PurposeOutreach {
					return true
				}
			case s.Wait != nil:
			default:
				if back(p) {
					return true
				}
			}
		}
		return false
	}
	return back(id)
}
