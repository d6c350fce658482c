package journey

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

// TriggerArgs is the job that enrolls patients in journeys triggered by
// events: it reads the ledger after its cursor, enrolls, and replaces
// itself with the job for the next events, all in one transaction. There
// is one such job at a time (a unique job), so no event is read twice.
type TriggerArgs struct {
	// After is the ledger seq of the last event handled.
	After int64 `json:"after"`
}

// Kind is the job kind.
func (TriggerArgs) Kind() string { return "journey_triggers" }

const (
	// triggerPage is how many events one job reads.
	triggerPage = 500
	// triggerEvery is how long an idle trigger job waits before it looks again.
	triggerEvery = time.Minute
	// triggerLag is how old an event must be before it is read: on
	// PostgreSQL a transaction that began earlier may commit events with
	// lower seqs after later ones; waiting for them keeps the cursor honest.
	triggerLag = 5 * time.Minute
	// triggerMaxAge ignores older events (a first start over an old ledger).
	triggerMaxAge = 14 * 24 * time.Hour
	// triggerMaxLate skips an enrollment whose start (fact + delay) is
	// this far in the past: a check-in three weeks late helps nobody.
	triggerMaxLate = 7 * 24 * time.Hour
)

// triggerKinds are the ledger events that can trigger journeys.
var triggerKinds = []rapport.EventKind{rapport.EventRecordCreated, rapport.EventRecordUpdated, rapport.EventContactStatus}

// triggerOpts makes the trigger job unique among live jobs.
func triggerOpts(at time.Time) *river.InsertOpts {
	return &river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
}

// StartTriggers makes sure the trigger job exists: it inserts the first
// one unless one is already queued, scheduled or running (a second process,
// a restart). Call it before the queue starts working.
func (e *Engine) StartTriggers(ctx context.Context) error {
	if _, err := e.Queue.Insert(ctx, river.InsertManyParams{Args: TriggerArgs{}, InsertOpts: triggerOpts(time.Time{})}); err != nil {
		return fmt.Errorf("start journey triggers: %w", err)
	}
	return nil
}

// TriggerWorker works trigger jobs.
type TriggerWorker struct {
	river.WorkerDefaults[TriggerArgs]
	e *Engine
}

// NewTriggerWorker returns the worker of e's trigger jobs.
func NewTriggerWorker(e *Engine) *TriggerWorker { return &TriggerWorker{e: e} }

