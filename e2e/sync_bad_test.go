package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/internal/proctest"
)

// TestNightlySyncBadRecord is a nightly delta with one bad record well past
// its first batch, so that the import has written part of the file when it
// meets it: `rapport import fhir` fails naming the file, the line and the
// field, and the database is as it was (all or nothing per file). With
// --continue-on-error the rest imports and the bad record is reported.
func TestNightlySyncBadRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("runs rapport import as a process")
	}
	t.Parallel()
	f := writeSyncFiles(t, 2000, 1500)
	recs := readPatients(t, f.delta)
	changedN := len(recs) - lineCount(t, f.fresh)
	badLine := len(recs) - 10 // a new patient, after the first batch of 1,000
	if badLine <= 1000 || badLine <= changedN {
		t.Fatalf("the bad record at line %d should be a new patient past the first batch", badLine)
	}
	recs[badLine-1]["birthDate"] = "19x0-01-02"
	bad := filepath.Join(t.TempDir(), "delta.ndjson")
	var buf bytes.Buffer
	for _, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(append(line, '\n'))
	}
	if err := os.WriteFile(bad, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	onEachDatabase(t, func(t *testing.T, dsn string) {
		env := append(proctest.Env(), "RAPPORT_DB="+dsn)
		rapportCmd(t, env, "import", "fhir", f.base)
		before := snapshotDB(t, dsn)

		cmd := exec.Command(proctest.Binary(t), "import", "fhir", bad)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil {
			t.Fatal("the import of a file with a bad record succeeded")
		}
		where := fmt.Sprintf("delta.ndjson line %d", badLine)
		if msg := stderr.String(); !strings.Contains(msg, where) || !strings.Contains(msg, "birthDate") {
			t.Errorf("the error should name %s and birthDate:\n%s", where, msg)
		}
		if got := snapshotDB(t, dsn); got != before {
			t.Fatalf("a failed delta changed the database:\n got %s\nwant %s", got, before)
		}

		rejects := filepath.Join(t.TempDir(), "rejects.ndjson")
		out := rapportCmd(t, env, "import", "fhir", bad, "--continue-on-error", "--rejects", rejects)
		if want := fmt.Sprintf("1 file: %d created, %d updated, 0 unchanged, 1 rejected\n", len(recs)-changedN-1, changedN); !strings.HasPrefix(out, want) {
			t.Errorf("with --continue-on-error, want %q:\n%s", want, out)
		}
		data, err := os.ReadFile(rejects)
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(string(data)), "\n"); len(lines) != 1 || !strings.Contains(lines[0], fmt.Sprintf("line %d", badLine)) {
			t.Errorf("rejects file should hold line %d alone:\n%s", badLine, data)
		}
	})
}
