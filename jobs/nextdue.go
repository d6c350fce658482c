package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/rapporthq/rapport/store"
)

// NextDue returns the earliest time a job waits for: the scheduled time of
// the first scheduled, retryable or available job, of the given kinds when
// kinds are given. ok is false when no such job waits. A simulation moves
// its manual clock to it, so no simulated minute passes with nothing to do
// and no job is due unseen; naming kinds lets it leave out pollers that
// reschedule themselves every minute, or treat some kinds apart.
//
// It reads the waiting rows through River's fetching index, which starts
// with the state. River's JobList, asked the same, took SQLite's index on
// the kind and read every job of the kinds ever run, finished ones too: a
// sixth of a 20,000-patient demo's CPU, growing with every day simulated.
func (q *Queue) NextDue(ctx context.Context, kinds ...string) (at time.Time, ok bool, err error) {
	at, ok, err = q.nextDue(ctx, kinds)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due job: %w", err)
	}
	return at, ok, nil
}

func (q *Queue) nextDue(ctx context.Context, kinds []string) (time.Time, bool, error) {
	query, args := nextDueQuery(q.db.Dialect(), kinds)
	var v any
	var err error
	if q.db.Dialect() == store.Postgres {
		err = q.db.PgxPool().QueryRow(ctx, query, args...).Scan(&v)
	} else {
		err = q.db.SQLDB().QueryRowContext(ctx, query, args...).Scan(&v)
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	at, err := queueTime(v)
	if err != nil {
		return time.Time{}, false, err
	}
	return at, true, nil
}

// nextDueQuery is the question NextDue asks of d. The kind is compared
// in each waiting row, never looked up: on SQLite the unary + keeps the
// planner off the kind's index.
func nextDueQuery(d store.Dialect, kinds []string) (string, []any) {
	const head = `SELECT scheduled_at FROM river_job WHERE state IN ('scheduled', 'retryable', 'available')`
	const tail = ` ORDER BY scheduled_at LIMIT 1`
	switch {
	case len(kinds) == 0:
		return head + tail, nil
	case d == store.Postgres:
		return head + ` AND kind = ANY($1)` + tail, []any{kinds}
	}
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k
	}
	return head + ` AND +kind IN (?` + strings.Repeat(", ?", len(kinds)-1) + `)` + tail, args
}

// Unfinished counts the jobs a simulation still waits for at the queue's
// clock: available (or pending) jobs due by now, and running jobs whose work
// has not returned, as done reports by job id and attempt (a retry is a new
// attempt). River marks a job completed in batches up to a quarter of a
// second after its work returned; a simulation that tracks returns
// through its workers need not wait for that bookkeeping before it moves
// the clock (unlike [Queue.Busy]).
//
// It reads the unfinished rows through River's fetching index, which
// starts with the state: River's JobList orders by id and, on SQLite, walked
// every finished job to find them — a third of the demo's CPU at 20,000
// patients, asked every millisecond while the queue is idle.
func (q *Queue) Unfinished(ctx context.Context, done func(jobID int64, attempt int) bool) (int, error) {
	n := 0
	err := q.unfinished(ctx, done, func(UnfinishedJob) bool { n++; return true })
	return n, err
}

// AnyUnfinished is [Queue.Unfinished] that stops at the first unfinished
// job: 1 when there is one, else 0. A simulation asks between any two jobs
// whether its step is done; counting every job due made each question as
// long as the backlog (20,000 wake-ups at a campaign's launch).
func (q *Queue) AnyUnfinished(ctx context.Context, done func(jobID int64, attempt int) bool) (int, error) {
	n := 0
	err := q.unfinished(ctx, done, func(UnfinishedJob) bool { n++; return false })
	return n, err
}

// UnfinishedJob is a job [Queue.Unfinished] counts.
type UnfinishedJob struct {
	ID          int64
	Kind, State string
	Attempt     int
	ScheduledAt time.Time
}

func (j UnfinishedJob) String() string {
	return fmt.Sprintf("%s job %d (%s, attempt %d, scheduled %s)", j.Kind, j.ID, j.State, j.Attempt, j.ScheduledAt.UTC().Format(time.RFC3339))
}

