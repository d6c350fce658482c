package rapport

import (
	"fmt"
	"time"
)

// MessageID identifies an outbound message. Providers are handed it where
// it round-trips (Twilio's status callback URL, the email Message-ID), so a
// message sent twice after a crash is detectable; no provider refuses a
// repeat by it.
type MessageID string

// MessageStatus is where an outbound message is. Every change is a ledger event.
type MessageStatus string

const (
	// MessageQueued: accepted, waiting for its time (quiet hours, caps, pacing) or a worker.
	MessageQueued MessageStatus = "queued"
	// MessageUnknown: a send ended without the provider's answer (a timeout
	// after the request went out), so it may or may not have been accepted.
	// It is never sent again blindly: the provider is asked first, and the
	// message becomes sent, or queued again when the provider has none. A
	// provider that cannot be asked (SMTP) leaves it unknown, for staff.
	MessageUnknown MessageStatus = "unknown"
	// MessageSent: the provider accepted it.
	MessageSent MessageStatus = "sent"
	// MessageDelivered: the provider confirmed delivery.
	MessageDelivered MessageStatus = "delivered"
	// MessageUndelivered: the provider could not deliver it (bad number, carrier refused).
	MessageUndelivered MessageStatus = "undelivered"
	// MessageFailed: rapport gave up (permanent error, or its deadline passed).
	MessageFailed MessageStatus = "failed"
	// MessageSuppressed: never sent: no consent, or no usable contact point.
	MessageSuppressed MessageStatus = "suppressed"
)

// Final reports whether no further status can follow, other than a late
// delivery report for a sent message.
func (s MessageStatus) Final() bool {
	return s == MessageDelivered || s == MessageUndelivered || s == MessageFailed || s == MessageSuppressed
}

// statusRank orders statuses: a message only moves to a higher rank. The
// ends share the top rank, so none replaces another: a delivery receipt
// that overtook the send worker's "sent" stays, and a late "failed" cannot
// undo "delivered". Nothing returns to queued (retries keep a message
// queued; they never requeue a sent one) but an unknown message the
// provider turned out not to have: queued and unknown share a rank.
var statusRank = map[MessageStatus]int{
	MessageQueued: 1, MessageUnknown: 1, MessageSent: 2,
	MessageDelivered: 3, MessageUndelivered: 3, MessageFailed: 3, MessageSuppressed: 3,
}

// MessageStatuses lists every status, lowest rank first.
func MessageStatuses() []MessageStatus {
	return []MessageStatus{MessageQueued, MessageUnknown, MessageSent, MessageDelivered, MessageUndelivered, MessageFailed, MessageSuppressed}
}

// MayBecome reports whether a message in status s may change to next:
// forward only, or to the same status while not final (a deferred message
// stays queued with a new time), and between queued and unknown.
// Statuses not listed may become nothing.
func (s MessageStatus) MayBecome(next MessageStatus) bool {
	from, ok1 := statusRank[s]
	to, ok2 := statusRank[next]
	if !ok1 || !ok2 {
		return false
	}
	return to > from || (to == from && !s.Final() && !next.Final())
}

