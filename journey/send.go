package journey

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
)

// pendingSend is an enrollment stopped at a send step until its batch
// sends.
type pendingSend struct {
	en  *rapport.Enrollment
	def *Definition
	s   *Step
	req messaging.Request
}

// queueSend stops en at its send step s: the batch sends the messages of
// all its enrollments in one SendMany (a campaign's wake job of 200
// enrollments makes a couple of send jobs, not 200).
func (b *batch) queueSend(def *Definition, s *Step, en *rapport.Enrollment) error {
	if b.resumes[en.ID]++; b.resumes[en.ID] > maxSteps {
		return fmt.Errorf("journey %s: more than %d sends in one go (a loop?)", en.Journey, maxSteps)
	}
	content := s.Send.Content
	if len(s.Send.Variants) > 0 {
		if en.Variant == "" {
			en.Variant = pickVariant(en.PatientID, en.Campaign, s.Send.Variants)
		}
		if c, ok := s.Send.Variants[en.Variant]; ok {
			content = c
		}
	}
	var contact string
	if s.Send.Contact == ContactTrigger {
		contact = en.Vars["contact_id"]
	}
	b.sends = append(b.sends, pendingSend{en: en, def: def, s: s, req: messaging.Request{PatientID: en.PatientID, Purpose: s.Send.Purpose,
		Channels: s.Send.Channels, ContactID: contact, Content: content, Choices: s.Send.Choices, Urgent: s.Send.Urgent, Vars: en.Vars,
		Journey: en.Journey, Campaign: en.Campaign, Step: s.ID, Patient: b.patients[en.PatientID]}})
	return nil
}

// settle sends the queued messages and runs each enrollment on from its
// send step, until no enrollment of the batch stands at a send.
func (b *batch) settle(ctx context.Context) error {
	for len(b.sends) > 0 {
		sends := b.sends
		b.sends = nil
		reqs := make([]messaging.Request, len(sends))
		for i, p := range sends {
			reqs[i] = p.req
		}
		ms, err := b.e.Pipeline.SendMany(ctx, b.tx, reqs)
		if err != nil {
			return err
		}
		for i, p := range sends {
			if err := b.resume(ctx, p, ms[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// resume records the message an enrollment's send step made and runs the
// enrollment on from the step after it.
func (b *batch) resume(ctx context.Context, p pendingSend, m *rapport.Message) error {
	en := p.en
	lastMessage(en, m)
	if m.StatusReason == rapport.DuplicateAddressReason {
		return b.endDuplicate(ctx, en, m)
	}
	next := p.def.after(p.s.ID)
	if next == "" {
		return b.finish(ctx, en)
	}
	b.enter(p.def, en, next)
	return b.run(ctx, en, signal{})
}

// lastMessage records on the enrollment the message it sent last, which
// the wait after it waits for.
func lastMessage(en *rapport.Enrollment, m *rapport.Message) {
	en.Vars["last_message"], en.Vars["last_status"], en.Vars["last_channel"] = string(m.ID), string(m.Status), string(m.Channel)
	en.Vars["last_reason_optout"] = fmt.Sprint(m.Status == rapport.MessageSuppressed && containsOptOut(m.StatusReason))
}

// endDuplicate ends an enrollment whose step its address already had in
// the campaign, for another record (a probable duplicate, or a shared
// phone): that record's enrollment carries the conversation, so this one
// neither re-offers nor turns into no_reply. The ledger event names the
// record that holds the step, which metrics count as the same person.
func (b *batch) endDuplicate(ctx context.Context, en *rapport.Enrollment, m *rapport.Message) error {
	holder := ""
	if k := rapport.StepKey(m); k != "" {
		held, err := b.tx.FindStepSends(ctx, []string{k})
		if err != nil {
			return err
		}
		holder = string(held[k].PatientID)
	}
	en.Outcome = "duplicate_address"
	b.event(en, rapport.EventDuplicateAddress, map[string]any{"step": en.Step, "message": m.ID, "holder": holder})
	return b.finish(ctx, en)
}
