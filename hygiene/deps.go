package hygiene

import (
	"context"
	"time"

	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/store"
)

// Staleness marks the contact points no delivered-and-answered message has
// confirmed for too long as stale, and says how many it marked. It must do
// so with [store.Tx.SetContactStatus] so that the contact-reverify journey's
// trigger sees the change.
type Staleness interface {
	MarkStale(ctx context.Context, now time.Time) (int, error)
}

// DuplicateSink receives the probable duplicate pairs a run finds (the
// review queue) and says how its pairs stand.
type DuplicateSink interface {
	// AddDuplicates records pairs; a pair already known is not added
	// again. It returns how many were new.
	AddDuplicates(ctx context.Context, pairs []linkage.Pair) (added int, err error)
	CountDuplicates(ctx context.Context) (DuplicateCounts, error)
}

// DuplicateCounts is how the duplicate pairs stand in the review queue.
type DuplicateCounts struct {
	Pending  int `json:"pending"`
	Merged   int `json:"merged"`
	Rejected int `json:"rejected"`
}

// Deps is what a run needs. DB is required; a nil Staleness skips that step.
type Deps struct {
	DB         *store.DB
	Staleness  Staleness
	Duplicates DuplicateSink
	// Linkage tunes duplicate detection (zero value: linkage defaults).
	Linkage linkage.Config
	// DefaultRegion reads phone numbers without a country code when the
	// patient's address has no country (default "US").
	DefaultRegion string
	// BatchSize is how many patients are read and re-validated at once
	// (default 1000).
	BatchSize int
}

func (d Deps) withDefaults() Deps {
	if d.DefaultRegion == "" {
		d.DefaultRegion = "US"
	}
	if d.BatchSize <= 0 {
		d.BatchSize = 1000
	}
	if d.Duplicates == nil {
		d.Duplicates = Queue{DB: d.DB}
	}
	return d
}
