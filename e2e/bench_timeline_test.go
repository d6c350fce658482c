package e2e

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/store"
)

// jobSpan is when the jobs of one kind were created, first worked and last
// finished.
type jobSpan struct {
	kind                              string
	n                                 int
	created, lastCreated, firstWorked time.Time
	lastDone                          time.Time
	retried                           int    // jobs worked more than once
	lastError                         string // one error a retried job recorded
	// waited and ran sum the time in the queue and at work of the worked
	// jobs: a queue that keeps jobs waiting while workers idle shows here.
	waited, ran time.Duration
	worked      int
}

// logJobTimeline logs, per job kind, when the campaign's jobs were made and
// worked, relative to launch: where the seconds before the first message go.
func logJobTimeline(b *testing.B, dsn string, launched time.Time) {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, rapport.SystemClock{})
	if err != nil {
		b.Logf("job timeline: %v", err)
		return
	}
	defer db.Close()
	spans, err := jobSpans(ctx, db)
	if err != nil {
		b.Logf("job timeline: %v", err)
		return
	}
	rel := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return fmt.Sprintf("%+.2fs", t.Sub(launched).Seconds())
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "jobs (times from launch): kind, count, first created, last created, first worked, last finished, retried, mean wait, mean run\n")
	for _, s := range spans {
		fmt.Fprintf(&sb, "  %-18s %6d  %8s %8s %8s %8s %5d %7.3fs %7.3fs\n", s.kind, s.n, rel(s.created), rel(s.lastCreated), rel(s.firstWorked), rel(s.lastDone), s.retried,
			s.waited.Seconds()/float64(max(s.worked, 1)), s.ran.Seconds()/float64(max(s.worked, 1)))
		if s.lastError != "" {
			fmt.Fprintf(&sb, "    an error: %.300s\n", s.lastError)
		}
	}
	b.Log(sb.String())
}

func jobSpans(ctx context.Context, db *store.DB) ([]jobSpan, error) {
	const q = `SELECT kind, created_at, attempted_at, finalized_at, attempt, CAST(errors AS TEXT) FROM river_job`
	byKind := map[string]*jobSpan{}
	add := func(kind string, created, attempted, finalized time.Time, attempt int, errs *string) {
		s := byKind[kind]
		if s == nil {
			s = &jobSpan{kind: kind}
			byKind[kind] = s
		}
		s.n++
		if attempt > 1 {
			s.retried++
			if errs != nil {
				s.lastError = *errs
			}
		}
		if !attempted.IsZero() && !finalized.IsZero() {
			s.waited += attempted.Sub(created)
			s.ran += finalized.Sub(attempted)
			s.worked++
		}
		s.created = earliest(s.created, created)
		s.firstWorked = earliest(s.firstWorked, attempted)
		if created.After(s.lastCreated) {
			s.lastCreated = created
		}
		if finalized.After(s.lastDone) {
			s.lastDone = finalized
		}
	}
	if db.Dialect() == store.Postgres {
		rows, err := db.PgxPool().Query(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var kind string
			var c time.Time
			var a, f *time.Time
			var attempt int
			var errs *string
			if err := rows.Scan(&kind, &c, &a, &f, &attempt, &errs); err != nil {
				return nil, err
			}
			add(kind, c, deref(a), deref(f), attempt, errs)
		}
		return sortSpans(byKind), rows.Err()
	}
	rows, err := db.SQLDB().QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var c string
		var a, f, errs *string
		var attempt int
		if err := rows.Scan(&kind, &c, &a, &f, &attempt, &errs); err != nil {
			return nil, err
		}
		add(kind, sqliteTime(&c), sqliteTime(a), sqliteTime(f), attempt, errs)
	}
	return sortSpans(byKind), rows.Err()
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// sqliteTime reads River's SQLite timestamps ("2006-01-02 15:04:05.000", UTC).
func sqliteTime(s *string) time.Time {
	if s == nil {
		return time.Time{}
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00"} {
		if t, err := time.Parse(layout, *s); err == nil {
			return t
		}
	}
	return time.Time{}
}

func sortSpans(m map[string]*jobSpan) []jobSpan {
	var out []jobSpan
	for _, s := range m {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].created.Before(out[j].created) })
	return out
}
