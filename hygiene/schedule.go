package hygiene

import (
	"fmt"
	"strings"
	"time"
)

// Schedule says when the periodic run is due. Monthly runs at 03:00 UTC on
// the first of each month; otherwise runs fall on multiples of Every since
// Go's zero time (time.Truncate: 24h is midnight UTC, 168h Mondays). Both are fixed points in time, not "Every after the
// process started", so a restarted leader keeps the same dates (River's own
// PeriodicInterval counts from the leader's start, and a leader restarted
// more often than monthly would never run a monthly job).
type Schedule struct {
	Monthly bool
	Every   time.Duration
}

// Off reports whether the schedule never runs.
func (s Schedule) Off() bool { return !s.Monthly && s.Every <= 0 }

// Next returns the first due time after t; it implements River's
// PeriodicSchedule.
func (s Schedule) Next(t time.Time) time.Time {
	t = t.UTC()
	if s.Monthly {
		next := time.Date(t.Year(), t.Month(), 1, 3, 0, 0, 0, time.UTC)
		if !next.After(t) {
			next = next.AddDate(0, 1, 0)
		}
		return next
	}
	if s.Every <= 0 {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.Truncate(s.Every).Add(s.Every)
}

// Period is how long one run's slot lasts, for River's unique-by-period.
func (s Schedule) Period() time.Duration {
	if s.Monthly {
		return 24 * time.Hour
	}
	return s.Every
}

// ParseSchedule reads --hygiene-every: "monthly", a Go duration of at
// least a minute ("168h"), or "0"/"off" to turn the periodic run off.
func ParseSchedule(v string) (Schedule, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "monthly":
		return Schedule{Monthly: true}, nil
	case "0", "off":
		return Schedule{}, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute {
		return Schedule{}, fmt.Errorf("hygiene-every %q: want monthly, a duration of at least 1m such as 168h, or off", v)
	}
	return Schedule{Every: d}, nil
}
