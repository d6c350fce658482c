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
// scope, twice: for any engagement (Lift) and for the outcomes a held-out
// patient can reach too (CommonLift). It also fills in the hold-out group.
func (c *computation) lift(r *Report) {
	var n1, e1, c1, n0, e0, c0 int
	for a := range c.assignments {
		p := c.patients[a.pid]
		launch, ok := c.launches[a.campaign]
		if !ok {
			launch = c.firstAssign[a] // the launch is outside the window: the assignment stands for it
		}
		engaged := p != nil && !p.lastEngaged.IsZero() && !p.lastEngaged.Before(launch)
		common := p != nil && !p.lastCommon.IsZero() && !p.lastCommon.Before(launch)
		if !a.held {
			n1++
			e1 += b2i(engaged)
			c1 += b2i(common)
			continue
		}
		n0++
		e0 += b2i(engaged)
		c0 += b2i(common)
		if p != nil && contains(p.sentCampaigns, a.campaign) {
			r.Holdout.Contacted++
		}
	}
	r.Holdout.Size, r.Holdout.Engaged, r.Holdout.EngagedCommon = n0, e0, c0
	r.Lift = WaldLift(e1, n1, e0, n0)
	r.CommonLift = WaldLift(c1, n1, c0, n0)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
