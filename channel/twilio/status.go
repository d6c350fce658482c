package twilio

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/rapporthq/rapport/channel"
)

// Resource says what a status callback is about.
type Resource string

const (
	ResourceMessage Resource = "message"
	ResourceCall    Resource = "call"
)

// StatusUpdate is one status callback, posted to /webhooks/twilio/status for
// an SMS (MessageSid, MessageStatus) or a call (CallSid, CallStatus).
type StatusUpdate struct {
	Resource   Resource
	SID        string // the message or call SID
	AccountSID string
	// Status is Twilio's status verbatim: for messages queued, sending, sent,
	// delivered, undelivered, failed, read…; for calls queued, initiated,
	// ringing, in-progress, completed, busy, no-answer, failed, canceled.
	Status    string
	From, To  string
	ErrorCode string // Twilio's error code, digits, when the update reports one
	// MessageID is rapport's message id from the mid query parameter of the
	// callback URL, empty when the URL had none.
	MessageID string
	// Err classifies a failure the update reports, nil otherwise: its Kind is
	// ErrBadAddress for a number that cannot be reached on this channel
	// (30005, 30006, a failed call), ErrRetryable for a temporary condition
	// (30003, 30008, busy, no-answer), ErrRecipientOptedOut, or ErrPermanent
	// (30007 filtered, and codes not in the table).
	Err *channel.Error
}

// Final reports whether no further status is expected for the message or call.
func (s StatusUpdate) Final() bool {
	switch s.Status {
	case "delivered", "undelivered", "failed", "read", "canceled", "received",
		"completed", "busy", "no-answer":
		return true
	}
	return false
}

// Delivered reports whether the message reached the handset, or the call was
// answered and ran to its end.
func (s StatusUpdate) Delivered() bool {
	return s.Status == "delivered" || s.Status == "read" ||
		(s.Resource == ResourceCall && s.Status == "completed")
}

// ParseStatus reads a status callback. Pass r.Form, which holds the query's
// mid beside the POST fields. It needs a SID and a status of one resource,
// and fails on over-long values or an ErrorCode that is not a number.
func ParseStatus(form url.Values) (StatusUpdate, error) {
	var (
		s   StatusUpdate
		err error
	)
	status, err := field(form, "MessageStatus", 64)
	if err != nil {
		return StatusUpdate{}, fmt.Errorf("parse status callback: %w", err)
	}
	if status == "" {
		status = form.Get("SmsStatus")
	}
	switch {
	case status != "":
		s.Resource, s.Status = ResourceMessage, status
		if s.SID, err = sid(form, "MessageSid", false); err == nil && s.SID == "" {
			s.SID, err = sid(form, "SmsSid", true)
		}
	case form.Get("CallStatus") != "":
		s.Resource = ResourceCall
		if s.Status, err = field(form, "CallStatus", 64); err == nil {
			s.SID, err = sid(form, "CallSid", true)
		}
	default:
		return StatusUpdate{}, fmt.Errorf("parse status callback: neither MessageStatus nor CallStatus is set")
	}
	if err != nil {
		return StatusUpdate{}, fmt.Errorf("parse status callback: %w", err)
	}
	if !isToken(s.Status) {
		return StatusUpdate{}, fmt.Errorf("parse status callback %s: status %q is not a status word", s.SID, s.Status)
	}
	if s.AccountSID, err = sid(form, "AccountSid", false); err != nil {
		return StatusUpdate{}, fmt.Errorf("parse status callback %s: %w", s.SID, err)
	}
	if s.From, err = field(form, "From", 256); err != nil {
		return StatusUpdate{}, fmt.Errorf("parse status callback %s: %w", s.SID, err)
	}
	if s.To, err = field(form, "To", 256); err != nil {
		return StatusUpdate{}, fmt.Errorf("parse status callback %s: %w", s.SID, err)
	}
	if s.MessageID, err = messageID(form); err != nil {
		return StatusUpdate{}, fmt.Errorf("parse status callback %s: %w", s.SID, err)
	}
	if code := form.Get("ErrorCode"); code != "" {
		n, err := strconv.Atoi(code)
		if err != nil || n < 0 || len(code) > 9 {
			return StatusUpdate{}, fmt.Errorf("parse status callback %s: ErrorCode %q is not a number", s.SID, code)
		}
		s.ErrorCode = strconv.Itoa(n)
	}
	s.Err = s.classify()
	return s, nil
}

// classify says what a failing update means for the pipeline.
func (s StatusUpdate) classify() *channel.Error {
	if s.ErrorCode != "" && s.ErrorCode != "0" {
		n, _ := strconv.Atoi(s.ErrorCode)
		return codeError(n, string(s.Resource)+" "+s.Status)
	}
	switch s.Status {
	case "undelivered", "failed":
		if s.Resource == ResourceCall {
			// Twilio: the call could not be completed as dialed, most
			// likely because the number does not exist.
			return &channel.Error{Kind: channel.ErrBadAddress, Msg: "call failed"}
		}
		return &channel.Error{Kind: channel.ErrPermanent, Msg: "message " + s.Status + " without an error code"}
	case "busy", "no-answer":
		return &channel.Error{Kind: channel.ErrRetryable, Msg: "call " + s.Status}
	}
	return nil
}

// isToken reports whether s is a short status word: letters, digits, - and _.
func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
