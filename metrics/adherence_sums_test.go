package metrics

import (
	"fmt"
	"math"
	"testing"

	"github.com/rapporthq/rapport/adherence"
	"pgregory.net/rapid"
)

// TestChunkedSummariesEqualWhole: summarising patients chunk by chunk and
// adding the chunks up gives the summaries of all patients at once, for
// any split — what lets ComputeAdherence stream.
func TestChunkedSummariesEqualWhole(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 60).Draw(t, "patients")
		chunk := rapid.IntRange(1, 10).Draw(t, "chunk")
		var all []adherence.PatientResult
		segments := map[string][]string{}
		for i := range n {
			pid := fmt.Sprint("p", i)
			var rs []adherence.Result
			for _, class := range []string{"DR", "RASA", "STA"} {
				if !rapid.Bool().Draw(t, "has") {
					continue
				}
				r := adherence.Result{Class: class, SelfReport: adherence.SelfReportRate{Answered: 2, Taken: rapid.IntRange(0, 2).Draw(t, "taken")}}
				if rapid.IntRange(0, 3).Draw(t, "excluded") == 0 {
					r.Excluded = adherence.ExcludedOneFillDate
				} else {
					r.Days = rapid.IntRange(1, 365).Draw(t, "days")
					r.Covered = rapid.IntRange(0, r.Days).Draw(t, "covered")
					r.PDC, r.MPR = float64(r.Covered)/float64(r.Days), float64(r.Covered)/float64(r.Days)
					r.Adherent = r.PDC >= adherence.DefaultThreshold
				}
				rs = append(rs, r)
			}
			all = append(all, adherence.PatientResult{PatientID: pid, Results: rs})
			segments[pid] = []string{[]string{SegmentRural, SegmentUrban}[i%2], SegmentNonDecliner}
		}
		want := adherence.Summarize(all, segments)

		r := &adherenceRun{acc: map[summaryKey]*summarySums{}, segments: map[string][]string{}}
		for i, p := range all {
			r.chunk = append(r.chunk, p)
			r.segments[p.PatientID] = segments[p.PatientID]
			if (i+1)%chunk == 0 {
				r.flush()
			}
		}
		r.flush()
		if len(r.acc) != len(want) {
			t.Fatalf("%d summaries, want %d", len(r.acc), len(want))
		}
		for _, w := range want {
			got := r.acc[summaryKey{w.Class, w.Segment}].summary()
			if got.Patients != w.Patients || got.Measured != w.Measured || got.Excluded != w.Excluded ||
				got.SelfReport != w.SelfReport || got.PDCDeciles != w.PDCDeciles ||
				math.Abs(got.MeanPDC-w.MeanPDC) > 1e-9 || math.Abs(got.MeanMPR-w.MeanMPR) > 1e-9 ||
				math.Abs(got.AdherentShare-w.AdherentShare) > 1e-9 {
				t.Fatalf("%s/%s: chunked %+v, whole %+v", w.Class, w.Segment, got, w)
			}
		}
	})
}
