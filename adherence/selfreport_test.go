package adherence

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestRateOf(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return time.Date(2024, 5, 1, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		reports []SelfReport
		want    SelfReportRate
	}{
		{"nothing answered", nil, SelfReportRate{}},
		{"taken, skipped, not yet", []SelfReport{{At: at(8), Answer: Taken}, {At: at(9), Answer: Skipped}, {At: at(10), Answer: NotYet}}, SelfReportRate{Answered: 3, Taken: 1}},
		{"not yet then taken is one dose taken", []SelfReport{{At: at(8), Answer: NotYet, Dose: "d1"}, {At: at(9), Answer: Taken, Dose: "d1"}}, SelfReportRate{Answered: 1, Taken: 1}},
		{"order of arrival does not matter", []SelfReport{{At: at(9), Answer: Taken, Dose: "d1"}, {At: at(8), Answer: NotYet, Dose: "d1"}}, SelfReportRate{Answered: 1, Taken: 1}},
		{"not yet never followed up", []SelfReport{{At: at(8), Answer: NotYet, Dose: "d1"}}, SelfReportRate{Answered: 1, Taken: 0}},
		{"latest answer stands", []SelfReport{{At: at(8), Answer: Taken, Dose: "d1"}, {At: at(9), Answer: Skipped, Dose: "d1"}}, SelfReportRate{Answered: 1, Taken: 0}},
		{"same instant: taken wins", []SelfReport{{At: at(8), Answer: Taken, Dose: "d1"}, {At: at(8), Answer: Skipped, Dose: "d1"}}, SelfReportRate{Answered: 1, Taken: 1}},
		{"two doses", []SelfReport{{At: at(8), Answer: NotYet, Dose: "am"}, {At: at(20), Answer: Taken, Dose: "pm"}}, SelfReportRate{Answered: 2, Taken: 1}},
		{"unknown answers ignored", []SelfReport{{At: at(8), Answer: "maybe"}, {At: at(9), Answer: Taken}}, SelfReportRate{Answered: 1, Taken: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := RateOf(tt.reports); got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	if r := (SelfReportRate{Answered: 4, Taken: 3}).Rate(); r != 0.75 {
		t.Errorf("Rate() = %v, want 0.75", r)
	}
}

// TestRateOfProperties: each dose counts once, taken never exceeds answered,
// and the order of reports does not matter.
func TestRateOfProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		reports := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) SelfReport {
			return SelfReport{
				At:     time.Unix(int64(rapid.IntRange(0, 5).Draw(t, "at")), 0),
				Answer: rapid.SampledFrom([]Answer{Taken, NotYet, Skipped}).Draw(t, "answer"),
				Dose:   rapid.SampledFrom([]string{"", "a", "b", "c"}).Draw(t, "dose"),
			}
		}), 0, 12).Draw(t, "reports")
		r := RateOf(reports)
		doses := map[string]bool{}
		unkeyed := 0
		for _, s := range reports {
			if s.Dose == "" {
				unkeyed++
			}
			doses[s.Dose] = s.Dose != ""
		}
		keyed := len(doses)
		if _, ok := doses[""]; ok {
			keyed--
		}
		if r.Answered != unkeyed+keyed || r.Taken > r.Answered {
			t.Fatalf("got %+v for %d doses", r, unkeyed+keyed)
		}
		if got := RateOf(rapid.Permutation(reports).Draw(t, "shuffled")); got != r {
			t.Fatalf("shuffled %+v, want %+v", got, r)
		}
	})
}

func TestAttachSelfReports(t *testing.T) {
	t.Parallel()
	results := []Result{{Class: "ras", PDC: 0.5}, {Class: "statin", PDC: 0.9}}
	got := AttachSelfReports(results, map[string][]SelfReport{
		"statin":   {{Answer: Taken}, {Answer: Skipped}},
		"diabetes": {{Answer: Taken}},
	})
	if len(got) != 3 || got[0].Class != "diabetes" || got[1].Class != "ras" || got[2].Class != "statin" {
		t.Fatalf("got %+v, want diabetes, ras, statin", got)
	}
	if got[0].Excluded != ExcludedNoFills || got[0].SelfReport != (SelfReportRate{1, 1}) {
		t.Errorf("diabetes: %+v, want excluded with one taken dose", got[0])
	}
	if got[1].SelfReport != (SelfReportRate{}) || got[2].SelfReport != (SelfReportRate{2, 1}) || got[2].PDC != 0.9 {
		t.Errorf("ras %+v statin %+v", got[1], got[2])
	}
}
