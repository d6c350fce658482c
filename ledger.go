package rapport

import (
	"encoding/json"
	"time"
)

// EventKind names what happened in a ledger event. Kinds are dotted,
// subject first: "patient.created", "message.sent", "consent.opt_out".
type EventKind string

// Ledger event kinds written by the foundation. Other packages add their own.
const (
	EventRecordCreated     EventKind = "record.created"
	EventRecordUpdated     EventKind = "record.updated"
	EventPossibleDuplicate EventKind = "patient.possible_duplicate"
	EventContactStatus     EventKind = "contact.status_changed"
	EventConsentRecorded   EventKind = "consent.recorded"
)

// Event is one row of the engagement ledger: an append-only record of every
// contact attempt, delivery, reply, outcome, consent change and record
// change. Metrics are computed from it; nothing ever updates or deletes it.
type Event struct {
	// Seq orders events; it is assigned by the store.
	Seq       int64     `json:"seq"`
	PatientID PatientID `json:"patient_id,omitempty"`
	At        time.Time `json:"at"`
	Kind      EventKind `json:"kind"`
	Channel   Channel   `json:"channel,omitempty"`
	Journey   string    `json:"journey,omitempty"`
	Campaign  string    `json:"campaign,omitempty"`
	// Payload is a JSON object with details particular to the kind.
	Payload json.RawMessage `json:"payload,omitempty"`
}

// EventFilter selects ledger events. Zero fields do not filter.
type EventFilter struct {
	PatientID PatientID
	Kind      EventKind
	Campaign  string
	AfterSeq  int64
	Limit     int
}
