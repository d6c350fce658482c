package twilio

import (
	"strconv"

	"github.com/rapporthq/rapport/channel"
)

// codeKinds classifies the Twilio error codes rapport acts on, both the
// synchronous REST API errors (2xxxx) and the asynchronous delivery errors
// of status callbacks (3xxxx). Codes not listed are [channel.ErrPermanent].
// Sources: https://www.twilio.com/docs/api/errors/<code>.
var codeKinds = map[int]error{
	// --- REST API, account and request ---
	20003: channel.ErrPermanent, // authentication failed: wrong SID or token; fix the config
	20429: channel.ErrRetryable, // too many requests: the account's API concurrency limit

	// --- REST API, the recipient's number ---
	21211: channel.ErrBadAddress,        // invalid 'To' phone number (SMS)
	21214: channel.ErrBadAddress,        // 'To' phone number cannot be reached (voice)
	21217: channel.ErrBadAddress,        // phone number does not appear to be valid (voice)
	21407: channel.ErrBadAddress,        // this phone number type does not support SMS
	21612: channel.ErrBadAddress,        // 'To' number is not currently reachable via SMS (unroutable)
	21614: channel.ErrBadAddress,        // 'To' number is not a valid mobile number: a landline, for SMS
	21610: channel.ErrRecipientOptedOut, // recipient replied STOP to this sender; Twilio refuses until START

	// Geographic permissions are a setting of our account, not a fault of the
	// patient's number: marking the contact point bad would be wrong evidence.
	21408: channel.ErrPermanent, // SMS to the 'To' number's region is not enabled on the account
	21215: channel.ErrPermanent, // calls to the 'To' number's region are not enabled on the account

	// --- Delivery (status callbacks) ---
	30001: channel.ErrRetryable,  // queue overflow: too many messages queued for the sender
	30002: channel.ErrPermanent,  // account suspended
	30003: channel.ErrRetryable,  // unreachable handset: off or out of coverage; often transient
	30004: channel.ErrPermanent,  // message blocked, by the recipient or the carrier
	30005: channel.ErrBadAddress, // unknown destination handset: number unknown or inactive
	30006: channel.ErrBadAddress, // landline or unreachable carrier: cannot take SMS
	30007: channel.ErrPermanent,  // filtered as spam by the carrier: the content, not the number
	30008: channel.ErrRetryable,  // unknown error from the carrier
	30009: channel.ErrRetryable,  // a segment of a multipart message was lost
	30010: channel.ErrPermanent,  // price exceeds the max price set on the message
	30034: channel.ErrPermanent,  // sender not registered for A2P 10DLC: fix the account
}

// KindOf returns the [channel] sentinel error for a Twilio error code:
// ErrRetryable, ErrBadAddress, ErrRecipientOptedOut or ErrPermanent.
func KindOf(code int) error {
	if k, ok := codeKinds[code]; ok {
		return k
	}
	return channel.ErrPermanent
}

// codeError builds the [*channel.Error] for a Twilio error code.
func codeError(code int, msg string) *channel.Error {
	return &channel.Error{Kind: KindOf(code), Code: strconv.Itoa(code), Msg: msg}
}
