package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	html, js := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.json")
	db := filepath.Join(dir, "demo.db")
	if err := os.WriteFile(db, []byte("an old demo database"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, nil, "demo", "--patients", "80", "--days", "8", "--seed", "2", "--db", "sqlite:"+db, "--out", html, "--json", js)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"ENGAGED DECLINERS", "one-shot baseline", "quiet-hours violations", "recreated at every run"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), "<html") {
		t.Errorf("HTML report: %v (%d bytes)", err, len(page))
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Patients int `json:"patients"`
		Holdout  struct {
			Contacted *int `json:"contacted"`
		} `json:"holdout"`
		Baseline map[string]json.RawMessage `json:"baseline"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Patients != 80 || rep.Holdout.Contacted == nil || *rep.Holdout.Contacted != 0 || rep.Baseline["funnel"] == nil || rep.Baseline["engaged_decliners"] == nil {
		t.Errorf("JSON report: %s", data)
	}
}

func TestDemoUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"demo", "--patients", "0"}, {"demo", "--db", "mysql://x"}, {"demo", "extra"}} {
		if code, _, stderr := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, stderr)
		}
	}
	if code, _, stderr := run(t, nil, "demo", "--model", filepath.Join(t.TempDir(), "missing.yaml")); code != 1 || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("missing model file: exit %d (%s), want 1 naming the file", code, stderr)
	}
}
