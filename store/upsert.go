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
