package metrics

import (
	"math"
)

// z95 is the standard normal quantile for a two-sided 95% interval.
const z95 = 1.959963984540054

// WaldLift compares two proportions: engaged1 of n1 treated against
// engaged0 of n0 held out. The estimate is p1 − p0 and the 95% interval
// p1 − p0 ± 1.96·√(p1(1−p1)/n1 + p0(1−p0)/n0), the normal approximation
// (Wald). With an empty group nothing is measurable and it returns a Lift
// with Measurable false and zero numbers.
func WaldLift(engaged1, n1, engaged0, n0 int) Lift {
	l := Lift{TreatedN: n1, TreatedEngaged: engaged1, ControlN: n0, ControlEngaged: engaged0}
	if n1 <= 0 || n0 <= 0 {
		return l
	}
	p1, p0 := float64(engaged1)/float64(n1), float64(engaged0)/float64(n0)
	se := math.Sqrt(p1*(1-p1)/float64(n1) + p0*(1-p0)/float64(n0))
	l.Treated, l.Control, l.Measurable = p1, p0, true
	l.Estimate = p1 - p0
	l.CILow, l.CIHigh = l.Estimate-z95*se, l.Estimate+z95*se
	return l
}

// lift compares engagement after each campaign's launch between the
// patients it enrolled and those it held out, pooling every assignment in
// scope; it also fills in the hold-out group.
func (c *computation) lift(r *Report) {
	var n1, e1, n0, e0 int
	for a := range c.assignments {
		p := c.patients[a.pid]
		launch, ok := c.launches[a.campaign]
		if !ok {
			launch = c.firstAssign[a] // the launch is outside the window: the assignment stands for it
		}
		engaged := p != nil && !p.lastEngaged.IsZero() && !p.lastEngaged.Before(launch)
		if !a.held {
			n1++
			if engaged {
				e1++
			}
			continue
		}
		n0++
		if engaged {
			e0++
		}
		if p != nil && contains(p.sentCampaigns, a.campaign) {
			r.Holdout.Contacted++
		}
	}
	r.Holdout.Size, r.Holdout.Engaged = n0, e0
	r.Lift = WaldLift(e1, n1, e0, n0)
}
