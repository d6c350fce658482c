package duplicates

import (
	"context"
	"encoding/json"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// AutoMergeActor is the "by" of merges nobody reviewed.
const AutoMergeActor = "auto"

// Enqueue adds scored pairs to the review queue inside tx and, when the
// organisation enabled automatic merges (off by default), merges the
// pending pairs at or above its threshold, the older record (lower id)
// surviving. A pair that cannot merge automatically (a record already
// merged elsewhere) stays in review. It returns the merges made.
func Enqueue(ctx context.Context, tx *store.Tx, cs []rapport.DuplicateCandidate) ([]*rapport.Merge, error) {
	stored, err := tx.AddDuplicateCandidates(ctx, cs)
	if err != nil {
		return nil, err
	}
	settings, err := tx.MergeSettings(ctx)
	if err != nil {
		return nil, err
	}
	var merges []*rapport.Merge
	for i := range stored {
		c := &stored[i]
		if c.Status != rapport.DuplicatePending || !settings.AutoMerges(c) {
			continue
		}
		if err := checkMergeable(ctx, tx, c.A, c.B); rapport.ErrorCode(err) == rapport.ECONFLICT {
			continue
		} else if err != nil {
			return nil, err
		}
		m, err := Merge(ctx, tx, c.A, c.B, AutoMergeActor)
		if err != nil {
			return nil, err
		}
		merges = append(merges, m)
	}
	return merges, nil
}

// Reject records that a pending pair are two people, as by. Errors:
// ENOTFOUND, ECONFLICT when the pair was merged (unmerge it first).
func Reject(ctx context.Context, tx *store.Tx, candidateID, by string) (*rapport.DuplicateCandidate, error) {
	c, err := tx.FindDuplicateCandidate(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	if c.Status == rapport.DuplicateMerged {
		return nil, rapport.Errorf(rapport.ECONFLICT, "duplicate candidate %s is merged: unmerge patient %s first", c.ID, c.B)
	}
	if err := tx.DecideDuplicate(ctx, c.ID, rapport.DuplicateRejected, by); err != nil {
		return nil, err
	}
	payload := mustPayload(map[string]any{"candidate": c.ID, "by": by})
	if err := tx.AppendEvents(ctx, rapport.Event{PatientID: c.A, Kind: rapport.EventDuplicateReject, Payload: payload},
		rapport.Event{PatientID: c.B, Kind: rapport.EventDuplicateReject, Payload: payload}); err != nil {
		return nil, err
	}
	return tx.FindDuplicateCandidate(ctx, c.ID)
}

// MergeCandidate merges a queued pair, the older record (A) surviving
// unless survivor names B. Errors: ENOTFOUND, EINVALID (survivor not in
// the pair), ECONFLICT (the pair is not pending).
func MergeCandidate(ctx context.Context, tx *store.Tx, candidateID string, survivor rapport.PatientID, by string) (*rapport.Merge, error) {
	c, err := tx.FindDuplicateCandidate(ctx, candidateID)
	if err != nil {
		return nil, err
	}
	if c.Status != rapport.DuplicatePending {
		return nil, rapport.Errorf(rapport.ECONFLICT, "duplicate candidate %s is %s, not pending", c.ID, c.Status)
	}
	keep, gone := c.A, c.B
	switch survivor {
	case "", c.A:
	case c.B:
		keep, gone = c.B, c.A
	default:
		return nil, rapport.Errorf(rapport.EINVALID, "survivor %s is not one of the pair %s, %s", survivor, c.A, c.B)
	}
	return Merge(ctx, tx, keep, gone, by)
}

func mustPayload(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain maps of strings only
	}
	return b
}
