package demo

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/journeys"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/messaging/rules"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/sim/behaviour"
	"github.com/rapporthq/rapport/sim/population"
	"github.com/rapporthq/rapport/store"
)

// Senders' addresses in the demo.
const (
	ClinicNumber = "+15125550199"
	ClinicEmail  = "care@valley-clinic.example"
	ClinicName   = "Valley Clinic"
	ClinicPhone  = "+15125550100"
)

// world is one strategy's run: the real components on their own database,
// with a manual clock and the simulator as every channel's provider.
type world struct {
	cfg      Config
	strategy string
	start    time.Time
	clock    *rapport.ManualClock
	db       *store.DB
	q        *jobs.Queue
	p        *messaging.Pipeline
	e        *journey.Engine
	model    *behaviour.Model
	ehr      *importer.Importer
	track    *tracker
	steps    int
	// refills plans refill reminders (rapport's strategy only); nextRefills
	// is when it runs next.
	refills     *reminders.RefillPlanner
	nextRefills time.Time
	// ids gives new patients, their records and the campaign their ids.
	ids *seededIDs
}

// outcome is what one strategy's run produced.
type outcome struct {
	report    *metrics.Report
	adherence []PDCGroup
	started   int // regimens started
	campaign  string
	stats     behaviour.Stats
	steps     int
}

// run launches the strategy's campaign, simulates the days and computes
// the campaign's report.
func (w *world) run(ctx context.Context) (*outcome, error) {
	// Event-triggered journeys (the post-visit check-in) run as in
	// production: visits imported during the run enroll patients.
	if err := w.e.StartTriggers(ctx); err != nil {
		return nil, fmt.Errorf("demo %s: %w", w.strategy, err)
	}
	// The simulation holds the jobs back until it has fed the first step.
	w.track.hold()
	if err := w.q.Start(ctx); err != nil {
		w.track.let()
		return nil, fmt.Errorf("demo %s: %w", w.strategy, err)
	}
	defer w.q.Stop(context.WithoutCancel(ctx))
	defer w.track.let() // before Stop, which waits for held jobs
	// Both strategies' campaigns take the same seeded id, so they hold out
	// the same patients.
	c := &rapport.Campaign{ID: newSeededIDs(w.cfg.Seed, 2).next(), Journey: strategyJourney[w.strategy], Segment: w.cfg.Segment, HoldoutPercent: w.cfg.HoldoutPercent, StartAt: w.start}
	if err := w.db.InTx(ctx, func(tx *store.Tx) error { return w.e.CreateCampaign(ctx, tx, c) }); err != nil {
		return nil, fmt.Errorf("demo %s: launch campaign: %w", w.strategy, err)
	}
	started := 0
	if w.strategy == StrategyRapport {
		var err error
		if started, err = w.startReminders(ctx, c.ID); err != nil {
			return nil, fmt.Errorf("demo %s: %w", w.strategy, err)
		}
		w.refills = &reminders.RefillPlanner{DB: w.db, Pipeline: w.p, Limits: reminders.DefaultLimits()}
	}
	end := w.start.Add(time.Duration(w.cfg.Days) * 24 * time.Hour)
	t0 := time.Now()
	if err := w.simulate(ctx, end); err != nil {
		return nil, fmt.Errorf("demo %s: %w", w.strategy, err)
	}
	t1 := time.Now()
	rep, err := metrics.Compute(ctx, w.db, metrics.Filter{Campaign: c.ID, From: w.start, To: end.Add(time.Minute),
		QuietHours: w.p.Policy.Quiet, OrgTimeZone: w.cfg.OrgTimeZone})
	if err != nil {
		return nil, fmt.Errorf("demo %s: %w", w.strategy, err)
	}
	adh, err := w.measureAdherence(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("demo %s: %w", w.strategy, err)
	}
	w.cfg.Logger.Debug("simulated", "strategy", w.strategy, "steps", w.steps, "simulate", t1.Sub(t0), "metrics", time.Since(t1))
	return &outcome{report: rep, adherence: adh, started: started, campaign: c.ID, stats: w.model.Stats(), steps: w.steps}, nil
}

// launchPages is how many pages of 1,000 patients a launch job of the
// demo enrolls before it hands over, whatever the machine's speed (serve
// hands over after 5 s).
const launchPages = 10

