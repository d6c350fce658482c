package journey

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rapporthq/rapport/messaging"
)

// humanPromises are phrases by which a message promises that a person
// will read, answer or call. Such a promise must create work for staff,
// or nobody keeps it. Matched on folded text (lower case, no accents).
var humanPromises = []string{
	"someone from our team", "someone will read", "someone will call", "someone will get back",
	"a nurse will", "our staff will", "our team will", "we will call you", "we'll call you",
	"we will read your", "we'll read your", "we will get back to you", "we'll get back to you",
	"alguien de nuestro equipo", "alguien leera", "alguien le llamara", "una enfermera le",
	"nuestro personal", "le llamaremos", "leeremos su", "le responderemos",
}

// promisesHuman reports whether any language of the content promises a
// person's attention, and the phrase it found.
func promisesHuman(c messaging.Content) (string, bool) {
	langs := make([]string, 0, len(c.ByLang))
	for lang := range c.ByLang {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		t := fold(c.ByLang[lang].Body)
		for _, p := range humanPromises {
			if strings.Contains(t, p) {
				return p, true
			}
		}
	}
	return "", false
}

// unkeptPromises lists each send step whose text promises a person's
// attention with neither a notify step on every way into it (since the
// patient's last answer) nor one on every way out of it before the patient
// is waited for, written to again, or the journey ends.
func (d *Definition) unkeptPromises() []*FieldError {
	var errs []*FieldError
	for i, s := range d.Steps {
		if s.Send == nil {
			continue
		}
		contents := []messaging.Content{s.Send.Content}
		for _, v := range s.Send.Variants {
			contents = append(contents, v)
		}
		for _, c := range contents {
			phrase, ok := promisesHuman(c)
			if !ok {
				continue
			}
			if d.notifiedBefore(s.ID) {
				break
			}
			if miss := d.pathWithoutNotify(d.after(s.ID), map[string]bool{}); miss != "" {
				errs = append(errs, &FieldError{Field: fmt.Sprintf("steps[%d].send.content", i),
					Msg: fmt.Sprintf("step %q promises %q but reaches %s without a notify step: add one so staff see it", s.ID, phrase, miss)})
			}
			break
		}
	}
	return errs
}

// pathWithoutNotify follows every path from id until a notify step (kept)
// or a step that leaves the patient waiting, writes again or ends (not
// kept), and returns the first step that breaks the promise, or "".
func (d *Definition) pathWithoutNotify(id string, seen map[string]bool) string {
	if id == "" {
		return "the end of the journey"
	}
	if seen[id] {
		return ""
	}
	seen[id] = true
	s := d.step(id)
	switch {
	case s == nil:
		return ""
	case s.Notify != nil:
		return ""
	case s.End, s.Wait != nil, s.Delay != nil, s.Send != nil:
		return fmt.Sprintf("step %q", id)
	case s.Branch != nil:
		if m := d.pathWithoutNotify(s.Branch.Then, seen); m != "" {
			return m
		}
		return d.pathWithoutNotify(s.Branch.Else, seen)
	}
	return d.pathWithoutNotify(d.after(id), seen)
}

// notifiedBefore reports whether every way into the step passes a notify
// step after the last wait, delay or send (or the journey's start).
func (d *Definition) notifiedBefore(id string) bool {
	preds := map[string][]string{}
	for _, s := range d.Steps {
		for _, n := range d.successors(s.ID) {
			preds[n] = append(preds[n], s.ID)
		}
	}
	seen := map[string]bool{}
	var kept func(id string) bool
	kept = func(id string) bool {
		ps := preds[id]
		if len(ps) == 0 || seen[id] {
			return len(ps) != 0 // the start: no notify on the way
		}
		seen[id] = true
		for _, p := range ps {
			s := d.step(p)
			switch {
			case s.Notify != nil:
				continue
			case s.Wait != nil, s.Delay != nil, s.Send != nil:
				return false
			}
			if !kept(p) {
				return false
			}
		}
		return true
	}
	return kept(id)
}

// outcomesAfterNotify lists each notify step with no next of its own whose
// next listed step is an outcome: a reply handed to staff must not count
// as an outcome (a patient's "I don't trust these texts" read by staff is
// no engagement) unless the journey says so with an explicit next.
func (d *Definition) outcomesAfterNotify() []*FieldError {
	var errs []*FieldError
	for i, s := range d.Steps {
		if s.Notify == nil || s.Next != "" || s.End || i+1 >= len(d.Steps) || d.Steps[i+1].Outcome == nil {
			continue
		}
		errs = append(errs, &FieldError{Field: fmt.Sprintf("steps[%d]", i),
			Msg: fmt.Sprintf("notify step %q falls through to outcome step %q: give it a next (the outcome, if it is one, or where the journey goes on)", s.ID, d.Steps[i+1].ID)})
	}
	return errs
}
