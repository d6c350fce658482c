package metrics

import (
	"context"
	"fmt"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// decliners reads the journey outcomes of f's window and returns whether a
// record's person is a decliner: one whose outcomes include a decline or a
// silence (no reply), as [DeclinersSince] counts them. The outcome events
// go through the same code as [Compute], so the two cannot disagree.
func decliners(ctx context.Context, db *store.DB, f Filter) (func(rapport.PatientID) bool, error) {
	c := newComputation(f)
	var err error
	if c.person, err = people(ctx, db, f); err != nil {
		return nil, fmt.Errorf("metrics: decliners: %w", err)
	}
	scan := store.EventScan{From: f.From, To: f.To, Kinds: []rapport.EventKind{rapport.EventJourneyOutcome}}
	if err := db.ScanEvents(ctx, scan, c.event); err != nil {
		return nil, fmt.Errorf("metrics: decliners: %w", err)
	}
	return func(pid rapport.PatientID) bool {
		p := c.patients[c.personOf(pid)]
		return p != nil && p.declineOutcome != ""
	}, nil
}
