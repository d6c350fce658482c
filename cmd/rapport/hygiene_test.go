package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/internal/shareddata"
)

// TestHygieneCommands: on an imported Synthea list (whose 555 numbers are
// all invalid), hygiene run prints the report, hygiene report prints the
// stored one again (text and JSON), and hygiene export writes the files for
// the CRM and audits the patients it read.
func TestHygieneCommands(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	if code, out, errOut := run(t, nil, "import", "fhir", shareddata.Dir(t, "synthea", "bundles"), "--db", db, "--source", "synthea"); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	code, _, errOut := run(t, nil, "hygiene", "report", "--db", db)
	if code != 1 || !strings.Contains(errOut, "hygiene run not found") {
		t.Errorf("report before any run: %d %q", code, errOut)
	}
	code, out, errOut := run(t, nil, "hygiene", "run", "--db", db)
	for _, want := range []string{"hygiene run ", "contact points (kind status reason: count)", "phone  invalid",
		"duplicates (full, 39 of 39 patients compared)", "reachable (at least one usable channel):", "language:en"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("run: %d, want %q in\n%s%s", code, want, out, errOut)
		}
	}
	code, js, _ := run(t, nil, "hygiene", "report", "--db", db, "--format", "json")
	var r hygiene.Report
	if err := json.Unmarshal([]byte(js), &r); code != 0 || err != nil || !strings.Contains(out, r.RunID) || r.Reach.Patients != 39 {
		t.Errorf("report --format json: %d %v run %q\n%s", code, err, r.RunID, js)
	}
	if code, text, _ := run(t, nil, "hygiene", "report", "--db", db, "--run", r.RunID); code != 0 || text != out {
		t.Errorf("report --run: %d\n%s\nwant\n%s", code, text, out)
	}

	dir := filepath.Join(t.TempDir(), "crm")
	code, out, errOut = run(t, nil, "hygiene", "export", "--db", db, "--out", dir)
	if code != 0 || !strings.Contains(out, "wrote "+dir) {
		t.Fatalf("export: %d %q %q", code, out, errOut)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "corrections.csv"))
	if err != nil || !strings.Contains(string(csv), ",phone,invalid,") {
		t.Errorf("corrections.csv: %v\n%s", err, csv)
	}
	_, audit, _ := run(t, nil, "audit", "--db", db, "--actor", "cli", "--format", "json")
	if n := strings.Count(audit, `"resource":"Export/hygiene"`); n == 0 {
		t.Errorf("the export is not audited:\n%s", audit)
	}
}

func TestHygieneUsage(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"hygiene"}, "usage: rapport hygiene run"},
		{[]string{"hygiene", "sweep", "--db", db}, "usage: rapport hygiene run"},
		{[]string{"hygiene", "export", "--db", db}, "needs --out"},
		{[]string{"hygiene", "report", "--db", db, "--format", "xml"}, "usage"},
		{[]string{"worker", "--db", db, "--hygiene-every", "fortnightly"}, `--hygiene-every "fortnightly"`},
	} {
		if code, _, errOut := run(t, nil, c.args...); code != 2 || !strings.Contains(errOut, c.err) {
			t.Errorf("%q: %d %q, want 2 and %q", c.args, code, errOut, c.err)
		}
	}
}