// newWorld opens and migrates the database and wires the components as
// `rapport serve` does (cmd/rapport/app.go), with the simulator as the
// provider of SMS, voice and email.
func newWorld(ctx context.Context, cfg Config, strategy, dsn string, a arm, start time.Time) (*world, error) {
	w := &world{cfg: cfg, strategy: strategy, start: start, clock: a.clock, model: a.model, ids: newSeededIDs(cfg.Seed, 1)}
	db, err := store.Open(ctx, dsn, w.clock)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			db.Close()
		}
	}()
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		return nil, err
	}
	w.db = db
	sim := simulator.New()
	sim.Behave, sim.Forget = w.model.Behave, true
	pol := messaging.DefaultPolicy()
	pol.Quiet, pol.OrgTimeZone = rules.DefaultWindow, cfg.OrgTimeZone
	// One message at a time within a send job: the model's people answer
	// by what they received before, so two messages to one person must
	// reach it in the same order in every run.
	w.p = &messaging.Pipeline{DB: db, Clock: w.clock, Policy: pol, Keywords: rules.DefaultCatalogue(), Concurrency: 1,
		Org: messaging.Org{Name: ClinicName, Phone: ClinicPhone}, Logger: cfg.Logger,
		Senders: map[rapport.Channel]*messaging.Sender{
			rapport.ChannelSMS:   {Sender: sim, From: ClinicNumber},
			rapport.ChannelVoice: {Sender: sim, From: ClinicNumber},
			rapport.ChannelEmail: {Sender: sim, From: ClinicEmail},
		}}
	workers := river.NewWorkers()
	// River's own log stays quiet: under a manual clock its producer
	// reports queue settings it looks up by wall-clock intervals as
	// missing, which is noise here. TestOnly trims River's start-up jitter.
	// One job at a time: jobs at work together would reach a person, the
	// ledger and the behaviour model in whichever order they finish, and
	// the same seed must give the same report.
	if w.q, err = jobs.New(db, jobs.Config{Workers: workers, MaxWorkers: 1, PollInterval: time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), TestOnly: true}); err != nil {
		return nil, err
	}
	w.p.Queue = w.q
	w.e = &journey.Engine{DB: db, Queue: w.q, Pipeline: w.p, Clock: w.clock, LaunchPages: launchPages}
	// Answers to refill reminders ("1" picked up) go to reminders, the
	// rest on to the journeys, as in `rapport serve`.
	w.p.Replies = reminders.Replies{Pipeline: w.p, Next: w.e}
	defs, err := journeys.Load()
	if err != nil {
		return nil, err
	}
	if err := w.e.Register(ctx, defs...); err != nil {
		return nil, err
	}
	w.track = newTracker()
	addTracked(workers, w.track, messaging.NewSendWorker(w.p))
	addTracked(workers, w.track, messaging.NewProcessWorker(w.p))
	addTracked(workers, w.track, journey.NewWakeWorker(w.e))
	addTracked(workers, w.track, journey.NewLaunchWorker(w.e))
	addTracked(workers, w.track, journey.NewTriggerWorker(w.e))
	w.ehr = &importer.Importer{DB: db, Source: "ehr", NewIDFunc: w.ids.next}
	ok = true
	return w, nil
}

// importPopulation imports the EHR's FHIR export, then the CRM's CSV.
func (w *world) importPopulation(ctx context.Context, dir string) error {
	t0 := time.Now()
	if _, err := w.ehr.ImportFHIR(ctx, filepath.Join(dir, population.FHIRDir)); err != nil {
		return fmt.Errorf("import fhir: %w", err)
	}
	w.cfg.Logger.Debug("imported the EHR's export", "strategy", w.strategy, "elapsed", time.Since(t0))
	t1 := time.Now()
	m, err := csvimport.LoadMapping(filepath.Join(dir, population.MappingFile))
	if err != nil {
		return err
	}
	crm := &importer.Importer{DB: w.db, Source: "crm", NewIDFunc: w.ids.next}
	if _, err := crm.ImportCSV(ctx, filepath.Join(dir, population.CRMFile), m); err != nil {
		return fmt.Errorf("import crm: %w", err)
	}
	w.cfg.Logger.Debug("imported the CRM's rows", "strategy", w.strategy, "elapsed", time.Since(t1))
	return nil
}
