package rapport

import (
	"encoding/json"
	"time"
)

// EnrollmentStatus is where a patient is in a journey.
type EnrollmentStatus string

const (
	EnrollmentActive    EnrollmentStatus = "active"    // due to run its current step at WakeAt
	EnrollmentWaiting   EnrollmentStatus = "waiting"   // waiting for a reply or a delay until WakeAt
	EnrollmentDone      EnrollmentStatus = "done"      // reached the end
	EnrollmentCancelled EnrollmentStatus = "cancelled" // its campaign was cancelled
)

// Enrollment is one patient's durable state in one journey: the version it
// started on, the current step and when it next wakes.
type Enrollment struct {
	ID         string           `json:"id"`
	Journey    string           `json:"journey"`
	Version    int              `json:"version"`
	PatientID  PatientID        `json:"patient_id"`
	Campaign   string           `json:"campaign,omitempty"`
	Variant    string           `json:"variant,omitempty"`
	Step       string           `json:"step"`
	Status     EnrollmentStatus `json:"status"`
	WakeAt     time.Time        `json:"wake_at"`
	WaitingFor MessageID        `json:"waiting_for,omitempty"`
	// Vars carry what the journey learned: the last reply's intent, choice,
	// decline reason and its words.
	Vars      map[string]string `json:"vars,omitempty"`
	Outcome   string            `json:"outcome,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// CampaignStatus is a campaign's life. The stored status is the launch's
// (scheduled, launching, launched, paused, cancelled); what a campaign is
// said to be comes from [Campaign.Progress], which splits launched into
// running and done by its live enrollments, so it cannot go stale.
type CampaignStatus string

const (
	CampaignScheduled CampaignStatus = "scheduled" // waiting for its start
	CampaignLaunching CampaignStatus = "launching" // the launch job is still enrolling the segment
	CampaignLaunched  CampaignStatus = "launched"  // stored only: every patient enrolled; said as running or done
	CampaignRunning   CampaignStatus = "running"   // launched, and enrollments still active or waiting
	CampaignDone      CampaignStatus = "done"      // launched, and no enrollment live
	CampaignPaused    CampaignStatus = "paused"
	CampaignCancelled CampaignStatus = "cancelled"
)

// Progress is what is true of a campaign whose enrollments still active
// or waiting number live: its stored status, except that a launched
// campaign is running while any enrollment lives and done after.
func (c *Campaign) Progress(live int) CampaignStatus {
	if c.Status != CampaignLaunched {
		return c.Status
	}
	if live > 0 {
		return CampaignRunning
	}
	return CampaignDone
}

// Campaign launches a journey over a segment of patients.
type Campaign struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Journey string `json:"journey"`
	Version int    `json:"version"`
	// Segment is an expression over patient attributes; empty takes the journey's.
	Segment string `json:"segment,omitempty"`
	// HoldoutPercent of the segment is never contacted, chosen by a stable
	// hash of the patient id, so lift can be measured.
	HoldoutPercent float64 `json:"holdout_percent"`
	// Throttle is patients started per hour (0: all at once).
	Throttle int            `json:"throttle_per_hour"`
	StartAt  time.Time      `json:"start_at"`
	Status   CampaignStatus `json:"status"`
	// Cursor is the last patient id the launch has looked at, so a launch
	// interrupted by a crash resumes where it stopped.
	Cursor    string          `json:"-"`
	Enrolled  int             `json:"enrolled"`
	HeldOut   int             `json:"held_out"`
	Options   json.RawMessage `json:"options,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Ledger event kinds of journeys and campaigns.
const (
	EventCampaignLaunched EventKind = "campaign.launched"
	EventCampaignStatus   EventKind = "campaign.status"
	EventCampaignHoldout  EventKind = "campaign.holdout"
	EventJourneyEnrolled  EventKind = "journey.enrolled"
	EventJourneyStep      EventKind = "journey.step"
	EventJourneyOutcome   EventKind = "journey.outcome"
	EventJourneyEnded     EventKind = "journey.ended"
	// EventEngaged marks a patient doing something that counts as
	// engagement: a positive reply, an enrollment they accepted, a booking,
	// a completed check-in. Engaged decliners are counted from it.
	EventEngaged EventKind = "patient.engaged"
)

// CampaignFilter pages campaigns, newest first.
type CampaignFilter struct {
	// After is the id of the last campaign of the previous page.
	After string
	// Limit is the most campaigns returned; 0 is all.
	Limit int
}
