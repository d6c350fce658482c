package metrics

import (
	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/adherence"
)

// DefaultAdherenceDays is the length of the default adherence period: the
// last 365 days, today included.
const DefaultAdherenceDays = 365

// AdherencePeriod reads a period from optional YYYY-MM-DD bounds, both
// days included. A missing to is today; a missing from is
// [DefaultAdherenceDays] days before to, to included. It returns an
// EINVALID error naming the bound that is not a date, or when from is
// after to.
func AdherencePeriod(from, to string, today adherence.Date) (adherence.Period, error) {
	p := adherence.Period{End: today}
	if to != "" {
		d, err := adherence.ParseDate(to)
		if err != nil {
			return p, rapport.Errorf(rapport.EINVALID, "to: want a date YYYY-MM-DD")
		}
		p.End = d
	}
	p.Start = p.End.AddDays(1 - DefaultAdherenceDays)
	if from != "" {
		d, err := adherence.ParseDate(from)
		if err != nil {
			return p, rapport.Errorf(rapport.EINVALID, "from: want a date YYYY-MM-DD")
		}
		p.Start = d
	}
	if p.End < p.Start {
		return p, rapport.Errorf(rapport.EINVALID, "from %s is after to %s", p.Start, p.End)
	}
	return p, nil
}