// Message is one outbound message to a patient on one channel.
type Message struct {
	ID        MessageID `json:"id"`
	PatientID PatientID `json:"patient_id"`
	// CaregiverID names the caregiver a message goes to on the patient's
	// behalf; empty for a message to the patient. Such a message takes the
	// caregiver's contact point, language and consent, and counts in none
	// of the patient's caps or metrics.
	CaregiverID string `json:"caregiver_id,omitempty"`
	// Proxy is the kind of a message to a caregiver, which the caregiver's
	// scope must allow until it is sent.
	Proxy     ProxyMessage `json:"proxy,omitempty"`
	Channel   Channel      `json:"channel,omitempty"`
	ContactID string       `json:"contact_id,omitempty"`
	To        string       `json:"to,omitempty"`
	From      string       `json:"from,omitempty"`
	Purpose   Purpose      `json:"purpose"`
	Language  string       `json:"language,omitempty"`
	// Body, Subject and HTML are what the patient gets: Template with Vars filled in.
	Body    string `json:"body"`
	Subject string `json:"subject,omitempty"`
	HTML    string `json:"html,omitempty"`
	// Template is the text before its placeholders were filled, and Vars
	// the values filled in. The store keeps a template once however many
	// messages share it (a campaign's 100,000 emails share one), and a
	// message is rendered from them just before it is sent. A zero
	// Template means Body, Subject and HTML as they are.
	Template MessageText       `json:"-"`
	Vars     map[string]string `json:"-"`
	// Choices are the keypad answers a voice message gathers ("1" → "yes").
	Choices map[string]string `json:"choices,omitempty"`
	// Urgent care-team messages go out in quiet hours and past caps; only
	// care may be urgent (see [Message.SkipsQuietHours]).
	Urgent bool `json:"urgent,omitempty"`
	// Compliance messages (an opt-out's one confirmation, a HELP answer) go
	// whatever the consent: carriers and law require them.
	Compliance bool `json:"compliance,omitempty"`
	// PatientTimed marks a care message at a time the patient chose (a
	// dose reminder moved to 06:30): it goes at that time, quiet hours or not.
	PatientTimed bool `json:"patient_timed,omitempty"`
	// Fallback lists the channels still to try if this one cannot reach the patient.
	Fallback []Channel `json:"fallback,omitempty"`

	Status       MessageStatus `json:"status"`
	StatusReason string        `json:"status_reason,omitempty"`
	ProviderID   string        `json:"provider_id,omitempty"`
	Segments     int           `json:"segments,omitempty"`

	// NotBefore is the earliest time it may go: quiet hours, caps and the
	// sender's pace decide it.
	NotBefore time.Time `json:"not_before"`
	// Deadline is when rapport stops retrying and gives up.
	Deadline time.Time `json:"deadline"`

	Journey  string `json:"journey,omitempty"`
	Campaign string `json:"campaign,omitempty"`
	Step     string `json:"step,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at"`
}

// InboundStatus is where an inbound message is in its processing.
type InboundStatus string

const (
	InboundReceived  InboundStatus = "received"  // stored, not yet processed
	InboundProcessed InboundStatus = "processed" // routed to a journey, the inbox or a keyword
	InboundUnmatched InboundStatus = "unmatched" // from no known patient: kept for staff
)

// Inbound is a message a patient sent: an SMS, keys pressed in a call, an
// email reply. It is stored before anything else happens to it.
type Inbound struct {
	ID         string        `json:"id"`
	Channel    Channel       `json:"channel"`
	From       string        `json:"from"`
	To         string        `json:"to"`
	Body       string        `json:"body"`
	ProviderID string        `json:"provider_id,omitempty"`
	ReceivedAt time.Time     `json:"received_at"`
	PatientID  PatientID     `json:"patient_id,omitempty"`
	InReplyTo  MessageID     `json:"in_reply_to,omitempty"`
	Status     InboundStatus `json:"status"`
	// Intent is what the text says: yes, no, choice, free_text, or a keyword kind.
	Intent string `json:"intent,omitempty"`
	Choice int    `json:"choice,omitempty"`
}

// Ledger event kinds of messaging.
const (
	EventMessageSuppressed EventKind = "message.suppressed"
	EventMessageUnknown    EventKind = "message.unknown"
	EventMessageSent       EventKind = "message.sent"
	EventMessageDelivered  EventKind = "message.delivered"
	EventMessageFailed     EventKind = "message.failed"
	EventMessageReceived   EventKind = "message.received"
)

// SkipsQuietHours reports whether the message may go in quiet hours and
// past the caps: an urgent care message, or a compliance message. An
// urgent flag on outreach counts for nothing, so an outreach message that
// slipped through as urgent still waits, and is counted if it did not.
func (m *Message) SkipsQuietHours() bool {
	return m.Compliance || (m.Purpose == PurposeCare && (m.Urgent || m.PatientTimed))
}

// ErrUrgentNotCare is the message of a refused urgent request: urgent skips
// quiet hours and caps, which only care may do.
const ErrUrgentNotCare = "urgent is only for purpose care: it skips quiet hours and caps"

// SimulatedPrefix begins the provider id of every message that went to a
// simulated patient (serve --channels simulator), so that reports can say
// their figures are not real patients'.
const SimulatedPrefix = "simulated-"

// noChannelFormat is why a message is suppressed when the channel the plan
// chose has no sender in the process that planned it.
const noChannelFormat = "no %s channel is configured"

// NoChannelReason is the suppression reason of a message for ch when no
// sender for ch is configured.
func NoChannelReason(ch Channel) string { return fmt.Sprintf(noChannelFormat, ch) }

// IsNoChannelReason says whether reason is a [NoChannelReason]: nothing is
// wrong with the patient's address, the server could not send.
func IsNoChannelReason(reason string) bool {
	for _, ch := range []Channel{ChannelSMS, ChannelVoice, ChannelEmail} {
		if reason == NoChannelReason(ch) {
			return true
		}
	}
	return false
}