// Work handles the next page of events, completes itself and queues the
// next trigger job in the same transaction.
func (w *TriggerWorker) Work(ctx context.Context, job *river.Job[TriggerArgs]) error {
	e := w.e
	return e.DB.InTx(ctx, func(tx *store.Tx) error {
		now := tx.Now()
		evs, err := tx.TriggerEvents(ctx, job.Args.After, triggerKinds, now.Add(-triggerLag), triggerPage)
		if err != nil {
			return err
		}
		b := e.newBatch(tx)
		wanted := e.wantedTriggers()
		if b.records, err = triggerRecords(ctx, tx, wanted, evs); err != nil {
			return err
		}
		for _, ev := range evs {
			if ev.At.Before(now.Add(-triggerMaxAge)) {
				continue
			}
			if err := e.trigger(ctx, b, wanted, ev); err != nil {
				return fmt.Errorf("trigger on event %d: %w", ev.Seq, err)
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		next := TriggerArgs{After: job.Args.After}
		at := now.Add(triggerEvery)
		if len(evs) > 0 {
			next.After = evs[len(evs)-1].Seq
		}
		if len(evs) == triggerPage {
			at = now // more to read
		}
		if err := completeTx(ctx, tx, job); err != nil {
			return err
		}
		_, err = e.Queue.InsertTx(ctx, tx, river.InsertManyParams{Args: next, InsertOpts: triggerOpts(at)})
		return err
	})
}

// completeTx marks the job completed inside tx, so that the job and the
// one replacing it change hands atomically.
func completeTx[T river.JobArgs](ctx context.Context, tx *store.Tx, job *river.Job[T]) error {
	var err error
	if tx.PgxTx() != nil {
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx.PgxTx(), job)
	} else {
		_, err = river.JobCompleteTx[*riversqlite.Driver](ctx, tx.SQLTx(), job)
	}
	if err != nil {
		return fmt.Errorf("complete %s job: %w", job.Kind, err)
	}
	return nil
}

// importPayload is the payload of the importer's record events.
type importPayload struct {
	Type   string `json:"type"`
	Source string `json:"source"`
	ID     string `json:"id"`
}

// contactPayload is the payload of contact.status_changed.
type contactPayload struct {
	ContactID string `json:"contact_id"`
	Kind      string `json:"kind"`
	To        string `json:"to"`
	Reason    string `json:"reason"`
}

// lostPhone reports whether a delivery failure marked a phone number dead
// or wrong. A number the patient said is wrong already gives staff a task
// in contact-reverify.
func (p contactPayload) lostPhone() bool {
	return p.Kind == string(rapport.ContactPhone) && (p.To == string(rapport.StatusUnreachable) || p.To == string(rapport.StatusInvalid)) &&
		messaging.IsFailureEvidence(p.Reason)
}

// noUsablePhone reports whether the patient has no phone number left that
// a text or call may be tried on.
func noUsablePhone(ctx context.Context, tx *store.Tx, pid rapport.PatientID) (bool, error) {
	pt, err := tx.FindPatientByID(ctx, pid)
	if store.IsNotFound(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	for i := range pt.Contacts {
		if c := &pt.Contacts[i]; c.Kind == rapport.ContactPhone && c.Usable() {
			return false, nil
		}
	}
	return true, nil
}

// recordTriggers is the trigger kind each clinical record type may fire.
var recordTriggers = map[string]string{"Encounter": "encounter.finished", "Appointment": "appointment.finished", "MedicationDispense": "dispense.recorded"}

// wantedTriggers is the set of event trigger kinds some working journey
// listens for. An import of a population puts a ledger event for every
// record (most of them dispenses and encounters); looking each record up
// when no journey could fire on it made the trigger job most of the demo's
// work.
func (e *Engine) wantedTriggers() map[string]bool {
	wanted := map[string]bool{}
	for _, def := range e.Journeys() {
		if t := def.Trigger.Event; t != nil && !e.isBroken(def) {
			wanted[t.Kind] = true
		}
	}
	return wanted
}

// recordRef names a clinical record as an import event does.
type recordRef struct{ source, typ, id string }

// triggerRecords loads, one query per source and type, the records that
// the page's import events name and some journey may fire on.
func triggerRecords(ctx context.Context, tx *store.Tx, wanted map[string]bool, evs []rapport.Event) (map[recordRef]store.TriggerRecord, error) {
	type group struct{ source, typ string }
	ids := map[group][]string{}
	for _, ev := range evs {
		if ev.PatientID == "" || (ev.Kind != rapport.EventRecordCreated && ev.Kind != rapport.EventRecordUpdated) {
			continue
		}
		var p importPayload
		if json.Unmarshal(ev.Payload, &p) != nil || !wanted[recordTriggers[p.Type]] {
			continue
		}
		g := group{p.Source, p.Type}
		ids[g] = append(ids[g], p.ID)
	}
	out := map[recordRef]store.TriggerRecord{}
	for g, list := range ids {
		rs, err := tx.FindTriggerRecords(ctx, g.source, g.typ, list)
		if err != nil {
			return nil, err
		}
		for id, r := range rs {
			out[recordRef{g.source, g.typ, id}] = r
		}
	}
	return out, nil
}

// trigger enrolls the event's patient in the journeys it triggers; wanted
// (from wantedTriggers) lets it skip the lookups of kinds nobody listens for.
func (e *Engine) trigger(ctx context.Context, b *batch, wanted map[string]bool, ev rapport.Event) error {
	if ev.PatientID == "" {
		return nil
	}
	var kind string
	at := ev.At // when the fact happened
	vars := map[string]string{}
	switch ev.Kind {
	case rapport.EventContactStatus:
		var p contactPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		switch {
		case p.To == string(rapport.StatusStale):
			kind = "contact.stale"
		case p.lostPhone() && wanted["contact.lost"]:
			lost, err := noUsablePhone(ctx, b.tx, ev.PatientID)
			if err != nil || !lost {
				return err
			}
			kind = "contact.lost"
		default:
			return nil
		}
		vars["contact_id"] = p.ContactID
	case rapport.EventRecordCreated, rapport.EventRecordUpdated:
		var p importPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		switch p.Type {
		case "Patient":
			if ev.Kind != rapport.EventRecordCreated {
				return nil
			}
			kind = "patient.imported"
		case "Encounter", "Appointment", "MedicationDispense":
			if !wanted[recordTriggers[p.Type]] {
				return nil
			}
			r, ok := b.records[recordRef{p.Source, p.Type, p.ID}]
			if !ok {
				return nil // not imported (or since replaced): nothing to trigger on
			}
			if r.At.IsZero() || r.At.After(b.tx.Now()) {
				return nil
			}
			switch {
			case p.Type == "Encounter" && r.Status == "finished":
				kind = "encounter.finished"
			case p.Type == "Appointment" && (r.Status == "fulfilled" || r.Status == "finished"):
				kind = "appointment.finished"
			case p.Type == "MedicationDispense" && r.Status == "completed":
				kind = "dispense.recorded"
			default:
				return nil
			}
			at, vars["record_id"] = r.At, r.EntityID
		default:
			return nil
		}
	default:
		return nil
	}
	if at.Before(b.tx.Now().Add(-triggerMaxAge)) {
		return nil
	}
	for _, def := range e.Journeys() {
		t := def.Trigger.Event
		if t == nil || t.Kind != kind || e.isBroken(def) {
			continue
		}
		start := at.Add(e.scaled(t.Delay.D()))
		if start.Before(b.tx.Now().Add(-triggerMaxLate)) {
			continue
		}
		if err := e.enrollTriggered(ctx, b, def, ev.PatientID, at, start, vars); err != nil {
			return err
		}
	}
	return nil
}

// enrollTriggered enrolls a patient in an event-triggered journey when its
// segment and where hold, unless an enrollment made since the fact (at)
// shows the trigger already fired for it.
func (e *Engine) enrollTriggered(ctx context.Context, b *batch, def *Definition, pid rapport.PatientID, at, start time.Time, vars map[string]string) error {
	done, err := b.tx.EnrolledSince(ctx, def.ID, []rapport.PatientID{pid}, at)
	if err != nil || done[pid] {
		return err
	}
	if dup, err := partnerEnrolledSince(ctx, b.tx, def.ID, pid, at); err != nil || dup {
		return err
	}
	env, err := b.env(ctx, pid)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	for _, x := range []struct{ field, src string }{{"segment", def.Segment}, {"trigger.event.where", def.Trigger.Event.Where}} {
		cond, err := CompileCondition(x.src)
		if err != nil {
			e.markBroken(def, x.field)
			return nil
		}
		ok, err := cond.Eval(env)
		if err != nil {
			// One journey's bad expression must not stall every trigger:
			// it is marked broken and the others go on.
			e.markBroken(def, x.field)
			return nil
		}
		if !ok {
			return nil
		}
	}
	if now := b.tx.Now(); start.Before(now) {
		start = now
	}
	_, err = e.enroll(ctx, b, def.ID, []rapport.PatientID{pid}, EnrollOptions{At: start, Trigger: def.Trigger.Event.Kind, Vars: vars})
	return err
}
