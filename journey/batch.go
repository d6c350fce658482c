package journey

import (
	"context"
	"encoding/json"
	"fmt"
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
	// waits (consents has a key for every patient it asked about).
	states   map[rapport.MessageID]store.MessageState
	consents map[rapport.PatientID][]rapport.Consent
	// patients are patients with their contact points that the batch's
	// caller loaded in this transaction, for its messages.
	patients map[rapport.PatientID]*rapport.Patient
	// records are the clinical records a trigger job's page of import
	// events names (triggerRecords).
	records map[recordRef]store.TriggerRecord
	// fresh are enrollments made in this batch and not inserted yet (see
	// EnrollOptions.RunDue); dirty are stored ones it changed. Both are
	// written as they stand before the batch reads enrollments again, and
	// at flush.
	fresh, dirty enrollmentSet
}

// enrollmentSet holds enrollments once each, in the order first added.
type enrollmentSet struct {
	list []*rapport.Enrollment
	has  map[string]bool
}

func (s *enrollmentSet) add(en *rapport.Enrollment) {
	if s.has == nil {
		s.has = map[string]bool{}
	}
	if !s.has[en.ID] {
		s.has[en.ID] = true
		s.list = append(s.list, en)
	}
}

// take empties the set and returns what it held.
func (s *enrollmentSet) take() []*rapport.Enrollment {
	list := s.list
	*s = enrollmentSet{}
	return list
}

func (e *Engine) newBatch(tx *store.Tx) *batch {
	return &batch{e: e, tx: tx, wakes: map[int64][]due{}, envs: map[rapport.PatientID]*Env{}, resumes: map[string]int{}}
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
func (b *batch) event(en *rapport.Enrollment, kind rapport.EventKind, payload any) {
	p, _ := json.Marshal(payload)
	b.events = append(b.events, rapport.Event{PatientID: en.PatientID, Kind: kind, Journey: en.Journey, Campaign: en.Campaign, Payload: p})
}

// wakeBatch is how many enrollments one wake job carries: on PostgreSQL
// 200, so that a wave's jobs spread over every process; on SQLite, where
// the one connection works every job in turn, 1,000, as a launch page
// does (the second wave of a two-step campaign of 20,000 emails went from
// about 4,000 to 4,600 msg/s).
func (e *Engine) wakeBatch() int {
	if e.DB.Dialect() == store.SQLite {
		return 1000
	}
	return 200
}

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
		per := b.e.wakeBatch()
		for start := 0; start < len(ds); start += per {
			opts := &river.InsertOpts{}
			if at := time.UnixMilli(bucket).UTC(); at.After(b.tx.Now()) {
				// A job scheduled at or before now would wait for River's
				// scheduler to notice it; a due one is available at once.
				opts.ScheduledAt = at
			}
			params = append(params, river.InsertManyParams{Args: wakeArgs(ds[start:min(start+per, len(ds))]), InsertOpts: opts})
		}
	}
	b.wakes = map[int64][]due{}
	if len(params) == 0 {
		return nil
	}
	_, err := b.e.Queue.InsertTx(ctx, b.tx, params...)
	return err
}

// save records that an enrollment changed; writeEnrollments writes it.
func (b *batch) save(en *rapport.Enrollment) {
	if !b.fresh.has[en.ID] {
		b.dirty.add(en)
	}
}

// writeEnrollments inserts the enrollments the batch made and updates the
// ones it changed, as they stand. It runs at flush, and before the batch
// reads enrollments (which journeys a patient is in), so that the batch
// reads what it wrote.
func (b *batch) writeEnrollments(ctx context.Context) error {
	if fresh := b.fresh.take(); len(fresh) > 0 {
		if err := b.tx.CreateEnrollments(ctx, fresh); err != nil {
			return fmt.Errorf("enroll in %s: %w", fresh[0].Journey, err)
		}
	}
	if dirty := b.dirty.take(); len(dirty) > 0 {
		return b.tx.UpdateEnrollments(ctx, dirty)
	}
	return nil
}

// cancel ends an enrollment whose campaign was cancelled.
func (b *batch) cancel(en *rapport.Enrollment) {
	en.Status = rapport.EnrollmentCancelled
	b.save(en)
	b.event(en, rapport.EventJourneyEnded, map[string]any{"step": en.Step, "reason": "campaign cancelled"})
}
