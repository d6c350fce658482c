// Package channel defines what the messaging pipeline needs from a way of
// reaching patients (Twilio SMS and Voice, SMTP email, the simulator), and
// the errors a channel reports. Each provider lives in its own folder below.
package channel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
)

// Message is one outbound message as a channel sees it: already rendered,
// already allowed by consent and quiet hours.
type Message struct {
	// ID is rapport's message id. Channels pass it to the provider where it
	// round-trips, so a message sent twice after a crash is detectable.
	ID       string
	Channel  rapport.Channel
	To       string // E.164 phone number or email address
	From     string // sender: a phone number, short code or email address
	Language string // BCP 47 tag, for text-to-speech voices
	Body     string // plain text: the SMS body, the spoken text, the email text part
	Subject  string // email only
	HTML     string // email only, optional
	// Choices are the keypad answers a voice call gathers ("1" → "yes").
	Choices map[string]string
	// UnsubscribeURL is the one-click unsubscribe link for email.
	UnsubscribeURL string
}

// Result is what the provider said when it accepted a message.
type Result struct {
	// ProviderID is the provider's id for the message (a Twilio SID, an SMTP queue id).
	ProviderID string
	// Status is the provider's initial status, such as "queued" or "sent".
	Status string
	// Segments is the number of billed SMS segments, when known.
	Segments int
}

// Sender sends messages over one channel.
type Sender interface {
	Send(ctx context.Context, m Message) (Result, error)
}

// Errors a Sender returns, wrapped in an [*Error]. Callers decide with
// errors.Is whether to retry.
var (
	// ErrRetryable: a temporary failure (throttling, 5xx, timeout); try again later.
	ErrRetryable = errors.New("temporary failure")
	// ErrBadAddress: the recipient address is wrong or cannot receive this
	// channel (invalid number, landline for SMS, unknown mailbox). The contact
	// point should be marked with the evidence.
	ErrBadAddress = errors.New("bad address")
	// ErrRecipientOptedOut: the provider holds an opt-out for this recipient.
	ErrRecipientOptedOut = errors.New("recipient opted out at provider")
	// ErrPermanent: any other failure that retrying will not fix.
	ErrPermanent = errors.New("permanent failure")
	// ErrUnknown: the request reached the provider but no answer came back
	// (a timeout or a broken connection after it was written): the provider
	// may have accepted the message. Sending it again blindly could reach
	// the patient twice; a [Reconciler] asks the provider first.
	ErrUnknown = errors.New("outcome unknown: the provider may have accepted it")
)

// Reconciler is a Sender that can say whether it accepted a message whose
// send ended in [ErrUnknown].
type Reconciler interface {
	// Lookup looks for m among the messages the provider accepted since
	// the given time. found is false when the provider has none; an error
	// means the provider could not be asked.
	Lookup(ctx context.Context, m Message, since time.Time) (res Result, found bool, err error)
}

// Error is a send failure with the provider's code and the kind of failure.
type Error struct {
	Kind error // one of the Err* sentinels
	// Code is the provider's error code ("21211", "550"), if any.
	Code string
	// RetryAfter is how long the provider asked us to wait, if it said.
	RetryAfter time.Duration
	Msg        string
}

func (e *Error) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("%v: code %s: %s", e.Kind, e.Code, e.Msg)
	}
	return fmt.Sprintf("%v: %s", e.Kind, e.Msg)
}

func (e *Error) Unwrap() error { return e.Kind }
