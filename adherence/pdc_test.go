package adherence

import (
	"testing"
	"time"
)

// d is a terse date for tables.
func d(y int, m time.Month, day int) Date { return NewDate(y, m, day) }

func fill(drug string, date Date, days int) Fill {
	return Fill{Drug: drug, Class: "diabetes", Date: date, DaysSupply: days}
}

// TestPDCExamples reproduces the Pharmacy Quality Alliance's worked PDC
// examples, published with its measure pages as claims with the first and
// last dose dates PQA derives from them:
// https://www.pqaalliance.org/assets/Measures/pdc-dr.js.txt (diabetes; the
// statin and anticoagulant pages, pdc-sta.js.txt and pdc-doac.js.txt, use the
// same claims). The measurement year is 2018 (365 days). Cases marked
// "derived" are ours, built on the rule the PQA case illustrates.
func TestPDCExamples(t *testing.T) {
	t.Parallel()
	const met, gli = "metformin", "glipizide"
	tests := []struct {
		name     string
		method   Method
		fills    []Fill
		stays    []Stay
		excluded Exclusion
		index    Date
		days     int
		covered  int
		supplied int
		adherent bool
	}{{
		// PQA 1: a switch within the class; both drugs count, days once.
		name:   "pqa 1: switch to another drug of the class",
		method: Method{Period: Year(2018)},
		fills:  []Fill{fill(met, d(2018, 1, 1), 90), fill(gli, d(2018, 4, 1), 90)},
		index:  d(2018, 1, 1), days: 365, covered: 180, supplied: 180,
	}, {
		// PQA 2: two drugs of the class filled the same day cover the same
		// 90 days (Jan 1 - Mar 31 each): different drugs are not shifted.
		// Both fills share one date of service, so PQA's denominator (two
		// fills on different dates) leaves the patient out.
		name:     "pqa 2: two drugs on one date",
		method:   Method{Period: Year(2018)},
		fills:    []Fill{fill(met, d(2018, 1, 1), 90), fill(gli, d(2018, 1, 1), 90)},
		excluded: ExcludedOneFillDate, index: d(2018, 1, 1),
	}, {
		// Derived from PQA 2: one more fill brings the patient in, and the
		// concurrent glipizide is still not shifted (270 days if it were).
		name:   "derived 2: concurrent drugs are not shifted",
		method: Method{Period: Year(2018)},
		fills:  []Fill{fill(met, d(2018, 1, 1), 90), fill(gli, d(2018, 1, 1), 90), fill(met, d(2018, 4, 1), 90)},
		index:  d(2018, 1, 1), days: 365, covered: 180, supplied: 270,
	}, {
		// PQA 3: the period starts at the first fill (Mar 25: 282 days);
		// the Sep 25 refill of the same drug starts Oct 3, the day after
		// the Jul 5 supply ends, and runs to Dec 31.
		name:   "pqa 3: index date and early refill shifted",
		method: Method{Period: Year(2018)},
		fills:  []Fill{fill(met, d(2018, 3, 25), 90), fill(met, d(2018, 7, 5), 90), fill(met, d(2018, 9, 25), 90)},
		index:  d(2018, 3, 25), days: 282, covered: 270, supplied: 270, adherent: true,
	}, {
		// PQA 4: the Mar 25 refill is shifted to Apr 1 - Jun 29; the Oct 15
		// fill is cut at Dec 31 (78 of its 90 days count).
		name:   "pqa 4: shift and cut-off at the period end",
		method: Method{Period: Year(2018)},
		fills: []Fill{fill(met, d(2018, 1, 1), 90), fill(met, d(2018, 3, 25), 90),
			fill(met, d(2018, 7, 5), 90), fill(met, d(2018, 10, 15), 90)},
		index: d(2018, 1, 1), days: 365, covered: 348, supplied: 360, adherent: true,
	}, {
		// PQA 5, its first two claims (the rest was not available to us):
		// Oct 4 covers Oct 4 - Nov 2, the Nov 1 refill Nov 3 - Dec 2.
		name:   "pqa 5 (first two claims): late index date",
		method: Method{Period: Year(2018)},
		fills:  []Fill{fill(met, d(2018, 10, 4), 30), fill(met, d(2018, 11, 1), 30)},
		index:  d(2018, 10, 4), days: 89, covered: 60, supplied: 60,
	}, {
		// Older PQA specifications want the index date 91 days or more
		// before the period ends; Oct 4 leaves 89.
		name:     "pqa 5 under the 91-day rule",
		method:   Method{Period: Year(2018), MinTreatmentDays: 91},
		fills:    []Fill{fill(met, d(2018, 10, 4), 30), fill(met, d(2018, 11, 1), 30)},
		excluded: ExcludedShortTreatment, index: d(2018, 10, 4),
	}, {
		name:     "one fill",
		method:   Method{Period: Year(2018)},
		fills:    []Fill{fill(met, d(2018, 2, 1), 30)},
		excluded: ExcludedOneFillDate, index: d(2018, 2, 1),
	}, {
		name:     "no fill in the period",
		method:   Method{Period: Year(2018)},
		fills:    []Fill{fill(met, d(2017, 2, 1), 30), fill(met, d(2019, 2, 1), 30)},
		excluded: ExcludedNoFills,
	}, {
		// A fill before the period carries nothing in: PQA counts from the
		// first fill in the period, and the Jan 15 fill is not shifted
		// behind the December supply.
		name:   "fill before the period is ignored",
		method: Method{Period: Year(2018)},
		fills:  []Fill{fill(met, d(2017, 12, 1), 90), fill(met, d(2018, 1, 15), 30), fill(met, d(2018, 2, 20), 30)},
		index:  d(2018, 1, 15), days: 351, covered: 60, supplied: 60,
	}, {
		// Leap year: Feb 1 + 30 days ends Mar 1 in 2020, so the Mar 2 refill
		// is on time; the period has 366 days.
		name:   "leap year: refill on time",
		method: Method{Period: Year(2020)},
		fills:  []Fill{fill(met, d(2020, 2, 1), 30), fill(met, d(2020, 3, 1), 30)},
		index:  d(2020, 2, 1), days: 335, covered: 60, supplied: 60,
	}, {
		// 2020 again: the Mar 1 fill overlaps Feb 1's last day (Mar 1) and is
		// shifted a day; still 60 days covered.
		name:   "leap year: one-day overlap shifted",
		method: Method{Period: Year(2020)},
		fills:  []Fill{fill(met, d(2020, 2, 1), 30), fill(met, d(2020, 2, 29), 30)},
		index:  d(2020, 2, 1), days: 335, covered: 60, supplied: 60,
	}, {
		name:   "same drug twice on one day chains",
		method: Method{Period: Year(2018)},
		fills:  []Fill{fill(met, d(2018, 1, 1), 30), fill(met, d(2018, 1, 1), 30), fill(met, d(2018, 6, 1), 30)},
		index:  d(2018, 1, 1), days: 365, covered: 90, supplied: 90,
	}, {
		// 8 of 10 days is exactly the threshold: adherent.
		name:   "threshold is inclusive",
		method: Method{Period: Period{d(2018, 1, 1), d(2018, 1, 10)}},
		fills:  []Fill{fill(met, d(2018, 1, 1), 4), fill(met, d(2018, 1, 5), 4)},
		index:  d(2018, 1, 1), days: 10, covered: 8, supplied: 8, adherent: true,
	}, {
		name:   "below the threshold",
		method: Method{Period: Period{d(2018, 1, 1), d(2018, 1, 10)}},
		fills:  []Fill{fill(met, d(2018, 1, 1), 4), fill(met, d(2018, 1, 5), 3)},
		index:  d(2018, 1, 1), days: 10, covered: 7, supplied: 7,
	}, {
		// A hospital stay (Jan 10-19) leaves the measure, and the supply on
		// hand waits: the Jan 1 fill covers Jan 1-9 and Jan 20 - Feb 9, so
		// the Feb 1 refill starts Feb 10 (the CMS inpatient adjustment).
		name:   "inpatient stay censored and supply shifted past it",
		method: Method{Period: Period{d(2018, 1, 1), d(2018, 3, 31)}},
		fills:  []Fill{fill(met, d(2018, 1, 1), 30), fill(met, d(2018, 2, 1), 30)},
		stays:  []Stay{{d(2018, 1, 10), d(2018, 1, 19)}},
		index:  d(2018, 1, 1), days: 80, covered: 60, supplied: 60,
	}, {
		// A stay before the index date does not shorten the period.
		name:   "stay before the index date ignored",
		method: Method{Period: Period{d(2018, 1, 1), d(2018, 3, 31)}},
		fills:  []Fill{fill(met, d(2018, 2, 1), 28), fill(met, d(2018, 3, 1), 31)},
		stays:  []Stay{{d(2017, 12, 20), d(2018, 1, 20)}},
		index:  d(2018, 2, 1), days: 59, covered: 59, supplied: 59, adherent: true,
	}, {
		name:     "in hospital from the index date on",
		method:   Method{Period: Period{d(2018, 1, 1), d(2018, 3, 31)}},
		fills:    []Fill{fill(met, d(2018, 3, 1), 30), fill(met, d(2018, 3, 2), 30)},
		stays:    []Stay{{d(2018, 2, 20), d(2018, 4, 10)}},
		excluded: ExcludedAllInpatient, index: d(2018, 3, 1),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rs, err := Measure(tt.method, tt.fills, tt.stays)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 1 {
				t.Fatalf("got %d results, want 1", len(rs))
			}
			r := rs[0]
			if r.Excluded != tt.excluded || r.IndexDate != tt.index {
				t.Fatalf("excluded %q index %s, want %q %s", r.Excluded, r.IndexDate, tt.excluded, tt.index)
			}
			if r.Excluded != "" {
				if r.PDC != 0 || r.Adherent {
					t.Errorf("excluded patient has PDC %v adherent %v", r.PDC, r.Adherent)
				}
				return
			}
			if r.Days != tt.days || r.Covered != tt.covered || r.Supplied != tt.supplied {
				t.Errorf("days %d covered %d supplied %d, want %d %d %d", r.Days, r.Covered, r.Supplied, tt.days, tt.covered, tt.supplied)
			}
			if want := float64(tt.covered) / float64(tt.days); r.PDC != want {
				t.Errorf("PDC %v, want %v", r.PDC, want)
			}
			if want := min(1, float64(tt.supplied)/float64(tt.days)); r.MPR != want {
				t.Errorf("MPR %v, want %v", r.MPR, want)
			}
			if r.Adherent != tt.adherent {
				t.Errorf("adherent %v at PDC %.4f, want %v", r.Adherent, r.PDC, tt.adherent)
			}
		})
	}
}
