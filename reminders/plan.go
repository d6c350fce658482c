package reminders

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/dosing"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/store"
)

const (
	// Lead is how long before its dose a reminder is planned: the job runs
	// every 30 s, so every reminder is queued a minute or more ahead.
	Lead = 90 * time.Second
	// Every is how often the planning job runs: when nothing is due it
	// costs one indexed query.
	Every = 30 * time.Second
	// Deadline is how late a reminder may still go: quiet hours that
	// would hold a prescriber-timed reminder longer drop it, and a dose
	// found this late (the servers were down) is skipped.
	Deadline = 2 * time.Hour
	// pageSize is how many regimens one transaction plans.
	pageSize = 1000
)

// Limits bound reminders a patient did not ask for: at most PerDay in any
// 24 hours and PerWeek in any 7 days; zero is no limit.
type Limits struct{ PerDay, PerWeek int }

// DefaultLimits are the FCC's limits on exempted healthcare messages.
func DefaultLimits() Limits { return Limits{PerDay: 1, PerWeek: 3} }

// Planner plans due reminders through the pipeline.
type Planner struct {
	DB       *store.DB
	Pipeline *messaging.Pipeline
	Limits   Limits
}

// Plan plans every reminder due within Lead, page by page, and returns
// how many it queued.
func (p *Planner) Plan(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		var more bool
		err := p.DB.InTx(ctx, func(tx *store.Tx) (err error) {
			n, more, err = p.page(ctx, tx)
			return err
		})
		total += n
		if err != nil || !more || ctx.Err() != nil {
			return total, err
		}
	}
}

// page plans one page of due regimens in tx.
func (p *Planner) page(ctx context.Context, tx *store.Tx) (queued int, more bool, err error) {
	now := tx.Now()
	due, err := tx.DueRegimens(ctx, now.Add(Lead), pageSize)
	if err != nil {
		return 0, false, err
	}
	sent, err := p.recent(ctx, tx, due, now)
	if err != nil {
		return 0, false, err
	}
	var reqs []messaging.Request
	var skips []rapport.Event
	for _, r := range due {
		sched, err := Schedule(r)
		if err != nil { // written by this package: a broken one stops, said in the ledger
			r.Status, r.NextDueAt = store.RegimenStopped, time.Time{}
			skips = append(skips, regimenEvent(r, EventReminderSkipped, map[string]any{"reason": "schedule unreadable"}))
			continue
		}
		d, ok := sched.NextDose(r.NextDueAt.Add(-time.Nanosecond))
		switch {
		case !ok:
		case d.At.Before(now.Add(-Deadline)):
			skips = append(skips, regimenEvent(r, EventReminderSkipped, map[string]any{"reason": "late", "dose": d.Key}))
		case !r.RemindersRequested && sent[r.PatientID].over(p.Limits, d, sched.Zone):
			skips = append(skips, regimenEvent(r, EventReminderSkipped, map[string]any{"reason": "limit", "dose": d.Key}))
		default:
			reqs = append(reqs, request(r, d))
			if !checkinDue(r, d.At).IsZero() {
				reqs = append(reqs, checkin(r, d))
			}
			sent[r.PatientID] = append(sent[r.PatientID], d.At)
		}
		if ok {
			r.LastDoseKey, r.LastDoseAt = d.ReminderKey(), d.At
			err = save(r, sched, d.At)
		} else {
			err = save(r, sched, now)
		}
		if err != nil {
			return 0, false, err
		}
	}
	if _, err := p.Pipeline.SendMany(ctx, tx, reqs); err != nil {
		return 0, false, err
	}
	if err := tx.UpdateRegimens(ctx, due); err != nil {
		return 0, false, err
	}
	return len(reqs), len(due) == pageSize, tx.AppendEvents(ctx, skips...)
}

// request is the reminder of dose d.
func request(r *store.Regimen, d dosing.Dose) messaging.Request {
	drug := r.Drug.Display
	if drug == "" {
		drug = "medicine"
	}
	return messaging.Request{PatientID: r.PatientID, Purpose: rapport.PurposeCare, Content: reminderContent,
		Vars: map[string]string{"drug": drug, "regimen": r.ID, "dose": d.Key}, NotBefore: d.At, Deadline: d.At.Add(Deadline),
		PatientTimed: d.PatientChosen, Step: Step}
}

// limitedSteps are the messages the limits count: what a patient who did
// not ask for reminders may get (check-ins need a patient who asked).
var limitedSteps = []string{Step, RefillStep, refillFollowStep}

// history is when a patient's recent reminders go, as the limits count.
type history []time.Time

// over says whether a reminder at d would pass the limits: PerDay on d's
// local day, PerWeek over the seven local days ending on it.
func (h history) over(l Limits, d dosing.Dose, loc *time.Location) bool {
	day, week := 0, 0
	for _, t := range h {
		ago := d.Date.DaysSince(dosing.DateOf(t.In(loc)))
		if ago == 0 {
			day++
		}
		if ago >= 0 && ago < 7 {
			week++
		}
	}
	return (l.PerDay > 0 && day >= l.PerDay) || (l.PerWeek > 0 && week >= l.PerWeek)
}

// recent finds when the limited patients among due had reminders in the
// last eight days.
func (p *Planner) recent(ctx context.Context, tx *store.Tx, due []*store.Regimen, now time.Time) (map[rapport.PatientID]history, error) {
	out := map[rapport.PatientID]history{}
	var pids []rapport.PatientID
	for _, r := range due {
		if !r.RemindersRequested {
			pids = append(pids, r.PatientID)
		}
	}
	if len(pids) == 0 || (p.Limits == Limits{}) {
		return out, nil
	}
	times, err := tx.ReminderTimes(ctx, limitedSteps, pids, now.Add(-8*24*time.Hour))
	for pid, ts := range times {
		out[pid] = ts
	}
	return out, err
}

// PlanArgs is the periodic job that plans reminders.
type PlanArgs struct{}

// Kind is the job kind.
func (PlanArgs) Kind() string { return "dose_reminders" }

// PlanWorker works PlanArgs jobs.
type PlanWorker struct {
	river.WorkerDefaults[PlanArgs]
	Planner *Planner
}

// Work plans the due reminders.
func (w *PlanWorker) Work(ctx context.Context, _ *river.Job[PlanArgs]) error {
	_, err := w.Planner.Plan(ctx)
	return err
}

// PeriodicJob runs the planner every 30 s, once per cluster, and never
// twice at once: a run still going when the next is due is not joined by
// another that would read the same regimens.
func PeriodicJob() *river.PeriodicJob { return periodic(Every, PlanArgs{}) }

// periodic runs args' job every interval, once per cluster (River's
// leader), first at start, and never two at once (unique while live).
func periodic(every time.Duration, args river.JobArgs) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{rivertype.JobStateAvailable,
			rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
	}, &river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true})
}
