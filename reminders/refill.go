package reminders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/selfreport"
	"github.com/rapporthq/rapport/store"
)

// Steps of refill messages: the reminder before the supply runs out and
// the "did you pick it up?" after.
const (
	RefillStep       = "refill-reminder"
	refillFollowStep = "refill-followup"
)

const (
	// RefillLead is how long before a fill's supply runs out its refill is
	// reminded: time to call the pharmacy and pick it up.
	RefillLead = 5 * 24 * time.Hour
	// refillFollow is how long after the supply ran out, with no newer
	// fill, the patient is asked whether they picked it up.
	refillFollow = 24 * time.Hour
	// refillStale: a fill that ran out longer ago is not reminded (the
	// medicine was stopped or filled elsewhere).
	refillStale = 14 * 24 * time.Hour
	// RefillEvery is how often the refill job runs by default. The stages
	// are days apart, so an hour is soon enough; it only costs a query.
	RefillEvery = time.Hour
)

// EventRefillReported is a patient's answer about a refill: payload
// {"regimen", "drug", "dispense", "answer": "picked_up"|"not_yet"}.
const EventRefillReported rapport.EventKind = "refill.reported"

var refillContent = messaging.Content{Fallback: "en", ByLang: map[string]messaging.Text{
	"en": {Body: "{org}: your {drug} may run out around {date}. Time for a refill. Reply 1 when you have picked it up, 2 if not yet."},
	"es": {Body: "{org}: su {drug} podría acabarse alrededor del {fecha}. Es hora de resurtir. Responda 1 cuando lo recoja, 2 si todavía no."},
}}

var meses = [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

var refillChoices = map[string]string{"1": "picked up", "2": "not yet"}

// RefillPlanner reminds patients of refills of their regimens' medicines,
// from the latest fill and its days of supply.
type RefillPlanner struct {
	DB       *store.DB
	Pipeline *messaging.Pipeline
	Limits   Limits
}

// Plan sends the refill messages due now and returns how many it queued.
// It reads only the regimens whose refill is due a look (a new fill, or a
// stage falling due), then parks those with no fill to judge.
func (p *RefillPlanner) Plan(ctx context.Context) (int, error) {
	total, after := 0, store.RefillCheck{}
	for {
		var n int
		var more bool
		err := p.DB.InTx(ctx, func(tx *store.Tx) (err error) {
			n, after, more, err = p.page(ctx, tx, after)
			return err
		})
		total += n
		if err != nil || ctx.Err() != nil {
			return total, err
		}
		if !more {
			return total, p.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.ParkRefills(ctx, tx.Now())
				return err
			})
		}
	}
}

func (p *RefillPlanner) page(ctx context.Context, tx *store.Tx, after store.RefillCheck) (queued int, last store.RefillCheck, more bool, err error) {
	now := tx.Now()
	fs, err := tx.Refills(ctx, now, after, pageSize)
	if err != nil || len(fs) == 0 {
		return 0, after, false, err
	}
	// A fill whose stage moved on since the regimen was last told of it.
	type pending struct {
		f      store.Refill
		runOut time.Time
		stage  int
	}
	var todo []pending
	var due, changed []*store.Regimen
	var reqs []messaging.Request
	for _, f := range fs {
		r := f.Regimen
		if r.RefillDispense != f.DispenseID { // a new fill: its own reminders
			r.RefillDispense, r.RefillStage = f.DispenseID, 0
		}
		runOut := f.RunOut()
		if stage := refillStage(r.RefillStage, runOut, now); stage != r.RefillStage {
			todo, due = append(todo, pending{f, runOut, stage}), append(due, r)
		}
	}
	sent, err := (&Planner{Limits: p.Limits}).recent(ctx, tx, due, now)
	if err != nil {
		return 0, last, false, err
	}
	for _, t := range todo {
		r := t.f.Regimen
		sched, err := Schedule(r)
		if err != nil {
			continue
		}
		today := dosing.Dose{Date: dosing.DateOf(now.In(sched.Zone)), At: now}
		if !r.RemindersRequested && sent[r.PatientID].over(p.Limits, today, sched.Zone) {
			continue // not today: tried again next hour, the stage kept
		}
		r.RefillStage = t.stage
		changed = append(changed, r)
		reqs = append(reqs, refillRequest(r, t.f.DispenseID, t.stage, t.runOut.In(sched.Zone)))
		sent[r.PatientID] = append(sent[r.PatientID], now)
	}
	if _, err := p.Pipeline.SendMany(ctx, tx, reqs); err != nil {
		return 0, last, false, err
	}
	if err := tx.UpdateRegimens(ctx, changed); err != nil {
		return 0, last, false, err
	}
	if err := tx.SetRefillChecks(ctx, refillChecks(fs, now)); err != nil {
		return 0, last, false, err
	}
	// A page shorter than pageSize may still not be the last (two fills
	// the same instant make one refill): only an empty page ends the pass.
	return len(reqs), fs[len(fs)-1].Key(), true, nil
}

