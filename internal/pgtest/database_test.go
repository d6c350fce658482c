package pgtest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestDatabaseName(t *testing.T) {
	t.Parallel()
	valid := regexp.MustCompile(`^rapport_t_[a-z0-9_]*_[0-9a-f]{12}$`)
	tests := []struct {
		testName   string
		wantMiddle string
	}{
		{"TestStore", "teststore"},
		{"TestStore/create_patient#01", "teststore_create_patient_01"},
		{"TestÜnicode/ß", "test_nicode__"},
		{"", ""},
		{strings.Repeat("TestVeryLong", 10), strings.Repeat("testverylong", 10)[:63-len("rapport_t_")-13]},
	}
	for _, tt := range tests {
		t.Run(tt.testName, func(t *testing.T) {
			t.Parallel()
			a, b := databaseName(tt.testName), databaseName(tt.testName)
			if a == b {
				t.Errorf("two names for %q are both %q", tt.testName, a)
			}
			if len(a) > maxNameLen || !valid.MatchString(a) {
				t.Errorf("databaseName(%q) = %q: not a valid short identifier", tt.testName, a)
			}
			if middle := a[len("rapport_t_") : len(a)-13]; middle != tt.wantMiddle {
				t.Errorf("databaseName(%q) = %q: middle %q, want %q", tt.testName, a, middle, tt.wantMiddle)
			}
		})
	}
}

func TestWithDatabase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dsn      string
		wantHost string
		wantPort uint16
		wantUser string
	}{
		{"postgres://postgres@127.0.0.1:5999/postgres?sslmode=disable", "127.0.0.1", 5999, "postgres"},
		{"postgresql://alice:secret@localhost:5432/?sslmode=disable&dbname=other", "localhost", 5432, "alice"},
		{"postgres://bob@[::1]:6000", "::1", 6000, "bob"},
		{"host=127.0.0.1 port=5998 user=carol dbname=postgres sslmode=disable", "127.0.0.1", 5998, "carol"},
		{"host=127.0.0.1 port=5997 user=dave sslmode=disable ", "127.0.0.1", 5997, "dave"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			t.Parallel()
			got, err := withDatabase(tt.dsn, "rapport_t_x_0123456789ab")
			if err != nil {
				t.Fatalf("withDatabase: %v", err)
			}
			cfg, err := pgconn.ParseConfig(got)
			if err != nil {
				t.Fatalf("pgx cannot parse %q: %v", got, err)
			}
			if cfg.Database != "rapport_t_x_0123456789ab" || cfg.Host != tt.wantHost || cfg.Port != tt.wantPort || cfg.User != tt.wantUser {
				t.Errorf("withDatabase(%q) = %q: database %q host %q port %d user %q; want rapport_t_x_0123456789ab %q %d %q",
					tt.dsn, got, cfg.Database, cfg.Host, cfg.Port, cfg.User, tt.wantHost, tt.wantPort, tt.wantUser)
			}
		})
	}
}

func TestWithDatabaseBadURL(t *testing.T) {
	t.Parallel()
	if got, err := withDatabase("postgres://a b@%zz/x", "db"); err == nil {
		t.Errorf("withDatabase accepted a broken URL and returned %q", got)
	}
}

// connect opens a connection to dsn that is closed when t ends.
func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// databaseExists reports whether the server at admin has database name.
func databaseExists(t *testing.T, admin, name string) bool {
	t.Helper()
	var n int
	if err := connect(t, admin).QueryRow(t.Context(),
		"SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatalf("look for database %s: %v", name, err)
	}
	return n == 1
}

func TestNewDatabaseIsFreshAndOwn(t *testing.T) {
	t.Parallel()
	admin := DSN(t)
	// Parallel subtests create the same table in their own databases: a
	// shared database would make one CREATE TABLE fail or one count differ.
	for i := range 8 {
		t.Run(fmt.Sprintf("db%d", i), func(t *testing.T) {
			t.Parallel()
			dsn := NewDatabase(t)
			cfg, err := pgconn.ParseConfig(dsn)
			if err != nil {
				t.Fatalf("parse returned DSN: %v", err)
			}
			if !databaseExists(t, admin, cfg.Database) {
				t.Fatalf("database %s is not on the server", cfg.Database)
			}
			conn := connect(t, dsn)
			var current string
			var tables int
			if err := conn.QueryRow(t.Context(),
				"SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')").
				Scan(&current, &tables); err != nil {
				t.Fatalf("query: %v", err)
			}
			if current != cfg.Database || tables != 0 {
				t.Fatalf("connected to %q with %d tables; want %q with none", current, tables, cfg.Database)
			}
			if _, err := conn.Exec(t.Context(), "CREATE TABLE item (n int)"); err != nil {
				t.Fatalf("create table: %v", err)
			}
			if _, err := conn.Exec(t.Context(), "INSERT INTO item VALUES ($1)", i); err != nil {
				t.Fatalf("insert: %v", err)
			}
			rows, err := conn.Query(t.Context(), "SELECT n FROM item")
			if err != nil {
				t.Fatalf("select: %v", err)
			}
			got, err := pgx.CollectRows(rows, pgx.RowTo[int])
			if err != nil {
				t.Fatalf("select: %v", err)
			}
			if len(got) != 1 || got[0] != i {
				t.Errorf("rows = %v, want [%d]", got, i)
			}
		})
	}
}

func TestNewDatabaseDroppedAtCleanup(t *testing.T) {
	t.Parallel()
	admin := DSN(t)
	var name string
	var leftover *pgx.Conn
	t.Run("user", func(t *testing.T) {
		dsn := NewDatabase(t)
		cfg, err := pgconn.ParseConfig(dsn)
		if err != nil {
			t.Fatalf("parse returned DSN: %v", err)
		}
		name = cfg.Database
		// A connection the test forgot to close must not stop the drop.
		leftover, err = pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
	})
	if name == "" || leftover == nil {
		t.Fatal("subtest did not create a database and connect to it")
	}
	defer leftover.Close(context.Background())
	if databaseExists(t, admin, name) {
		t.Errorf("database %s still exists after its test ended", name)
	}
	if err := leftover.Ping(t.Context()); err == nil {
		t.Errorf("the leftover connection to %s still works", name)
	}
}
