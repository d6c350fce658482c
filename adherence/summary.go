package adherence

import (
	"cmp"
	"slices"
)

// PatientResult is one patient's results, one per class ordered by class, as
// [Measure] and [AttachSelfReports] return them.
type PatientResult struct {
	PatientID string
	Results   []Result
}

// Summary is the measures of one drug class over one segment of patients.
type Summary struct {
	Class string `json:"class"`
	// Segment is the segment label, or "" for all patients.
	Segment string `json:"segment"`
	// Patients is every patient with a result in the class: Measured plus
	// Excluded.
	Patients int `json:"patients"`
	Measured int `json:"measured"`
	Excluded int `json:"excluded"`
	// MeanPDC, AdherentShare and MeanMPR are over measured patients; 0
	// when none was measured.
	MeanPDC       float64 `json:"mean_pdc"`
	AdherentShare float64 `json:"adherent_share"`
	MeanMPR       float64 `json:"mean_mpr"`
	// SelfReport pools the answered and taken doses of every patient in the
	// segment, measured or not, so patients who answer often weigh more.
	SelfReport SelfReportRate `json:"self_report"`
	// PDCDeciles counts measured patients by PDC: [0] is 0–10%, …, [9] is
	// 90–100% (see [Result.Bucket]).
	PDCDeciles [10]int `json:"pdc_deciles"`
}

// SelfReportRate returns the pooled self-reported rate (0 when no dose was
// answered: check SelfReport.Answered).
func (s Summary) SelfReportRate() float64 { return s.SelfReport.Rate() }

// Summarize returns the summaries of patients per class and segment: for
// each class in order, the row for all patients (Segment "") and then a row
// per segment label, in order, that has a patient in the class. segments
// maps a patient ID to the labels it belongs to ("rural", "decliner", …); a
// patient may carry several labels or none.
func Summarize(patients []PatientResult, segments map[string][]string) []Summary {
	type key struct{ class, segment string }
	type sums struct {
		Summary
		pdc, mpr float64
		adherent int
	}
	acc := map[key]*sums{}
	add := func(k key, r Result) {
		s := acc[k]
		if s == nil {
			s = &sums{Summary: Summary{Class: k.class, Segment: k.segment}}
			acc[k] = s
		}
		s.Patients++
		s.SelfReport = s.SelfReport.Add(r.SelfReport)
		if !r.Measured() {
			s.Excluded++
			return
		}
		s.Measured++
		s.pdc += r.PDC
		s.mpr += r.MPR
		if r.Adherent {
			s.adherent++
		}
		s.PDCDeciles[r.Bucket()]++
	}
	for _, p := range patients {
		for _, r := range p.Results {
			add(key{r.Class, ""}, r)
			for _, seg := range uniqueLabels(segments[p.PatientID]) {
				add(key{r.Class, seg}, r)
			}
		}
	}
	out := make([]Summary, 0, len(acc))
	for _, s := range acc {
		if s.Measured > 0 {
			n := float64(s.Measured)
			s.MeanPDC, s.MeanMPR, s.AdherentShare = s.pdc/n, s.mpr/n, float64(s.adherent)/n
		}
		out = append(out, s.Summary)
	}
	// "" sorts first, so each class opens with its all-patients row.
	slices.SortFunc(out, func(a, b Summary) int {
		return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(a.Segment, b.Segment))
	})
	return out
}

// uniqueLabels drops empty and repeated labels, so a patient labelled twice
// is counted once in the segment and never lands in the all-patients row twice.
func uniqueLabels(labels []string) []string {
	out := labels[:0:0]
	for _, l := range labels {
		if l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}
