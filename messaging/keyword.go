package messaging

import (
	"context"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

var parseIntent = rules.ParseIntent

// keyword acts on a carrier keyword: STOP and its equivalents opt out of
// this channel for every purpose everyone who has the sender's address (the
// number's owner is speaking, and a family phone is shared), with one
// confirmation and nothing more until they opt back in; START (and YES from
// a patient who is opted out) opts the matched patient back in, and the
// caregivers at the sender's address who had opted out; HELP answers
// with the organisation's contact. A sender not tied to one patient
// (in.PatientID empty) is heard for STOP only. It reports whether the
// message was a keyword acted on.
func (p *Pipeline) keyword(ctx context.Context, tx *store.Tx, in *rapport.Inbound, contact *rapport.ContactPoint) (bool, error) {
	kw, ok := p.matchKeyword(in)
	if !ok {
		return false, nil
	}
	if kw.Kind == rules.KeywordOptIn && (in.PatientID == "" || !kw.Weak) {
		// A caregiver's START is theirs, as their STOP was; a "yes" from a
		// patient's number is the patient's answer.
		if done, err := p.optInCaregivers(ctx, tx, in, kw); done || err != nil {
			return done, err
		}
	}
	if in.PatientID == "" && kw.Kind != rules.KeywordOptOut {
		return false, nil
	}
	var reply string
	confirm := rapport.ContactPoint{PatientID: in.PatientID}
	if contact != nil {
		confirm = *contact
	}
	switch kw.Kind {
	case rules.KeywordOptOut:
		if err := tx.LockAddress(ctx, in.From); err != nil {
			return false, err
		}
		holders, err := p.holders(ctx, tx, in, contact)
		if err != nil {
			return false, err
		}
		// The address itself, so that a record imported or merged later
		// with this number is not written to either.
		if err := recordAddress(ctx, tx, in, rapport.OptOut, kw.Word); err != nil {
			return false, err
		}
		for _, c := range holders {
			out, err := optedOut(ctx, tx, c.PatientID, in.Channel)
			if err != nil {
				return false, err
			}
			if out {
				continue
			}
			if err := p.recordConsent(ctx, tx, c.PatientID, in, rapport.OptOut, kw.Word); err != nil {
				return false, err
			}
			// One confirmation: to the matched patient, else the first opted out.
			if reply == "" || (c.PatientID == in.PatientID && confirm.PatientID != in.PatientID) {
				confirm = c
			}
			reply = "opt_out"
		}
		// A caregiver with the number said it too: nothing more goes to
		// them. Their STOP is theirs: it opts out no patient who does not
		// hold the number.
		cg, err := p.optOutCaregivers(ctx, tx, in)
		if err != nil {
			return false, err
		}
		if reply == "" && cg != nil && in.Channel != rapport.ChannelVoice {
			return true, p.confirmCaregiver(ctx, tx, in, kw, cg, caregiverStopped)
		}
	case rules.KeywordOptIn:
		out, err := optedOut(ctx, tx, in.PatientID, in.Channel)
		if err != nil {
			return false, err
		}
		if kw.Weak && !out {
			return false, nil // an ordinary "yes"
		}
		if err := p.recordConsent(ctx, tx, in.PatientID, in, rapport.OptIn, kw.Word); err != nil {
			return false, err
		}
		if err := recordAddress(ctx, tx, in, rapport.OptIn, kw.Word); err != nil {
			return false, err
		}
		reply = "opt_in"
	case rules.KeywordHelp:
		reply = "help"
	}
	in.Intent, in.Status = string(kw.Kind), rapport.InboundProcessed
	if reply == "" || in.Channel == rapport.ChannelVoice {
		// A repeated STOP: nothing more is sent. A call's opt-out key is
		// confirmed on the call itself, not by calling back.
		return true, nil
	}
	content := keywordReplies[reply]
	if _, ok := content.ByLang[kw.Lang]; ok {
		// answer in the keyword's language
		content = Content{ByLang: map[string]Text{kw.Lang: content.ByLang[kw.Lang]}, Fallback: kw.Lang}
	}
	req := Request{PatientID: confirm.PatientID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{in.Channel}, Content: content,
		Compliance: true, ContactID: confirm.ID}
	_, err := p.SendMany(ctx, tx, []Request{req})
	return true, err
}

// VoiceOptOutKey is the key every automated call offers to stop calls
// (the Twilio channel says so in the call's language): pressed, it is an
// opt-out of calls like a texted STOP.
const VoiceOptOutKey = "9"

// matchKeyword finds the carrier keyword an inbound message is, if any:
// on a call only [VoiceOptOutKey] (a keypad cannot send STOP), in a text
// only with a catalogue.
func (p *Pipeline) matchKeyword(in *rapport.Inbound) (rules.Keyword, bool) {
	if in.Channel == rapport.ChannelVoice {
		if in.Body == VoiceOptOutKey {
			return rules.Keyword{Kind: rules.KeywordOptOut, Lang: "en", Word: "key " + VoiceOptOutKey}, true
		}
		return rules.Keyword{}, false
	}
	if p.Keywords == nil {
		return rules.Keyword{}, false
	}
	return p.Keywords.Match(in.Body)
}

// holders returns one contact point per patient who has the sender's
// address, the matched patient's first; the matched patient is included
// even when the address is not on record (a reply tied by its message).
func (p *Pipeline) holders(ctx context.Context, tx *store.Tx, in *rapport.Inbound, contact *rapport.ContactPoint) ([]rapport.ContactPoint, error) {
	var out []rapport.ContactPoint
	seen := map[rapport.PatientID]bool{}
	add := func(c rapport.ContactPoint) {
		if c.PatientID != "" && !seen[c.PatientID] {
			seen[c.PatientID] = true
			out = append(out, c)
		}
	}
	if contact != nil {
		add(*contact)
	}
	kind, addr := senderAddress(in)
	if addr != "" {
		cps, err := tx.FindContactPointsByValue(ctx, kind, addr)
		if err != nil {
			return nil, err
		}
		for _, c := range cps {
			if c.PatientID == in.PatientID {
				add(c)
			}
		}
		for _, c := range cps {
			add(c)
		}
	}
	add(rapport.ContactPoint{PatientID: in.PatientID})
	return out, nil
}

// optedOut reports whether a patient is opted out of the channel for every purpose.
func optedOut(ctx context.Context, tx *store.Tx, pid rapport.PatientID, ch rapport.Channel) (bool, error) {
	consents, err := tx.FindConsents(ctx, pid)
	if err != nil {
		return false, err
	}
	return !rapport.Allowed(consents, ch, rapport.PurposeCare) && !rapport.Allowed(consents, ch, rapport.PurposeOutreach), nil
}

// recordAddress records a keyword decision against the address the
// keyword came from, for the scopes [Pipeline.recordConsent] uses: the
// owner of a number speaks for it, whichever records hold it now or later.
func recordAddress(ctx context.Context, tx *store.Tx, in *rapport.Inbound, d rapport.ConsentDecision, word string) error {
	addr := rapport.AddressKey(in.Channel, in.From)
	if addr == "" {
		return nil
	}
	var cs []rapport.AddressConsent
	for _, sc := range keywordScopes(in.Channel) {
		cs = append(cs, rapport.AddressConsent{Address: addr, Channel: sc.ch, Purpose: sc.purpose, Decision: d, Source: rapport.SourcePatient,
			Evidence: "replied " + word + " by " + string(in.Channel) + " (inbound " + in.ID + ")"})
	}
	return tx.RecordAddressConsents(ctx, cs)
}

type scope struct {
	ch      rapport.Channel
	purpose rapport.Purpose
}

// keywordScopes are the channels and purposes a keyword sent by ch decides.
func keywordScopes(ch rapport.Channel) []scope {
	scopes := []scope{{ch, rapport.PurposeCare}, {ch, rapport.PurposeOutreach}}
	if ch == rapport.ChannelSMS {
		scopes = append(scopes, scope{rapport.ChannelVoice, rapport.PurposeOutreach})
	}
	return scopes
}

// recordConsent records the patient's keyword decision for every purpose
// on the channel they wrote from. A STOP by text also stops automated
// outreach calls to the patient: someone who texts STOP expects the robot
// to stop, whatever the medium (US rules on revoking consent read the same
// way); care calls stay possible. START by text restores both.
func (p *Pipeline) recordConsent(ctx context.Context, tx *store.Tx, pid rapport.PatientID, in *rapport.Inbound, d rapport.ConsentDecision, word string) error {
	for _, sc := range keywordScopes(in.Channel) {
		c := &rapport.Consent{PatientID: pid, Channel: sc.ch, Purpose: sc.purpose, Decision: d, Source: rapport.SourcePatient,
			Evidence: "replied " + word + " by " + string(in.Channel) + " (inbound " + in.ID + ")"}
		if err := tx.RecordConsent(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// intentOptIn is the intent of an inbound START: from a sender tied to no
// patient, only a caregiver's is acted on.
const intentOptIn = string(rules.KeywordOptIn)
