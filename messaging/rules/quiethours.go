package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const minutesPerDay = 24 * 60

// Window is the part of each local day in which messages may be sent, in
// minutes after local midnight: a wall-clock minute m is allowed when
// Start ≤ m < End, or, for a window crossing midnight (Start > End), when
// m ≥ Start or m < End. Start 0 and End 1440 allow every minute. The zero
// Window allows nothing; build one with [ParseWindow].
type Window struct {
	Start, End int
}

// DefaultWindow is rapport's default quiet-hours window, 08:00–21:00.
var DefaultWindow = Window{Start: 8 * 60, End: 21 * 60}

// ParseWindow parses "HH:MM-HH:MM" such as "08:00-21:00". "24:00" is
// allowed as the end only; "00:00-24:00" means always allowed, and a start
// later than the end crosses midnight ("22:00-06:00"). It fails on any other
// shape and on an empty window (equal start and end).
func ParseWindow(s string) (Window, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Window{}, fmt.Errorf("parse window %q: want HH:MM-HH:MM", s)
	}
	start, err := parseClock(strings.TrimSpace(a), false)
	if err != nil {
		return Window{}, fmt.Errorf("parse window %q start: %w", s, err)
	}
	end, err := parseClock(strings.TrimSpace(b), true)
	if err != nil {
		return Window{}, fmt.Errorf("parse window %q end: %w", s, err)
	}
	if start == end {
		return Window{}, fmt.Errorf("parse window %q: start equals end", s)
	}
	return Window{Start: start, End: end}, nil
}

// parseClock parses "HH:MM" into minutes after midnight; "24:00" only when
// allow24.
func parseClock(s string, allow24 bool) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || h[0] == '+' || m[0] == '+' {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	if hh == 24 && mm == 0 && allow24 {
		return minutesPerDay, nil
	}
	if hh > 23 {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return hh*60 + mm, nil
}

// String formats the window as ParseWindow reads it.
func (w Window) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", w.Start/60, w.Start%60, w.End/60, w.End%60)
}

// Always reports whether every minute is allowed.
func (w Window) Always() bool {
	return w.Start == 0 && w.End >= minutesPerDay
}

// AllowsMinute reports whether the wall-clock minute m (0–1439) is allowed.
func (w Window) AllowsMinute(m int) bool {
	if w.Start <= w.End {
		return w.Start <= m && m < w.End
	}
	return m >= w.Start || m < w.End
}

// Allowed reports whether t falls in the window on the wall clock of loc.
func (w Window) Allowed(t time.Time, loc *time.Location) bool {
	lt := t.In(loc)
	return w.AllowsMinute(lt.Hour()*60 + lt.Minute())
}

// NextAllowed returns t if it is allowed in loc, else the first instant
// after t at which the wall clock of loc shows an allowed minute, in UTC.
// It is exact across daylight-saving changes: when the clock springs
// forward into the window, the answer is the instant of the change; in a
// fall-back overlap, the first occurrence of an allowed wall time counts.
// A zero (empty) window has no allowed minute; NextAllowed then returns t.
func (w Window) NextAllowed(t time.Time, loc *time.Location) time.Time {
	if w.Always() || w.Start == w.End {
		return t
	}
	cur := t
	// Within one zone period the offset is fixed, so the wall clock advances
	// with real time and the window can only be entered at its Start.
	// Each pass either answers or moves to the next offset change.
	for range 1000 {
		lt := cur.In(loc)
		if w.AllowsMinute(lt.Hour()*60 + lt.Minute()) {
			if cur.Equal(t) {
				return t
			}
			return cur.UTC()
		}
		intoDay := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute +
			time.Duration(lt.Second())*time.Second + time.Duration(lt.Nanosecond())
		wait := time.Duration(w.Start)*time.Minute - intoDay
		if wait <= 0 {
			wait += 24 * time.Hour
		}
		next := cur.Add(wait)
		if _, end := lt.ZoneBounds(); !end.IsZero() && !next.Before(end) {
			cur = end
			continue
		}
		return next.UTC()
	}
	return t // unreachable for real zones: they change offset rarely
}
