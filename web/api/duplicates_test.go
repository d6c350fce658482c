package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// TestDuplicateReview: staff list the queue with its explanation, merge a
// pair, unmerge it, and reject it; each change is audited by the token's
// name; integrations and anonymous callers are refused.
func TestDuplicateReview(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		a, b := e.patient("en"), e.patient("en")
		var cand rapport.DuplicateCandidate
		err := e.db.InTx(e.ctx, func(tx *store.Tx) error {
			cs, err := tx.AddDuplicateCandidates(e.ctx, []rapport.DuplicateCandidate{{A: a.ID, B: b.ID, Weight: 14.2, Probability: 0.93,
				Explanation: []rapport.FieldEvidence{{Field: "family", Comparison: "jaro_winkler 0.96", Weight: 5.1}, {Field: "phone", Comparison: "exact", Weight: 9.1}}}})
			cand = cs[0]
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{"", e.integration} {
			if got := e.do("GET", "/api/v1/duplicates", tok, nil); got.status != http.StatusUnauthorized && got.status != http.StatusForbidden {
				t.Errorf("queue with token %q: %d, want refused", tok, got.status)
			}
		}
		got := e.do("GET", "/api/v1/duplicates?status=pending", e.staff, nil)
		var q struct {
			Candidates []rapport.DuplicateCandidate `json:"candidates"`
		}
		if err := json.Unmarshal(got.body, &q); err != nil || got.status != 200 || len(q.Candidates) != 1 || len(q.Candidates[0].Explanation) != 2 {
			t.Fatalf("queue: %d %s", got.status, got.body)
		}
		if bad := e.do("GET", "/api/v1/duplicates?status=maybe", e.staff, nil); bad.status != http.StatusBadRequest {
			t.Errorf("bad status filter: %d", bad.status)
		}

		// Both records hold Rosa's mobile: shared by two records, then by
		// one person once merged, and by two again after the unmerge.
		sharedBy := func(pid rapport.PatientID) int {
			t.Helper()
			got := e.do("GET", "/api/v1/patients/"+string(pid), e.staff, nil)
			var p rapport.Patient
			if err := json.Unmarshal(got.body, &p); err != nil || got.status != 200 || len(p.Contacts) != 1 {
				t.Fatalf("patient %s: %d %s", pid, got.status, got.body)
			}
			return p.Contacts[0].SharedBy
		}
		if n := sharedBy(a.ID); n != 2 {
			t.Errorf("before the merge the mobile is shared by %d, want 2", n)
		}
		if got := e.do("POST", "/api/v1/duplicates/"+cand.ID+"/merge", e.staff, map[string]any{"survivor": b.ID}); got.status != 200 {
			t.Fatalf("merge: %d %s", got.status, got.body)
		}
		if na, nb := sharedBy(a.ID), sharedBy(b.ID); na != 0 || nb != 0 {
			t.Errorf("after the merge the mobile is shared by %d and %d, want 0: one person holds it", na, nb)
		}
		if got := e.do("POST", "/api/v1/duplicates/"+cand.ID+"/reject", e.staff, nil); got.status != http.StatusConflict {
			t.Errorf("reject a merged pair: %d %s, want 409", got.status, got.body)
		}
		if got := e.do("POST", "/api/v1/patients/"+string(a.ID)+"/unmerge", e.staff, nil); got.status != 200 {
			t.Fatalf("unmerge: %d %s", got.status, got.body)
		}
		if n := sharedBy(a.ID); n != 2 {
			t.Errorf("after the unmerge the mobile is shared by %d, want 2", n)
		}
		if got := e.do("POST", "/api/v1/patients/"+string(a.ID)+"/unmerge", e.staff, nil); got.status != http.StatusNotFound {
			t.Errorf("unmerge twice: %d, want 404", got.status)
		}
		if got := e.do("POST", "/api/v1/duplicates/"+cand.ID+"/reject", e.staff, nil); got.status != 200 {
			t.Fatalf("reject: %d %s", got.status, got.body)
		}
		if got := e.do("POST", "/api/v1/duplicates/nope/merge", e.staff, map[string]any{}); got.status != http.StatusNotFound {
			t.Errorf("merge an unknown pair: %d, want 404", got.status)
		}

		audit, err := e.db.FindAudit(e.ctx, rapport.AuditFilter{PatientID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, x := range audit {
			if x.Actor.Name != "nurse-desk" {
				t.Errorf("audit entry by %q, want the staff token", x.Actor.Name)
			}
			actions[x.Action+" "+x.Resource]++
		}
		for _, want := range []string{"read Duplicates/" + cand.ID, "update Patient/" + string(a.ID) + "/merge", "update Patient/" + string(a.ID) + "/unmerge", "update Duplicates/" + cand.ID} {
			if actions[want] == 0 {
				t.Errorf("no audit entry %q in %v", want, actions)
			}
		}
	})
}

// TestMergeSettings: automatic merges are off until an admin turns them
// on; staff may read the setting but not change it.
func TestMergeSettings(t *testing.T) {
	t.Parallel()
	e := setup(t, store.SQLite)
	if got := e.do("GET", "/api/v1/duplicates/settings", e.staff, nil); got.status != 200 || string(got.body) != `{"auto_merge":false,"threshold":0}`+"\n" {
		t.Errorf("default settings: %d %s", got.status, got.body)
	}
	on := map[string]any{"auto_merge": true, "threshold": 0.999}
	if got := e.do("PUT", "/api/v1/duplicates/settings", e.staff, on); got.status != http.StatusForbidden {
		t.Errorf("staff changing the setting: %d, want 403", got.status)
	}
	if got := e.do("PUT", "/api/v1/duplicates/settings", e.admin, map[string]any{"auto_merge": true, "threshold": 7}); got.status != http.StatusBadRequest {
		t.Errorf("threshold 7: %d %s, want 400", got.status, got.body)
	}
	if got := e.do("PUT", "/api/v1/duplicates/settings", e.admin, on); got.status != 200 {
		t.Fatalf("admin turning automatic merges on: %d %s", got.status, got.body)
	}
	if got := e.do("GET", "/api/v1/duplicates/settings", e.staff, nil); !strings.Contains(string(got.body), `"auto_merge":true`) {
		t.Errorf("settings after turning on: %s", got.body)
	}
}
