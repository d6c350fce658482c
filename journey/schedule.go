package journey

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// ScheduleArgs is the job that launches a scheduled journey once and
// queues its next launch, one interval later.
type ScheduleArgs struct {
	Journey string `json:"journey"`
}

// Kind is the job kind.
func (ScheduleArgs) Kind() string { return "journey_schedule" }

// scheduleOpts makes one live schedule job per journey, whatever the
// number of processes that start.
func scheduleOpts(at time.Time) *river.InsertOpts {
	return &river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
}

// ScheduleWorker works schedule jobs.
type ScheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	e *Engine
}

// NewScheduleWorker returns the worker of e's schedule jobs.
func NewScheduleWorker(e *Engine) *ScheduleWorker { return &ScheduleWorker{e: e} }

// Work launches the journey over its segment as a campaign of its own and
// queues the next launch, completing itself in the same transaction. A
// journey no longer scheduled (a new version without the trigger) stops.
func (w *ScheduleWorker) Work(ctx context.Context, job *river.Job[ScheduleArgs]) error {
	e := w.e
	def, err := e.Definition(job.Args.Journey, 0)
	if rapport.ErrorCode(err) == rapport.ENOTFOUND || (err == nil && def.Trigger.Schedule == nil) {
		return nil
	} else if err != nil {
		return err
	}
	return e.DB.InTx(ctx, func(tx *store.Tx) error {
		c := &rapport.Campaign{Journey: def.ID, Name: def.Name + " (scheduled " + tx.Now().Format("2006-01-02") + ")",
			HoldoutPercent: def.Trigger.Schedule.HoldoutPercent, StartAt: tx.Now()}
		if err := e.CreateCampaign(ctx, tx, c); err != nil {
			return err
		}
		if err := completeTx(ctx, tx, job); err != nil {
			return err
		}
		next := tx.Now().Add(def.Trigger.Schedule.Every.D())
		_, err := e.Queue.InsertTx(ctx, tx, river.InsertManyParams{Args: ScheduleArgs{Journey: def.ID}, InsertOpts: scheduleOpts(next)})
		return err
	})
}
