// Package shareddata finds the team's third-party test data (Synthea FHIR
// records, FEBRL record-linkage sets) for tests and benchmarks. The data lives
// in a shared/ folder beside the repository, not in it.
package shareddata

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Env names a folder that overrides where shared/data is looked for.
const Env = "RAPPORT_SHARED_DATA"

// RequireEnv set to 1 makes a test fail, not skip, when the shared data is
// absent: scripts/test.sh sets it under CI=true, so CI cannot pass by
// skipping the tests on real data.
const RequireEnv = "RAPPORT_REQUIRE_SHARED_DATA"

// SkipLogEnv names a file to which each skip for want of shared data adds
// a line, so scripts/test.sh can list them in its summary: go test without
// -v prints no skips.
const SkipLogEnv = "RAPPORT_SKIP_LOG"

// repoDir is the repository's folder, from this file's place in it.
func repoDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <repo>/internal/shareddata/shareddata.go
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// Root returns the shared data folder (…/shared/data), or "" when absent:
// $RAPPORT_SHARED_DATA, else shared/data beside the repository's folder.
func Root() string {
	if d := os.Getenv(Env); d != "" {
		return d
	}
	repo := repoDir()
	if repo == "" {
		return ""
	}
	d := filepath.Join(filepath.Dir(repo), "shared", "data")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// Dir returns a folder under the shared data. When it is absent, the test
// or benchmark skips with a clear message (logged to $RAPPORT_SKIP_LOG),
// or fails when $RAPPORT_REQUIRE_SHARED_DATA is 1.
func Dir(tb testing.TB, elem ...string) string {
	tb.Helper()
	root := Root()
	if root == "" {
		Missing(tb, fmt.Sprintf("the shared test data folder (../shared/data beside the repository, or $%s) is absent", Env))
	}
	d := filepath.Join(append([]string{root}, elem...)...)
	if _, err := os.Stat(d); err != nil {
		Missing(tb, fmt.Sprintf("shared test data %s is absent: %v", d, err))
	}
	return d
}

// Missing ends a test that lacks shared data: it fails under
// $RAPPORT_REQUIRE_SHARED_DATA=1, and otherwise logs the skip and skips.
func Missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv(RequireEnv) == "1" {
		tb.Fatalf("%s (%s=1: the shared data is required; set $%s to its folder)", why, RequireEnv, Env)
		return
	}
	logSkip(tb.Name(), why)
	tb.Skip("SKIPPED: " + why)
}

// logSkip adds "package Test: why" to $RAPPORT_SKIP_LOG, when set. One
// short write with O_APPEND: test processes running at once do not mix
// their lines.
func logSkip(name, why string) {
	path := os.Getenv(SkipLogEnv)
	if path == "" {
		return
	}
	pkg := "."
	if wd, err := os.Getwd(); err == nil { // go test runs in the package's folder
		if rel, err := filepath.Rel(repoDir(), wd); err == nil {
			pkg = "./" + filepath.ToSlash(rel)
		}
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return // the skip message still says why
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s: %s\n", pkg, name, why)
}
