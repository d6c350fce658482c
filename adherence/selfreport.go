package adherence

import (
	"cmp"
	"slices"
	"time"
)

// Answer is a patient's reply to "did you take it?".
type Answer string

// The answers a check-in records.
const (
	Taken   Answer = "taken"
	NotYet  Answer = "not_yet"
	Skipped Answer = "skipped"
)

// SelfReport is one check-in answer.
type SelfReport struct {
	At     time.Time
	Answer Answer
	// Dose identifies the scheduled dose the answer is about (for example
	// the regimen and the dose's due time). Answers with the same Dose are
	// one dose and the latest wins, so "not yet" then "taken" is taken.
	// An empty Dose makes the answer a dose of its own.
	Dose string
}

// SelfReportRate is the share of answered doses the patient said they took.
type SelfReportRate struct {
	Answered int `json:"answered"`
	Taken    int `json:"taken"`
}

// Rate returns Taken / Answered, or 0 when nothing was answered (check
// Answered before reading it as a measure).
func (r SelfReportRate) Rate() float64 {
	if r.Answered == 0 {
		return 0
	}
	return float64(r.Taken) / float64(r.Answered)
}

// Add returns the pooled rate of r and o.
func (r SelfReportRate) Add(o SelfReportRate) SelfReportRate {
	return SelfReportRate{Answered: r.Answered + o.Answered, Taken: r.Taken + o.Taken}
}

// RateOf returns the self-reported adherence of reports: each dose counts
// once, with its latest answer; a dose whose latest answer is "not yet" was
// answered and not taken. Two answers to one dose at the same instant count
// as taken if either is "taken". Answers other than the three known ones are
// ignored. The order of reports does not matter.
func RateOf(reports []SelfReport) SelfReportRate {
	var r SelfReportRate
	keyed := make([]SelfReport, 0, len(reports))
	for _, s := range reports {
		switch {
		case s.Answer != Taken && s.Answer != NotYet && s.Answer != Skipped:
		case s.Dose == "":
			r.Answered++
			if s.Answer == Taken {
				r.Taken++
			}
		default:
			keyed = append(keyed, s)
		}
	}
	// Sorted by dose then time, taken last among equal times: the last
	// answer of each run is the one that stands.
	slices.SortFunc(keyed, func(a, b SelfReport) int {
		return cmp.Or(cmp.Compare(a.Dose, b.Dose), a.At.Compare(b.At), cmp.Compare(takenLast(a.Answer), takenLast(b.Answer)))
	})
	for i, s := range keyed {
		if i+1 < len(keyed) && keyed[i+1].Dose == s.Dose {
			continue
		}
		r.Answered++
		if s.Answer == Taken {
			r.Taken++
		}
	}
	return r
}

func takenLast(a Answer) int {
	if a == Taken {
		return 1
	}
	return 0
}

// AttachSelfReports sets each result's SelfReport from the check-in answers
// about its class, keyed by class, and adds a result excluded for
// [ExcludedNoFills] for a class with answers but no fill, so a patient who
// answers check-ins counts in the self-reported rate even with no pharmacy
// record. Results stay ordered by class.
func AttachSelfReports(results []Result, byClass map[string][]SelfReport) []Result {
	for class, reports := range byClass {
		rate := RateOf(reports)
		i, found := slices.BinarySearchFunc(results, class, func(r Result, c string) int { return cmp.Compare(r.Class, c) })
		if !found {
			results = slices.Insert(results, i, Result{Class: class, Excluded: ExcludedNoFills})
		}
		results[i].SelfReport = rate
	}
	return results
}
