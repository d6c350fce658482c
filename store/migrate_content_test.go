package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/internal/pgtest"
)

// TestMigrateMessageContents checks that migration 00007 moves the content
// of messages written before it into message_contents, and that its down
// migration moves it back.
func TestMigrateMessageContents(t *testing.T) {
	t.Parallel()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn := "sqlite:" + filepath.Join(t.TempDir(), "rapport.db")
			if d == Postgres {
				dsn = pgtest.NewDatabase(t)
			}
			ctx := context.Background()
			db, err := Open(ctx, dsn, rapport.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			sub, err := fs.Sub(migrations, "migrations/"+string(d))
			if err != nil {
				t.Fatal(err)
			}
			dialect := goose.DialectSQLite3
			if d == Postgres {
				dialect = goose.DialectPostgres
			}
			p, err := goose.NewProvider(dialect, db.sqlDB, sub, goose.WithTableName("rapport_schema_version"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			ts := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			if _, err := db.q.exec(ctx, `INSERT INTO messages (id, patient_id, channel, purpose, language, body, subject, html, status, not_before, deadline, created_at, updated_at)
				VALUES ('m1', 'p1', 'email', 'care', 'en', 'text body', 'subject', '<p>html</p>', 'sent', ?, ?, ?, ?)`, ts, ts, ts, ts); err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 7); err != nil {
				t.Fatal(err)
			}
			m, err := db.FindMessage(ctx, "m1")
			if err != nil {
				t.Fatal(err)
			}
			if m.Body != "text body" || m.Subject != "subject" || m.HTML != "<p>html</p>" || m.Status != rapport.MessageSent {
				t.Errorf("after 00007: %q %q %q %s", m.Body, m.Subject, m.HTML, m.Status)
			}
			if _, err := p.DownTo(ctx, 6); err != nil {
				t.Fatal(err)
			}
			var body, subject, html string
			if err := db.q.queryRow(ctx, "SELECT body, subject, html FROM messages WHERE id = 'm1'").Scan(&body, &subject, &html); err != nil {
				t.Fatal(err)
			}
			if body != "text body" || subject != "subject" || html != "<p>html</p>" {
				t.Errorf("after down: %q %q %q", body, subject, html)
			}
		})
	}
}
