package journey

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// WakeArgs is the job that wakes enrollments whose time has come: to run
// their next step, or to end a wait that no reply ended.
type WakeArgs struct {
	IDs []string `json:"ids"`
	// Due holds, beside each id, the wake time (unix ms) the job was
	// scheduled for. Jobs from before it was added have none.
	Due []int64 `json:"due,omitempty"`
}

func wakeArgs(ds []due) WakeArgs {
	a := WakeArgs{IDs: make([]string, len(ds)), Due: make([]int64, len(ds))}
	for i, d := range ds {
		a.IDs[i], a.Due[i] = d.id, d.at
	}
	return a
}

// dueOf maps each enrollment id of the job to its due time.
func (a WakeArgs) dueOf() map[string]int64 {
	m := make(map[string]int64, len(a.Due))
	for i, at := range a.Due {
		if i < len(a.IDs) {
			m[a.IDs[i]] = at
		}
	}
	return m
}

// Kind is the job kind.
func (WakeArgs) Kind() string { return "journey_wake" }

// WakeWorker works wake jobs.
type WakeWorker struct {
	river.WorkerDefaults[WakeArgs]
	e *Engine
}

// NewWakeWorker returns the worker of e's wake jobs.
func NewWakeWorker(e *Engine) *WakeWorker { return &WakeWorker{e: e} }

// Work advances the job's enrollments that are due. An enrollment a reply
// already moved on has another wake time and is left alone, so stale jobs
// are harmless. One the job reached early (the queue's clock ahead of the
// store's) is scheduled again, never dropped.
func (w *WakeWorker) Work(ctx context.Context, job *river.Job[WakeArgs]) error {
	return w.e.DB.InTx(ctx, func(tx *store.Tx) error {
		b := w.e.newBatch(tx)
		ens, err := tx.FindEnrollmentsByID(ctx, job.Args.IDs)
		if err != nil {
			return err
		}
		campaigns := map[string]bool{}
		for _, en := range ens {
			if en.Campaign != "" {
				campaigns[en.Campaign] = true
			}
		}
		ids := make([]string, 0, len(campaigns))
		for id := range campaigns {
			ids = append(ids, id)
		}
		statuses, err := tx.CampaignStatuses(ctx, ids)
		if err != nil {
			return err
		}
		if err := b.prefetch(ctx, ens); err != nil {
			return err
		}
		dues := job.Args.dueOf()
		for _, en := range ens {
			if en.Status != rapport.EnrollmentActive && en.Status != rapport.EnrollmentWaiting {
				continue
			}
			if at, ok := dues[en.ID]; ok && at != wakeMillis(en.WakeAt) {
				continue // stale: another job carries its wake time
			}
			if en.WakeAt.After(tx.Now()) {
				if _, ok := dues[en.ID]; ok {
					b.wake(en) // early: again at its time
				}
				continue
			}
			switch statuses[en.Campaign] {
			case rapport.CampaignCancelled:
				b.cancel(en)
				continue
			case rapport.CampaignPaused:
				en.WakeAt = tx.Now().Add(time.Hour) // looked at again hourly until resumed
				if err := tx.UpdateEnrollment(ctx, en); err != nil {
					return err
				}
				b.wake(en)
				continue
			}
			if err := b.run(ctx, en, signal{timeout: en.Status == rapport.EnrollmentWaiting}); err != nil {
				return err
			}
		}
		return b.flush(ctx)
	})
}

// Timeout bounds one wake job. It is short because it is also how long a
// job whose worker died waits to be rescued (River rescues a job only once
// both the queue's rescue-after and the job's timeout passed): a killed
// worker's wake job must not leave its 200 enrollments asleep for long. A
// job that runs out of time rolls back and is retried.
func (w *WakeWorker) Timeout(*river.Job[WakeArgs]) time.Duration { return wakeTimeout }

const wakeTimeout = time.Minute
