package twilio

import (
	"fmt"
	"net/url"
	"strconv"
)

// maxMedia is the most media Twilio attaches to one message.
const maxMedia = 10

// Inbound is an SMS or MMS a patient sent to one of our numbers, as posted to
// /webhooks/twilio/sms.
type Inbound struct {
	MessageSID          string
	AccountSID          string
	MessagingServiceSID string
	From                string // the patient's number, E.164
	To                  string // our number
	Body                string // may be empty when the message is media only
	NumSegments         int
	Media               []Media
	// FromCountry is Twilio's guess of the sender's country (ISO 3166), if sent.
	FromCountry string
}

// Media is one attachment of an MMS.
type Media struct {
	URL         string
	ContentType string
}

// ParseInbound reads an inbound message webhook. It needs MessageSid (or the
// older SmsSid), From and To; it fails on over-long values, a malformed count,
// or a NumMedia that does not match the MediaUrlN fields.
func ParseInbound(form url.Values) (Inbound, error) {
	var (
		in  Inbound
		err error
	)
	if in.MessageSID, err = sid(form, "MessageSid", false); err != nil {
		return Inbound{}, fmt.Errorf("parse inbound sms: %w", err)
	}
	if in.MessageSID == "" {
		if in.MessageSID, err = sid(form, "SmsSid", true); err != nil {
			return Inbound{}, fmt.Errorf("parse inbound sms: MessageSid is missing: %w", err)
		}
	}
	if in.AccountSID, err = sid(form, "AccountSid", false); err != nil {
		return Inbound{}, fmt.Errorf("parse inbound sms: %w", err)
	}
	if in.MessagingServiceSID, err = sid(form, "MessagingServiceSid", false); err != nil {
		return Inbound{}, fmt.Errorf("parse inbound sms: %w", err)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"From", &in.From}, {"To", &in.To}, {"Body", &in.Body}, {"FromCountry", &in.FromCountry}} {
		if *f.dst, err = field(form, f.key, maxField); err != nil {
			return Inbound{}, fmt.Errorf("parse inbound sms: %w", err)
		}
	}
	if in.From == "" || in.To == "" {
		return Inbound{}, fmt.Errorf("parse inbound sms %s: From and To are required", in.MessageSID)
	}
	if in.NumSegments, err = count(form, "NumSegments", 1000); err != nil {
		return Inbound{}, fmt.Errorf("parse inbound sms %s: %w", in.MessageSID, err)
	}
	n, err := count(form, "NumMedia", maxMedia)
	if err != nil {
		return Inbound{}, fmt.Errorf("parse inbound sms %s: %w", in.MessageSID, err)
	}
	for i := range n {
		k := strconv.Itoa(i)
		u, err := field(form, "MediaUrl"+k, maxField)
		if err != nil {
			return Inbound{}, fmt.Errorf("parse inbound sms %s: %w", in.MessageSID, err)
		}
		if u == "" {
			return Inbound{}, fmt.Errorf("parse inbound sms %s: NumMedia is %d but MediaUrl%s is missing", in.MessageSID, n, k)
		}
		ct, err := field(form, "MediaContentType"+k, 256)
		if err != nil {
			return Inbound{}, fmt.Errorf("parse inbound sms %s: %w", in.MessageSID, err)
		}
		in.Media = append(in.Media, Media{URL: u, ContentType: ct})
	}
	return in, nil
}
