package journey

import (
	"context"
	"encoding/json"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// batch is the engine's work inside one transaction: it collects wake
// times to schedule and ledger events to append, and writes them at the end.
type batch struct {
	e      *Engine
	tx     *store.Tx
	wakes  map[int64][]string // minute → enrollment ids
	events []rapport.Event
	envs   map[rapport.PatientID]*Env
}

func (e *Engine) newBatch(tx *store.Tx) *batch {
	return &batch{e: e, tx: tx, wakes: map[int64][]string{}, envs: map[rapport.PatientID]*Env{}}
}

// wake schedules en to be woken at its WakeAt.
func (b *batch) wake(en *rapport.Enrollment) {
	m := (en.WakeAt.Unix() + 59) / 60 // round up: never wake early
	b.wakes[m] = append(b.wakes[m], en.ID)
}

// event adds a ledger event about an enrollment.
func (b *batch) event(en *rapport.Enrollment, kind rapport.EventKind, payload map[string]any) {
	p, _ := json.Marshal(payload)
	b.events = append(b.events, rapport.Event{PatientID: en.PatientID, Kind: kind, Journey: en.Journey, Campaign: en.Campaign, Payload: p})
}

// wakeBatch is how many enrollments one wake job carries.
const wakeBatch = 200

// flush writes the collected events and wake jobs.
func (b *batch) flush(ctx context.Context) error {
	if err := b.tx.AppendEvents(ctx, b.events...); err != nil {
		return err
	}
	b.events = nil
	var params []river.InsertManyParams
	for minute, ids := range b.wakes {
		for start := 0; start < len(ids); start += wakeBatch {
			opts := &river.InsertOpts{}
			if at := timeOfMinute(minute); at.After(b.tx.Now()) {
				// A job scheduled at or before now would wait for River's
				// scheduler to notice it; a due one is available at once.
				opts.ScheduledAt = at
			}
			params = append(params, river.InsertManyParams{Args: WakeArgs{IDs: ids[start:min(start+wakeBatch, len(ids))]}, InsertOpts: opts})
		}
	}
	b.wakes = map[int64][]string{}
	if len(params) == 0 {
		return nil
	}
	_, err := b.e.Queue.InsertTx(ctx, b.tx, params...)
	return err
}

// cancel ends an enrollment whose campaign was cancelled.
func (b *batch) cancel(ctx context.Context, en *rapport.Enrollment) error {
	en.Status = rapport.EnrollmentCancelled
	if err := b.tx.UpdateEnrollment(ctx, en); err != nil {
		return err
	}
	b.event(en, rapport.EventJourneyEnded, map[string]any{"step": en.Step, "reason": "campaign cancelled"})
	return nil
}
