package hygiene

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/linkage"
	"github.com/rapporthq/rapport/store"
)

// Run does one hygiene run as of now and stores its report with the
// linkage model it used. Steps, in order:
//
//  1. stream every patient in batches, re-validate their contact points
//     (writing only those whose result changed), count reach by segment and
//     collect the fields duplicate detection compares;
//  2. mark stale contacts (deps.Staleness), which enrolls them in the
//     contact-reverify journey through its trigger;
//  3. find duplicates: the first run (or one whose previous run kept no
//     model) fits a model over all patients; later runs compare only the
//     patients created or changed since the previous run began against all,
//     with the stored model; the pairs go to deps.Duplicates;
//  4. count contact points and what changed since the previous run.
func Run(ctx context.Context, deps Deps, now time.Time) (*Report, error) {
	deps = deps.withDefaults()
	db := deps.DB
	prev, err := db.LatestHygieneRun(ctx)
	if err != nil && !store.IsNotFound(err) {
		return nil, fmt.Errorf("hygiene: previous run: %w", err)
	}
	r := &Report{StartedAt: now.UTC()}
	recs, err := scan(ctx, deps, now, r)
	if err != nil {
		return nil, err
	}
	if deps.Staleness != nil {
		if r.MarkedStale, err = deps.Staleness.MarkStale(ctx, now); err != nil {
			return nil, fmt.Errorf("hygiene: mark stale: %w", err)
		}
	}
	model, err := duplicates(ctx, deps, prev, recs, r)
	if err != nil {
		return nil, err
	}
	finished := db.Clock().Now().UTC()
	if finished.Before(r.StartedAt) {
		finished = r.StartedAt
	}
	r.FinishedAt = finished
	if err := changes(ctx, db, prev, r); err != nil {
		return nil, err
	}
	r.RunID = newRunID()
	run := &store.HygieneRun{ID: r.RunID, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt}
	if run.Report, err = json.Marshal(r); err != nil {
		return nil, fmt.Errorf("hygiene: encode report: %w", err)
	}
	if run.Model, err = json.Marshal(model); err != nil {
		return nil, fmt.Errorf("hygiene: encode model: %w", err)
	}
	if err := db.SaveHygieneRun(ctx, run); err != nil {
		return nil, fmt.Errorf("hygiene: %w", err)
	}
	return r, nil
}

// newRunID names a run: a UUIDv7, which sorts by creation like the
// other ids rapport makes.
func newRunID() string { return uuid.Must(uuid.NewV7()).String() }

// scan streams every patient once, re-validating contact points in one
// transaction per batch, and returns the linkage records.
func scan(ctx context.Context, deps Deps, now time.Time, r *Report) ([]linkage.Record, error) {
	var recs []linkage.Record
	var reach reachCounter
	var after rapport.PatientID
	for {
		ps, err := deps.DB.PatientsAfter(ctx, after, deps.BatchSize)
		if err != nil {
			return nil, fmt.Errorf("hygiene: %w", err)
		}
		if len(ps) == 0 {
			break
		}
		if err := revalidateBatch(ctx, deps, ps, &r.Validation); err != nil {
			return nil, err
		}
		for _, p := range ps {
			reach.add(p, now)
			recs = append(recs, record(p))
		}
		after = ps[len(ps)-1].ID
	}
	r.Reach = reach.report()
	return recs, nil
}

// revalidateBatch re-validates the batch's contact points, updates them in
// place and writes those whose result changed.
func revalidateBatch(ctx context.Context, deps Deps, ps []*rapport.Patient, v *Validation) error {
	var rewrite []rapport.ContactPoint
	var invalid []rapport.ContactPoint
	for _, p := range ps {
		reg := region(p, deps.DefaultRegion)
		for i := range p.Contacts {
			next, what := revalidate(p.Contacts[i], reg)
			v.Checked++
			if what.rewrite {
				rewrite = append(rewrite, next)
			}
			if what.invalidate {
				invalid = append(invalid, next)
			}
			p.Contacts[i] = next
		}
	}
	if len(rewrite) == 0 && len(invalid) == 0 {
		return nil
	}
	err := deps.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateContactNormalised(ctx, rewrite); err != nil {
			return err
		}
		for _, c := range invalid {
			if err := tx.SetContactStatus(ctx, c.ID, c.Status, c.StatusReason); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("hygiene: revalidate: %w", err)
	}
	v.Rewritten += len(rewrite)
	v.Invalidated += len(invalid)
	return nil
}

// changes fills the contact counts and what changed since prev.
func changes(ctx context.Context, db *store.DB, prev *store.HygieneRun, r *Report) error {
	var err error
	if r.Contacts, err = db.CountContacts(ctx); err != nil {
		return fmt.Errorf("hygiene: %w", err)
	}
	var before map[string]int
	var since time.Time
	if prev != nil {
		r.PreviousRunID = prev.ID
		since = prev.FinishedAt
		var pr Report
		if err := json.Unmarshal(prev.Report, &pr); err != nil {
			return fmt.Errorf("hygiene: previous report %s: %w", prev.ID, err)
		}
		before = statusTotals(pr.Contacts)
	}
	r.Changes = Changes{StatusDelta: delta(statusTotals(r.Contacts), before), Transitions: map[string]int{}}
	seen := map[string]bool{}
	err = db.ContactStatusChanges(ctx, since, r.FinishedAt, func(c store.ContactStatusChange) error {
		r.Changes.Transitions[string(c.From)+"->"+string(c.To)]++
		seen[c.ContactID] = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("hygiene: %w", err)
	}
	r.Changes.ContactsChanged = len(seen)
	return nil
}
