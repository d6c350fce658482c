package rules

import (
	"slices"
	"time"
)

// Week is the length of the rolling window of [Caps.PerWeek].
const Week = 7 * 24 * time.Hour

// Caps limits how often one patient is contacted for one purpose.
//
// PerDay counts sends on one calendar day of the patient's local time (a
// reminder at 23:50 and one at 00:10 fall on two days). PerWeek counts sends
// in any rolling window of 7×24 hours: a send at s counts against every
// instant x with s ≤ x < s+7×24h. A rolling week, unlike a calendar week,
// cannot be gamed by a burst on Sunday and another on Monday. Zero or a
// negative value means no cap.
type Caps struct {
	PerDay  int
	PerWeek int
}

// NextAllowed returns the first instant at or after t at which one more send
// keeps both caps, given the times of the other sends to the patient for the
// purpose (past ones, and any already scheduled later; in any order).
func (c Caps) NextAllowed(t time.Time, loc *time.Location, previous []time.Time) time.Time {
	if c.PerDay <= 0 && c.PerWeek <= 0 {
		return t
	}
	prev := slices.Clone(previous)
	slices.SortFunc(prev, func(a, b time.Time) int { return a.Compare(b) })

	// The answer is t or an instant when a constraint loosens: a send
	// leaving the rolling week (s+7d) or a new local day starting.
	cands := []time.Time{t}
	last := t
	for _, s := range prev {
		if e := s.Add(Week); e.After(t) {
			cands = append(cands, e)
		}
		if s.After(last) {
			last = s
		}
	}
	if c.PerDay > 0 {
		for d := nextDayStart(t, loc); !d.After(last.Add(Week + 48*time.Hour)); d = nextDayStart(d, loc) {
			cands = append(cands, d)
		}
	}
	slices.SortFunc(cands, func(a, b time.Time) int { return a.Compare(b) })
	for _, x := range cands {
		if !x.Before(t) && c.fits(x, loc, prev) {
			return x
		}
	}
	// Past every send's week and day the caps allow any send.
	return cands[len(cands)-1]
}

// fits reports whether a send at x keeps both caps given the sorted sends.
func (c Caps) fits(x time.Time, loc *time.Location, sorted []time.Time) bool {
	if c.PerDay > 0 {
		day := dayKey(x, loc)
		n := 1
		for _, s := range sorted {
			if dayKey(s, loc) == day {
				n++
			}
		}
		if n > c.PerDay {
			return false
		}
	}
	if c.PerWeek > 0 {
		// Every rolling week holding x ends at some y in [x, x+7d); the
		// fullest is one ending at x or at a later send.
		ends := []time.Time{x}
		for _, s := range sorted {
			if !s.Before(x) && s.Before(x.Add(Week)) {
				ends = append(ends, s)
			}
		}
		for _, y := range ends {
			n := 1
			for _, s := range sorted {
				if s.After(y.Add(-Week)) && !s.After(y) {
					n++
				}
			}
			if n > c.PerWeek {
				return false
			}
		}
	}
	return true
}

// dayKey is the local calendar date of t.
func dayKey(t time.Time, loc *time.Location) [3]int {
	y, m, d := t.In(loc).Date()
	return [3]int{y, int(m), d}
}

// nextDayStart returns the first instant after t that falls on the next
// local calendar day. Where midnight does not exist (a daylight-saving jump
// at 00:00) it is the instant of the jump.
func nextDayStart(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	wy, wm, wd := time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC).Date()
	want := [3]int{wy, int(wm), wd}
	n := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	for range 4 {
		if dayKey(n, loc) == want && n.After(t) {
			return n
		}
		// time.Date resolved a skipped midnight to the previous day: the new
		// day starts at the zone change.
		_, end := n.ZoneBounds()
		if end.IsZero() || !end.After(n) {
			break
		}
		n = end
	}
	return t.Add(24 * time.Hour) // no sane zone gets here
}
