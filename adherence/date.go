package adherence

import (
	"time"

	"github.com/rapporthq/rapport"
)

// Date is a civil date, counted in days since 1970-01-01. Fills and
// measurement periods are whole days in the patient's calendar, so a Date
// carries no clock time and no zone: it is the count of days, which makes
// "the day after the supply ends" plain addition and lets a day index a bitset.
type Date int32

// NewDate returns the Date of year, month and day. Out-of-range values are
// normalised as [time.Date] does (February 30 is March 1 or 2).
func NewDate(year int, month time.Month, day int) Date {
	return Date(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// DateOf returns the calendar date of t in t's own location: a fill handed
// over at 23:30 in Chicago is dispensed that day, not the next UTC day.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

const secondsPerDay = 24 * 60 * 60

// ParseDate reads an ISO 8601 calendar date, "2006-01-02". It returns an
// EINVALID error for anything else, naming the expected form, not the input.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, rapport.Errorf(rapport.EINVALID, "date: want YYYY-MM-DD")
	}
	return DateOf(t), nil
}

// Time returns the date at midnight UTC.
func (d Date) Time() time.Time { return time.Unix(int64(d)*secondsPerDay, 0).UTC() }

// String formats the date as "2006-01-02".
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// AddDays returns the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e) - int(d) }

// MarshalText formats the date as "2006-01-02", for JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written by [Date.MarshalText]; see [ParseDate].
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
