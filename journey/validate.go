package journey

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapporthq/rapport"
)

// eventKinds are the ledger events a journey can be triggered by.
var eventKinds = map[string]bool{"encounter.finished": true, "appointment.finished": true, "patient.imported": true,
	"dispense.recorded": true, "contact.stale": true, "contact.lost": true}

// waitKeys are what a wait step can branch on, besides choice:N.
var waitKeys = map[string]bool{"yes": true, "no": true, "choice": true, "free_text": true, "question": true, "refusal": true, "reply": true,
	"timeout": true, "undeliverable": true, "opted_out": true}

// validate checks a definition and returns every problem, with the field's
// YAML path; Parse adds files and lines.
func (d *Definition) validate() []*FieldError {
	var errs []*FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if d.ID == "" {
		bad("id", "a journey needs an id")
	}
	if d.Version < 1 {
		bad("version", "version must be 1 or more")
	}
	if !d.Trigger.Campaign && d.Trigger.Event == nil && d.Trigger.Schedule == nil {
		bad("trigger", "a journey needs a trigger: campaign: true, an event or a schedule")
	}
	if sc := d.Trigger.Schedule; sc != nil {
		if sc.Every.D() < time.Hour {
			bad("trigger.schedule.every", "a schedule runs at most hourly (every: 1h or more, such as 30d)")
		}
		if sc.HoldoutPercent < 0 || sc.HoldoutPercent >= 100 {
			bad("trigger.schedule.holdout_percent", "holdout_percent must be at least 0 and below 100")
		}
	}
	if e := d.Trigger.Event; e != nil {
		if !eventKinds[e.Kind] && !strings.HasPrefix(e.Kind, "outcome:") {
			bad("trigger.event.kind", "unknown event %q (want one of %s, or outcome:NAME)", e.Kind, keys(eventKinds))
		}
		if e.Where != "" {
			if _, err := compileCondition(e.Where); err != nil {
				bad("trigger.event.where", "expression does not compile: %v", firstLine(err.Error()))
			}
		}
	}
	if d.Segment != "" {
		if _, err := compileCondition(d.Segment); err != nil {
			bad("segment", "expression does not compile: %v", firstLine(err.Error()))
		}
	}
	if len(d.Steps) == 0 {
		bad("steps", "a journey needs at least one step")
		return errs
	}
	ids := map[string]int{}
	for i, s := range d.Steps {
		f := fmt.Sprintf("steps[%d]", i)
		if s.ID == "" {
			bad(f+".id", "step %d has no id", i)
		} else if j, dup := ids[s.ID]; dup {
			bad(f+".id", "step id %q is also used by step %d", s.ID, j)
		} else {
			ids[s.ID] = i
		}
	}
	ref := func(field, target string) {
		if target != "" {
			if _, ok := ids[target]; !ok {
				bad(field, "unknown step %q", target)
			}
		}
	}
	if d.Start != "" {
		ref("start", d.Start)
	}
	for i, s := range d.Steps {
		f := fmt.Sprintf("steps[%d]", i)
		errs = append(errs, s.validate(f, d.languages())...)
		ref(f+".next", s.Next)
		if s.Wait != nil {
			for k, target := range s.Wait.On {
				ref(f+".wait_reply.on."+k, target)
			}
		}
		if s.Branch != nil {
			ref(f+".branch.then", s.Branch.Then)
			ref(f+".branch.else", s.Branch.Else)
		}
	}
	if len(errs) == 0 {
		for _, id := range d.unreachable() {
			bad(fmt.Sprintf("steps[%d].id", ids[id]), "step %q can never be reached", id)
		}
		errs = append(errs, d.unkeptPromises()...)
		errs = append(errs, d.outcomesAfterNotify()...)
		errs = append(errs, d.unearnedEngagement()...)
	}
	return errs
}

// Languages every message of a journey must be written in.
func (d *Definition) languages() []string { return []string{"en", "es"} }

