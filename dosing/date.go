package dosing

import (
	"fmt"
	"time"
)

// Date is a calendar date in the patient's zone, the day a dose belongs
// to. The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("not YYYY-MM-DD")
	}
	return DateOf(t), nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "YYYY-MM-DD".
func (d Date) String() string { return string(d.appendTo(make([]byte, 0, 10))) }

// appendTo appends "YYYY-MM-DD" to b; dose keys are built for every dose
// listed, so without fmt.
func (d Date) appendTo(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 {
		return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	b = append(b, byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10), '-')
	return append(b, byte('0'+int(d.Month)/10), byte('0'+int(d.Month)%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// noon is d at noon UTC, a representation free of zone changes for
// calendar arithmetic.
func (d Date) noon() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.noon().AddDate(0, 0, n)) }

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday { return d.noon().Weekday() }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.noon().Before(e.noon()) }

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return e.Before(d) }

// DaysSince returns the number of days from e to d (negative if d is earlier).
func (d Date) DaysSince(e Date) int { return int(d.noon().Sub(e.noon()) / (24 * time.Hour)) }

// MarshalText writes "YYYY-MM-DD", or nothing for the zero Date.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads "YYYY-MM-DD"; an empty text is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
