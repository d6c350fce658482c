package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// Config says how the queue works jobs.
type Config struct {
	// Workers registers the job kinds this process can work. Nil makes an
	// insert-only queue (as for `rapport import`).
	Workers *river.Workers
	// MaxWorkers is how many jobs run at once in this process (default 20).
	MaxWorkers int
	// PollInterval is how often an idle queue looks for due jobs (default
	// pollSQLite or pollPostgres).
	PollInterval time.Duration
	// Periodic jobs run once per cluster, by River's elected leader.
	Periodic []*river.PeriodicJob
	// RescueAfter is how long a job may look running before it is taken for
	// lost (its worker crashed) and retried (default 1h). It must exceed the
	// longest job.
	RescueAfter time.Duration
	Logger      *slog.Logger
	// TestOnly trims start-up jitter; for tests only.
	TestOnly bool
}

// Queue is the job queue of one process.
type Queue struct {
	db      *store.DB
	clock   rapport.Clock
	c       client
	metrics *Metrics
}

// client is the part of River's generic client the queue uses, so the
// SQLite (*sql.Tx) and PostgreSQL (pgx.Tx) clients look alike.
type client interface {
	insertTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	insert(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	deleteWaitingTx(ctx context.Context, tx *store.Tx, kind string, ids []int64) (int, error)
	start(ctx context.Context) error
	stop(ctx context.Context) error
	subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
	promoteDue(ctx context.Context, now time.Time) (int, error)
	busy(ctx context.Context, now time.Time) (int, error)
}

type riverClient[TTx any] struct {
	c    *river.Client[TTx]
	txOf func(*store.Tx) TTx
}

func (r riverClient[TTx]) insertTx(ctx context.Context, tx *store.Tx, p []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return r.c.InsertManyTx(ctx, r.txOf(tx), p)
}

func (r riverClient[TTx]) insert(ctx context.Context, p []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return r.c.InsertMany(ctx, p)
}
func (r riverClient[TTx]) start(ctx context.Context) error { return r.c.Start(ctx) }
func (r riverClient[TTx]) stop(ctx context.Context) error  { return r.c.Stop(ctx) }

// promoteDue makes scheduled and retryable jobs due at now available, in
// order of due time, through River's own JobRetry.
func (r riverClient[TTx]) promoteDue(ctx context.Context, now time.Time) (int, error) {
	return promote(ctx, now, r.c.JobList, func(ctx context.Context, id int64) error {
		_, err := r.c.JobRetry(ctx, id)
		return err
	})
}

// busy counts running jobs and jobs due by now that wait for a worker.
func (r riverClient[TTx]) busy(ctx context.Context, now time.Time) (int, error) {
	n := 0
	params := river.NewJobListParams().States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStatePending).First(500)
	for {
		res, err := r.c.JobList(ctx, params)
		if err != nil {
			return n, err
		}
		for _, j := range res.Jobs {
			if j.State == rivertype.JobStateRunning || !j.ScheduledAt.After(now) {
				n++
			}
		}
		if len(res.Jobs) < 500 {
			return n, nil
		}
		params = params.After(res.LastCursor)
	}
}

func (r riverClient[TTx]) subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return r.c.Subscribe(kinds...)
}

// How often an idle queue looks for due jobs, by database. Each look is one
// indexed query (on SQLite an UPDATE that finds nothing and writes nothing).
//
// SQLite has no LISTEN/NOTIFY, and River wakes its own fetcher only after
// inserts made outside a transaction, while rapport inserts jobs inside the
// transaction that makes their work: every hop of a campaign (launch, wake,
// send) waits for the next poll. At River's default of 1 s the first
// message of a campaign left 2-3 s after launch; at 50 ms, within a few
// tenths.
//
// PostgreSQL announces committed jobs with NOTIFY, so polling there only
// finds scheduled jobs (a wait's end, a campaign's start time) once River's
// scheduler has made them available, a few seconds ahead of their time:
// 250 ms keeps a scheduled campaign within a second of its start.
const (
	pollSQLite   = 50 * time.Millisecond
	pollPostgres = 250 * time.Millisecond
)

// New builds the queue on db. Time inside River comes from db's clock, so a
// test or the demo moves jobs' due times with the same clock as everything else.
func New(db *store.DB, cfg Config) (*Queue, error) {
	rc := riverConfig(db, cfg)
	var c client
	switch db.Dialect() {
	case store.SQLite:
		rc.PollOnly = true
		rcl, err := river.NewClient(riversqlite.New(db.SQLDB()), rc)
		if err != nil {
			return nil, fmt.Errorf("job queue on sqlite: %w", err)
		}
		c = riverClient[*sql.Tx]{c: rcl, txOf: (*store.Tx).SQLTx}
	case store.Postgres:
		rcl, err := river.NewClient(riverpgxv5.New(db.PgxPool()), rc)
		if err != nil {
			return nil, fmt.Errorf("job queue on postgres: %w", err)
		}
		c = riverClient[pgx.Tx]{c: rcl, txOf: (*store.Tx).PgxTx}
	}
	q := &Queue{db: db, clock: db.Clock(), c: c, metrics: newMetrics()}
	return q, nil
}

