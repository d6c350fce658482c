package rapport

import (
	"strings"
	"time"
)

// Channel is a way of reaching a patient.
type Channel string

const (
	ChannelSMS   Channel = "sms"
	ChannelVoice Channel = "voice"
	ChannelEmail Channel = "email"
	ChannelPost  Channel = "post"
)

// Purpose is why rapport contacts a patient; consent is given per purpose.
type Purpose string

const (
	PurposeCare     Purpose = "care"
	PurposeOutreach Purpose = "outreach"
)

// ConsentDecision is an opt-in or an opt-out.
type ConsentDecision string

const (
	OptIn  ConsentDecision = "opt_in"
	OptOut ConsentDecision = "opt_out"
)

// Consent is one recorded decision of a patient about one channel and
// purpose. Consents are never updated: the latest one for a channel and
// purpose is in force.
type Consent struct {
	ID         string          `json:"id"`
	PatientID  PatientID       `json:"patient_id"`
	Channel    Channel         `json:"channel"`
	Purpose    Purpose         `json:"purpose"`
	Decision   ConsentDecision `json:"decision"`
	Source     ContactSource   `json:"source"`
	Evidence   string          `json:"evidence,omitempty"`
	RecordedAt time.Time       `json:"recorded_at"`
}

// Validate checks a consent before it is recorded.
func (c *Consent) Validate() error {
	switch c.Channel {
	case ChannelSMS, ChannelVoice, ChannelEmail, ChannelPost:
	default:
		return Errorf(EINVALID, "channel %q is not one of sms, voice, email, post", c.Channel)
	}
	switch c.Purpose {
	case PurposeCare, PurposeOutreach:
	default:
		return Errorf(EINVALID, "purpose %q is not one of care, outreach", c.Purpose)
	}
	switch c.Decision {
	case OptIn, OptOut:
	default:
		return Errorf(EINVALID, "decision %q is not one of opt_in, opt_out", c.Decision)
	}
	if c.PatientID == "" {
		return Errorf(EINVALID, "consent has no patient")
	}
	return nil
}

// Allowed reports whether the consents, in any order, allow contact on the
// channel for the purpose. With no recorded decision, care messages are
// allowed and outreach is allowed (the provider's relationship implies it);
// an opt-out always wins until a later opt-in.
func Allowed(consents []Consent, ch Channel, p Purpose) bool {
	return latestAllows(len(consents), func(i int) decisionAt {
		c := &consents[i]
		return decisionAt{c.Channel, c.Purpose, c.Decision, c.RecordedAt}
	}, ch, p)
}

// decisionAt is what [latestAllows] reads of a patient's or an address's
// consent.
type decisionAt struct {
	Channel  Channel
	Purpose  Purpose
	Decision ConsentDecision
	At       time.Time
}

// latestAllows reports whether the latest of n decisions for the channel and
// purpose is an opt-in, or there is none; of two at the same time the later
// in the list wins.
func latestAllows(n int, at func(int) decisionAt, ch Channel, p Purpose) bool {
	var latest *decisionAt
	for i := range n {
		d := at(i)
		if d.Channel != ch || d.Purpose != p {
			continue
		}
		if latest == nil || !d.At.Before(latest.At) {
			latest = &d
		}
	}
	return latest == nil || latest.Decision == OptIn
}

// AddressConsent is a consent decision recorded against an address rather
// than a patient: a STOP holds for everyone who has the number, now or
// later (a record imported or merged afterwards), until its owner opts back
// in from it. Address is in [AddressKey] form. Like [Consent], address
// consents are never updated: the latest per channel and purpose is in force.
type AddressConsent struct {
	ID         string          `json:"id"`
	Address    string          `json:"address"`
	Channel    Channel         `json:"channel"`
	Purpose    Purpose         `json:"purpose"`
	Decision   ConsentDecision `json:"decision"`
	Source     ContactSource   `json:"source"`
	Evidence   string          `json:"evidence,omitempty"`
	RecordedAt time.Time       `json:"recorded_at"`
}

// AddressKey is the form an address is suppressed under: an email address
// trimmed and lower-cased, a phone number trimmed (contact points and
// providers give numbers in E.164 already).
func AddressKey(ch Channel, value string) string {
	v := strings.TrimSpace(value)
	if ch == ChannelEmail || strings.Contains(v, "@") {
		return strings.ToLower(v)
	}
	return v
}

// Validate checks an address consent before it is recorded.
func (c *AddressConsent) Validate() error {
	if c.Address == "" {
		return Errorf(EINVALID, "address consent has no address")
	}
	pc := Consent{PatientID: "address", Channel: c.Channel, Purpose: c.Purpose, Decision: c.Decision}
	return pc.Validate()
}

// AddressAllowed reports whether the decisions about one address, in any
// order, allow contact on the channel for the purpose: as [Allowed], an
// opt-out wins until a later opt-in, and no decision allows.
func AddressAllowed(cs []AddressConsent, ch Channel, p Purpose) bool {
	return latestAllows(len(cs), func(i int) decisionAt {
		c := &cs[i]
		return decisionAt{c.Channel, c.Purpose, c.Decision, c.RecordedAt}
	}, ch, p)
}
