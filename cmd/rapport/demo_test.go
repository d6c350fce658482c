package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
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
	// Without asking, the report says how far its headline holds: the
	// three worlds over two seeds, in every form of the report.
	var spreads struct {
		Spreads []struct {
			World    string  `json:"world"`
			Patients int     `json:"patients"`
			Seeds    []int64 `json:"seeds"`
		} `json:"spreads"`
	}
	if err := json.Unmarshal(data, &spreads); err != nil {
		t.Fatal(err)
	}
	var worlds []string
	for _, s := range spreads.Spreads {
		worlds = append(worlds, s.World)
		if s.Patients != 80 || len(s.Seeds) != 2 || s.Seeds[0] != 2 {
			t.Errorf("%s world: %d patients, seeds %v; want 80 patients, seeds [2 3]", s.World, s.Patients, s.Seeds)
		}
	}
	slices.Sort(worlds)
	if strings.Join(worlds, ",") != "default,optimistic,pessimistic" {
		t.Errorf("JSON spreads cover worlds %v, want default, pessimistic, optimistic", worlds)
	}
	for _, want := range []string{`id="worlds"`, "pessimistic world, 80 patients per run", "lift common outcome pp, rapport"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if !strings.Contains(stdout, "pessimistic world, 80 patients, 2 seed(s) [2 3]") {
		t.Errorf("text report lacks the pessimistic world:\n%s", stdout)
	}
}

func TestDemoUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"demo", "--patients", "0"}, {"demo", "--db", "mysql://x"}, {"demo", "extra"}, {"demo", "--seeds", "0"}, {"demo", "--worlds-patients", "0"}} {
		if code, _, stderr := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, stderr)
		}
	}
	if code, _, stderr := run(t, nil, "demo", "--model", filepath.Join(t.TempDir(), "missing.yaml")); code != 1 || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("missing model file: exit %d (%s), want 1 naming the file", code, stderr)
	}
}

// RAPPORT_LOG_LEVEL=debug shows the demo's phases on stderr, apart from
// the report; a level the demo does not know is a usage error.
func TestDemoPhases(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	args := []string{"demo", "--patients", "30", "--days", "2", "--worlds=false", "--seeds", "1", "--db", db, "--out", ""}
	code, stdout, stderr := run(t, map[string]string{"RAPPORT_LOG_LEVEL": "debug"}, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`msg=generated`, `msg="imported the EHR's export"`, `msg="imported the CRM's rows"`, `msg=simulated strategy=baseline`, `msg=simulated strategy=rapport`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stdout, "level=DEBUG") {
		t.Errorf("the phases went into the report:\n%s", stdout)
	}
	if code, _, stderr := run(t, map[string]string{"RAPPORT_LOG_LEVEL": "loud"}, args...); code != 2 || !strings.Contains(stderr, "RAPPORT_LOG_LEVEL") {
		t.Errorf("RAPPORT_LOG_LEVEL=loud: exit %d (%s), want 2 naming the variable", code, stderr)
	}
}

// TestDemoSeedsAndWorlds runs tiny demos: by default the worlds run at
// --worlds-patients (capped by --patients); with --worlds=false, --seeds
// are seeds of the headline run alone.
func TestDemoSeedsAndWorlds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		want, lack []string
	}{
		{[]string{"--patients", "60", "--worlds-patients", "30", "--model", "optimistic"},
			[]string{"default world, 30 patients, 2 seed(s) [1 2]", "pessimistic world, 30 patients", "optimistic world, 30 patients", "lift common outcome pp, rapport"}, nil},
		{[]string{"--patients", "30", "--worlds=false", "--seeds", "3"},
			[]string{"default world, 30 patients, 3 seed(s) [1 2 3]"}, []string{"pessimistic world"}},
		{[]string{"--patients", "30", "--worlds=false", "--seeds", "1"}, nil, []string{"How far the headline holds"}},
	} {
		db := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
		args := append([]string{"demo", "--days", "5", "--db", db, "--out", ""}, tc.args...)
		code, stdout, stderr := run(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		for _, want := range tc.want {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v: report lacks %q:\n%s", tc.args, want, stdout)
			}
		}
		for _, lack := range tc.lack {
			if strings.Contains(stdout, lack) {
				t.Errorf("%v: report has %q:\n%s", tc.args, lack, stdout)
			}
		}
	}
}

// TestDemoSameSeedSameReport runs a small demo, worlds included (their
// runs go side by side), twice with one seed and once with another: the
// text and JSON reports of the first two must be the same bytes, and the
// third's must differ.
func TestDemoSameSeedSameReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, js := "sqlite:"+filepath.Join(dir, "demo.db"), filepath.Join(dir, "report.json")
	report := func(seed string) (text, jsonReport string) {
		t.Helper()
		code, stdout, stderr := run(t, nil, "demo", "--patients", "150", "--days", "30", "--seed", seed, "--worlds-patients", "40", "--db", db, "--out", "", "--json", js)
		if code != 0 {
			t.Fatalf("seed %s: exit %d: %s", seed, code, stderr)
		}
		data, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		return stdout, string(data)
	}
	text1, json1 := report("7")
	text2, json2 := report("7")
	if text1 != text2 {
		t.Errorf("seed 7 gave two text reports:\n%s\n---\n%s", text1, text2)
	}
	if json1 != json2 {
		t.Errorf("seed 7 gave two JSON reports:\n%s\n---\n%s", json1, json2)
	}
	text3, json3 := report("8")
	if text3 == text1 || json3 == json1 {
		t.Errorf("seeds 7 and 8 gave the same report:\n%s", text3)
	}
}
