package hygiene

import (
	"context"
	"fmt"
	"time"

	"github.com/rapporthq/rapport"
	queue "github.com/rapporthq/rapport/duplicates"
	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/store"
)

// Queue is the [DuplicateSink] onto the review queue of package duplicates.
// A pair linkage calls automatic (no outright disagreement on given name,
// sex, birth date or identifier) goes through [queue.Enqueue], which
// merges it when the organisation turned automatic merges on; every other
// pair waits for staff, however high its probability: twins stay people.
type Queue struct{ DB *store.DB }

// AddDuplicates queues the pairs in one transaction; added is how many
// pairs the queue did not hold before.
func (q Queue) AddDuplicates(ctx context.Context, pairs []linkage.Pair) (int, error) {
	before, err := q.total(ctx)
	if err != nil {
		return 0, err
	}
	var auto, review []rapport.DuplicateCandidate
	for _, p := range pairs {
		if p.Automatic {
			auto = append(auto, candidate(p))
		} else {
			review = append(review, candidate(p))
		}
	}
	err = q.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.AddDuplicateCandidates(ctx, review); err != nil {
			return err
		}
		_, err := queue.Enqueue(ctx, tx, auto)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("hygiene: queue duplicates: %w", err)
	}
	after, err := q.total(ctx)
	return after - before, err
}

// CountDuplicates reports the queue by status.
func (q Queue) CountDuplicates(ctx context.Context) (DuplicateCounts, error) {
	n, err := q.DB.CountDuplicateCandidates(ctx)
	if err != nil {
		return DuplicateCounts{}, err
	}
	return DuplicateCounts{Pending: n[rapport.DuplicatePending], Merged: n[rapport.DuplicateMerged], Rejected: n[rapport.DuplicateRejected]}, nil
}

func (q Queue) total(ctx context.Context) (int, error) {
	c, err := q.CountDuplicates(ctx)
	return c.Pending + c.Merged + c.Rejected, err
}

// candidate is a scored pair as the review queue shows it: each field's
// comparison level and its part of the weight.
func candidate(p linkage.Pair) rapport.DuplicateCandidate {
	c := rapport.DuplicateCandidate{A: rapport.PatientID(p.A), B: rapport.PatientID(p.B), Weight: p.Weight, Probability: p.Probability,
		Reason: fmt.Sprintf("record linkage: probability %.3f, weight %.1f", p.Probability, p.Weight)}
	for _, f := range p.Explain {
		c.Explanation = append(c.Explanation, rapport.FieldEvidence{Field: f.Field.String(), Comparison: f.Level.String(), Weight: f.Weight})
	}
	return c
}

// StoreStaleness is the [Staleness] step onto the store: contact points
// the policy finds stale are marked so (their patients then get the
// contact-reverify question).
type StoreStaleness struct {
	DB     *store.DB
	Policy rapport.Staleness
}

// MarkStale marks the stale contact points; the store judges them at its
// clock, which is now's.
func (s StoreStaleness) MarkStale(ctx context.Context, _ time.Time) (int, error) {
	return s.DB.MarkStaleContacts(ctx, s.Policy)
}
