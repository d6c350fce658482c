package store

import (
	"context"
	"strings"
)

// upsert inserts a row keyed by its first column, or replaces every other
// column of the existing row. The INSERT … ON CONFLICT … DO UPDATE form is
// the same in SQLite (3.24+) and PostgreSQL.
func (tx *Tx) upsert(ctx context.Context, table string, cols []string, vals ...any) error {
	set := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		set = append(set, c+" = excluded."+c)
	}
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + placeholders(1, len(cols)) +
		" ON CONFLICT (" + cols[0] + ") DO UPDATE SET " + strings.Join(set, ", ")
	_, err := tx.q.exec(ctx, q, vals...)
	return err
}

// upsertRows is upsert for n rows at once, in multi-row statements. The
// rows must have distinct keys.
func (tx *Tx) upsertRows(ctx context.Context, table string, cols []string, n int, row func(i int, dst []any) []any) error {
	set := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		set = append(set, c+" = excluded."+c)
	}
	return insertRows(ctx, tx.q, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES ",
		" ON CONFLICT ("+cols[0]+") DO UPDATE SET "+strings.Join(set, ", "), len(cols), n, row)
}

// NewID returns a new rapport id (time-ordered), for callers that need a
// row's id before they write it.
func NewID() string { return newID() }
