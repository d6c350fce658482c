package linkage

import (
	"slices"
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// record draws records from small alphabets so that near and exact
// agreements, missing fields and shared blocks all happen often.
func record(t *rapid.T, id string) Record {
	word := rapid.StringMatching(`[a-d]{0,5}( [a-c]{1,3})?`)
	digits := rapid.StringMatching(`[0-2]{0,6}`)
	date := rapid.SampledFrom([]string{"", "1980-01-02", "1980-02-01", "1980-01-03", "1981-01-02", "19800102", "2001-12-31"})
	r := Record{
		ID: id, Given: word.Draw(t, "given"), Family: word.Draw(t, "family"), BirthDate: date.Draw(t, "birth"),
		Sex:    rapid.SampledFrom([]string{"", "female", "male", "F", "other"}).Draw(t, "sex"),
		Street: word.Draw(t, "street"), City: word.Draw(t, "city"), State: word.Draw(t, "state"),
		PostalCode: digits.Draw(t, "postal"), Phone: rapid.StringMatching(`(\+1[0-1]{7})?`).Draw(t, "phone"),
		Email: rapid.StringMatching(`([a-b]{1,3}@[a-b]\.com)?`).Draw(t, "email"),
	}
	if id := digits.Draw(t, "mrn"); id != "" {
		r.Identifiers = []string{rapid.SampledFrom([]string{"mrn", "ssn"}).Draw(t, "system") + "|" + id}
	}
	return r
}

func TestCompareIsSymmetric(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := newPreparer()
		a, b := record(t, "a"), record(t, "b")
		pa, pb := p.prepare(&a), p.prepare(&b)
		if ab, ba := compare(&pa, &pb), compare(&pb, &pa); ab != ba {
			t.Fatalf("compare(a, b) = %o, compare(b, a) = %o", ab, ba)
		}
		if v := compare(&pa, &pa); !agreesWithItself(v) {
			t.Fatalf("a record disagrees with itself: %o", v)
		}
	})
}

// agreesWithItself: every known field of a record is exact against itself.
func agreesWithItself(v levels) bool {
	for f := range numFields {
		if l := v.at(f); l != Missing && l != Exact {
			return false
		}
	}
	return true
}

// TestDetectProperties: no record pairs with itself, each pair is listed
// once with A < B, a pair scores the same whichever way round it is
// compared, and the result does not depend on the number of workers or on
// the run.
func TestDetectProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 40).Draw(t, "n")
		recs := make([]Record, n)
		for i := range recs {
			recs[i] = record(t, "r"+strconv.Itoa(i))
		}
		cfg := Config{MinProbability: 1e-9, MaxBlock: rapid.IntRange(2, 10).Draw(t, "maxBlock"), Workers: 1}
		one, m, err := Detect(recs, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Workers = 3
		three, _, err := Detect(recs, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(one, three, pairEqual) {
			t.Fatalf("1 worker found %d pairs, 3 workers %d (or they differ)", len(one), len(three))
		}
		seen := map[[2]string]bool{}
		for _, p := range one {
			if p.A >= p.B {
				t.Fatalf("pair %q %q: want A < B, and never a record with itself", p.A, p.B)
			}
			if seen[[2]string{p.A, p.B}] {
				t.Fatalf("pair %q %q listed twice", p.A, p.B)
			}
			seen[[2]string{p.A, p.B}] = true
		}
		p := newPreparer()
		for range 5 {
			i, j := rapid.IntRange(0, n-1).Draw(t, "i"), rapid.IntRange(0, n-1).Draw(t, "j")
			a, b := p.prepare(&recs[i]), p.prepare(&recs[j])
			wab, hab := m.score(compare(&a, &b), nil)
			wba, hba := m.score(compare(&b, &a), nil)
			if wab != wba || hab != hba {
				t.Fatalf("records %d and %d weigh %g one way and %g the other", i, j, wab, wba)
			}
		}
	})
}

func pairEqual(a, b Pair) bool {
	return a.A == b.A && a.B == b.B && a.Weight == b.Weight && a.Probability == b.Probability &&
		a.Household == b.Household && a.Automatic == b.Automatic && slices.Equal(a.Explain, b.Explain)
}

// FuzzPrepare: any outside text normalises without panicking, compares
// symmetrically, and a birth date is 8 digits or missing.
func FuzzPrepare(f *testing.F) {
	f.Add("Zoë-Anne", "Mac Kinder", "1956-04-09", "12 Canning St.", "SW1A 1AA", "+1 (415) 555-0100", "a@b.org", "mrn|00-42")
	f.Add("", "", "19561309", "", "", "", "", "|")
	f.Fuzz(func(t *testing.T, given, family, birth, street, postal, phone, email, id string) {
		p := newPreparer()
		a := p.prepare(&Record{ID: "a", Given: given, Family: family, BirthDate: birth, Street: street,
			PostalCode: postal, Phone: phone, Email: email, Identifiers: []string{id}})
		b := p.prepare(&Record{ID: "b", Given: family, Family: given, BirthDate: birth, Street: postal,
			PostalCode: street, Phone: email, Email: phone, Identifiers: []string{id, id}})
		if a.birth != "" && len(a.birth) != 8 {
			t.Fatalf("birth %q normalised to %q", birth, a.birth)
		}
		if compare(&a, &b) != compare(&b, &a) {
			t.Fatal("compare is not symmetric")
		}
	})
}
