package storetest

import (
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// testDuplicateQueue: pairs are stored once in either order, a pending
// pair takes a new score, a decided one keeps its decision, and the queue
// lists the most probable first.
func testDuplicateQueue(t *testing.T, s suite) {
	a, b, c := samplePatient(), samplePatient(), samplePatient()
	s.tx(t, func(tx *store.Tx) error { return tx.CreatePatients(s.ctx, []*rapport.Patient{a, b, c}) })
	var ab rapport.DuplicateCandidate
	s.tx(t, func(tx *store.Tx) error {
		cs, err := tx.AddDuplicateCandidates(s.ctx, []rapport.DuplicateCandidate{
			{A: b.ID, B: a.ID, Probability: 0.6, Explanation: []rapport.FieldEvidence{{Field: "birth_date", Comparison: "exact", Weight: 3.2}}},
			{A: a.ID, B: c.ID, Probability: 0.9},
		})
		ab = cs[0]
		return err
	})
	if ab.A != min(a.ID, b.ID) {
		t.Errorf("pair stored as %s/%s, want the lower id first", ab.A, ab.B)
	}
	s.tx(t, func(tx *store.Tx) error {
		_, err := tx.AddDuplicateCandidates(s.ctx, []rapport.DuplicateCandidate{{A: a.ID, B: b.ID, Probability: 0.95}})
		return err
	})
	q, err := s.db.FindDuplicateCandidates(s.ctx, rapport.DuplicateFilter{Status: rapport.DuplicatePending})
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 2 || q[0].ID != ab.ID || q[0].Probability != 0.95 {
		t.Fatalf("queue = %+v, want the rescored pair first", q)
	}
	s.tx(t, func(tx *store.Tx) error { return tx.DecideDuplicate(s.ctx, ab.ID, rapport.DuplicateRejected, "nurse") })
	s.tx(t, func(tx *store.Tx) error {
		_, err := tx.AddDuplicateCandidates(s.ctx, []rapport.DuplicateCandidate{{A: a.ID, B: b.ID, Probability: 0.99}})
		return err
	})
	all, _ := s.db.FindDuplicateCandidates(s.ctx, rapport.DuplicateFilter{})
	for _, d := range all {
		if d.ID == ab.ID && (d.Status != rapport.DuplicateRejected || d.DecidedBy != "nurse" || d.DecidedAt == nil || d.Probability != 0.95) {
			t.Errorf("rejected pair after a new score: %+v, want the decision kept", d)
		}
	}
	if _, err := s.db.AddDuplicateCandidates(s.ctx, []rapport.DuplicateCandidate{{A: a.ID, B: a.ID}}); rapport.ErrorCode(err) != rapport.EINVALID {
		t.Errorf("a record paired with itself: %v, want EINVALID", err)
	}
	groups, err := s.db.PersonGroups(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if groups[c.ID] != min(a.ID, c.ID) || groups[a.ID] != groups[c.ID] || groups[b.ID] != "" {
		t.Errorf("person groups = %v: want a and c one person (pending), b apart (rejected)", groups)
	}
}

// testStepSends: a step's key is taken once; the second taker fails.
func testStepSends(t *testing.T, s suite) {
	k := store.StepSend{Key: "c\x1foffer\x1fsms\x1f+15122340001", MessageID: "m1", PatientID: "p1"}
	s.tx(t, func(tx *store.Tx) error { return tx.CreateStepSends(s.ctx, []store.StepSend{k}) })
	err := s.db.InTx(s.ctx, func(tx *store.Tx) error {
		return tx.CreateStepSends(s.ctx, []store.StepSend{{Key: k.Key, MessageID: "m2", PatientID: "p2"}})
	})
	if rapport.ErrorCode(err) != rapport.ECONFLICT {
		t.Errorf("second taker of a step key: %v, want ECONFLICT", err)
	}
	s.tx(t, func(tx *store.Tx) error {
		got, err := tx.FindStepSends(s.ctx, []string{k.Key, "other"})
		if len(got) != 1 || got[k.Key] != k {
			t.Errorf("step sends = %v", got)
		}
		return err
	})
}

// testMergeSettings: automatic merges are off until turned on.
func testMergeSettings(t *testing.T, s suite) {
	s.tx(t, func(tx *store.Tx) error {
		if got, err := tx.MergeSettings(s.ctx); err != nil || got.AutoMerge {
			t.Errorf("default merge settings = %+v, %v; want off", got, err)
		}
		if err := tx.SetMergeSettings(s.ctx, rapport.MergeSettings{Threshold: 2}); rapport.ErrorCode(err) != rapport.EINVALID {
			t.Errorf("threshold 2: %v, want EINVALID", err)
		}
		for _, want := range []rapport.MergeSettings{{AutoMerge: true, Threshold: 0.998}, {AutoMerge: false, Threshold: 0.99}} {
			if err := tx.SetMergeSettings(s.ctx, want); err != nil {
				return err
			}
			if got, err := tx.MergeSettings(s.ctx); err != nil || got != want {
				t.Errorf("merge settings = %+v, %v; want %+v", got, err, want)
			}
		}
		return nil
	})
}
