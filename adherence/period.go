package adherence

import "github.com/rapporthq/rapport"

// Period is a measurement period, both ends included: a calendar year is
// {Start: Jan 1, End: Dec 31}.
type Period struct {
	Start Date
	End   Date
}

// Year returns the calendar year y as a period (366 days in a leap year).
func Year(y int) Period { return Period{Start: NewDate(y, 1, 1), End: NewDate(y, 12, 31)} }

// Validate returns an EINVALID error when the period ends before it starts.
func (p Period) Validate() error {
	if p.End < p.Start {
		return rapport.Errorf(rapport.EINVALID, "period: end %s is before start %s", p.End, p.Start)
	}
	return nil
}

// Days returns the number of days in the period, both ends counted.
func (p Period) Days() int { return p.Start.DaysUntil(p.End) + 1 }

// Contains reports whether d falls within the period.
func (p Period) Contains(d Date) bool { return d >= p.Start && d <= p.End }
