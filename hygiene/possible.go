package hygiene

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/store"
)

// PossibleDuplicates is the [DuplicateSink] onto the possible_duplicates
// table, used until the review queue replaces it. That table has no
// review state: every pair counts as pending.
type PossibleDuplicates struct{ DB *store.DB }

// AddDuplicates records the pairs in one transaction, each with its
// probability and weight as the reason. "Added" is the table's growth, so
// pairs an import records at the same moment count too; the review queue
// that replaces this adapter knows better.
func (s PossibleDuplicates) AddDuplicates(ctx context.Context, pairs []linkage.Pair) (int, error) {
	before, err := s.DB.CountPossibleDuplicates(ctx)
	if err != nil {
		return 0, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range pairs {
			reason := fmt.Sprintf("record linkage: probability %.3f, weight %.1f", p.Probability, p.Weight)
			if err := tx.AddPossibleDuplicate(ctx, rapport.PatientID(p.A), rapport.PatientID(p.B), reason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("hygiene: add duplicates: %w", err)
	}
	after, err := s.DB.CountPossibleDuplicates(ctx)
	return after - before, err
}

// CountDuplicates reports every recorded pair as pending.
func (s PossibleDuplicates) CountDuplicates(ctx context.Context) (DuplicateCounts, error) {
	n, err := s.DB.CountPossibleDuplicates(ctx)
	return DuplicateCounts{Pending: n}, err
}