// UnfinishedJobs lists up to limit of the jobs [Queue.Unfinished] counts:
// for a simulation that gives up waiting to say what it waited for.
func (q *Queue) UnfinishedJobs(ctx context.Context, done func(jobID int64, attempt int) bool, limit int) ([]UnfinishedJob, error) {
	var out []UnfinishedJob
	err := q.unfinished(ctx, done, func(j UnfinishedJob) bool { out = append(out, j); return len(out) < limit })
	return out, err
}

// unfinished calls visit with each unfinished job until it returns false.
func (q *Queue) unfinished(ctx context.Context, done func(jobID int64, attempt int) bool, visit func(UnfinishedJob) bool) error {
	// Due jobs come first (the index starts with the state), so that a
	// question with a backlog ends at its first row.
	const query = `SELECT id, kind, state, attempt, scheduled_at FROM river_job WHERE state IN ('available', 'pending', 'running') ORDER BY state`
	now := q.clock.Now()
	// pgx's rows and database/sql's have the same reading methods.
	var rows interface {
		Next() bool
		Scan(dest ...any) error
		Err() error
	}
	if q.db.Dialect() == store.Postgres {
		rs, err := q.db.PgxPool().Query(ctx, query)
		if err != nil {
			return fmt.Errorf("unfinished jobs: %w", err)
		}
		defer rs.Close()
		rows = rs
	} else {
		rs, err := q.db.SQLDB().QueryContext(ctx, query)
		if err != nil {
			return fmt.Errorf("unfinished jobs: %w", err)
		}
		defer rs.Close()
		rows = rs
	}
	for rows.Next() {
		var j UnfinishedJob
		var at any
		if err := rows.Scan(&j.ID, &j.Kind, &j.State, &j.Attempt, &at); err != nil {
			return fmt.Errorf("unfinished jobs: %w", err)
		}
		var err error
		if j.ScheduledAt, err = queueTime(at); err != nil {
			return fmt.Errorf("unfinished jobs: job %d: %w", j.ID, err)
		}
		running := j.State == string(rivertype.JobStateRunning)
		if (running && done(j.ID, j.Attempt)) || (!running && j.ScheduledAt.After(now)) {
			continue
		}
		if !visit(j) {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("unfinished jobs: %w", err)
	}
	return nil
}

// queueTime reads a timestamp of River's job table: parsed already (pgx,
// and SQLite's driver for columns it knows as times), or River's SQLite
// text ("2006-01-02 15:04:05.000", UTC).
func queueTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v, nil
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999", time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00"} {
			if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("timestamp %q: unknown layout", v)
	}
	return time.Time{}, fmt.Errorf("timestamp of type %T", v)
}

// ScheduleDue makes every scheduled or retryable job due by the queue's
// clock available, in one statement per thousand jobs, with River's own
// scheduling query (the one its leader runs every few seconds). It does
// what [Queue.PromoteDue] does, without a round trip per job: for
// simulations that move the clock often over many jobs.
func (q *Queue) ScheduleDue(ctx context.Context) (int, error) {
	var n int
	var err error
	switch q.db.Dialect() {
	case store.SQLite:
		n, err = scheduleDue(ctx, riversqlite.New(q.db.SQLDB()).GetExecutor(), q.clock.Now())
	case store.Postgres:
		n, err = scheduleDue(ctx, riverpgxv5.New(q.db.PgxPool()).GetExecutor(), q.clock.Now())
	}
	if err != nil {
		return n, fmt.Errorf("schedule due jobs: %w", err)
	}
	return n, nil
}

func scheduleDue(ctx context.Context, exec riverdriver.Executor, now time.Time) (int, error) {
	const batch = 1000
	total := 0
	for {
		tx, err := exec.Begin(ctx)
		if err != nil {
			return total, err
		}
		res, err := tx.JobSchedule(ctx, &riverdriver.JobScheduleParams{Max: batch, Now: &now})
		if err != nil {
			_ = tx.Rollback(ctx)
			return total, err
		}
		if err := tx.Commit(ctx); err != nil {
			return total, err
		}
		total += len(res)
		if len(res) < batch {
			return total, nil
		}
	}
}
