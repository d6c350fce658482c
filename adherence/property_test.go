package adherence

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// genCase draws a method, fills around its period (some before, some after)
// and a few hospital stays.
func genCase(t *rapid.T) (Method, []Fill, []Stay) {
	start := NewDate(rapid.IntRange(2015, 2030).Draw(t, "year"), 1, 1).AddDays(rapid.IntRange(0, 400).Draw(t, "offset"))
	p := Period{Start: start, End: start.AddDays(rapid.IntRange(0, 500).Draw(t, "length"))}
	m := Method{Period: p, MinTreatmentDays: rapid.SampledFrom([]int{0, 0, 91}).Draw(t, "min")}
	fills := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Fill {
		return genFill(t, p)
	}), 0, 14).Draw(t, "fills")
	stays := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Stay {
		s := p.Start.AddDays(rapid.IntRange(-30, p.Days()+30).Draw(t, "stay"))
		return Stay{Start: s, End: s.AddDays(rapid.IntRange(0, 20).Draw(t, "stayed"))}
	}), 0, 2).Draw(t, "stays")
	return m, fills, stays
}

func genFill(t *rapid.T, p Period) Fill {
	return Fill{
		Drug:       rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "drug"),
		Class:      rapid.SampledFrom([]string{"statin", "ras"}).Draw(t, "class"),
		Date:       p.Start.AddDays(rapid.IntRange(-60, p.Days()+30).Draw(t, "date")),
		DaysSupply: rapid.SampledFrom([]int{1, 7, 30, 30, 90, 365}).Draw(t, "supply"),
	}
}

func measure(t *rapid.T, m Method, fills []Fill, stays []Stay) []Result {
	rs, err := Measure(m, fills, stays)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// naive measures one class the slow way, as the method is written: each day
// from the index date, each drug's stock grows by what was dispensed that
// day and, unless the patient is in hospital, the day is covered if the
// stock is not empty, which uses a day of it.
func naive(m Method, class string, fills []Fill, stays []Stay) Result {
	p := m.Period
	r := Result{Class: class}
	var in []Fill
	for _, f := range fills {
		if f.Class == class && p.Contains(f.Date) {
			in = append(in, f)
		}
	}
	if len(in) == 0 {
		r.Excluded = ExcludedNoFills
		return r
	}
	r.IndexDate = slices.MinFunc(in, func(a, b Fill) int { return int(a.Date - b.Date) }).Date
	if !slices.ContainsFunc(in, func(f Fill) bool { return f.Date != r.IndexDate }) {
		r.Excluded = ExcludedOneFillDate
		return r
	}
	if m.MinTreatmentDays > 0 && r.IndexDate.DaysUntil(p.End)+1 < m.MinTreatmentDays {
		r.Excluded = ExcludedShortTreatment
		return r
	}
	inHospital := func(d Date) bool {
		return slices.ContainsFunc(stays, func(s Stay) bool { return d >= s.Start && d <= s.End })
	}
	stock := map[string]int{}
	for day := r.IndexDate; day <= p.End; day++ {
		for _, f := range in {
			if f.Date == day {
				stock[f.Drug] += f.DaysSupply
			}
		}
		if inHospital(day) {
			continue
		}
		r.Days++
		covered := false
		for drug, n := range stock {
			if n > 0 {
				stock[drug]--
				covered = true
			}
		}
		if covered {
			r.Covered++
		}
	}
	for _, f := range in {
		r.Supplied += f.DaysSupply
	}
	if r.Days == 0 {
		r.Excluded = ExcludedAllInpatient
	}
	return r
}

// TestPDCMatchesNaive checks the bitset and shift arithmetic against the
// day-by-day definition.
func TestPDCMatchesNaive(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m, fills, stays := genCase(t)
		for _, r := range measure(t, m, fills, stays) {
			want := naive(m, r.Class, fills, stays)
			if r.Excluded != want.Excluded || r.IndexDate != want.IndexDate {
				t.Fatalf("%s: excluded %q index %s, want %q %s", r.Class, r.Excluded, r.IndexDate, want.Excluded, want.IndexDate)
			}
			if r.Measured() && (r.Days != want.Days || r.Covered != want.Covered || r.Supplied != want.Supplied) {
				t.Fatalf("%s: days %d covered %d supplied %d, want %d %d %d", r.Class, r.Days, r.Covered, r.Supplied, want.Days, want.Covered, want.Supplied)
			}
		}
	})
}

