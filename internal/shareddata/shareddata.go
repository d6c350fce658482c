// Package shareddata finds the team's third-party test data (Synthea FHIR
// records, FEBRL record-linkage sets) for tests and benchmarks. The data lives
// in a shared/ folder beside the repository, not in it.
package shareddata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Env names a folder that overrides where shared/data is looked for.
const Env = "RAPPORT_SHARED_DATA"

// Root returns the shared data folder (…/shared/data), or "" when absent:
// $RAPPORT_SHARED_DATA, else shared/data beside the repository's folder.
func Root() string {
	if d := os.Getenv(Env); d != "" {
		return d
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <repo>/internal/shareddata/shareddata.go
	repo := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	d := filepath.Join(filepath.Dir(repo), "shared", "data")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// Dir returns a folder under the shared data, skipping the test or
// benchmark with a clear message when it is absent.
func Dir(tb testing.TB, elem ...string) string {
	tb.Helper()
	root := Root()
	if root == "" {
		tb.Skipf("SKIPPED: the shared test data folder (../shared/data beside the repository, or $%s) is absent", Env)
	}
	d := filepath.Join(append([]string{root}, elem...)...)
	if _, err := os.Stat(d); err != nil {
		tb.Skipf("SKIPPED: shared test data %s is absent: %v", d, err)
	}
	return d
}
