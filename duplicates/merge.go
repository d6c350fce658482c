// Package duplicates acts on probable duplicate patient records: it keeps
// the review queue, merges a pair reversibly, unmerges it, and rejects a
// pair as two people. Scoring pairs is another package's job; it hands its
// pairs to [Enqueue].
//
// A merge moves nothing. The merged record keeps its identifiers, contact
// points, consents and ledger rows under its own id (their origin); a row
// in patient_merges makes the survivor the one patient that campaigns,
// messaging and metrics see. The only rows a merge rewrites are live
// enrollments (a journey runs once per person), and it keeps their state
// before, so an unmerge gives both records back exactly.
package duplicates

import (
	"context"
	"fmt"
	"slices"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// Merge folds record merged into survivor inside tx, as by (a token's
// name, or "auto"), for the candidate pair if one is queued. Live
// enrollments of the merged record move to the survivor; where both are
// in one journey, one is kept ([rapport.KeepEnrollment]) and the other
// ended with outcome [rapport.MergedEnrollmentOutcome]. Errors: EINVALID
// (one record twice), ENOTFOUND (no such patient), ECONFLICT (either
// record already merged away, or merged has records merged into it).
func Merge(ctx context.Context, tx *store.Tx, survivor, merged rapport.PatientID, by string) (*rapport.Merge, error) {
	if survivor == merged {
		return nil, rapport.Errorf(rapport.EINVALID, "merge: survivor and merged record are both %s", survivor)
	}
	if err := checkMergeable(ctx, tx, survivor, merged); err != nil {
		return nil, err
	}
	m := &rapport.Merge{Survivor: survivor, Merged: merged, By: by}
	moved, err := moveEnrollments(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	cand, err := tx.FindDuplicateCandidateFor(ctx, survivor, merged)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		cs, aerr := tx.AddDuplicateCandidates(ctx, []rapport.DuplicateCandidate{{A: survivor, B: merged, Probability: 1, Reason: "merged by " + by}})
		if aerr != nil {
			return nil, aerr
		}
		cand, err = &cs[0], nil
	}
	if err != nil {
		return nil, err
	}
	m.CandidateID = cand.ID
	if err := tx.DecideDuplicate(ctx, cand.ID, rapport.DuplicateMerged, by); err != nil {
		return nil, err
	}
	if err := tx.CreateMerge(ctx, m); err != nil {
		return nil, err
	}
	if err := tx.RestoreEnrollments(ctx, moved); err != nil {
		return nil, err
	}
	return m, tx.AppendEvents(ctx, mergeEvents(rapport.EventPatientMerged, m)...)
}

// checkMergeable refuses chains: a record merged away cannot take part in
// another merge, nor can a record that others were merged into be merged
// away (unmerge those first), so every unmerge undoes exactly one merge.
func checkMergeable(ctx context.Context, tx *store.Tx, survivor, merged rapport.PatientID) error {
	for _, id := range []rapport.PatientID{survivor, merged} {
		if _, err := tx.FindPatientByID(ctx, id); err != nil {
			return fmt.Errorf("merge %s into %s: %w", merged, survivor, err)
		}
	}
	gone, err := tx.Survivors(ctx, []rapport.PatientID{survivor, merged})
	if err != nil {
		return err
	}
	for id, into := range gone {
		return rapport.Errorf(rapport.ECONFLICT, "merge: patient %s is already merged into %s", id, into)
	}
	into, err := tx.MergedInto(ctx, []rapport.PatientID{merged})
	if err != nil {
		return err
	}
	if len(into[merged]) > 0 {
		return rapport.Errorf(rapport.ECONFLICT, "merge: records are merged into %s; unmerge them or merge %s the other way", merged, merged)
	}
	return nil
}

// moveEnrollments decides what happens to the live enrollments of both
// records, records their state before in m.Ended, and returns their state
// after, to be written. Ended ones come first: the database allows one
// live enrollment per patient and journey.
func moveEnrollments(ctx context.Context, tx *store.Tx, m *rapport.Merge) ([]*rapport.Enrollment, error) {
	mine, err := tx.FindLiveEnrollments(ctx, m.Survivor)
	if err != nil {
		return nil, err
	}
	theirs, err := tx.FindLiveEnrollments(ctx, m.Merged)
	if err != nil {
		return nil, err
	}
	byJourney := map[string]*rapport.Enrollment{}
	for _, e := range mine {
		byJourney[e.Journey] = e
	}
	now := tx.Now()
	var ended, moved []*rapport.Enrollment
	for _, e := range theirs {
		keep := e
		if s := byJourney[e.Journey]; s != nil {
			var end *rapport.Enrollment
			keep, end = rapport.KeepEnrollment(s, e)
			m.Ended = append(m.Ended, clone(end))
			end.Status, end.WaitingFor, end.Outcome, end.UpdatedAt = rapport.EnrollmentDone, "", rapport.MergedEnrollmentOutcome, now
			ended = append(ended, end)
		}
		if keep.PatientID == m.Merged {
			m.Ended = append(m.Ended, clone(keep))
			keep.PatientID, keep.UpdatedAt = m.Survivor, now
			moved = append(moved, keep)
		}
	}
	return append(ended, moved...), nil
}

func clone(e *rapport.Enrollment) *rapport.Enrollment {
	c := *e
	c.Vars = make(map[string]string, len(e.Vars))
	for k, v := range e.Vars {
		c.Vars[k] = v
	}
	return &c
}

// mergeEvents are the ledger events of a merge or unmerge, one on each record.
func mergeEvents(kind rapport.EventKind, m *rapport.Merge) []rapport.Event {
	ids := make([]string, len(m.Ended))
	for i, e := range m.Ended {
		ids[i] = e.ID
	}
	payload := mustPayload(map[string]any{"survivor": m.Survivor, "merged": m.Merged, "by": m.By, "candidate": m.CandidateID, "enrollments": ids})
	return []rapport.Event{{PatientID: m.Survivor, Kind: kind, Payload: payload}, {PatientID: m.Merged, Kind: kind, Payload: payload}}
}

// Unmerge gives record merged back, as it was before its merge, inside
// tx: the link goes, and the enrollments the merge moved or ended are put
// back as they were (one that ran on after the merge only goes back to its
// record, keeping its progress). The pair returns to the review queue.
// Merges into one survivor are undone latest first, since a later merge
// may have ended or moved what an earlier one left. Errors: ENOTFOUND when
// merged is not merged into another record, ECONFLICT when a later merge
// into the same survivor must be undone first.
func Unmerge(ctx context.Context, tx *store.Tx, merged rapport.PatientID, by string) (*rapport.Merge, error) {
	m, err := tx.FindMerge(ctx, merged)
	if err != nil {
		return nil, err
	}
	into, err := tx.MergedInto(ctx, []rapport.PatientID{m.Survivor})
	if err != nil {
		return nil, err
	}
	if all := into[m.Survivor]; len(all) > 0 && all[len(all)-1] != merged {
		return nil, rapport.Errorf(rapport.ECONFLICT, "unmerge: patient %s was merged into %s later; unmerge it first", all[len(all)-1], m.Survivor)
	}
	ids := make([]string, len(m.Ended))
	for i, e := range m.Ended {
		ids[i] = e.ID
	}
	current, err := tx.FindEnrollmentsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := map[string]*rapport.Enrollment{}
	for _, e := range current {
		now[e.ID] = e
	}
	var back, rest []*rapport.Enrollment
	for _, before := range m.Ended {
		e := now[before.ID]
		if e == nil {
			continue
		}
		restored := before
		if !e.UpdatedAt.Equal(m.At) { // ran on after the merge: keep its progress
			restored = e
			restored.PatientID = before.PatientID
		}
		if e.PatientID != before.PatientID {
			back = append(back, restored)
		} else {
			rest = append(rest, restored)
		}
	}
	// Moved ones leave the survivor first, so an ended one of the survivor
	// can come back to life in the same journey.
	if err := tx.RestoreEnrollments(ctx, slices.Concat(back, rest)); err != nil {
		return nil, err
	}
	if err := tx.DeleteMerge(ctx, merged); err != nil {
		return nil, err
	}
	if m.CandidateID != "" {
		if err := tx.DecideDuplicate(ctx, m.CandidateID, rapport.DuplicatePending, ""); err != nil && rapport.ErrorCode(err) != rapport.ENOTFOUND {
			return nil, err
		}
	}
	m.By = by
	return m, tx.AppendEvents(ctx, mergeEvents(rapport.EventPatientUnmerged, m)...)
}