// TestPDCBounds: PDC is a proportion, and it never exceeds the uncapped MPR.
// That holds with shifting, cut-off and stays because both share the
// denominator and each covered day uses up one supplied day; shifting and
// cut-off only drop supplied days, never add covered ones.
func TestPDCBounds(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m, fills, stays := genCase(t)
		for _, r := range measure(t, m, fills, stays) {
			if !r.Measured() {
				continue
			}
			if r.PDC < 0 || r.PDC > 1 || r.MPR < 0 || r.MPR > 1 {
				t.Fatalf("PDC %v MPR %v out of [0, 1]", r.PDC, r.MPR)
			}
			if r.Covered > r.Supplied || r.PDC > r.RawMPR() || r.PDC > r.MPR {
				t.Fatalf("PDC %v (covered %d) above MPR %v raw %v (supplied %d)", r.PDC, r.Covered, r.MPR, r.RawMPR(), r.Supplied)
			}
			if r.Adherent != (r.PDC >= DefaultThreshold) {
				t.Fatalf("adherent %v at PDC %v", r.Adherent, r.PDC)
			}
		}
	})
}

// TestPDCOrderFree: the order fills and stays arrive in does not matter.
func TestPDCOrderFree(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m, fills, stays := genCase(t)
		want := measure(t, m, fills, stays)
		shuffled := rapid.Permutation(fills).Draw(t, "shuffled")
		if got := measure(t, m, shuffled, rapid.Permutation(stays).Draw(t, "stays")); !slices.Equal(got, want) {
			t.Fatalf("shuffled %+v\nwant %+v", got, want)
		}
	})
}

// TestPDCMoreFillsNoLower: a further fill dated on or after the index date
// (or outside the period) never lowers the PDC: it can only add supply,
// and the denominator stays put. A fill before the index date is different:
// it moves the index date earlier, lengthens the denominator, and can lower
// the PDC (see TestEarlierFillCanLowerPDC).
func TestPDCMoreFillsNoLower(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m, fills, stays := genCase(t)
		before := measure(t, m, fills, stays)
		extra := genFill(t, m.Period)
		after := measure(t, m, append(slices.Clip(fills), extra), stays)
		for _, b := range before {
			i := slices.IndexFunc(after, func(a Result) bool { return a.Class == b.Class })
			a := after[i]
			if !b.Measured() || extra.Class != b.Class || (m.Period.Contains(extra.Date) && extra.Date < b.IndexDate) {
				continue
			}
			if a.PDC < b.PDC || a.Covered < b.Covered {
				t.Fatalf("%s: adding %+v lowered PDC %v to %v", b.Class, extra, b.PDC, a.PDC)
			}
		}
	})
}

func TestEarlierFillCanLowerPDC(t *testing.T) {
	t.Parallel()
	m := Method{Period: Year(2024)}
	fills := []Fill{fill("a", NewDate(2024, 11, 1), 30), fill("a", NewDate(2024, 12, 1), 31)}
	before, _ := Measure(m, fills, nil)
	after, _ := Measure(m, append(fills, fill("a", NewDate(2024, 1, 10), 30)), nil)
	if before[0].PDC != 1 || after[0].PDC >= before[0].PDC {
		t.Fatalf("PDC %v then %v: an earlier fill should lengthen the period", before[0].PDC, after[0].PDC)
	}
}
