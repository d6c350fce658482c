package messaging

import (
	"context"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/store"
)

var parseIntent = rules.ParseIntent

// keyword acts on a carrier keyword: STOP and its equivalents opt the
// patient out of this channel for every purpose, with one confirmation and
// nothing more until they opt back in; START (and YES from a patient who is
// opted out) opts back in; HELP answers with the organisation's contact.
// It reports whether the message was a keyword.
func (p *Pipeline) keyword(ctx context.Context, tx *store.Tx, in *rapport.Inbound, contact *rapport.ContactPoint) (bool, error) {
	if in.Channel == rapport.ChannelVoice || p.Keywords == nil {
		return false, nil
	}
	kw, ok := p.Keywords.Match(in.Body)
	if !ok {
		return false, nil
	}
	consents, err := tx.FindConsents(ctx, in.PatientID)
	if err != nil {
		return false, err
	}
	optedOut := !rapport.Allowed(consents, in.Channel, rapport.PurposeCare) && !rapport.Allowed(consents, in.Channel, rapport.PurposeOutreach)
	var reply string
	switch kw.Kind {
	case rules.KeywordOptOut:
		if !optedOut {
			if err := p.recordConsent(ctx, tx, in, rapport.OptOut, kw.Word); err != nil {
				return false, err
			}
			reply = "opt_out"
		}
	case rules.KeywordOptIn:
		if kw.Weak && !optedOut {
			return false, nil // an ordinary "yes"
		}
		if err := p.recordConsent(ctx, tx, in, rapport.OptIn, kw.Word); err != nil {
			return false, err
		}
		reply = "opt_in"
	case rules.KeywordHelp:
		reply = "help"
	}
	in.Intent, in.Status = string(kw.Kind), rapport.InboundProcessed
	if reply == "" {
		return true, nil // a repeated STOP: nothing more is sent
	}
	content := keywordReplies[reply]
	if _, ok := content.ByLang[kw.Lang]; ok {
		content.Fallback = kw.Lang // answer in the keyword's language
		content = Content{ByLang: map[string]Text{kw.Lang: content.ByLang[kw.Lang]}, Fallback: kw.Lang}
	}
	req := Request{PatientID: in.PatientID, Purpose: rapport.PurposeCare, Channels: []rapport.Channel{in.Channel}, Content: content, Compliance: true}
	if contact != nil {
		req.ContactID = contact.ID
	}
	_, err = p.SendMany(ctx, tx, []Request{req})
	return true, err
}

func (p *Pipeline) recordConsent(ctx context.Context, tx *store.Tx, in *rapport.Inbound, d rapport.ConsentDecision, word string) error {
	for _, purpose := range []rapport.Purpose{rapport.PurposeCare, rapport.PurposeOutreach} {
		c := &rapport.Consent{PatientID: in.PatientID, Channel: in.Channel, Purpose: purpose, Decision: d, Source: rapport.SourcePatient,
			Evidence: "replied " + word + " (inbound " + in.ID + ")"}
		if err := tx.RecordConsent(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
