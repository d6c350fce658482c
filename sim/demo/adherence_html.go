package demo

import "fmt"

// adherenceView is the adherence section of the HTML report.
type adherenceView struct {
	Title  string
	Notes  []string
	Rows   []adherenceRow
	Counts string
}

type adherenceRow struct {
	Group, Period, Adherent, Mean string
	Measured                      int
	Bins                          [PDCBins]int
}

func newAdherenceView(r *Result) adherenceView {
	a := r.Adherence
	if len(a.Groups) == 0 {
		return adherenceView{}
	}
	v := adherenceView{Notes: AdherenceIntro(a),
		Title: fmt.Sprintf("The year before the run (%s to %s) and the year to its end (%s to %s).", a.Before.Start, a.Before.End, a.After.Start, a.After.End),
		Counts: fmt.Sprintf("Simulated fills during rapport's run: %d; supplies a delivered refill reminder named: %d, of which brought forward: %d.",
			r.Fills, r.RefillReminders, r.FillsSooner)}
	for _, g := range a.Groups {
		for _, p := range []struct {
			name string
			f    PDCFigures
		}{{"year before", g.Before}, {"year to end", g.After}} {
			v.Rows = append(v.Rows, adherenceRow{Group: groupLabels[g.Group], Period: p.name, Measured: p.f.Measured,
				Adherent: pctOf(p.f.Adherent, p.f.Measured), Mean: fmt.Sprintf("%.0f%%", 100*p.f.MeanPDC), Bins: p.f.Bins})
		}
	}
	return v
}
