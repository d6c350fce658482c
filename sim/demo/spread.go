package demo

import (
	"fmt"
	"math"
	"strings"
)

// Figure is one headline figure over several seeds: its mean and range.
type Figure struct {
	Name string    `json:"name"`
	Mean float64   `json:"mean"`
	Min  float64   `json:"min"`
	Max  float64   `json:"max"`
	Runs []float64 `json:"runs"`
}

// Spread is the headline figures of one world over its seeds.
type Spread struct {
	World string `json:"world"`
	// Patients is each run's population: the worlds may run smaller than
	// the headline run, and counts only compare at one size.
	Patients int      `json:"patients"`
	Seeds    []int64  `json:"seeds"`
	Figures  []Figure `json:"figures"`
}

// headlineFigures are the figures a spread reports, from one run. Lifts
// are in percentage points; "CI low" is the lower end of the 95% interval.
var headlineFigures = []struct {
	name string
	of   func(r *Result) float64
}{
	{"engaged decliners, rapport", func(r *Result) float64 { return float64(r.Rapport.EngagedDecliners) }},
	{"engaged decliners, baseline", func(r *Result) float64 { return float64(r.Baseline.EngagedDecliners) }},
	// The difference within a run: both strategies meet the same people, so
	// it varies less over seeds than either count.
	{"engaged decliners, rapport minus baseline", func(r *Result) float64 {
		return float64(r.Rapport.EngagedDecliners - r.Baseline.EngagedDecliners)
	}},
	{"decliners booked later, rapport", func(r *Result) float64 { return float64(r.Rapport.DeclinersSince.CommonLater) }},
	{"decliners booked later, baseline", func(r *Result) float64 { return float64(r.Baseline.DeclinersSince.CommonLater) }},
	{"decliners opted out later, rapport", func(r *Result) float64 { return float64(r.Rapport.DeclinersSince.OptedOutLater) }},
	{"lift common outcome pp, rapport", func(r *Result) float64 { return 100 * r.Rapport.CommonLift.Estimate }},
	{"lift common outcome pp, baseline", func(r *Result) float64 { return 100 * r.Baseline.CommonLift.Estimate }},
	{"lift common outcome CI low pp, rapport", func(r *Result) float64 { return 100 * r.Rapport.CommonLift.CILow }},
	{"lift any engagement pp, rapport", func(r *Result) float64 { return 100 * r.Rapport.Lift.Estimate }},
	{"lift any engagement pp, baseline", func(r *Result) float64 { return 100 * r.Baseline.Lift.Estimate }},
	// Refill reminders: the share of the reminded people adherent (PDC ≥
	// 80 %) over the year to the run's end, and the same people's share in
	// the baseline arm, where nobody is reminded; their difference is the
	// reminders' alone (the fills are drawn alike in both arms).
	{"adherent % after, reminded", func(r *Result) float64 { return adherentAfter(r, GroupReminded) }},
	{"adherent % after, baseline", func(r *Result) float64 { return adherentAfter(r, GroupBaseline) }},
	{"adherent pp, reminded minus baseline", func(r *Result) float64 {
		return adherentAfter(r, GroupReminded) - adherentAfter(r, GroupBaseline)
	}},
}

// adherentAfter is a group's adherent share, in percent, over the year to
// the run's end; 0 when the run measured no such group.
func adherentAfter(r *Result, group string) float64 {
	g, _ := r.Adherence.Group(group)
	return 100 * g.After.AdherentShare
}

// Summarize computes the spread of the headline figures over runs of one
// world (one run per seed).
func Summarize(world string, runs []*Result) Spread {
	s := Spread{World: world}
	if len(runs) > 0 {
		s.Patients = runs[0].Patients
	}
	for _, r := range runs {
		s.Seeds = append(s.Seeds, r.Seed)
	}
	for _, h := range headlineFigures {
		f := Figure{Name: h.name, Min: math.Inf(1), Max: math.Inf(-1)}
		for _, r := range runs {
			v := h.of(r)
			f.Runs = append(f.Runs, v)
			f.Mean += v / float64(len(runs))
			f.Min, f.Max = math.Min(f.Min, v), math.Max(f.Max, v)
		}
		if len(runs) == 0 {
			f.Min, f.Max = 0, 0
		}
		s.Figures = append(s.Figures, f)
	}
	return s
}

// Figure returns the named figure; false when there is none.
func (s Spread) Figure(name string) (Figure, bool) {
	for _, f := range s.Figures {
		if f.Name == name {
			return f, true
		}
	}
	return Figure{}, false
}

// writeSpread writes a spread as text: mean and range of each figure.
func writeSpread(b *strings.Builder, s Spread) {
	fmt.Fprintf(b, "%s world, %d patients, %d seed(s) %v: mean [min, max]\n", s.World, s.Patients, len(s.Seeds), s.Seeds)
	for _, f := range s.Figures {
		fmt.Fprintf(b, "  %-40s %8.1f  [%.1f, %.1f]\n", f.Name, f.Mean, f.Min, f.Max)
	}
}
