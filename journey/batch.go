package journey

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// batch is the engine's work inside one transaction: it collects wake
// times to schedule and ledger events to append, and writes them at the end.
type batch struct {
	e      *Engine
	tx     *store.Tx
	wakes  map[int64][]due // wake bucket (unix ms) → enrollments due in it
	events []rapport.Event
	envs   map[rapport.PatientID]*Env
	// sends are enrollments stopped at a send step; resumes counts each
	// enrollment's sends in this batch, against loops.
	sends   []pendingSend
	resumes map[string]int
	// states and consents are what prefetch loaded for a wake job's
	// waits; consentsOf says whose consents are among them.
	states     map[rapport.MessageID]store.MessageState
	consents   map[rapport.PatientID][]rapport.Consent
	consentsOf map[rapport.PatientID]bool
	// patients are patients with their contact points that the batch's
	// caller loaded in this transaction, for its messages.
	patients map[rapport.PatientID]*rapport.Patient
	// fresh are enrollments made in this batch and not written yet: flush
	// inserts them as they stand then (see EnrollOptions.RunDue).
	fresh map[string]*rapport.Enrollment
	// dirty are stored enrollments changed in this batch, in the order
	// first changed: written together before anything reads enrollments
	// again, and at flush.
	dirty   []*rapport.Enrollment
	isDirty map[string]bool
}

func (e *Engine) newBatch(tx *store.Tx) *batch {
	return &batch{e: e, tx: tx, wakes: map[int64][]due{}, envs: map[rapport.PatientID]*Env{}, resumes: map[string]int{},
		fresh: map[string]*rapport.Enrollment{}, isDirty: map[string]bool{}}
}

// due is an enrollment and the wake time a job is scheduled for.
type due struct {
	id string
	at int64 // unix milliseconds, rounded up
}

// wakeBucket groups wake times into jobs: enrollments due within the same
// tenth of a second share a job scheduled at the end of it.
const wakeBucket = 100 // ms

// wake schedules en to be woken at its WakeAt. The job carries the due
// time so that a job which finds a later wake time knows it is stale.
func (b *batch) wake(en *rapport.Enrollment) {
	at := wakeMillis(en.WakeAt)
	k := (at + wakeBucket - 1) / wakeBucket * wakeBucket // round up: never wake early
	if !en.WakeAt.After(b.tx.Now()) {
		k = 0 // due already: one job, available at once
	}
	b.wakes[k] = append(b.wakes[k], due{en.ID, at})
}

// wakeMillis is t in unix milliseconds, rounded up so a job scheduled for
// it never runs before t.
func wakeMillis(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Sub(time.UnixMilli(ms)) > 0 {
		ms++
	}
	return ms
}

// event adds a ledger event about an enrollment.
func (b *batch) event(en *rapport.Enrollment, kind rapport.EventKind, payload map[string]any) {
	p, _ := json.Marshal(payload)
	b.events = append(b.events, rapport.Event{PatientID: en.PatientID, Kind: kind, Journey: en.Journey, Campaign: en.Campaign, Payload: p})
}

// wakeBatch is how many enrollments one wake job carries.
const wakeBatch = 200

// flush sends the queued messages, then writes the collected events and
// wake jobs.
func (b *batch) flush(ctx context.Context) error {
	if err := b.settle(ctx); err != nil {
		return err
	}
	if err := b.writeEnrollments(ctx); err != nil {
		return err
	}
	if err := b.tx.AppendEvents(ctx, b.events...); err != nil {
		return err
	}
	b.events = nil
	var params []river.InsertManyParams
	for bucket, ds := range b.wakes {
		for start := 0; start < len(ds); start += wakeBatch {
			opts := &river.InsertOpts{}
			if at := time.UnixMilli(bucket).UTC(); at.After(b.tx.Now()) {
				// A job scheduled at or before now would wait for River's
				// scheduler to notice it; a due one is available at once.
				opts.ScheduledAt = at
			}
			params = append(params, river.InsertManyParams{Args: wakeArgs(ds[start:min(start+wakeBatch, len(ds))]), InsertOpts: opts})
		}
	}
	b.wakes = map[int64][]due{}
	if len(params) == 0 {
		return nil
	}
	_, err := b.e.Queue.InsertTx(ctx, b.tx, params...)
	return err
}

// save records that an enrollment changed: a fresh one is inserted at
// flush, a stored one updated with the batch's other changes (writeDirty).
func (b *batch) save(ctx context.Context, en *rapport.Enrollment) error {
	if b.fresh[en.ID] != nil || b.isDirty[en.ID] {
		return nil // written as it stands then
	}
	b.isDirty[en.ID] = true
	b.dirty = append(b.dirty, en)
	return nil
}

// writeEnrollments writes the enrollments the batch made and changed. It
// runs at flush, and before the batch reads enrollments (which journeys a
// patient is in), so that the batch reads what it wrote.
func (b *batch) writeEnrollments(ctx context.Context) error {
	if err := b.writeFresh(ctx); err != nil {
		return err
	}
	return b.writeDirty(ctx)
}

// writeDirty writes the stored enrollments the batch changed.
func (b *batch) writeDirty(ctx context.Context) error {
	if len(b.dirty) == 0 {
		return nil
	}
	ens := b.dirty
	b.dirty, b.isDirty = nil, map[string]bool{}
	return b.tx.UpdateEnrollments(ctx, ens)
}

// writeFresh inserts the batch's fresh enrollments as they stand, in the
// order they were made.
func (b *batch) writeFresh(ctx context.Context) error {
	if len(b.fresh) == 0 {
		return nil
	}
	ens := make([]*rapport.Enrollment, 0, len(b.fresh))
	for _, en := range b.fresh {
		ens = append(ens, en)
	}
	sort.Slice(ens, func(i, j int) bool { return ens[i].ID < ens[j].ID })
	b.fresh = map[string]*rapport.Enrollment{}
	if err := b.tx.CreateEnrollments(ctx, ens); err != nil {
		return fmt.Errorf("enroll in %s: %w", ens[0].Journey, err)
	}
	return nil
}

// cancel ends an enrollment whose campaign was cancelled.
func (b *batch) cancel(ctx context.Context, en *rapport.Enrollment) error {
	en.Status = rapport.EnrollmentCancelled
	if err := b.save(ctx, en); err != nil {
		return err
	}
	b.event(en, rapport.EventJourneyEnded, map[string]any{"step": en.Step, "reason": "campaign cancelled"})
	return nil
}
