package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// querier is the part of a connection or transaction the store's queries use.
// It is implemented over database/sql (SQLite) and pgx (PostgreSQL) so that
// each database runs on its native driver while the SQL stays shared.
type querier interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	query(ctx context.Context, q string, args ...any) (rows, error)
	queryRow(ctx context.Context, q string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface{ Scan(dest ...any) error }

// sqlQuerier runs queries through database/sql (*sql.DB or *sql.Tx). It
// prepares nothing itself: the SQLite connection keeps prepared statements
// by their text (stmtcache.go), across transactions.
type sqlQuerier struct {
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	// allOrNothing runs INSERT and UPDATE as INSERT OR ROLLBACK and
	// UPDATE OR ROLLBACK (see [Tx.AllOrNothing]).
	allOrNothing bool
	// deferred is set during a bulk load (see [Tx.BeginBulkLoad]).
	deferred *deferred
}

func (s sqlQuerier) text(q string) string {
	if s.allOrNothing {
		return orRollback(q)
	}
	return q
}

func (s sqlQuerier) exec(ctx context.Context, q string, args ...any) (int64, error) {
	if err := s.deferred.before(ctx, s, q); err != nil {
		return 0, err
	}
	res, err := s.q.ExecContext(ctx, s.text(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// orRollback turns an INSERT or UPDATE into its OR ROLLBACK form.
func orRollback(q string) string {
	switch {
	case strings.HasPrefix(q, "INSERT INTO "):
		return "INSERT OR ROLLBACK INTO " + q[len("INSERT INTO "):]
	case strings.HasPrefix(q, "UPDATE "):
		return "UPDATE OR ROLLBACK " + q[len("UPDATE "):]
	}
	return q
}

func (s sqlQuerier) query(ctx context.Context, q string, args ...any) (rows, error) {
	if err := s.deferred.before(ctx, s, q); err != nil {
		return nil, err
	}
	r, err := s.q.QueryContext(ctx, s.text(q), args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

func (s sqlQuerier) queryRow(ctx context.Context, q string, args ...any) row {
	if err := s.deferred.before(ctx, s, q); err != nil {
		return errRow{err}
	}
	return s.q.QueryRowContext(ctx, s.text(q), args...)
}

// errRow is a row whose query could not run.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

// pgxQuerier runs queries through pgx (a pool or a transaction), rewriting
// the shared SQL's ? placeholders into $n once per distinct query.
type pgxQuerier struct {
	q interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
		QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	}
}

func (p pgxQuerier) exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := p.q.Exec(ctx, rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

func (p pgxQuerier) query(ctx context.Context, q string, args ...any) (rows, error) {
	r, err := p.q.Query(ctx, rebind(q), args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (p pgxQuerier) queryRow(ctx context.Context, q string, args ...any) row {
	return pgxRow{p.q.QueryRow(ctx, rebind(q), args...)}
}

// pgxRow maps pgx's no-rows error to database/sql's, so callers check one.
type pgxRow struct{ r pgx.Row }

func (r pgxRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	return err
}
