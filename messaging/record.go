package messaging

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel"
	"github.com/rapporthq/rapport/store"
)

// record writes what a send job achieved in one transaction: statuses,
// ledger events, and what failures taught about contact points and consent.
func (p *Pipeline) record(ctx context.Context, outs []outcome) error {
	return p.DB.InTx(ctx, func(tx *store.Tx) error {
		var ups []store.MessageUpdate
		var evs []rapport.Event
		now := tx.Now()
		for _, o := range outs {
			m := o.m
			var ce *channel.Error
			switch {
			case o.err == nil:
				m.Status, m.ProviderID, m.SentAt = rapport.MessageSent, o.res.ProviderID, now
				if o.res.Segments > 0 {
					m.Segments = o.res.Segments
				}
				ups = append(ups, store.MessageUpdate{ID: m.ID, Status: m.Status, ProviderID: m.ProviderID, Segments: m.Segments, SentAt: now})
				evs = append(evs, messageEvent(m, ""))
				if o.res.Status == string(rapport.MessageDelivered) {
					m.Status = rapport.MessageDelivered
					ups = append(ups, store.MessageUpdate{ID: m.ID, Status: m.Status})
					evs = append(evs, messageEvent(m, ""))
				}
			case isUnknown(o.err):
				// The provider may have it: never resent blindly (see reconcile).
				errors.As(o.err, &ce)
				m.Status, m.StatusReason = rapport.MessageUnknown, ce.Msg
				ups = append(ups, store.MessageUpdate{ID: m.ID, Status: m.Status, Reason: m.StatusReason})
				evs = append(evs, messageEvent(m, ""))
			case !errors.As(o.err, &ce) || errors.Is(ce, channel.ErrRetryable):
				// stays queued; the job retries it
			default:
				m.Status, m.StatusReason = rapport.MessageFailed, sendFailure(ce)
				if errors.Is(ce, channel.ErrRecipientOptedOut) {
					m.Status = rapport.MessageSuppressed
				}
				ups = append(ups, store.MessageUpdate{ID: m.ID, Status: m.Status, Reason: m.StatusReason})
				evs = append(evs, messageEvent(m, ce.Code))
				if err := p.learn(ctx, tx, m, ce); err != nil {
					return err
				}
			}
		}
		if err := tx.UpdateMessages(ctx, ups); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, evs...)
	})
}

func sendFailure(ce *channel.Error) string {
	if ce.Code != "" {
		return fmt.Sprintf("%v (provider code %s)", ce.Kind, ce.Code)
	}
	return fmt.Sprint(ce.Kind)
}

// landlineCodes are provider answers that a number cannot take texts though
// it may well take calls: the number is kept, its line type corrected.
var landlineCodes = map[string]bool{"21614": true, "30006": true}

// failureEvidence is the evidence a failed delivery leaves on the contact
// point or consent it changes: "sms message … failed with provider code …".
func failureEvidence(m *rapport.Message, ce *channel.Error) string {
	if ce.Code != "" {
		return fmt.Sprintf("%s message %s %s with provider code %s", m.Channel, m.ID, failedWord, ce.Code)
	}
	return fmt.Sprintf("%s message %s %s: %v", m.Channel, m.ID, failedWord, ce.Kind)
}

const failedWord = "failed"

// IsFailureEvidence reports whether a contact point's status changed on the
// evidence of a failed delivery (not, say, on the patient's word): what
// starts the search for a new number when the last one fails.
func IsFailureEvidence(evidence string) bool {
	ch, rest, ok := strings.Cut(evidence, " message ")
	if !ok || !slices.Contains([]rapport.Channel{rapport.ChannelSMS, rapport.ChannelVoice, rapport.ChannelEmail}, rapport.Channel(ch)) {
		return false
	}
	_, after, ok := strings.Cut(rest, " ")
	return ok && strings.HasPrefix(after, failedWord)
}

// learn applies what a failed message says about the patient's contact
// point or consent, then tries the next channel of the message's fallback.
func (p *Pipeline) learn(ctx context.Context, tx *store.Tx, m *rapport.Message, ce *channel.Error) error {
	evidence := failureEvidence(m, ce)
	if m.CaregiverID != "" {
		return p.learnProxy(ctx, tx, m, ce, evidence)
	}
	switch {
	case errors.Is(ce, channel.ErrRecipientOptedOut):
		var cs []rapport.AddressConsent
		for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
			cs = append(cs, rapport.AddressConsent{Address: rapport.AddressKey(m.Channel, m.To), Channel: m.Channel, Purpose: purpose,
				Decision: rapport.OptOut, Source: rapport.SourcePatient, Evidence: "opt-out held by the provider: " + evidence})
		}
		if m.To != "" {
			if err := tx.RecordAddressConsents(ctx, cs); err != nil {
				return err
			}
		}
		for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
			c := &rapport.Consent{PatientID: m.PatientID, Channel: m.Channel, Purpose: purpose, Decision: rapport.OptOut,
				Source: rapport.SourcePatient, Evidence: "opt-out held by the provider: " + evidence}
			if err := tx.RecordConsent(ctx, c); err != nil {
				return err
			}
		}
		return nil
	case errors.Is(ce, channel.ErrBadAddress) && m.ContactID != "":
		var err error
		if m.Channel == rapport.ChannelSMS && landlineCodes[ce.Code] {
			err = tx.SetContactLineType(ctx, m.ContactID, rapport.LineLandline, evidence)
		} else {
			status := rapport.StatusInvalid
			if ce.Code == "30003" || ce.Code == "30005" {
				status = rapport.StatusUnreachable
			}
			err = tx.SetContactStatus(ctx, m.ContactID, status, evidence)
		}
		if err != nil {
			return err
		}
	default:
		return nil
	}
	return p.fallback(ctx, tx, m)
}

// fallback queues the message again on the next channels of its fallback
// order, through the whole pipeline (consent, quiet hours, caps).
func (p *Pipeline) fallback(ctx context.Context, tx *store.Tx, m *rapport.Message) error {
	if len(m.Fallback) == 0 {
		return nil
	}
	// The same template and values: the next channel renders what this one would have.
	t := m.Unfilled()
	content := Content{ByLang: map[string]Text{m.Language: {Body: t.Body, Subject: t.Subject, HTML: t.HTML}}, Fallback: m.Language}
	next, err := p.SendMany(ctx, tx, []Request{{PatientID: m.PatientID, Purpose: m.Purpose, Channels: m.Fallback, Content: content, Vars: m.Vars,
		Choices: m.Choices, Urgent: m.Urgent, Compliance: m.Compliance, Journey: m.Journey, Campaign: m.Campaign, Step: m.Step}})
	if err != nil {
		return err
	}
	if h, ok := p.Replies.(FallbackHandler); ok && len(next) == 1 {
		return h.HandleFallback(ctx, tx, m, next[0])
	}
	return nil
}

// FallbackHandler is told, in the same transaction, when a failed message
// goes on by another channel: whoever waited for an answer to it now waits
// for an answer to the new one (a landline's keypad answer to the call
// that replaced a failed text). Journeys implement it.
type FallbackHandler interface {
	HandleFallback(ctx context.Context, tx *store.Tx, failed, next *rapport.Message) error
}
