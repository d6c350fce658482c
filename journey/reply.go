package journey

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// HandleReply takes a patient's reply to a message a journey waits for, and
// advances that enrollment in the same transaction. It implements
// messaging.ReplyHandler: false means no enrollment waits for the message.
func (e *Engine) HandleReply(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	en, err := tx.FindEnrollmentWaitingFor(ctx, to.ID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	def, err := e.Definition(en.Journey, en.Version)
	if err != nil {
		return false, err
	}
	s := def.step(en.Step)
	if s == nil || s.Wait == nil || branchFor(s.Wait, in) == "" {
		return false, nil // the wait has no branch for this kind of reply: staff read it
	}
	b := e.newBatch(tx)
	if err := b.run(ctx, en, signal{reply: in, to: to}); err != nil {
		return false, err
	}
	return true, b.flush(ctx)
}

// HandleFallback moves the enrollment waiting for a failed message on to
// the message that replaced it on another channel, so the answer to the
// new one (a key pressed on the call that replaced a text a landline could
// not take) reaches the journey. It implements messaging.FallbackHandler.
func (e *Engine) HandleFallback(ctx context.Context, tx *store.Tx, failed, next *rapport.Message) error {
	en, err := tx.FindEnrollmentWaitingFor(ctx, failed.ID)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	en.WaitingFor = next.ID
	lastMessage(en, next)
	return tx.UpdateEnrollment(ctx, en)
}

// branchKey is what the wait branches on for a reply.
func branchFor(w *WaitStep, in *rapport.Inbound) string {
	for _, k := range replyKeys(in) {
		if t := w.On[k]; t != "" {
			return t
		}
	}
	return ""
}

// replyKeys are the wait keys a reply matches, most specific first. The
// reply is classified first ([ClassifyAnswer]), so a refusal in words
// ("I don't trust these texts") reaches only refusal, free_text (or
// question) and reply, never yes.
func replyKeys(in *rapport.Inbound) []string {
	var keys []string
	if in.Choice > 0 {
		keys = append(keys, "choice:"+strconv.Itoa(in.Choice), "choice")
	}
	switch a := ClassifyAnswer(in); {
	case a == AnswerYes, a == AnswerNo, a == AnswerQuestion:
		keys = append(keys, string(a))
	case a == AnswerRefusal && in.Intent == "question":
		keys = append(keys, "refusal", "question")
	case a == AnswerRefusal:
		keys = append(keys, "refusal", "free_text")
	case in.Intent == "free_text":
		keys = append(keys, "free_text")
	}
	return append(keys, "reply")
}

// onReply records what the reply said and picks the branch.
func (b *batch) onReply(s *Step, en *rapport.Enrollment, in *rapport.Inbound, to *rapport.Message) string {
	en.Vars["reply"], en.Vars["text"] = in.Intent, in.Body
	en.Vars["choice"] = ""
	if in.Choice > 0 {
		en.Vars["choice"] = strconv.Itoa(in.Choice)
	}
	if s.Wait.Reason {
		// A bare "no" keeps the reason stated before: it is no new reason.
		if r := replyReason(in, to); r != "" {
			en.Vars["reason"], en.Vars["reason_text"] = string(r), in.Body
		}
	}
	// No engagement is recorded here: a "yes" to "may we ask why not?" is
	// no yes to an offer. The outcome the branch leads to records it.
	return branchFor(s.Wait, in)
}

// onTimeout picks the branch of a wait that no reply ended: the message
// never reached the patient, the patient opted out meanwhile, or silence.
func (b *batch) onTimeout(ctx context.Context, s *Step, en *rapport.Enrollment) (string, bool, error) {
	en.Vars["reply"] = ""
	key := "timeout"
	if mid := en.Vars["last_message"]; mid != "" {
		m, ok, err := b.messageState(ctx, rapport.MessageID(mid))
		if err != nil {
			return "", false, err
		}
		if ok {
			switch m.Status {
			case rapport.MessageFailed, rapport.MessageUndelivered, rapport.MessageSuppressed:
				key = "undeliverable"
			}
			consents, err := b.patientConsents(ctx, en.PatientID)
			if err != nil {
				return "", false, err
			}
			if m.Channel != "" && !rapport.Allowed(consents, m.Channel, m.Purpose) {
				key = "opted_out"
			}
		}
	}
	if t := s.Wait.On[key]; t != "" {
		return t, false, nil
	}
	return s.Wait.On["timeout"], false, nil
}

// replyReason is the decline reason a reply gives, or "" when it gives
// none. A keypad or numbered answer counts as a reason only through the
// message's choice labels (the nurture question labels 1–5 with reasons;
// an offer's "2" is a plain "no", not reason number 2). A bare yes, no or
// number gives no reason; words the intent parser does not know are read
// for one, and are "other" when none is found.
func replyReason(in *rapport.Inbound, to *rapport.Message) Reason {
	choice := in.Choice
	if choice > 0 && to != nil && len(to.Choices) > 0 {
		label := to.Choices[strconv.Itoa(choice)]
		if slices.Contains(Reasons, Reason(label)) || Reason(label) == ReasonOther {
			return Reason(label)
		}
		choice = 0 // a choice that is not a reason: read the words
	}
	r := ClassifyReason(in.Body, choice)
	if r == ReasonOther && in.Intent != "free_text" {
		return ""
	}
	return r
}

func containsOptOut(reason string) bool { return strings.Contains(reason, "opted out") }
