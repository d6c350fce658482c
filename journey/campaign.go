package journey

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// LaunchArgs is the job that walks a campaign's patients, page by page,
// enrolling the segment. Each page commits with the job for the next one,
// so a crash resumes at the last committed page: nobody is skipped or
// enrolled twice.
type LaunchArgs struct {
	Campaign string `json:"campaign"`
}

// Kind is the job kind.
func (LaunchArgs) Kind() string { return "campaign_launch" }

// launchPage is how many patients one launch job looks at.
const launchPage = 1000

// CreateCampaign validates and stores a campaign and the job that will
// launch it at its start time, in one transaction.
func (e *Engine) CreateCampaign(ctx context.Context, tx *store.Tx, c *rapport.Campaign) error {
	def, err := e.Definition(c.Journey, c.Version)
	if err != nil {
		return err
	}
	if !def.Trigger.Campaign && def.Trigger.Schedule == nil {
		return rapport.Errorf(rapport.EINVALID, "journey %s is not launched by campaigns", def.ID)
	}
	c.Version = def.Version
	if _, err := CompileCondition(segmentOf(c, def)); err != nil {
		return err
	}
	if c.HoldoutPercent < 0 || c.HoldoutPercent >= 100 {
		return rapport.Errorf(rapport.EINVALID, "holdout_percent must be at least 0 and below 100")
	}
	if c.Throttle < 0 {
		return rapport.Errorf(rapport.EINVALID, "throttle_per_hour must not be negative")
	}
	if c.StartAt.IsZero() {
		c.StartAt = tx.Now()
	}
	if c.Name == "" {
		c.Name = def.Name
	}
	c.Status = rapport.CampaignScheduled
	if err := tx.CreateCampaign(ctx, c); err != nil {
		return err
	}
	if err := tx.AppendEvents(ctx, rapport.Event{Kind: rapport.EventCampaignLaunched, Journey: def.ID, Campaign: c.ID,
		Payload: jsonObject(map[string]any{"segment": segmentOf(c, def), "holdout_percent": c.HoldoutPercent, "throttle_per_hour": c.Throttle, "start_at": c.StartAt})}); err != nil {
		return err
	}
	return e.queueLaunch(ctx, tx, c)
}

func (e *Engine) queueLaunch(ctx context.Context, tx *store.Tx, c *rapport.Campaign) error {
	opts := &river.InsertOpts{}
	if c.StartAt.After(tx.Now()) {
		opts.ScheduledAt = c.StartAt
	}
	_, err := e.Queue.InsertTx(ctx, tx, river.InsertManyParams{Args: LaunchArgs{Campaign: c.ID}, InsertOpts: opts})
	return err
}

// LaunchWorker works launch jobs.
type LaunchWorker struct {
	river.WorkerDefaults[LaunchArgs]
	e *Engine
}

// NewLaunchWorker returns the worker of e's launch jobs.
func NewLaunchWorker(e *Engine) *LaunchWorker { return &LaunchWorker{e: e} }

// launchBudget is how long one launch job keeps taking pages before it
// hands over to a new job. Each page commits on its own; taking several per
// job saves the queue's poll interval between pages (1 s by default, which
// alone would make a million-patient launch of 500 pages take 500 s).
const launchBudget = 5 * time.Second

// Work enrolls pages of the campaign's segment, each in its own
// transaction, for up to launchBudget; the page it stops at queues the next
// job in its transaction. A crash mid-job loses no page: the cursor of the
// last committed page is where the rescued job resumes.
func (w *LaunchWorker) Work(ctx context.Context, job *river.Job[LaunchArgs]) error {
	if w.e.Pipeline != nil && len(w.e.Pipeline.Configured()) == 0 {
		// Launching here would mark every patient unsent for want of a
		// channel: wait for a process that has one (or for this one to be
		// configured), saying so.
		w.e.logger().Warn("campaign waits: this process has no channel configured", "campaign", job.Args.Campaign)
		return river.JobSnooze(noChannelRetry)
	}
	deadline := time.Now().Add(launchBudget) // real time: a work budget, not a domain time
	for pages := 1; ; pages++ {
		last := ctx.Err() != nil || w.e.lastLaunchPage(pages, deadline)
		var more bool
		err := w.e.DB.InTx(ctx, func(tx *store.Tx) (err error) {
			more, err = w.page(ctx, tx, job.Args.Campaign, last)
			return err
		})
		if err != nil || !more || last {
			return err
		}
	}
}

// lastLaunchPage says whether a launch job's pages-th page is its last:
// the job hands over after it.
func (e *Engine) lastLaunchPage(pages int, deadline time.Time) bool {
	if e.LaunchPages > 0 {
		return pages >= e.LaunchPages
	}
	return !time.Now().Before(deadline)
}

