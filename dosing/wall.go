package dosing

import "time"

// Instant returns the instant at which the wall clock of loc shows t on date d,
// following RFC 5545 (iCalendar) §3.3.5, which calendar apps follow too:
//
//   - a wall time that happens twice (the clocks fall back) means its first
//     occurrence, so a dose is never due twice;
//   - a wall time that does not happen (the clocks spring forward) is read
//     with the offset in force before the change, so it lands as far past
//     the change as it was meant to be past the last ordinary minute: 02:30
//     on a US spring-forward day is 03:30 daylight time. shifted reports it.
//
// The answer is in loc.
func Instant(d Date, t TimeOfDay, loc *time.Location) (at time.Time, shifted bool) {
	w := time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), 0, 0, time.UTC).Unix()
	// Fast path: one offset in force for a day either side, so the wall
	// time happens exactly once.
	_, guess := time.Unix(w, 0).In(loc).Zone()
	x := time.Unix(w-int64(guess), 0).In(loc)
	if _, off := x.Zone(); off == guess {
		start, end := x.ZoneBounds()
		if (start.IsZero() || x.Sub(start) > 26*time.Hour) && (end.IsZero() || end.Sub(x) > 26*time.Hour) {
			return x, false
		}
	}
	return atNearChange(w, loc)
}

// period is a span of instants [start, end) with one UTC offset; a zero
// bound is unbounded.
type period struct {
	start, end int64
	bounded    [2]bool
	off        int64
}

func (p period) holds(x int64) bool {
	return (!p.bounded[0] || x >= p.start) && (!p.bounded[1] || x < p.end)
}

// atNearChange resolves wall time w (seconds, as if UTC) in loc when an
// offset change is near: it lists the zone periods two days either side,
// keeps the instants whose period's offset reads back as w, and takes the
// earliest; with none (a gap) it uses the offset of the last period that
// began on the wall clock at or before w.
func atNearChange(w int64, loc *time.Location) (time.Time, bool) {
	const span = 2 * 24 * 3600
	var periods []period
	t := time.Unix(w-span, 0).In(loc)
	for range 16 { // a handful of changes at most in four days
		start, end := t.ZoneBounds()
		_, off := t.Zone()
		p := period{start: start.Unix(), end: end.Unix(), bounded: [2]bool{!start.IsZero(), !end.IsZero()}, off: int64(off)}
		periods = append(periods, p)
		if end.IsZero() || end.Unix() > w+span {
			break
		}
		t = end.In(loc)
	}
	best, found := int64(0), false
	for _, p := range periods {
		if x := w - p.off; p.holds(x) && (!found || x < best) {
			best, found = x, true
		}
	}
	if found {
		return time.Unix(best, 0).In(loc), false
	}
	off := periods[0].off
	for _, p := range periods {
		if !p.bounded[0] || p.start+p.off <= w {
			off = p.off
		}
	}
	return time.Unix(w-off, 0).In(loc), true
}
