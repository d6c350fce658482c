package shareddata

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records a skip or a failure instead of ending the test.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Name() string                      { return "TestNeedsData" }
func (f *fakeTB) Skip(args ...any)                  { f.skipped = fmt.Sprint(args...) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }

// TestDirMissing: absent data skips with one line in the skip log, or,
// when required (CI), fails.
func TestDirMissing(t *testing.T) {
	for _, require := range []string{"", "1"} {
		t.Run("require="+require, func(t *testing.T) {
			tmp := t.TempDir()
			log := filepath.Join(tmp, "skips.log")
			t.Setenv(Env, filepath.Join(tmp, "no-such-folder"))
			t.Setenv(RequireEnv, require)
			t.Setenv(SkipLogEnv, log)
			var tb fakeTB
			Dir(&tb, "synthea", "bundles")
			data, _ := os.ReadFile(log)
			if require == "1" {
				if tb.failed == "" || tb.skipped != "" || len(data) != 0 {
					t.Errorf("required: failed %q, skipped %q, log %q; want a failure and no skip", tb.failed, tb.skipped, data)
				}
				return
			}
			want := "./internal/shareddata TestNeedsData: shared test data " + filepath.Join(tmp, "no-such-folder", "synthea", "bundles") + " is absent"
			if tb.failed != "" || !strings.HasPrefix(tb.skipped, "SKIPPED: ") || strings.Count(string(data), "\n") != 1 || !strings.HasPrefix(string(data), want) {
				t.Errorf("failed %q, skipped %q, log %q; want a skip and one log line starting %q", tb.failed, tb.skipped, data, want)
			}
		})
	}
}