// noChannelRetry is how often a launch looks again for a channel.
const noChannelRetry = time.Minute

// page enrolls one page of the campaign's segment and reports whether
// pages remain; handOver queues the job for the next page.
func (w *LaunchWorker) page(ctx context.Context, tx *store.Tx, id string, handOver bool) (more bool, err error) {
	e := w.e
	err = func() error {
		c, err := tx.FindCampaignForUpdate(ctx, id)
		if err != nil {
			return err
		}
		switch c.Status {
		case rapport.CampaignPaused, rapport.CampaignCancelled, rapport.CampaignLaunched:
			return nil // resuming queues the launch again
		}
		c.Status = rapport.CampaignLaunching
		def, err := e.Definition(c.Journey, c.Version)
		if err != nil {
			return err
		}
		seg, err := CompileCondition(segmentOf(c, def))
		if err != nil {
			return err
		}
		ids, err := tx.PatientIDsAfter(ctx, c.Cursor, launchPage)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			c.Status = rapport.CampaignLaunched
			return tx.UpdateCampaign(ctx, c)
		}
		need, runDue := needsOf(segmentOf(c, def)), e.runDueAtLaunch(c)
		if runDue {
			need.contacts = true // for the first steps' messages
		}
		envs, patients, err := e.envs(ctx, tx, ids, need)
		if err != nil {
			return err
		}
		if !runDue {
			patients = nil
		}
		// A record merged into another is its survivor's: the person is enrolled once.
		merged, err := tx.Survivors(ctx, ids)
		if err != nil {
			return err
		}
		var chosen []rapport.PatientID
		var held []rapport.Event
		for _, id := range ids {
			env := envs[id]
			if _, gone := merged[id]; env == nil || gone {
				continue
			}
			ok, err := seg.Eval(env)
			if err != nil {
				// Retrying would fail the same way on every try: the
				// journey is marked broken and the campaign paused, for
				// staff to resume on a fixed version.
				e.markBroken(def, "segment")
				return e.pauseBroken(ctx, tx, c)
			}
			if !ok {
				continue
			}
			if InHoldout(c.ID, id, c.HoldoutPercent) {
				held = append(held, rapport.Event{PatientID: id, Kind: rapport.EventCampaignHoldout, Journey: c.Journey, Campaign: c.ID})
				continue
			}
			chosen = append(chosen, id)
		}
		if chosen, err = onePerPerson(ctx, tx, c.ID, chosen); err != nil {
			return err
		}
		var spread time.Duration
		if c.Throttle > 0 {
			spread = time.Hour / time.Duration(c.Throttle)
		}
		start := c.StartAt
		if now := tx.Now(); now.After(start) && spread == 0 {
			start = now.Truncate(time.Millisecond) // wake times are kept to the ms: due now, not a fraction later
		}
		ens, err := e.Enroll(ctx, tx, c.Journey, chosen, EnrollOptions{At: start.Add(time.Duration(c.Enrolled) * spread), Spread: spread,
			Campaign: c.ID, Trigger: "campaign", RunDue: runDue, Patients: patients})
		if err != nil {
			return err
		}
		if err := tx.AppendEvents(ctx, held...); err != nil {
			return err
		}
		if grewPast(c.Enrolled, c.Enrolled+len(ens)) {
			if err := tx.RefreshCampaignStats(ctx); err != nil {
				return err
			}
		}
		c.Enrolled += len(ens)
		c.HeldOut += len(held)
		c.Cursor = string(ids[len(ids)-1])
		if err := tx.UpdateCampaign(ctx, c); err != nil {
			return err
		}
		more = true
		if !handOver {
			return nil
		}
		return e.queueLaunch(ctx, tx, &rapport.Campaign{ID: c.ID}) // the next page, now
	}()
	return more, err
}

// pauseBroken pauses a campaign whose journey's segment failed at run
// time, saying why in the ledger.
func (e *Engine) pauseBroken(ctx context.Context, tx *store.Tx, c *rapport.Campaign) error {
	c.Status = rapport.CampaignPaused
	if err := tx.UpdateCampaign(ctx, c); err != nil {
		return err
	}
	return tx.AppendEvents(ctx, rapport.Event{Kind: rapport.EventCampaignStatus, Journey: c.Journey, Campaign: c.ID,
		Payload: jsonObject(map[string]any{"status": c.Status, "reason": "journey_broken", "field": "segment"})})
}

