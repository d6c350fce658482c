package population

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// clinical draws p's conditions, visits, prescriptions and fills, all before
// the as-of date, in the person's local time.
func (g *Generator) clinical(r *rand.Rand, p *Person) {
	loc := g.zones[p.Address.Area]
	asOf := time.Date(g.asOf.Year(), g.asOf.Month(), g.asOf.Day(), 0, 0, 0, 0, loc)
	birth, _ := time.ParseInLocation("2006-01-02", p.BirthDate, loc)
	band := 0
	switch {
	case p.Age >= g.p.OlderAge:
		band = 2
	case p.Age >= 45:
		band = 1
	}
	for i := range g.p.Conditions {
		c := &g.p.Conditions[i]
		if !chance(r, c.Prevalence[band]) {
			continue
		}
		// Onset some time in the last 25 years of adult life, at least a
		// month ago.
		from := birth.AddDate(max(18, p.Age-25), 0, 0)
		span := int(asOf.Sub(from).Hours()/24) - 30
		onset := asOf.AddDate(0, 0, -30)
		if span > 0 {
			onset = from.AddDate(0, 0, r.IntN(span))
		}
		p.Conditions = append(p.Conditions, Condition{Params: c, Onset: onset})
	}

	ppa := g.p.PractitionersPerArea
	usual := p.Address.Area*ppa + r.IntN(ppa)
	practitioner := func() int {
		if chance(r, 0.8) {
			return usual
		}
		return p.Address.Area*ppa + r.IntN(ppa)
	}
	v := &g.p.Visits
	n := poisson(r, v.Base+v.PerCondition*float64(len(p.Conditions)))
	var days [64]int
	ago := days[:0]
	for range min(n, 60) {
		ago = append(ago, v.RecentDays+r.IntN(v.WindowDays-v.RecentDays+1))
	}
	if chance(r, v.RecentShare) {
		ago = append(ago, 1+r.IntN(v.RecentDays))
	}
	slices.Sort(ago)
	for k := len(ago) - 1; k >= 0; k-- { // oldest first
		start := asOf.AddDate(0, 0, -ago[k]).Add(time.Duration(8*60+15*r.IntN(36)) * time.Minute)
		p.Encounters = append(p.Encounters, Encounter{Start: start, End: start.Add(time.Duration(15+5*r.IntN(7)) * time.Minute), Practitioner: practitioner()})
	}

	a := &g.p.Adherence
	for _, c := range p.Conditions {
		for j := range c.Params.Medications {
			m := &c.Params.Medications[j]
			if !chance(r, m.Share) || slices.ContainsFunc(p.Prescriptions, func(rx Prescription) bool { return rx.Med.RxNorm == m.RxNorm }) {
				continue
			}
			rx := Prescription{Med: m, Condition: c.Params, DaysSupply: 30, Refills: 11, Practitioner: usual}
			if chance(r, a.NinetyDayShare) {
				rx.DaysSupply, rx.Refills = 90, 3
			}
			rx.AuthoredOn = asOf.AddDate(0, 0, -30-r.IntN(a.RenewalDays-29)).Add(time.Duration(9*60+r.IntN(8*60)) * time.Minute)
			rx.Fills, rx.Stopped = g.fills(r, p.Adherence, rx, asOf)
			p.Prescriptions = append(p.Prescriptions, rx)
		}
	}
}

// fills draws the pharmacy fills of rx from its writing to asOf: adherent
// patients refill around the day their supply runs out, partly adherent
// ones a week or three late, non-adherent ones a month or two late, and
// they often stop altogether. stopped says the patient stopped after the
// last fill.
func (g *Generator) fills(r *rand.Rand, adherence string, rx Prescription, asOf time.Time) (out []time.Time, stopped bool) {
	at := rx.AuthoredOn.AddDate(0, 0, r.IntN(4))
	for len(out) <= rx.Refills && at.Before(asOf) {
		handed := time.Date(at.Year(), at.Month(), at.Day(), 10+r.IntN(8), r.IntN(60), 0, 0, at.Location())
		if !handed.Before(asOf) {
			break
		}
		out = append(out, handed)
		gap, stop := NextFillGap(r, adherence, rx.Med.AsNeeded)
		if stop {
			return out, true
		}
		at = at.AddDate(0, 0, rx.DaysSupply+gap)
	}
	return out, false
}

// NextFillGap draws, for a patient of the adherence class who just filled,
// the days between the supply running out and the next fill (negative:
// early), or stop when the patient gives the medicine up. Adherent
// patients refill within a few days of running out, partly adherent ones
// 5 to 25 days late, non-adherent ones 20 to 60 days late, and a quarter
// of the time they stop; a drug taken as needed is refilled 0 to 59 days
// after its nominal supply. The demo's simulator continues the fills of
// the generated history with it, in simulated time.
func NextFillGap(r *rand.Rand, adherence string, asNeeded bool) (gap int, stop bool) {
	switch {
	case asNeeded:
		return r.IntN(60), false
	case adherence == Adherent:
		return r.IntN(8) - 3, false
	case adherence == Partial:
		return 5 + r.IntN(21), false
	}
	if chance(r, 0.25) {
		return 0, true
	}
	return 20 + r.IntN(41), false
}

// poisson draws from a Poisson distribution of the given mean (Knuth's
// method; means here are small).
func poisson(r *rand.Rand, mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
