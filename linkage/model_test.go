package linkage_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/linkage/linkagetest"
)

// TestModelJSONRoundTrip: the monthly run stores the model and scores new
// records with it later; a stored model must score exactly as the fitted one.
func TestModelJSONRoundTrip(t *testing.T) {
	t.Parallel()
	pop := linkagetest.Generate(linkagetest.Params{People: 3000, DupRate: 0.05, HouseholdRate: 0.1, Seed: 3})
	pairs, m, err := linkage.Detect(pop.Records, linkage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"field":"birth_date"`) {
		t.Errorf("fields are not stored by name: %.200s", b)
	}
	est, err := linkage.Estimate(pop.Records, linkage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if eb, _ := json.Marshal(est); string(eb) != string(b) {
		t.Error("Estimate and Detect fit different models to the same records")
	}
	var back linkage.Model
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	again, err := back.Detect(pop.Records, linkage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(pairs, again, samePair) {
		t.Errorf("the stored model found %d pairs, the fitted one %d", len(again), len(pairs))
	}
	if err := json.Unmarshal([]byte(`{"lambda":0.1,"fields":[{"field":"shoe_size"}]}`), &back); err == nil ||
		!strings.Contains(err.Error(), `unknown name "shoe_size"`) {
		t.Errorf("an unknown field name: got %v", err)
	}
}

// TestPairExplainsItsWeight: the fields' weights and the household
// correction add up to the pair's weight, so a reviewer's reading of the
// explanation is the whole story.
func TestPairExplainsItsWeight(t *testing.T) {
	t.Parallel()
	pop := linkagetest.Generate(linkagetest.Params{People: 3000, DupRate: 0.05, HouseholdRate: 0.1, Seed: 3})
	pairs, _, err := linkage.Detect(pop.Records, linkage.Config{MinProbability: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		sum := p.Household
		for _, fw := range p.Explain {
			if fw.Level == linkage.Missing && fw.Weight != 0 {
				t.Fatalf("pair %s %s: missing %v weighs %g", p.A, p.B, fw.Field, fw.Weight)
			}
			sum += fw.Weight
		}
		if d := sum - p.Weight; d > 1e-9 || d < -1e-9 {
			t.Fatalf("pair %s %s: fields and household add to %g, weight %g", p.A, p.B, sum, p.Weight)
		}
		if len(p.Explain) != 11 {
			t.Fatalf("pair %s %s explains %d fields, want all 11", p.A, p.B, len(p.Explain))
		}
	}
}
