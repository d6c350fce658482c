package linkage

import (
	"strconv"
	"testing"
)

// TestOversizedBlockIsCapped: 2,000 records on one clinic landline would be
// 1,999,000 pairs all against all; the sorted neighbourhood keeps them
// linear, and still pairs the duplicate hidden among them.
func TestOversizedBlockIsCapped(t *testing.T) {
	t.Parallel()
	const n = 2000
	recs := make([]Record, 0, n+1)
	for i := range n {
		recs = append(recs, Record{ID: "r" + strconv.Itoa(i), Given: "g" + strconv.Itoa(i), Family: "f" + strconv.Itoa(i),
			Phone: "+15555550100"})
	}
	recs = append(recs, Record{ID: "dup", Given: "g77", Family: "f77x", Phone: "+15555550100"})
	ix, err := newIndex(recs)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{}.withDefaults()
	pairs := candidates(ix.recs, cfg, nil)
	if limit := len(recs) * (cfg.Window - 1); len(pairs) > limit {
		t.Errorf("%d candidate pairs from one block of %d, want at most %d", len(pairs), len(recs), limit)
	}
	found := false
	for _, c := range pairs {
		i, j := pairIJ(c)
		if ix.ids[i] == "r77" && ix.ids[j] == "dup" || ix.ids[i] == "dup" && ix.ids[j] == "r77" {
			found = true
		}
	}
	if !found {
		t.Error("the duplicate in the oversized block was not paired with its original")
	}
}

func TestSmallBlockIsComplete(t *testing.T) {
	t.Parallel()
	recs := make([]Record, 10)
	for i := range recs {
		recs[i] = Record{ID: strconv.Itoa(i), Phone: "+15555550100"}
	}
	ix, _ := newIndex(recs)
	if got := candidates(ix.recs, Config{}.withDefaults(), nil); len(got) != 45 {
		t.Errorf("a block of 10 gave %d pairs, want all 45", len(got))
	}
}