// refillStage is the stage a fill running out at runOut has reached by
// now, from stage: 1 within RefillLead of running out, 2 a day after.
func refillStage(stage int, runOut, now time.Time) int {
	switch {
	case now.After(runOut.Add(refillStale)):
		return stage // long gone: nothing more
	case stage < 2 && !now.Before(runOut.Add(refillFollow)):
		return 2
	case stage < 1 && !now.Before(runOut.Add(-RefillLead)):
		return 1
	}
	return stage
}

// refillChecks says when each fill's regimen is next due a look: when its
// stage next moves; never once the follow-up went or the fill went stale.
// A fill held back by the frequency limits (its stage's time already past)
// is looked at again just after now: by the next pass, not again by this
// one, which reads on in the order regimens fell due.
func refillChecks(fs []store.Refill, now time.Time) []store.RefillCheck {
	cs := make([]store.RefillCheck, len(fs))
	for i, f := range fs {
		at := nextRefillStage(f.Regimen.RefillStage, f.RunOut(), now)
		if !at.IsZero() && !at.After(now) {
			at = now.Add(time.Microsecond) // PostgreSQL keeps microseconds
		}
		cs[i] = store.RefillCheck{RegimenID: f.Regimen.ID, At: at}
	}
	return cs
}

// nextRefillStage is when a fill at stage, running out at runOut, next
// moves on (see refillStage); zero if it never does.
func nextRefillStage(stage int, runOut, now time.Time) time.Time {
	switch {
	case now.After(runOut.Add(refillStale)):
		return time.Time{}
	case stage < 1:
		return runOut.Add(-RefillLead)
	case stage < 2:
		return runOut.Add(refillFollow)
	}
	return time.Time{}
}

// refillRequest is the message of a refill's stage.
func refillRequest(r *store.Regimen, dispense string, stage int, runOut time.Time) messaging.Request {
	drug := drugName(r)
	req := messaging.Request{PatientID: r.PatientID, Purpose: rapport.PurposeCare, Choices: refillChoices,
		Vars: map[string]string{"drug": drug, "regimen": r.ID, "dispense": dispense, "date": runOut.Format("Jan 2"),
			"fecha": fmt.Sprintf("%d de %s", runOut.Day(), meses[runOut.Month()-1])}}
	if stage == 1 {
		req.Step, req.Content = RefillStep, refillContent
		return req
	}
	req.Step = refillFollowStep
	req.Content = bilingual(func(lang string) string { return selfreport.RefillPrompt(drug, lang) })
	return req
}

// refill takes an answer to a refill message: picked up (no follow-up
// then) or not yet, in the ledger.
func (h Replies) refill(ctx context.Context, tx *store.Tx, in *rapport.Inbound, to *rapport.Message) (bool, error) {
	a, err := selfreport.ParseRefill(in.Body, to.Language)
	if errors.Is(err, selfreport.ErrNotUnderstood) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reply to refill message %s: %w", to.ID, err)
	}
	r, err := regimenOf(ctx, tx, to)
	if r == nil || err != nil {
		return false, err
	}
	if a.Kind == selfreport.PickedUp && r.RefillDispense == to.Vars["dispense"] && r.RefillStage < 2 {
		r.RefillStage = 2
		if err := tx.UpdateRegimens(ctx, []*store.Regimen{r}); err != nil {
			return false, err
		}
	}
	p, _ := json.Marshal(map[string]string{"regimen": r.ID, "drug": r.Drug.Code, "dispense": to.Vars["dispense"], "answer": string(a.Kind)})
	return true, tx.AppendEvents(ctx, rapport.Event{PatientID: to.PatientID, Kind: EventRefillReported, Channel: in.Channel, Payload: p})
}

// RefillArgs is the periodic job of refill reminders.
type RefillArgs struct{}

// Kind is the job kind.
func (RefillArgs) Kind() string { return "refill_reminders" }

// RefillWorker works RefillArgs jobs.
type RefillWorker struct {
	river.WorkerDefaults[RefillArgs]
	Planner *RefillPlanner
}

// Work sends the refill messages due.
func (w *RefillWorker) Work(ctx context.Context, _ *river.Job[RefillArgs]) error {
	_, err := w.Planner.Plan(ctx)
	return err
}

// RefillPeriodicJob runs the refill planner every interval ([RefillEvery]
// by default), once per cluster and never twice at once.
func RefillPeriodicJob(every time.Duration) *river.PeriodicJob { return periodic(every, RefillArgs{}) }
