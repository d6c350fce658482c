package metrics

import (
	"math"

	"github.com/rapporthq/rapport/adherence"
)

// summaryKey names one summary: a class, overall ("") or in a segment.
type summaryKey struct{ class, segment string }

// summarySums adds up chunk summaries ([adherence.Summarize] of a chunk of
// patients) into the population's: counts add, means weigh by Measured.
type summarySums struct {
	s        adherence.Summary
	pdc, mpr float64
	adherent int
}

// flush summarises the queued chunk into the sums and empties it.
func (r *adherenceRun) flush() {
	for _, s := range adherence.Summarize(r.chunk, r.segments) {
		k := summaryKey{s.Class, s.Segment}
		a := r.acc[k]
		if a == nil {
			a = &summarySums{s: adherence.Summary{Class: s.Class, Segment: s.Segment}}
			r.acc[k] = a
		}
		a.s.Patients += s.Patients
		a.s.Measured += s.Measured
		a.s.Excluded += s.Excluded
		a.s.SelfReport = a.s.SelfReport.Add(s.SelfReport)
		for i, n := range s.PDCDeciles {
			a.s.PDCDeciles[i] += n
		}
		n := float64(s.Measured)
		a.pdc += s.MeanPDC * n
		a.mpr += s.MeanMPR * n
		a.adherent += int(math.Round(s.AdherentShare * n)) // a count Summarize divided
	}
	r.chunk = r.chunk[:0]
	clear(r.segments)
}

// summary is the population's summary.
func (a *summarySums) summary() adherence.Summary {
	s := a.s
	if s.Measured > 0 {
		n := float64(s.Measured)
		s.MeanPDC, s.MeanMPR, s.AdherentShare = a.pdc/n, a.mpr/n, float64(a.adherent)/n
	}
	return s
}