// InsertTx enqueues jobs inside tx: they exist only if tx commits.
func (q *Queue) InsertTx(ctx context.Context, tx *store.Tx, params ...river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	res, err := q.c.insertTx(ctx, tx, params)
	if err != nil {
		return nil, fmt.Errorf("enqueue %d jobs: %w", len(params), err)
	}
	return res, nil
}

// Insert enqueues jobs in a transaction of their own.
func (q *Queue) Insert(ctx context.Context, params ...river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	res, err := q.c.insert(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("enqueue %d jobs: %w", len(params), err)
	}
	return res, nil
}

// Start starts working jobs (and, on the leader, periodic jobs and
// maintenance) until ctx ends or Stop is called.
func (q *Queue) Start(ctx context.Context) error {
	events, cancel := q.c.subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled, river.EventKindJobSnoozed)
	go func() {
		defer cancel()
		for e := range events {
			q.metrics.observe(e)
		}
	}()
	if err := q.c.start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// PromoteDue makes every scheduled or retrying job whose time has come by
// the queue's clock available at once, and returns how many it moved.
// River's own scheduler does this every few seconds of wall time; a
// simulation that moves a manual clock calls PromoteDue after each step so
// simulated days pass in moments.
func (q *Queue) PromoteDue(ctx context.Context) (int, error) {
	n, err := q.c.promoteDue(ctx, q.clock.Now())
	if err != nil {
		return n, fmt.Errorf("promote due jobs: %w", err)
	}
	return n, nil
}

// Busy counts the jobs running or due by the queue's clock: zero means the
// queue has done everything it can until the clock moves. A simulation waits
// for zero before it moves the clock.
func (q *Queue) Busy(ctx context.Context) (int, error) {
	n, err := q.c.busy(ctx, q.clock.Now())
	if err != nil {
		return n, fmt.Errorf("busy jobs: %w", err)
	}
	return n, nil
}

// Stop waits for running jobs to finish, then stops.
func (q *Queue) Stop(ctx context.Context) error { return q.c.stop(ctx) }

// Migrate applies River's own migrations to db.
func Migrate(ctx context.Context, db *store.DB) error {
	var err error
	switch db.Dialect() {
	case store.SQLite:
		err = migrate(ctx, riversqlite.New(db.SQLDB()))
	case store.Postgres:
		err = migrate(ctx, riverpgxv5.New(db.PgxPool()))
	}
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	return nil
}

func migrate[TTx any](ctx context.Context, d riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// keepJobs is River's retention period that keeps finished jobs for good.
const keepJobs = -1

// riverConfig is River's configuration of a queue on db.
func riverConfig(db *store.DB, cfg Config) *river.Config {
	rc := &river.Config{
		Logger:            cfg.Logger,
		Workers:           cfg.Workers,
		PeriodicJobs:      cfg.Periodic,
		FetchPollInterval: cfg.PollInterval,
		TestOnly:          cfg.TestOnly,
		// Jobs fail as often as they like while the provider is down; the
		// work itself decides when to give up (messages have a deadline).
		MaxAttempts: 25,
		RetryPolicy: retryPolicy{clock: db.Clock()},
		Middleware:  []rivertype.Middleware{&soonAvailable{clock: db.Clock()}},
	}
	rc.RescueStuckJobsAfter = cfg.RescueAfter
	if cfg.RescueAfter > 0 && cfg.RescueAfter < river.JobTimeoutDefault {
		// River refuses a rescue delay below the job timeout: a job may not
		// be taken for lost while it may still legitimately run.
		rc.JobTimeout = cfg.RescueAfter
	}
	if db.Clock().NowOrNil() != nil {
		rc.Test.Time = db.Clock()
		// River's rescuer measures "stuck" against the wall clock, not the
		// injected one: with simulated time it would take every running job
		// for lost. Under a simulated clock, only an explicit setting rescues.
		if cfg.RescueAfter == 0 {
			rc.RescueStuckJobsAfter = 100 * 365 * 24 * time.Hour
		}
		// Its cleaner, too, deletes finished jobs older than a day by the
		// wall clock, while their finish times are simulated: under a clock
		// set in the past each of its passes (every 30 s) deleted every job
		// finished since the last, and a test that ran long counted one of a
		// campaign's four launch jobs. Under a simulated clock finished jobs
		// are kept.
		rc.CancelledJobRetentionPeriod, rc.CompletedJobRetentionPeriod, rc.DiscardedJobRetentionPeriod = keepJobs, keepJobs, keepJobs
	}
	if rc.FetchPollInterval == 0 {
		rc.FetchPollInterval = pollPostgres
		if db.Dialect() == store.SQLite {
			rc.FetchPollInterval = pollSQLite
		}
	}
	rc.FetchCooldown = min(rc.FetchPollInterval, river.FetchCooldownDefault)
	if rc.Logger == nil {
		rc.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers != nil {
		n := cfg.MaxWorkers
		if n <= 0 {
			n = 20
		}
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
	}
	return rc
}
