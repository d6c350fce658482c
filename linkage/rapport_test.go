package linkage_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/linkage/linkagetest"
)

// TestCRMExportWithSecondRecords is the case of issue 13: a 400-person CRM
// export where 24 people have a second record with the same phone and
// birth date and one transposed letter in the surname. All 24 must be
// found as safe to merge, and no other pair.
func TestCRMExportWithSecondRecords(t *testing.T) {
	t.Parallel()
	pop := linkagetest.Generate(linkagetest.Params{People: 400, HouseholdRate: 0.1, Seed: 4})
	recs := pop.Records
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[[2]string]bool{}
	for i := range 24 {
		orig := recs[i*16]
		dup := linkage.Record{
			ID: "crm-" + strconv.Itoa(i), Given: orig.Given, Family: linkagetest.Transpose(rng, orig.Family),
			BirthDate: orig.BirthDate, Sex: orig.Sex, Phone: orig.Phone,
			Street: orig.Street, City: orig.City, PostalCode: orig.PostalCode,
		}
		recs = append(recs, dup)
		want[[2]string{min(orig.ID, dup.ID), max(orig.ID, dup.ID)}] = true
	}
	pairs, _, err := linkage.Detect(recs, linkage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, p := range pairs {
		switch {
		case want[[2]string{p.A, p.B}] && p.Automatic:
			found++
		case want[[2]string{p.A, p.B}]:
			t.Errorf("pair %s %s found but not automatic: probability %.4f %v", p.A, p.B, p.Probability, p.Explain)
		case p.Automatic:
			t.Errorf("pair %s %s is not a duplicate but automatic: probability %.4f %v", p.A, p.B, p.Probability, p.Explain)
		}
	}
	if found != 24 {
		t.Errorf("found %d of the 24 second records as automatic matches", found)
	}
}

// TestTwinsAreNotAnAutomaticMatch: twins share surname, birth date,
// address and the family phone, and differ in given name and sex. They may
// be reported for review but never merged automatically.
func TestTwinsAreNotAnAutomaticMatch(t *testing.T) {
	t.Parallel()
	pop := linkagetest.Generate(linkagetest.Params{People: 2000, DupRate: 0.05, HouseholdRate: 0.1, Seed: 5})
	a := linkage.Record{ID: "twin-a", Given: "emma", Family: "kowalczyk", Sex: "female", BirthDate: "2001-06-14",
		Street: "17 birch lane", City: "greenfield", State: "wi", PostalCode: "53220", Phone: "+14145550123"}
	b := a
	b.ID, b.Given, b.Sex = "twin-b", "jacob", "male"
	pairs, _, err := linkage.Detect(append(pop.Records, a, b), linkage.Config{MinProbability: 0.000001})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		if p.A == "twin-a" && p.B == "twin-b" {
			if p.Automatic {
				t.Fatalf("twins are an automatic match: probability %.4f %v", p.Probability, p.Explain)
			}
			t.Logf("twins: weight %.2f probability %.4f, for review only", p.Weight, p.Probability)
			return
		}
	}
	t.Log("twins: not reported at all")
}

// TestSyntheticPopulation checks the engine beyond FEBRL, on records shaped
// like rapport's (phones, emails, MRNs, households sharing a landline).
func TestSyntheticPopulation(t *testing.T) {
	t.Parallel()
	pop := linkagetest.Generate(linkagetest.Params{People: 20000, DupRate: 0.05, HouseholdRate: 0.15, Seed: 6})
	pairs, _, err := linkage.Detect(pop.Records, linkage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	truth := 0
	for id, p := range pop.Person {
		if len(id) > 4 && id[len(id)-4:] == "-dup" {
			truth++
			_ = p
		}
	}
	correct, automaticWrong := 0, 0
	for _, p := range pairs {
		same := pop.Person[p.A] == pop.Person[p.B]
		if same {
			correct++
		} else if p.Automatic {
			automaticWrong++
		}
	}
	precision, recall := float64(correct)/float64(len(pairs)), float64(correct)/float64(truth)
	t.Logf("true pairs %d, found %d, correct %d: precision %.4f recall %.4f", truth, len(pairs), correct, precision, recall)
	if precision < 0.99 || recall < 0.99 || automaticWrong > 0 {
		t.Errorf("precision %.4f, recall %.4f (want ≥ 0.99 each); %d wrong automatic matches (want 0)", precision, recall, automaticWrong)
	}
}
