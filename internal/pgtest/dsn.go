package pgtest

import (
	"os"
	"testing"
)

// The environment variables pgtest reads.
const (
	// EnvDSN holds the admin DSN of the test server, such as
	// postgres://postgres@127.0.0.1:54321/postgres?sslmode=disable.
	EnvDSN = "RAPPORT_TEST_POSTGRES"
	// EnvRequire, when "1", turns a missing EnvDSN from a skip into a failure.
	EnvRequire = "RAPPORT_REQUIRE_POSTGRES"
)

// Messages reported when EnvDSN is not set.
const (
	skipMessage = "PostgreSQL tests SKIPPED: " + EnvDSN + " is not set; run make test"
	failMessage = "PostgreSQL tests REQUIRED (" + EnvRequire + "=1) but " + EnvDSN + " is not set; run make test"
)

// DSN returns the admin DSN of the PostgreSQL server for tests, from
// RAPPORT_TEST_POSTGRES. When it is not set, DSN skips the test with a loud
// message, or fails it when RAPPORT_REQUIRE_POSTGRES=1. Tests that write
// should use [NewDatabase] instead, which gives them a database of their own.
func DSN(t testing.TB) string {
	t.Helper()
	return dsnFrom(t, os.Getenv)
}

// dsnFrom is [DSN] reading the environment through getenv.
func dsnFrom(t testing.TB, getenv func(string) string) string {
	t.Helper()
	if dsn := getenv(EnvDSN); dsn != "" {
		return dsn
	}
	if getenv(EnvRequire) == "1" {
		t.Fatal(failMessage)
	}
	t.Skip(skipMessage)
	return ""
}
