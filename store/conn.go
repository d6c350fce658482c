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

// sqlQuerier runs queries through database/sql (*sql.DB or *sql.Tx).
type sqlQuerier struct {
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	// stmts caches prepared statements for a transaction: SQLite parses
	// every statement anew otherwise, and a bulk import repeats the same
	// multi-row INSERT thousands of times. (pgx caches on its own.)
	stmts map[string]*sql.Stmt
	tx    *sql.Tx
	// allOrNothing prepares INSERT and UPDATE as INSERT OR ROLLBACK and
	// UPDATE OR ROLLBACK (see [Tx.AllOrNothing]).
	allOrNothing bool
}

func (s sqlQuerier) exec(ctx context.Context, q string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := s.stmt(ctx, q); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = s.q.ExecContext(ctx, q, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// stmt returns the cached prepared statement for q inside a transaction,
// or nil outside one (or if preparing fails, leaving the error to Exec).
func (s sqlQuerier) stmt(ctx context.Context, q string) *sql.Stmt {
	if s.tx == nil {
		return nil
	}
	if st, ok := s.stmts[q]; ok {
		return st
	}
	text := q
	if s.allOrNothing {
		text = orRollback(q)
	}
	st, err := s.tx.PrepareContext(ctx, text)
	if err != nil {
		return nil
	}
	s.stmts[q] = st
	return st
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
	var r *sql.Rows
	var err error
	if st := s.stmt(ctx, q); st != nil {
		r, err = st.QueryContext(ctx, args...)
	} else {
		r, err = s.q.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

func (s sqlQuerier) queryRow(ctx context.Context, q string, args ...any) row {
	return s.q.QueryRowContext(ctx, q, args...)
}

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
