package adherence

import (
	"cmp"
	"fmt"
	"slices"
)

// Calculator computes PDC and MPR for one patient at a time, reusing its
// buffers so that measuring a population allocates nothing per patient. It is
// not safe for concurrent use: give each worker its own.
type Calculator struct {
	m       Method
	fills   []Fill // the patient's fills, sorted by class, drug and date
	covered bitset // days of the period with supply on hand
	stay    bitset // days of the period spent in hospital
}

// NewCalculator returns a calculator for m, or m's validation error.
func NewCalculator(m Method) (*Calculator, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &Calculator{m: m}, nil
}

// Measure returns one patient's results, one per drug class found in fills,
// ordered by class, appended to out (pass nil, or a slice to reuse). The
// order of fills does not matter. It returns an error naming the position of
// the first invalid fill or stay.
func Measure(m Method, fills []Fill, stays []Stay) ([]Result, error) {
	c, err := NewCalculator(m)
	if err != nil {
		return nil, err
	}
	return c.Measure(fills, stays, nil)
}

// Measure is [Measure] with the calculator's method and buffers.
func (c *Calculator) Measure(fills []Fill, stays []Stay, out []Result) ([]Result, error) {
	for i, f := range fills {
		if err := f.Validate(); err != nil {
			return out, fmt.Errorf("fill %d: %w", i, err)
		}
	}
	for i, s := range stays {
		if err := s.Validate(); err != nil {
			return out, fmt.Errorf("stay %d: %w", i, err)
		}
	}
	c.fills = append(c.fills[:0], fills...)
	slices.SortFunc(c.fills, func(a, b Fill) int {
		return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(a.Drug, b.Drug), cmp.Compare(a.Date, b.Date))
	})
	for lo := 0; lo < len(c.fills); {
		hi := lo + 1
		for hi < len(c.fills) && c.fills[hi].Class == c.fills[lo].Class {
			hi++
		}
		out = append(out, c.class(c.fills[lo:hi], stays))
		lo = hi
	}
	return out, nil
}

// class measures one class from its fills, sorted by drug then date.
func (c *Calculator) class(fills []Fill, stays []Stay) Result {
	p := c.m.Period
	r := Result{Class: fills[0].Class}

	// Fills outside the period play no part: PQA starts from the first fill
	// in the period, and supply carried in from an earlier fill is not counted.
	var index Date
	found, twoDates := false, false
	for _, f := range fills {
		if !p.Contains(f.Date) {
			continue
		}
		switch {
		case !found:
			index, found = f.Date, true
		case f.Date != index:
			twoDates = true
			index = min(index, f.Date)
		}
	}
	if !found {
		r.Excluded = ExcludedNoFills
		return r
	}
	r.IndexDate = index
	if !twoDates {
		r.Excluded = ExcludedOneFillDate
		return r
	}
	n := p.Days()
	first := p.Start.DaysUntil(index) // the index date's bit
	if c.m.MinTreatmentDays > 0 && n-first < c.m.MinTreatmentDays {
		r.Excluded = ExcludedShortTreatment
		return r
	}

	c.stay = c.stay.reset(n)
	for _, s := range stays {
		lo, hi := max(p.Start.DaysUntil(s.Start), first), min(p.Start.DaysUntil(s.End), n-1)
		c.stay.setRange(lo, hi)
	}
	inpatient := c.stay.count()
	r.Days = n - first - inpatient
	if r.Days == 0 {
		r.Excluded = ExcludedAllInpatient
		return r
	}

	c.covered = c.covered.reset(n)
	for lo := 0; lo < len(fills); {
		hi := lo + 1
		for hi < len(fills) && fills[hi].Drug == fills[lo].Drug {
			hi++
		}
		r.Supplied += c.cover(fills[lo:hi], first, n, inpatient > 0)
		lo = hi
	}
	r.Covered = c.covered.count()
	r.PDC = float64(r.Covered) / float64(r.Days)
	r.MPR = min(1, r.RawMPR())
	r.Adherent = r.PDC >= c.m.threshold()
	return r
}

// cover marks the days one drug's fills cover, from bit first to bit n-1,
// and returns their days supply. Each fill starts on its date or, when the
// previous supply of the same drug is still running, the day after it ends
// (an early refill adds days, it does not overlap them). Supply held during a
// hospital stay waits for discharge.
func (c *Calculator) cover(fills []Fill, first, n int, stays bool) (supplied int) {
	next := first // the first day not yet covered by this drug
	for _, f := range fills {
		if !c.m.Period.Contains(f.Date) {
			continue
		}
		supplied += f.DaysSupply
		start := max(c.m.Period.Start.DaysUntil(f.Date), next)
		if !stays {
			end := start + f.DaysSupply - 1
			c.covered.setRange(start, min(end, n-1))
			next = end + 1
			continue
		}
		day, left := start, f.DaysSupply
		for ; left > 0 && day < n; day++ {
			if !c.stay.has(day) {
				c.covered.set(day)
				left--
			}
		}
		next = day + left
	}
	return supplied
}
