package twilio

import (
	"fmt"
	"net/url"
)

// Gather is the keypad answer of a voice call, posted by <Gather> to
// /webhooks/twilio/voice?mid=<id>.
type Gather struct {
	CallSID    string
	AccountSID string
	// Digits are the keys pressed: 0-9, * and #. Empty when the patient
	// pressed nothing (Twilio then posts only if asked to).
	Digits     string
	From, To   string
	CallStatus string
	// MessageID is rapport's message id from the action URL's mid.
	MessageID string
}

// ParseGather reads a <Gather> result. Pass r.Form, which holds the query's
// mid. It needs CallSid and fails on digits other than 0-9, * and #, or on
// over-long values.
func ParseGather(form url.Values) (Gather, error) {
	var (
		g   Gather
		err error
	)
	if g.CallSID, err = sid(form, "CallSid", true); err != nil {
		return Gather{}, fmt.Errorf("parse gather: %w", err)
	}
	if g.AccountSID, err = sid(form, "AccountSid", false); err != nil {
		return Gather{}, fmt.Errorf("parse gather %s: %w", g.CallSID, err)
	}
	if g.Digits, err = field(form, "Digits", 64); err != nil {
		return Gather{}, fmt.Errorf("parse gather %s: %w", g.CallSID, err)
	}
	for _, c := range []byte(g.Digits) {
		if !(c >= '0' && c <= '9' || c == '*' || c == '#') {
			return Gather{}, fmt.Errorf("parse gather %s: Digits %q has a key that is not 0-9, * or #", g.CallSID, g.Digits)
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"From", &g.From}, {"To", &g.To}, {"CallStatus", &g.CallStatus}} {
		if *f.dst, err = field(form, f.key, 256); err != nil {
			return Gather{}, fmt.Errorf("parse gather %s: %w", g.CallSID, err)
		}
	}
	if g.MessageID, err = messageID(form); err != nil {
		return Gather{}, fmt.Errorf("parse gather %s: %w", g.CallSID, err)
	}
	return g, nil
}
