package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/channel/simulator"
	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/jobs"
	"github.com/rapporthq/rapport/journey"
	"github.com/rapporthq/rapport/journeys"
	"github.com/rapporthq/rapport/linelookup"
	"github.com/rapporthq/rapport/messaging"
	"github.com/rapporthq/rapport/readings"
	"github.com/rapporthq/rapport/reminders"
	"github.com/rapporthq/rapport/store"
)

// App is the wired set of components one process runs: the database, the
// job queue and what the workers need. serve, worker and demo build it.
type App struct {
	Config   Config
	Clock    rapport.Clock
	Logger   *slog.Logger
	DB       *store.DB
	Queue    *jobs.Queue
	Registry *prometheus.Registry
	Importer *importer.Importer
	Pipeline *messaging.Pipeline
	Journeys *journey.Engine
	// Getenv reads the environment the process was started with.
	Getenv func(string) string
	// simulated are the simulated patients of --channels simulator; nil
	// with real providers.
	simulated *simulator.Patients
}

// openDB opens and migrates the configured database (and the job tables).
func openDB(ctx context.Context, cfg Config, clock rapport.Clock) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DB, clock)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// newApp checks the configuration, opens the database and builds the
// queue with every worker.
func newApp(ctx context.Context, cfg Config, env *Env) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Clock: env.Clock, Logger: cfg.logger(env), Registry: prometheus.NewRegistry(), Getenv: env.Getenv}
	db, err := openDB(ctx, cfg, env.Clock)
	if err != nil {
		return nil, err
	}
	a.DB = db
	a.Importer = &importer.Importer{DB: db, Source: "api"}
	// The pipeline and the queue need each other: the pipeline enqueues,
	// the queue's workers run the pipeline.
	workers := river.NewWorkers()
	a.Queue, err = jobs.New(db, jobs.Config{Workers: workers, MaxWorkers: cfg.Workers, Logger: a.Logger, RescueAfter: cfg.RescueAfter,
		Periodic: cfg.periodic()})
	if err != nil {
		db.Close()
		return nil, err
	}
	if a.Pipeline, err = a.pipeline(env); err != nil {
		db.Close()
		return nil, err
	}
	a.Journeys = &journey.Engine{DB: db, Queue: a.Queue, Pipeline: a.Pipeline, Clock: a.Clock, TimeScale: cfg.TimeScale, Logger: a.Logger}
	// A reply to a dose reminder may move it; a reading ("142/90") is
	// recorded; every other reply is the journeys'.
	a.Pipeline.Replies = reminders.Replies{Pipeline: a.Pipeline, Next: readings.Replies{Pipeline: a.Pipeline, Next: a.Journeys}}
	// Workers first: registering journeys may queue their schedule jobs.
	river.AddWorker(workers, importer.NewUploadWorker(db, a.Importer))
	river.AddWorker(workers, messaging.NewSendWorker(a.Pipeline))
	river.AddWorker(workers, messaging.NewProcessWorker(a.Pipeline))
	river.AddWorker(workers, journey.NewWakeWorker(a.Journeys))
	river.AddWorker(workers, journey.NewLaunchWorker(a.Journeys))
	river.AddWorker(workers, journey.NewTriggerWorker(a.Journeys))
	river.AddWorker(workers, journey.NewScheduleWorker(a.Journeys))
	river.AddWorker(workers, hygiene.NewRunWorker(a.hygieneDeps(), a.Clock))
	limits, _ := reminders.ParseLimits(cfg.ReminderLimits) // validated with the flags
	river.AddWorker(workers, &reminders.PlanWorker{Planner: &reminders.Planner{DB: db, Pipeline: a.Pipeline, Limits: limits}})
	river.AddWorker(workers, &reminders.RefillWorker{Planner: &reminders.RefillPlanner{DB: db, Pipeline: a.Pipeline, Limits: limits}})
	lookups, err := a.lookupRunner(env.Getenv)
	if err != nil {
		db.Close()
		return nil, err
	}
	river.AddWorker(workers, linelookup.NewRunWorker(lookups, a.Clock, a.Logger))
	if err := a.loadJourneys(ctx); err != nil {
		db.Close()
		return nil, err
	}
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := a.Queue.Register(a.Registry); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// loadJourneys loads the stored journey versions, then registers the
// shipped journeys and those of --journeys (a new version of a journey
// applies to new enrollments; running ones finish on theirs).
func (a *App) loadJourneys(ctx context.Context) error {
	if err := a.Journeys.Load(ctx); err != nil {
		return err
	}
	defs, err := journeys.Load()
	if err != nil {
		return err
	}
	if a.Config.JourneysDir != "" {
		more, err := journey.LoadDir(a.Config.JourneysDir)
		if err != nil {
			return err
		}
		defs = append(defs, more...)
	}
	return a.Journeys.Register(ctx, defs...)
}

// Close releases the database.
func (a *App) Close() error {
	if err := a.DB.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// hygieneDeps wires the hygiene run: the staleness rule of the settings (by default a year
// without an answer, or three soft failures) and the review queue.
func (a *App) hygieneDeps() hygiene.Deps {
	return hygiene.Deps{DB: a.DB, Staleness: hygiene.StoreStaleness{DB: a.DB, Policy: a.Config.Staleness}, Duplicates: hygiene.Queue{DB: a.DB}}
}

// periodic lists the periodic jobs of serve and worker: the line-type
// look-up run when --lookup is on, dose reminders every 30 s, refill reminders every --refill-every (hourly), and the hygiene run unless
// --hygiene-every is off. Other commands run none.
func (c Config) periodic() []*river.PeriodicJob {
	if !c.works {
		return nil
	}
	jobs := append(c.lookupPeriodic(), reminders.PeriodicJob(), reminders.RefillPeriodicJob(c.RefillEvery))
	s, err := hygiene.ParseSchedule(c.HygieneEvery)
	if err != nil || s.Off() {
		return jobs
	}
	return append(jobs, hygiene.PeriodicJob(s))
}

// startApp parses the flags of serve or worker (name) and opens the app,
// warning of what is not set up. The caller closes it.
func startApp(ctx context.Context, env *Env, name string, args []string) (*App, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var cfg Config
	cfg.bind(fs, env.Getenv, true)
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	cfg.warnTimeScale(env)
	app, err := newApp(ctx, cfg, env)
	if err != nil {
		return nil, err
	}
	app.warnChannels(env)
	return app, nil
}
