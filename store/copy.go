package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
)

// copyMin is the fewest rows PostgreSQL is sent by COPY rather than a
// multi-row INSERT. A multi-row INSERT is a statement of rows × columns
// parameters that PostgreSQL parses, plans (custom plans are forced, see
// openPostgres) and reads back as a VALUES list every time; COPY streams the
// rows in pgx's binary format into the table: a campaign's rows sent so
// cost PostgreSQL about a tenth less CPU per message (BENCHMARKS.md,
// session 35). With few rows COPY's own exchange costs more than it saves:
// a transaction of ledger rows took 0.37 ms by COPY against 0.30 ms by
// INSERT at 8 rows, 0.68 against 0.71 at 16, 1.04 against 1.92 at 64.
const copyMin = 16

// copier is a PostgreSQL transaction or pool, which can COPY.
type copier interface {
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

// copyRows is insertRows by COPY: prefix names the table and its columns
// ("INSERT INTO t (a, b) VALUES "), row gives each row's values as for
// insertRows.
func copyRows(ctx context.Context, c copier, prefix string, cols, n int, row func(i int, dst []any) []any) error {
	t, err := copyTargetOf(prefix)
	if err != nil {
		return err
	}
	if len(t.cols) != cols {
		return fmt.Errorf("insert rows: %q names %d columns, want %d", prefix, len(t.cols), cols)
	}
	vals := make([]any, 0, cols)
	src := pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		vals = row(i, vals[:0]) // pgx encodes a row before it asks for the next
		if len(vals) != cols {
			return nil, fmt.Errorf("insert rows: row %d has %d values, want %d", i, len(vals), cols)
		}
		for j, v := range vals {
			if s, ok := v.(same); ok {
				vals[j] = s.v
			}
		}
		return vals, nil
	})
	_, err = c.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, src)
	return err
}

// copyTarget is the table and columns of an INSERT's prefix.
type copyTarget struct {
	table string
	cols  []string
}

var copyTargets sync.Map // prefix → copyTarget

func copyTargetOf(prefix string) (copyTarget, error) {
	if t, ok := copyTargets.Load(prefix); ok {
		return t.(copyTarget), nil
	}
	rest, ok := strings.CutPrefix(prefix, "INSERT INTO ")
	table, rest, ok2 := strings.Cut(rest, " (")
	list, ok3 := strings.CutSuffix(rest, ") VALUES ")
	if !ok || !ok2 || !ok3 || table == "" || list == "" {
		return copyTarget{}, fmt.Errorf("insert rows: cannot COPY by %q", prefix)
	}
	t := copyTarget{table: table, cols: strings.Split(list, ", ")}
	copyTargets.Store(prefix, t)
	return t, nil
}
