package journey

import (
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
)

// Definition is one version of a journey, as written in its YAML file.
type Definition struct {
	ID          string  `yaml:"id"`
	Version     int     `yaml:"version"`
	Name        string  `yaml:"name"`
	Description string  `yaml:"description"`
	Trigger     Trigger `yaml:"trigger"`
	// Segment selects the patients a campaign of this journey reaches, and
	// guards event triggers: an expression over patient attributes.
	Segment string `yaml:"segment"`
	// Start is the first step (default: the first listed).
	Start string `yaml:"start"`
	Steps []Step `yaml:"steps"`

	// File names where the definition was read from, for errors.
	File string `yaml:"-"`
	// Source is the YAML text, stored with each version.
	Source []byte `yaml:"-"`
}

// Trigger says what enrolls patients: a campaign launched by staff over
// the segment, an event in the ledger plus a delay, a schedule, or several.
type Trigger struct {
	Campaign bool             `yaml:"campaign"`
	Event    *EventTrigger    `yaml:"event"`
	Schedule *ScheduleTrigger `yaml:"schedule"`
}

// ScheduleTrigger launches the journey over its segment on a schedule, as a
// campaign of its own each time (a monthly re-verification, say).
type ScheduleTrigger struct {
	// Every is the interval between launches, at least an hour.
	Every Duration `yaml:"every"`
	// HoldoutPercent keeps a share of each launch out, for lift.
	HoldoutPercent float64 `yaml:"holdout_percent"`
}

// EventTrigger enrolls a patient when an event of the kind happens to them.
type EventTrigger struct {
	// Kind is an event kind: encounter.finished, appointment.finished,
	// patient.imported, dispense.recorded, contact.stale, contact.lost (a
	// delivery failure left no usable phone), or an outcome
	// ("outcome:declined").
	Kind string `yaml:"kind"`
	// Delay waits this long after the event.
	Delay Duration `yaml:"delay"`
	// Where further filters on the event's patient (an expression).
	Where string `yaml:"where"`
}

// Step is one step; exactly one of its kinds is set.
type Step struct {
	ID      string       `yaml:"id"`
	Send    *SendStep    `yaml:"send"`
	Wait    *WaitStep    `yaml:"wait_reply"`
	Delay   *DelayStep   `yaml:"delay"`
	Branch  *BranchStep  `yaml:"branch"`
	Outcome *OutcomeStep `yaml:"outcome"`
	Set     *SetStep     `yaml:"set"`
	Enroll  *EnrollStep  `yaml:"enroll"`
	Notify  *NotifyStep  `yaml:"notify"`
	End     bool         `yaml:"end"`
	// Next is the step after this one (default: the next listed).
	Next string `yaml:"next"`
}

// SendStep sends a message through the pipeline.
type SendStep struct {
	Purpose rapport.Purpose `yaml:"purpose"`
	// Channels is the fallback order; empty uses the patient's preference
	// and the organisation's order.
	Channels []rapport.Channel `yaml:"channels"`
	Content  messaging.Content `yaml:"content"`
	// Variants are A/B alternatives of the content, picked per patient by a
	// stable hash (campaigns' first messages).
	Variants map[string]messaging.Content `yaml:"variants"`
	// Choices are keypad answers for voice ("1": "yes").
	Choices map[string]string `yaml:"choices"`
	Urgent  bool              `yaml:"urgent"`
	// Contact pins the contact point: "trigger" sends to the one the
	// triggering event names (contact.stale), whatever its status; empty
	// lets the pipeline choose.
	Contact string `yaml:"contact"`
}

// ContactTrigger is SendStep.Contact for the triggering event's contact point.
const ContactTrigger = "trigger"

// WaitStep waits for a reply to the last message sent, or a timeout.
type WaitStep struct {
	Timeout Duration `yaml:"timeout"`
	// On maps what happened to the next step: yes, no, choice:N, choice
	// (any number), refusal (a "no" in words: "no thanks, too expensive"),
	// question, free_text (any other words), reply (any reply not matched
	// otherwise), timeout, undeliverable, opted_out. A reply the wait has
	// no branch for goes to the staff inbox and the wait goes on.
	On map[string]string `yaml:"on"`
	// Reason classifies the reply as a decline reason (the decline-reason
	// taxonomy) into the enrollment's "reason" variable.
	Reason bool `yaml:"classify_reason"`
}

// DelayStep waits without expecting anything.
type DelayStep struct {
	For Duration `yaml:"for"`
}

// BranchStep goes one way or the other on an expression.
type BranchStep struct {
	If   string `yaml:"if"`
	Then string `yaml:"then"`
	Else string `yaml:"else"`
}

// OutcomeStep records the enrollment's outcome in the ledger.
type OutcomeStep struct {
	Outcome Outcome `yaml:"outcome"`
	// Reason records the classified reason of the last reply, if any.
	WithReason bool `yaml:"with_reason"`
}

// SetStep sets a patient attribute rapport keeps.
type SetStep struct {
	// Attribute is preferred_channel, or a contact update: contact_valid,
	// contact_invalid (the waiting message's contact point).
	Attribute string `yaml:"attribute"`
	Value     string `yaml:"value"`
}

// EnrollStep enrolls the patient in another journey.
type EnrollStep struct {
	Journey string   `yaml:"journey"`
	Delay   Duration `yaml:"delay"`
}

// NotifyStep puts an item in the staff inbox.
type NotifyStep struct {
	Priority rapport.Priority `yaml:"priority"`
	Summary  string           `yaml:"summary"`
}

// Outcome is how an enrollment ended for the metrics.
type Outcome string

const (
	OutcomeInterested    Outcome = "interested"
	OutcomeDeclined      Outcome = "declined"
	OutcomeNoReply       Outcome = "no_reply"
	OutcomeOptedOut      Outcome = "opted_out"
	OutcomeUndeliverable Outcome = "undeliverable"
	OutcomeEngaged       Outcome = "engaged"
	OutcomeCompleted     Outcome = "completed"
	OutcomeBetter        Outcome = "better"
	OutcomeSame          Outcome = "same"
	OutcomeWorse         Outcome = "worse"
	OutcomeConfirmed     Outcome = "confirmed"
	OutcomeUpdated       Outcome = "updated"
)

var outcomes = map[Outcome]bool{OutcomeInterested: true, OutcomeDeclined: true, OutcomeNoReply: true, OutcomeOptedOut: true,
	OutcomeUndeliverable: true, OutcomeEngaged: true, OutcomeCompleted: true, OutcomeBetter: true, OutcomeSame: true,
	OutcomeWorse: true, OutcomeConfirmed: true, OutcomeUpdated: true}

// Duration is a time.Duration written as "72h", "30m" or "3d" (days).
type Duration time.Duration

// D is the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }
