package linkage_test

import (
	"testing"

	"github.com/rapporthq/rapport/linkage"
)

func TestDetectRejectsBadInput(t *testing.T) {
	t.Parallel()
	ok := []linkage.Record{{ID: "a", Family: "x"}, {ID: "b", Family: "y"}}
	for _, tc := range []struct {
		name string
		recs []linkage.Record
		cfg  linkage.Config
		want string
	}{
		{"empty id", []linkage.Record{{ID: "a"}, {ID: ""}}, linkage.Config{}, "linkage: record 1: field id: empty"},
		{"duplicate id", []linkage.Record{{ID: "a"}, {ID: "b"}, {ID: "a"}}, linkage.Config{}, `linkage: record 2: field id: "a" already used by record 0`},
		{"max block", ok, linkage.Config{MaxBlock: -1}, "linkage: config max_block: -1 is negative"},
		{"window", ok, linkage.Config{Window: 1}, "linkage: config window: 1 must be 0 (default) or at least 2"},
		{"min probability", ok, linkage.Config{MinProbability: 2}, "linkage: config min_probability: 2 is outside [0, 1]"},
		{"auto probability", ok, linkage.Config{AutoProbability: -1}, "linkage: config auto_probability: -1 is outside [0, 1]"},
		{"workers", ok, linkage.Config{Workers: -2}, "linkage: config workers: -2 is negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := linkage.Detect(tc.recs, tc.cfg)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestModelDetectRejectsInvalidModel(t *testing.T) {
	t.Parallel()
	if _, err := (&linkage.Model{Lambda: 0.5}).Detect(nil, linkage.Config{}); err == nil {
		t.Error("a model without fields scored records")
	}
}

func TestDetectEmptyAndSingle(t *testing.T) {
	t.Parallel()
	for _, recs := range [][]linkage.Record{nil, {{ID: "only", Family: "smith"}}} {
		pairs, _, err := linkage.Detect(recs, linkage.Config{})
		if err != nil || len(pairs) != 0 {
			t.Errorf("%d records: pairs %v, error %v", len(recs), pairs, err)
		}
	}
}