func (s *Step) validate(f string, langs []string) []*FieldError {
	var errs []*FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	kinds := 0
	for _, set := range []bool{s.Send != nil, s.Wait != nil, s.Delay != nil, s.Branch != nil, s.Outcome != nil, s.Set != nil, s.Enroll != nil, s.Notify != nil, s.End} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		bad(f, "step %q must be exactly one of send, wait_reply, delay, branch, outcome, set, enroll, notify, end (it is %d)", s.ID, kinds)
		return errs
	}
	switch {
	case s.Send != nil:
		if s.Send.Purpose != rapport.PurposeCare && s.Send.Purpose != rapport.PurposeOutreach {
			bad(f+".send.purpose", "purpose %q is not care or outreach", s.Send.Purpose)
		}
		if s.Send.Urgent && s.Send.Purpose != rapport.PurposeCare {
			bad(f+".send.urgent", "%s (purpose is %q)", rapport.ErrUrgentNotCare, s.Send.Purpose)
		}
		for j, ch := range s.Send.Channels {
			if ch != rapport.ChannelSMS && ch != rapport.ChannelVoice && ch != rapport.ChannelEmail {
				bad(fmt.Sprintf("%s.send.channels[%d]", f, j), "channel %q is not sms, voice or email", ch)
			}
		}
		if s.Send.Contact != "" && s.Send.Contact != ContactTrigger {
			bad(f+".send.contact", "contact %q: want %q (the triggering event's contact point) or nothing", s.Send.Contact, ContactTrigger)
		}
		errs = append(errs, contentErrors(f+".send.content", content(s.Send.Content), langs)...)
		for name, c := range s.Send.Variants {
			errs = append(errs, contentErrors(f+".send.variants."+name, content(c), langs)...)
		}
	case s.Wait != nil:
		if s.Wait.Timeout <= 0 {
			bad(f+".wait_reply.timeout", "a wait needs a timeout such as 72h or 3d")
		}
		for k := range s.Wait.On {
			if !waitKeys[k] && !strings.HasPrefix(k, "choice:") {
				bad(f+".wait_reply.on."+k, "cannot branch on %q (want %s or choice:N)", k, keys(waitKeys))
			}
		}
		if s.Wait.On["timeout"] == "" {
			bad(f+".wait_reply.on", "a wait needs an on.timeout step")
		}
	case s.Delay != nil:
		if s.Delay.For <= 0 {
			bad(f+".delay.for", "a delay needs a duration such as 30d")
		}
	case s.Branch != nil:
		if _, err := compileCondition(s.Branch.If); err != nil {
			bad(f+".branch.if", "expression does not compile: %v", firstLine(err.Error()))
		}
		if s.Branch.Then == "" || s.Branch.Else == "" {
			bad(f+".branch", "a branch needs both then and else")
		}
	case s.Outcome != nil:
		if !outcomes[s.Outcome.Outcome] {
			bad(f+".outcome.outcome", "unknown outcome %q", s.Outcome.Outcome)
		}
	case s.Set != nil:
		if !slices.Contains([]string{"preferred_channel", "contact_valid", "contact_invalid"}, s.Set.Attribute) {
			bad(f+".set.attribute", "cannot set %q (want preferred_channel, contact_valid or contact_invalid)", s.Set.Attribute)
		}
	case s.Enroll != nil:
		if s.Enroll.Journey == "" {
			bad(f+".enroll.journey", "enroll needs a journey id")
		}
	case s.Notify != nil:
		switch s.Notify.Priority {
		case rapport.PriorityUrgent, rapport.PriorityHigh, rapport.PriorityNormal, rapport.PriorityLow:
		default:
			bad(f+".notify.priority", "priority %q is not urgent, high, normal or low", s.Notify.Priority)
		}
		if s.Notify.Summary == "" {
			bad(f+".notify.summary", "a notification needs a summary")
		}
	}
	return errs
}

func contentErrors(f string, c interface {
	Validate() error
}, langs []string) []*FieldError {
	var errs []*FieldError
	if err := c.Validate(); err != nil {
		errs = append(errs, &FieldError{Field: f, Msg: rapport.ErrorMessage(err)})
	}
	if ct, ok := c.(contentLangs); ok {
		for _, l := range langs {
			if !ct.has(l) {
				errs = append(errs, &FieldError{Field: f + ".by_lang", Msg: fmt.Sprintf("no text in %q (every message needs %s)", l, strings.Join(langs, " and "))})
			}
		}
	}
	return errs
}

// unreachable lists the steps no path from the start reaches.
func (d *Definition) unreachable() []string {
	seen := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if id == "" || seen[id] {
			return
		}
		seen[id] = true
		for _, n := range d.successors(id) {
			visit(n)
		}
	}
	visit(d.start())
	var out []string
	for _, s := range d.Steps {
		if !seen[s.ID] {
			out = append(out, s.ID)
		}
	}
	return out
}

func keys(m map[string]bool) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ", ")
}
