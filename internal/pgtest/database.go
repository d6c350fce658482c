package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// adminTimeout bounds each CREATE or DROP DATABASE round trip.
const adminTimeout = time.Minute

// NewDatabase creates a fresh, empty database with a unique name on the
// server given by [DSN], and returns a DSN that connects to it as the same
// user. The database is dropped when t and its subtests end, after its
// leftover connections are terminated. NewDatabase is safe to call from
// parallel tests. It skips or fails t as [DSN] does when no server is
// configured, and fails t when the database cannot be created.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := DSN(t)
	name := databaseName(t.Name())
	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	if err := execAdmin(ctx, admin, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// t.Context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
		defer cancel()
		if err := dropDatabase(ctx, admin, name); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return dsn
}

// dropDatabase terminates the connections to database name and drops it.
func dropDatabase(ctx context.Context, admin, name string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("drop database %s: connect: %w", name, err)
	}
	defer conn.Close(ctx)
	// WITH (FORCE) terminates connections too, but only once no new ones
	// arrive; terminating first keeps a pool that reconnects from racing it.
	if _, err := conn.Exec(ctx,
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
		name); err != nil {
		return fmt.Errorf("drop database %s: terminate connections: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// execAdmin runs one statement on a connection of its own to dsn.
func execAdmin(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return err
	}
	return nil
}

// maxNameLen is PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes.
const maxNameLen = 63

// databaseName returns a new database name for the test called testName:
// "rapport_t_", the test name reduced to lower-case letters, digits and
// underscores, and a random suffix, within PostgreSQL's 63-byte limit. The
// test name only helps a person who lists databases; the suffix makes it unique.
func databaseName(testName string) string {
	const prefix = "rapport_t_"
	var suffix [6]byte
	_, _ = rand.Read(suffix[:]) // never fails, by crypto/rand's contract
	tail := "_" + hex.EncodeToString(suffix[:])

	var b strings.Builder
	for _, r := range strings.ToLower(testName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	middle := b.String()
	if room := maxNameLen - len(prefix) - len(tail); len(middle) > room {
		middle = middle[:room]
	}
	return prefix + middle + tail
}

// withDatabase returns dsn with its database replaced by name. It accepts
// both forms pgx does: a postgres:// URL and keyword=value pairs.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse %s: %w", EnvDSN, err)
		}
		u.Path, u.RawPath = "/"+name, ""
		q := u.Query()
		if q.Has("dbname") {
			q.Del("dbname")
			u.RawQuery = q.Encode()
		}
		return u.String(), nil
	}
	// In keyword=value form the last setting of a keyword wins.
	return strings.TrimSpace(dsn) + " dbname=" + name, nil
}
