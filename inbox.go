package rapport

import "time"

// InboxKind is what an inbox item asks of staff.
type InboxKind string

const (
	// InboxReply: a patient's reply that no journey was waiting for.
	InboxReply InboxKind = "reply"
	// InboxUnmatched: a message from a number or address rapport cannot tie
	// to one patient (unknown, or shared by several with nothing waiting).
	InboxUnmatched InboxKind = "unmatched"
	// InboxCareTask: a journey asks the care team to act (a patient feels
	// worse, cannot be reached).
	InboxCareTask InboxKind = "care_task"
)

// Priority orders inbox items.
type Priority string

const (
	PriorityUrgent Priority = "urgent"
	PriorityHigh   Priority = "high"
	PriorityNormal Priority = "normal"
	PriorityLow    Priority = "low"
)

// InboxItem is one thing waiting for staff.
type InboxItem struct {
	ID         string    `json:"id"`
	PatientID  PatientID `json:"patient_id,omitempty"`
	Kind       InboxKind `json:"kind"`
	Priority   Priority  `json:"priority"`
	InboundID  string    `json:"inbound_id,omitempty"`
	Summary    string    `json:"summary"`
	Journey    string    `json:"journey,omitempty"`
	Campaign   string    `json:"campaign,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	ResolvedBy string    `json:"resolved_by,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// InboxFilter selects inbox items; zero fields do not filter.
type InboxFilter struct {
	Kind     InboxKind
	Priority Priority
	// Open selects unresolved items only.
	Open  bool
	Limit int
}

// Ledger event kinds of the inbox.
const (
	EventInboxCreated  EventKind = "inbox.created"
	EventInboxResolved EventKind = "inbox.resolved"
)
