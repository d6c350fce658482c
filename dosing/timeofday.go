package dosing

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a local clock time, in minutes after midnight (0–1439). It
// names a wall-clock reading, not an instant: 09:00 is 09:00 in the
// patient's zone whatever the season.
type TimeOfDay int

// Clock returns the time of day h:m. It does not check its arguments; see
// [TimeOfDay.Valid].
func Clock(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// TimeOfDayOf returns the wall-clock time of t in t's location, to the minute.
func TimeOfDayOf(t time.Time) TimeOfDay { return Clock(t.Hour(), t.Minute()) }

// ParseTimeOfDay parses "HH:MM" ("8:00" and "08:00" alike) as prescribers
// and the FHIR importer write dose times. It fails on any other shape and on
// a time outside 00:00–23:59.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, fmt.Errorf("not HH:MM")
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 23 || mm > 59 {
		return 0, fmt.Errorf("not a time of day")
	}
	return Clock(hh, mm), nil
}

// digits reports whether s is ASCII digits only.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Valid reports whether t is between 00:00 and 23:59.
func (t TimeOfDay) Valid() bool { return t >= 0 && t < 24*60 }

// Hour returns the hour, 0–23.
func (t TimeOfDay) Hour() int { return int(t) / 60 }

// Minute returns the minute, 0–59.
func (t TimeOfDay) Minute() int { return int(t) % 60 }

// String formats t as "HH:MM".
func (t TimeOfDay) String() string { return string(t.appendTo(make([]byte, 0, 5))) }

// appendTo appends "HH:MM" to b.
func (t TimeOfDay) appendTo(b []byte) []byte {
	if !t.Valid() {
		return fmt.Appendf(b, "%02d:%02d", t.Hour(), t.Minute())
	}
	h, m := t.Hour(), t.Minute()
	return append(b, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10))
}

// MarshalText writes "HH:MM".
func (t TimeOfDay) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("time of day %d minutes is out of range", int(t))
	}
	return []byte(t.String()), nil
}

// UnmarshalText reads "HH:MM".
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	v, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
