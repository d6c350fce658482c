package adherence

import (
	"math"
	"reflect"
	"testing"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	measured := func(class string, covered, supplied int) Result {
		return Result{Class: class, Days: 100, Covered: covered, Supplied: supplied,
			PDC: float64(covered) / 100, MPR: min(1, float64(supplied)/100), Adherent: covered >= 80}
	}
	patients := []PatientResult{
		{PatientID: "p1", Results: []Result{measured("statin", 90, 120)}},
		{PatientID: "p2", Results: []Result{measured("ras", 100, 100), func() Result {
			r := measured("statin", 50, 50)
			r.SelfReport = SelfReportRate{Answered: 10, Taken: 9}
			return r
		}()}},
		{PatientID: "p3", Results: []Result{{Class: "statin", Excluded: ExcludedOneFillDate, SelfReport: SelfReportRate{Answered: 2, Taken: 0}}}},
		{PatientID: "p4", Results: []Result{measured("statin", 70, 70)}},
	}
	segments := map[string][]string{
		"p1": {"urban"},
		"p2": {"rural", "decliner", "rural"}, // a repeated label counts once
		"p3": {"rural", ""},
	}
	want := []Summary{
		{Class: "ras", Segment: "", Patients: 1, Measured: 1, MeanPDC: 1, AdherentShare: 1, MeanMPR: 1, PDCDeciles: [10]int{9: 1}},
		{Class: "ras", Segment: "decliner", Patients: 1, Measured: 1, MeanPDC: 1, AdherentShare: 1, MeanMPR: 1, PDCDeciles: [10]int{9: 1}},
		{Class: "ras", Segment: "rural", Patients: 1, Measured: 1, MeanPDC: 1, AdherentShare: 1, MeanMPR: 1, PDCDeciles: [10]int{9: 1}},
		{Class: "statin", Segment: "", Patients: 4, Measured: 3, Excluded: 1, MeanPDC: (0.9 + 0.5 + 0.7) / 3, AdherentShare: 1.0 / 3, MeanMPR: (1 + 0.5 + 0.7) / 3,
			SelfReport: SelfReportRate{Answered: 12, Taken: 9}, PDCDeciles: [10]int{5: 1, 7: 1, 9: 1}},
		{Class: "statin", Segment: "decliner", Patients: 1, Measured: 1, MeanPDC: 0.5, MeanMPR: 0.5, SelfReport: SelfReportRate{10, 9}, PDCDeciles: [10]int{5: 1}},
		{Class: "statin", Segment: "rural", Patients: 2, Measured: 1, Excluded: 1, MeanPDC: 0.5, MeanMPR: 0.5, SelfReport: SelfReportRate{12, 9}, PDCDeciles: [10]int{5: 1}},
		{Class: "statin", Segment: "urban", Patients: 1, Measured: 1, MeanPDC: 0.9, AdherentShare: 1, MeanMPR: 1, PDCDeciles: [10]int{9: 1}},
	}
	got := Summarize(patients, segments)
	// Means are sums of floats: compare them to 1e-12, the rest exactly.
	for i := range min(len(got), len(want)) {
		g, w := &got[i], &want[i]
		for _, f := range [][2]*float64{{&g.MeanPDC, &w.MeanPDC}, {&g.MeanMPR, &w.MeanMPR}, {&g.AdherentShare, &w.AdherentShare}} {
			if math.Abs(*f[0]-*f[1]) < 1e-12 {
				*f[0] = *f[1]
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	if statinRate := got[3].SelfReportRate(); statinRate != 0.75 {
		t.Errorf("statin self-report rate %v, want 0.75", statinRate)
	}
}

// TestBucket checks the decile edges: 10% opens bucket 1, 100% sits in 9.
func TestBucket(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ covered, days, want int }{
		{0, 365, 0}, {36, 365, 0}, {37, 365, 1}, {7, 10, 7}, {292, 365, 8}, {291, 365, 7}, {365, 365, 9}, {99, 100, 9},
	} {
		if got := (Result{Covered: tt.covered, Days: tt.days}).Bucket(); got != tt.want {
			t.Errorf("Bucket(%d/%d) = %d, want %d", tt.covered, tt.days, got, tt.want)
		}
	}
}
