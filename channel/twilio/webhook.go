package twilio

import (
	"fmt"
	"net/url"
	"strconv"
)

// Webhook paths rapport serves; the web package mounts them.
const (
	PathSMS    = "/webhooks/twilio/sms"
	PathStatus = "/webhooks/twilio/status"
	PathVoice  = "/webhooks/twilio/voice"
)

// maxField bounds any single webhook value rapport keeps. Twilio's longest,
// an inbound body, is at most 1,600 characters; the rest are SIDs and numbers.
const maxField = 8 << 10

// maxSID bounds a Twilio SID (34 characters today) and a message id.
const maxSID = 64

// field returns form's first value for key, or an error when it is too long.
func field(form url.Values, key string, limit int) (string, error) {
	v := form.Get(key)
	if len(v) > limit {
		return "", fmt.Errorf("%s is %d bytes, more than %d", key, len(v), limit)
	}
	return v, nil
}

// sid returns the SID in key; it must be letters and digits only.
func sid(form url.Values, key string, required bool) (string, error) {
	v, err := field(form, key, maxSID)
	if err != nil {
		return "", err
	}
	if v == "" {
		if required {
			return "", fmt.Errorf("%s is missing", key)
		}
		return "", nil
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "", fmt.Errorf("%s %q is not a Twilio SID", key, v)
		}
	}
	return v, nil
}

// count parses a small non-negative count such as NumMedia.
func count(form url.Values, key string, limit int) (int, error) {
	v := form.Get(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > limit {
		return 0, fmt.Errorf("%s %q is not a count between 0 and %d", key, v, limit)
	}
	return n, nil
}

// messageID returns the mid rapport put on the callback URL, if any.
func messageID(form url.Values) (string, error) {
	return field(form, "mid", maxSID*4)
}
