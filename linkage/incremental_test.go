package linkage_test

import (
	"slices"
	"testing"

	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/linkage/linkagetest"
)

// TestDetectChangedMatchesFullRun: the monthly run compares new and changed
// records against all; it must find exactly the pairs a full run finds
// that involve them — also in capped blocks (MaxBlock 8 forces the sorted
// neighbourhood on many blocks here).
func TestDetectChangedMatchesFullRun(t *testing.T) {
	t.Parallel()
	pop := linkagetest.Generate(linkagetest.Params{People: 5000, DupRate: 0.08, HouseholdRate: 0.15, Seed: 9})
	for _, cfg := range []linkage.Config{{}, {MaxBlock: 8, Window: 4}, {MinProbability: 0.001}} {
		full, model, err := linkage.Detect(pop.Records, cfg)
		if err != nil {
			t.Fatal(err)
		}
		var changed []string
		isChanged := map[string]bool{}
		for i, r := range pop.Records {
			if i%13 == 0 {
				changed = append(changed, r.ID)
				isChanged[r.ID] = true
			}
		}
		var want []linkage.Pair
		for _, p := range full {
			if isChanged[p.A] || isChanged[p.B] {
				want = append(want, p)
			}
		}
		got, err := model.DetectChanged(pop.Records, changed, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Fatalf("config %+v: no pairs touch the changed records; the test proves nothing", cfg)
		}
		if !slices.EqualFunc(got, want, samePair) {
			t.Errorf("config %+v: incremental run found %d pairs, the full run %d for the changed records", cfg, len(got), len(want))
		}
		all, err := model.Detect(pop.Records, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(all, full, samePair) {
			t.Errorf("config %+v: a stored model scores %d pairs, the run that fitted it %d", cfg, len(all), len(full))
		}
	}
}

func samePair(a, b linkage.Pair) bool {
	return a.A == b.A && a.B == b.B && a.Weight == b.Weight && a.Probability == b.Probability &&
		a.Automatic == b.Automatic && slices.Equal(a.Explain, b.Explain)
}

func TestDetectChangedRejectsUnknownID(t *testing.T) {
	t.Parallel()
	pop := linkagetest.Generate(linkagetest.Params{People: 50, Seed: 1})
	_, model, err := linkage.Detect(pop.Records, linkage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = model.DetectChanged(pop.Records, []string{"p1", "nobody"}, linkage.Config{})
	if err == nil || err.Error() != `linkage: changed record 1: id "nobody" is not among the records` {
		t.Errorf("got error %v", err)
	}
}
