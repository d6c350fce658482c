package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
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
