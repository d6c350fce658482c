package api

import (
	"net/http"
	"strconv"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/duplicates"
	"github.com/rapporthq/rapport/store"
	"github.com/rapporthq/rapport/web"
)

// DuplicateQueue is the answer of GET /api/v1/duplicates.
type DuplicateQueue struct {
	Candidates []rapport.DuplicateCandidate `json:"candidates"`
}

// MergeRequest is the body of POST /api/v1/duplicates/{id}/merge. Survivor
// is the record that stays (the older one, patient_a, when empty).
type MergeRequest struct {
	Survivor rapport.PatientID `json:"survivor,omitempty"`
}

// duplicateQueue answers GET /api/v1/duplicates?status=pending&limit=100:
// probable duplicate pairs, most probable first, with the per-field
// explanation. Both records of each pair are audited as read.
func (a *api) duplicateQueue(w http.ResponseWriter, r *http.Request) {
	f := rapport.DuplicateFilter{Status: rapport.DuplicateStatus(r.URL.Query().Get("status")), Limit: 100}
	switch f.Status {
	case "", rapport.DuplicatePending, rapport.DuplicateMerged, rapport.DuplicateRejected:
	default:
		web.Error(w, r, rapport.Errorf(rapport.EINVALID, "status %q is not one of pending, merged, rejected", f.Status))
		return
	}
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			web.Error(w, r, rapport.Errorf(rapport.EINVALID, "limit %q is not a number from 1 to 1000", s))
			return
		}
		f.Limit = n
	}
	cs, err := a.DB.FindDuplicateCandidates(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if cs == nil {
		cs = []rapport.DuplicateCandidate{}
	}
	var entries []rapport.Audit
	for _, c := range cs {
		entries = append(entries, a.audit(r, "read", "Duplicates/"+c.ID, c.A), a.audit(r, "read", "Duplicates/"+c.ID, c.B))
	}
	if len(entries) > 0 {
		if err := a.DB.AppendAudit(r.Context(), entries...); err != nil {
			web.Error(w, r, err)
			return
		}
	}
	web.JSON(w, http.StatusOK, DuplicateQueue{Candidates: cs})
}

// mergeDuplicate answers POST /api/v1/duplicates/{id}/merge: the pair
// merged by the token's name, audited in the same transaction; 200 with
// the merge, 404 for an unknown pair, 409 if it is not pending.
func (a *api) mergeDuplicate(w http.ResponseWriter, r *http.Request) {
	var req MergeRequest
	if !decode(w, r, &req) {
		return
	}
	who := actor(r)
	var m *rapport.Merge
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) (err error) {
		if m, err = duplicates.MergeCandidate(r.Context(), tx, r.PathValue("id"), req.Survivor, who.Name); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "update", "Patient/"+string(m.Survivor)+"/merge", m.Survivor),
			a.audit(r, "update", "Patient/"+string(m.Merged)+"/merge", m.Merged))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, m)
}

// rejectDuplicate answers POST /api/v1/duplicates/{id}/reject: the pair
// recorded as two people; 200 with the pair, 404, or 409 if merged.
func (a *api) rejectDuplicate(w http.ResponseWriter, r *http.Request) {
	who := actor(r)
	var c *rapport.DuplicateCandidate
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) (err error) {
		if c, err = duplicates.Reject(r.Context(), tx, r.PathValue("id"), who.Name); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "update", "Duplicates/"+c.ID, c.A), a.audit(r, "update", "Duplicates/"+c.ID, c.B))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, c)
}

// unmerge answers POST /api/v1/patients/{id}/unmerge: the record given
// back as it was before its merge; 200 with the undone merge, 404 when
// the patient is not merged into another record.
func (a *api) unmerge(w http.ResponseWriter, r *http.Request) {
	who := actor(r)
	var m *rapport.Merge
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) (err error) {
		if m, err = duplicates.Unmerge(r.Context(), tx, rapport.PatientID(r.PathValue("id")), who.Name); err != nil {
			return err
		}
		return tx.AppendAudit(r.Context(), a.audit(r, "update", "Patient/"+string(m.Merged)+"/unmerge", m.Merged),
			a.audit(r, "update", "Patient/"+string(m.Survivor)+"/unmerge", m.Survivor))
	})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, m)
}

// mergeSettings answers GET /api/v1/duplicates/settings: whether pairs
// above the threshold merge without review (off unless an admin turned it on).
func (a *api) mergeSettings(w http.ResponseWriter, r *http.Request) {
	var s rapport.MergeSettings
	err := a.DB.InTx(r.Context(), func(tx *store.Tx) (err error) { s, err = tx.MergeSettings(r.Context()); return err })
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, s)
}

// setMergeSettings answers PUT /api/v1/duplicates/settings
// ({"auto_merge": true, "threshold": 0.999}; threshold 0 means the default
// [rapport.DefaultAutoMergeThreshold]): 200 with the settings, 400 for a
// threshold outside 0–1.
func (a *api) setMergeSettings(w http.ResponseWriter, r *http.Request) {
	var s rapport.MergeSettings
	if !decode(w, r, &s) {
		return
	}
	if err := a.DB.InTx(r.Context(), func(tx *store.Tx) error { return tx.SetMergeSettings(r.Context(), s) }); err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, s)
}
