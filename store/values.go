package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/bits"
	"time"

	"github.com/google/uuid"
)

// newID returns a new time-ordered id (UUIDv7), so ids sort by creation and
// index inserts stay local.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// tnull stores a zero time as NULL and every other time in UTC.
func tnull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// snull stores an empty string as NULL (for optional foreign keys).
func snull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func bnull(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func fromNullTime(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("store: marshal %T: %v", v, err)) // only plain domain structs reach here
	}
	return string(b)
}

// maxRows is the most rows one multi-row statement carries. Statements are
// prepared once per transaction and reused, so row counts come from a small
// fixed set: maxRows, then powers of two for the remainder. (A statement per
// distinct count would pile up thousands of prepared statements in a bulk
// import, and hundreds of megabytes with them.)
const maxRows = 256

// maxParams keeps multi-row statements under both databases' limits on bound
// parameters (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// insertRows inserts n rows of cols values each, with prefix (the INSERT
// … VALUES) and suffix (an ON CONFLICT clause, or ""). row(i, dst) appends
// row i's values to dst and returns it.
func insertRows(ctx context.Context, q querier, prefix, suffix string, cols, n int, row func(i int, dst []any) []any) error {
	per := min(maxRows, maxParams/cols)
	args := make([]any, 0, min(n, per)*cols)
	for start := 0; start < n; {
		size := per
		if left := n - start; left < per {
			size = 1 << (bits.Len(uint(left)) - 1) // largest power of two ≤ left
		}
		args = args[:0]
		for i := start; i < start+size; i++ {
			args = row(i, args)
		}
		if _, err := q.exec(ctx, prefix+placeholders(size, cols)+suffix, args...); err != nil {
			return err
		}
		start += size
	}
	return nil
}

// sqliteTimeFormats are the layouts SQLite hands back for timestamps that
// lose their declared type in an expression (coalesce, max, …).
var sqliteTimeFormats = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999 -0700 MST"}

// timeOf scans a timestamp whether the driver gives a time or, as SQLite
// does for computed columns, text.
type timeOf struct{ t *time.Time }

func (s timeOf) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*s.t = x.UTC()
		return nil
	case string:
		for _, f := range sqliteTimeFormats {
			if t, err := time.Parse(f, x); err == nil {
				*s.t = t.UTC()
				return nil
			}
		}
		return fmt.Errorf("timestamp %q has no known layout", x)
	case []byte:
		return s.Scan(string(x))
	case nil:
		*s.t = time.Time{}
		return nil
	}
	return fmt.Errorf("cannot scan %T into a time", v)
}
