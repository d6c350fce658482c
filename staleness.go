package rapport

import (
	"fmt"
	"time"
)

// Staleness is the rule for when a phone or email that no answer has
// confirmed for a while becomes stale: worth re-verifying before it is
// trusted, though still usable (see [ContactPoint.Usable]).
type Staleness struct {
	// MaxAge is how long a contact point may go without an answered
	// message, counted from its last confirmation or, never confirmed,
	// from when rapport first heard of it. Zero takes the default.
	MaxAge time.Duration
	// SoftFailureLimit is how many soft delivery failures since the last
	// confirmation make a contact point stale sooner. Zero takes the
	// default; a negative limit turns the rule off.
	SoftFailureLimit int
}

// Defaults of [Staleness]: a year without an answer, or three soft failures.
const (
	DefaultStaleAfter       = 365 * 24 * time.Hour
	DefaultSoftFailureLimit = 3
)

// withDefaults fills in the zero fields.
func (s Staleness) withDefaults() Staleness {
	if s.MaxAge <= 0 {
		s.MaxAge = DefaultStaleAfter
	}
	if s.SoftFailureLimit == 0 {
		s.SoftFailureLimit = DefaultSoftFailureLimit
	}
	return s
}

// Cutoff is the time before which an unconfirmed contact point is stale at
// now: what a store may use to read only the candidates.
func (s Staleness) Cutoff(now time.Time) time.Time { return now.Add(-s.withDefaults().MaxAge) }

// Limit is the soft-failure limit in force; 0 when the rule is off.
func (s Staleness) Limit() int { return max(s.withDefaults().SoftFailureLimit, 0) }

// Stale reports whether c is stale at now, with the evidence to record.
// Only phones and emails that are unverified or valid can go stale: a
// postal address is never answered, and invalid, unreachable, opted-out
// and already stale contact points keep their status.
func (s Staleness) Stale(c *ContactPoint, now time.Time) (bool, string) {
	s = s.withDefaults()
	if (c.Kind != ContactPhone && c.Kind != ContactEmail) || (c.Status != StatusUnverified && c.Status != StatusValid) {
		return false, ""
	}
	since, what := c.ConfirmedAt, "last confirmed"
	if since.IsZero() {
		since, what = c.AddedAt, "added"
	}
	if s.SoftFailureLimit > 0 && c.SoftFailures >= s.SoftFailureLimit {
		return true, fmt.Sprintf("%d soft delivery failures since it was %s", c.SoftFailures, what)
	}
	if since.IsZero() || now.Before(since.Add(s.MaxAge)) {
		return false, ""
	}
	return true, fmt.Sprintf("no answered message since %s, when it was %s; stale after %d days",
		since.UTC().Format(time.DateOnly), what, int(s.MaxAge/(24*time.Hour)))
}

// Confirm applies an answer, received at at, to a message rapport sent to
// c: the address works. ConfirmedAt moves to at but never backwards; soft
// failures before at are forgotten; the status becomes valid, except that
// an opted-out contact point stays opted out (an answer is not an opt-in:
// only the patient's START lifts a STOP). It reports whether the status
// changed.
func (c *ContactPoint) Confirm(at time.Time) (statusChanged bool) {
	if at.After(c.ConfirmedAt) {
		c.ConfirmedAt = at
	}
	if !c.SoftFailedAt.After(at) {
		c.SoftFailures = 0
	}
	if c.Status == StatusOptedOut || c.Status == StatusValid {
		return false
	}
	c.Status = StatusValid
	return true
}

// SoftFail counts a delivery to c that failed at at for a reason that may
// pass (a phone switched off, a call not answered, a full mailbox). A
// failure older than the last confirmation was answered since and counts
// for nothing.
func (c *ContactPoint) SoftFail(at time.Time) {
	if at.Before(c.ConfirmedAt) {
		return
	}
	c.SoftFailures++
	if at.After(c.SoftFailedAt) {
		c.SoftFailedAt = at
	}
}