// runDueAtLaunch says whether a launch page runs its enrollments' first
// steps itself. On SQLite always: one writer does every write, so the work
// is cheapest where the page's rows are at hand (a wake job would read them
// again). On PostgreSQL only the first page, for a prompt first message:
// the later pages' steps go to wake jobs, which every worker process takes
// in parallel, while one launch job walks the pages.
func (e *Engine) runDueAtLaunch(c *rapport.Campaign) bool {
	return e.DB.Dialect() == store.SQLite || c.Cursor == ""
}

// grewPast says whether a count going from before to after crossed a power
// of two of at least 2,048: the campaign's tables doubled, and PostgreSQL's
// statistics of them are worth refreshing (on SQLite it costs nothing).
func grewPast(before, after int) bool {
	for p := 2048; p <= after; p *= 2 {
		if before < p {
			return true
		}
	}
	return false
}

// InHoldout says whether a patient is in a campaign's hold-out group: a
// stable hash of campaign and patient, the same answer every time,
// independent of the order patients are met.
func InHoldout(campaign string, pid rapport.PatientID, percent float64) bool {
	if percent <= 0 {
		return false
	}
	h := fnv.New64a()
	h.Write([]byte(campaign + "/holdout/" + string(pid)))
	return float64(h.Sum64()%10000) < percent*100
}

// segmentOf is the campaign's segment, else its journey's.
func segmentOf(c *rapport.Campaign, def *Definition) string {
	if c.Segment != "" {
		return c.Segment
	}
	return def.Segment
}

// SetCampaignStatus pauses, resumes or cancels a campaign. A cancelled
// campaign sends nothing more: its queued messages are suppressed and its
// enrollments end now.
func (e *Engine) SetCampaignStatus(ctx context.Context, tx *store.Tx, id string, status rapport.CampaignStatus) (*rapport.Campaign, error) {
	c, err := tx.FindCampaignForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status == rapport.CampaignCancelled {
		return nil, rapport.Errorf(rapport.ECONFLICT, "campaign %s is cancelled", id)
	}
	switch status {
	case rapport.CampaignPaused:
		if c.Status == rapport.CampaignPaused {
			return c, nil
		}
		c.Status = rapport.CampaignPaused
	case rapport.CampaignRunning: // resume
		if c.Status != rapport.CampaignPaused {
			return c, nil
		}
		c.Status = rapport.CampaignLaunching
		if tx.Now().Before(c.StartAt) {
			c.Status = rapport.CampaignScheduled
		}
		if err := e.queueLaunch(ctx, tx, c); err != nil { // finishes the launch if it was cut short; a no-op page otherwise
			return nil, err
		}
		if err := e.rewake(ctx, tx, c.ID); err != nil {
			return nil, err
		}
	case rapport.CampaignCancelled:
		c.Status = rapport.CampaignCancelled
		if err := e.cancelCampaign(ctx, tx, c); err != nil {
			return nil, err
		}
	default:
		return nil, rapport.Errorf(rapport.EINVALID, "status %q: want paused, running or cancelled", status)
	}
	if err := tx.UpdateCampaign(ctx, c); err != nil {
		return nil, err
	}
	return c, tx.AppendEvents(ctx, rapport.Event{Kind: rapport.EventCampaignStatus, Journey: c.Journey, Campaign: c.ID,
		Payload: jsonObject(map[string]any{"status": c.Status})})
}

// rewake schedules the live enrollments of a resumed campaign.
func (e *Engine) rewake(ctx context.Context, tx *store.Tx, campaign string) error {
	ens, err := tx.FindCampaignEnrollments(ctx, campaign)
	if err != nil {
		return err
	}
	b := e.newBatch(tx)
	for _, en := range ens {
		if en.Status == rapport.EnrollmentActive || en.Status == rapport.EnrollmentWaiting {
			if en.WakeAt.Before(tx.Now()) {
				en.WakeAt = tx.Now()
				if err := tx.UpdateEnrollment(ctx, en); err != nil {
					return err
				}
			}
			b.wake(en)
		}
	}
	return b.flush(ctx)
}

// cancelCampaign suppresses the campaign's queued messages and ends its enrollments.
func (e *Engine) cancelCampaign(ctx context.Context, tx *store.Tx, c *rapport.Campaign) error {
	ms, err := tx.QueuedCampaignMessages(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := e.Pipeline.Suppress(ctx, tx, ms, "campaign cancelled"); err != nil {
		return err
	}
	ens, err := tx.FindCampaignEnrollments(ctx, c.ID)
	if err != nil {
		return err
	}
	b := e.newBatch(tx)
	for _, en := range ens {
		if en.Status == rapport.EnrollmentActive || en.Status == rapport.EnrollmentWaiting {
			b.cancel(en)
		}
	}
	return b.flush(ctx)
}

func jsonObject(m map[string]any) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("journey: %v", err))
	}
	return b
}
