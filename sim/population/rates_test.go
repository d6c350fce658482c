package population

import (
	"math"
	"testing"

	"github.com/rapporthq/rapport/verify"
)

// TestRatesMatchParams checks, on 5,000 people, that each share the
// parameters set comes out within a few points: the dirt as rapport's own
// verify package judges it, and the population as the truth tells it.
func TestRatesMatchParams(t *testing.T) {
	t.Parallel()
	p := DefaultParams()
	truth := readTruth(t, shared(t))
	var people, rural, spanish, landline, dups, records float64
	var wantLandline float64
	var phones, invalidPhones, malformed, cleanInvalid float64
	var emails, typoEmails, flaggedEmails, typoNotFlagged float64
	var stale float64
	for _, tr := range truth {
		records++
		if tr.DuplicateOf != "" {
			dups++
			if !tr.NameTypo && !tr.BirthDateTypo {
				t.Errorf("duplicate %s has neither a name typo nor a birth date typo", tr.RecordID)
			}
		} else {
			people++
			rural += b2f(tr.Rural)
			spanish += b2f(tr.Language == "es")
			wantLandline += p.Landline.For(tr.Rural, tr.Older)
			for _, ph := range tr.Phones {
				if ph.LineType == "landline" {
					landline++
					break
				}
			}
		}
		stale += b2f(tr.AddressStale)
		for _, ph := range tr.Phones {
			phones++
			res := verify.Phone(ph.Raw, "US")
			if !res.Valid {
				invalidPhones++
			}
			if ph.Status == PhoneMalformed {
				malformed++
			} else if !res.Valid {
				cleanInvalid++
				t.Errorf("%s: phone %q (%s) fails verify: %s", tr.RecordID, ph.Raw, ph.Status, res.Reason)
			}
			if ph.Status == PhoneMalformed && res.Valid {
				t.Errorf("%s: malformed phone %q passes verify", tr.RecordID, ph.Raw)
			}
		}
		if e := tr.Email; e != nil {
			emails++
			res := verify.Email(e.Raw)
			if !res.Valid || res.Suggestion != "" {
				flaggedEmails++
			}
			switch {
			case e.Status == EmailTypo:
				typoEmails++
				if res.Suggestion == "" { // a typo is flagged with a suggestion; only a .con is also invalid
					typoNotFlagged++
				}
			case !res.Valid:
				t.Errorf("%s: email %q (%s) fails verify: %s", tr.RecordID, e.Raw, e.Status, res.Reason)
			}
		}
	}
	if typoNotFlagged > 0 {
		t.Errorf("%v typo'd emails pass verify.Email", typoNotFlagged)
	}
	within := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.4f, want %.4f ± %.3f", name, got, want, tol)
		} else {
			t.Logf("%s = %.4f (param %.4f)", name, got, want)
		}
	}
	within("rural share", rural/people, p.RuralShare, 0.02)
	within("Spanish share", spanish/people, p.SpanishShare, 0.025)
	within("landline share", landline/people, wantLandline/people, 0.02)
	within("duplicate share", dups/people, p.Dirt.Duplicate, 0.01)
	within("invalid phone share (verify.Phone)", invalidPhones/phones, p.Dirt.MalformedPhone, 0.01)
	within("typo'd email share (verify.Email)", flaggedEmails/emails, p.Dirt.EmailTypo, 0.012)
	within("stale address share", stale/records, p.Dirt.StaleAddress, 0.015)
}

func TestCleanNumbersPassVerify(t *testing.T) {
	t.Parallel()
	for _, a := range DefaultParams().Areas {
		for _, ac := range a.AreaCodes {
			exs := validExchanges(ac)
			if len(exs) < 400 {
				t.Errorf("area code %s: only %d usable exchanges", ac, len(exs))
			}
		}
	}
	g, err := NewGenerator(1, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		n := drawNumber(g.r, []string{"505", "212", "928"})
		for style := range phoneStyles {
			raw := n.format(style)
			if res := verify.Phone(raw, "US"); !res.Valid || res.E164 != n.E164() {
				t.Fatalf("draw %d: %q: valid %v, e164 %s (want %s): %s", i, raw, res.Valid, res.E164, n.E164(), res.Reason)
			}
			if bad := malformed(g.r, n, style); verify.Phone(bad, "US").Valid {
				t.Fatalf("malformed %q (from %q) passes verify", bad, raw)
			}
		}
	}
}
