package rapport

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// DuplicateStatus is where a probable-duplicate pair stands in review.
type DuplicateStatus string

const (
	DuplicatePending  DuplicateStatus = "pending"  // waiting for staff
	DuplicateMerged   DuplicateStatus = "merged"   // B was merged into A
	DuplicateRejected DuplicateStatus = "rejected" // two distinct people
)

// DuplicateCandidate is a pair of patient records that may be one person,
// as the linkage engine (or the import, for a shared business identifier)
// found them: the Fellegi–Sunter weight, the match probability and why,
// field by field. A is the lower id; the pair is stored once.
type DuplicateCandidate struct {
	ID          string          `json:"id"`
	A           PatientID       `json:"patient_a"`
	B           PatientID       `json:"patient_b"`
	Weight      float64         `json:"weight"`
	Probability float64         `json:"probability"`
	Explanation []FieldEvidence `json:"explanation,omitempty"`
	// Reason is a one-line summary ("same identifier urn:mrn|123").
	Reason     string          `json:"reason,omitempty"`
	Status     DuplicateStatus `json:"status"`
	DecidedBy  string          `json:"decided_by,omitempty"`
	DecidedAt  *time.Time      `json:"decided_at,omitempty"`
	DetectedAt time.Time       `json:"detected_at"`
}

// FieldEvidence is one field's part in a pair's match weight.
type FieldEvidence struct {
	Field      string  `json:"field"`
	Comparison string  `json:"comparison,omitempty"` // "exact", "jaro_winkler 0.96", "missing"
	Weight     float64 `json:"weight"`
}

// Normalize orders the pair (A < B), so that a pair found twice in either
// order is one row.
func (c *DuplicateCandidate) Normalize() {
	if c.A > c.B {
		c.A, c.B = c.B, c.A
	}
}

// Validate checks a candidate before it is enqueued; the error names the field.
func (c *DuplicateCandidate) Validate() error {
	switch {
	case c.A == "" || c.B == "":
		return Errorf(EINVALID, "duplicate candidate: patient_a and patient_b are required")
	case c.A == c.B:
		return Errorf(EINVALID, "duplicate candidate: patient_a and patient_b are the same record %s", c.A)
	case c.Probability < 0 || c.Probability > 1:
		return Errorf(EINVALID, "duplicate candidate %s/%s: probability %g is not between 0 and 1", c.A, c.B, c.Probability)
	}
	return nil
}

// DuplicateFilter selects candidates for the review queue.
type DuplicateFilter struct {
	Status DuplicateStatus // empty: every status
	Limit  int
}

// Merge records that record Merged was folded into Survivor. Nothing of
// Merged is moved or rewritten: its identifiers, contact points, consents
// and ledger rows keep their patient id (their origin), and readers see
// the survivor through [Merge]. Ended lists the enrollments the merge
// ended (both records in one journey), with their state before, so an
// unmerge restores them exactly.
type Merge struct {
	ID          string        `json:"id"`
	Survivor    PatientID     `json:"survivor"`
	Merged      PatientID     `json:"merged"`
	CandidateID string        `json:"candidate_id,omitempty"`
	By          string        `json:"by"`
	At          time.Time     `json:"at"`
	Ended       []*Enrollment `json:"ended,omitempty"`
}

// MergeSettings is the organisation's choice about automatic merges:
// off by default; when on, only pairs at or above Threshold merge without
// review.
type MergeSettings struct {
	AutoMerge bool    `json:"auto_merge"`
	Threshold float64 `json:"threshold"`
}

// DefaultAutoMergeThreshold is the match probability above which an
// enabled organisation merges without review.
const DefaultAutoMergeThreshold = 0.999

// AutoMerges reports whether c may merge without staff review.
func (s MergeSettings) AutoMerges(c *DuplicateCandidate) bool {
	t := s.Threshold
	if t <= 0 {
		t = DefaultAutoMergeThreshold
	}
	return s.AutoMerge && c.Probability >= t
}

// Ledger events of duplicates.
const (
	EventPatientMerged   EventKind = "patient.merged"
	EventPatientUnmerged EventKind = "patient.unmerged"
	EventDuplicateReject EventKind = "patient.duplicate_rejected"
	// EventDuplicateAddress ends an enrollment whose step its address had
	// already been sent in the campaign, for another record.
	EventDuplicateAddress EventKind = "journey.duplicate_address"
)

// MergedEnrollmentOutcome is the outcome of the enrollment a merge ends
// when both records were in one journey.
const MergedEnrollmentOutcome = "merged_duplicate"

// KeepEnrollment picks which of two live enrollments of one journey a
// merge keeps: the one further along (waiting for a reply beats active),
// else the older. The other is ended.
func KeepEnrollment(a, b *Enrollment) (keep, end *Enrollment) {
	rank := func(e *Enrollment) int {
		if e.Status == EnrollmentWaiting {
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) || (rank(a) == rank(b) && b.CreatedAt.Before(a.CreatedAt)) {
		return b, a
	}
	return a, b
}

// MostRestrictive combines the consents of records merged into one person:
// contact is allowed on a channel for a purpose only if every record's own
// consents allow it (an opt-out on either record holds for the merged
// patient, even against a later opt-in on the other). The result is a
// consent list for [Allowed]; a synthetic opt-out, dated after every
// decision, carries a refusal that the latest-decision rule would lose.
func MostRestrictive(lists ...[]Consent) []Consent {
	var all []Consent
	var last time.Time
	for _, l := range lists {
		all = append(all, l...)
		for _, c := range l {
			if c.RecordedAt.After(last) {
				last = c.RecordedAt
			}
		}
	}
	if len(lists) < 2 {
		return all
	}
	type key struct {
		ch Channel
		p  Purpose
	}
	seen := map[key]bool{}
	var keys []key
	for _, c := range all {
		k := key{c.Channel, c.Purpose}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	for _, k := range keys {
		if !Allowed(all, k.ch, k.p) {
			continue
		}
		for _, l := range lists {
			if !Allowed(l, k.ch, k.p) {
				all = append(all, Consent{PatientID: l[0].PatientID, Channel: k.ch, Purpose: k.p, Decision: OptOut,
					Source: SourceStaff, Evidence: "opt-out of a merged record", RecordedAt: last})
				break
			}
		}
	}
	return all
}

// StepKey is the key under which a campaign step may reach an address once:
// the campaign, the step, the channel and the address in [AddressKey] form.
// It is empty when the message belongs to no campaign step or has no
// address (event-triggered journeys repeat legitimately, per visit).
func StepKey(m *Message) string {
	if m.Campaign == "" || m.Step == "" || m.To == "" {
		return ""
	}
	return strings.Join([]string{m.Campaign, m.Step, string(m.Channel), AddressKey(m.Channel, m.To)}, "\x1f")
}

// DuplicateAddressReason is the suppression reason of a campaign step
// that its address already had, for another record.
const DuplicateAddressReason = "address already sent this campaign step (another record with the same address)"
