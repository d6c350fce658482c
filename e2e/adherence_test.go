package e2e

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport/adherence"
	"github.com/rapporthq/rapport/internal/proctest"
	"github.com/rapporthq/rapport/metrics"
)

// The period the adherence test measures: the year up to the generator's
// default as_of, 2026-11-01.
const adherenceFrom, adherenceTo = "2025-11-02", "2026-11-01"

// TestAdherenceReportProcess is issue 15's measures on the user's path:
// `rapport generate` a few hundred people with prescriptions and fills,
// `rapport import fhir` them, `rapport report adherence --format json`,
// and the same report from `rapport serve`'s API. The figures are checked
// against adherence.Measure run here on the generated NDJSON itself — its
// own dates, codes and supplies, classified by a table of the generator's
// four measured drugs — not on anything the import or the store wrote.
func TestAdherenceReportProcess(t *testing.T) {
	t.Parallel()
	proctest.Binary(t)
	dir := t.TempDir()
	env := append(proctest.Env(), "RAPPORT_DB=sqlite:"+filepath.Join(dir, "r.db"))
	rapportCmd(t, env, "generate", "--patients", "400", "--seed", "15", "--out", filepath.Join(dir, "gen"))
	if out := rapportCmd(t, env, "import", "fhir", filepath.Join(dir, "gen", "fhir")); !strings.Contains(out, "MedicationDispense") {
		t.Fatalf("import: %s", out)
	}
	out := rapportCmd(t, env, "report", "adherence", "--format", "json", "--from", adherenceFrom, "--to", adherenceTo)
	var cli metrics.AdherenceReport
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatalf("report adherence --format json: %v\n%s", err, out)
	}

	want := measureNDJSON(t, filepath.Join(dir, "gen", "fhir"))
	got := map[string]adherence.Summary{}
	for _, c := range cli.Classes {
		got[c.Class] = c.Overall
		segs := map[string]int{}
		for _, s := range c.Segments {
			segs[s.Segment] += s.Patients
		}
		if segs[metrics.SegmentRural]+segs[metrics.SegmentUrban] != c.Overall.Patients {
			t.Errorf("%s: rural %d + urban %d patients, want the %d of the class", c.Class, segs[metrics.SegmentRural], segs[metrics.SegmentUrban], c.Overall.Patients)
		}
	}
	for _, class := range []string{adherence.ClassDiabetes, adherence.ClassRASA, adherence.ClassStatins, "other:197361"} {
		w, g := want[class], got[class]
		if w.Measured < 20 {
			t.Fatalf("%s: %d patients measured from the NDJSON; the test needs a population with medications", class, w.Measured)
		}
		if g.Patients != w.Patients || g.Measured != w.Measured || g.Excluded != w.Excluded || g.PDCDeciles != w.PDCDeciles ||
			math.Abs(g.MeanPDC-w.MeanPDC) > 1e-9 || math.Abs(g.MeanMPR-w.MeanMPR) > 1e-9 || math.Abs(g.AdherentShare-w.AdherentShare) > 1e-9 {
			t.Errorf("%s: report %+v\nfrom the NDJSON %+v", class, g, w)
		}
		if g.SelfReport.Answered != 0 {
			t.Errorf("%s: %d check-in answers before any check-in", class, g.SelfReport.Answered)
		}
	}

	token := strings.TrimSpace(rapportCmd(t, env, "token", "create", "--role", "staff", "--name", "e2e"))
	addr := freeAddr(t)
	srv := proctest.Start(t, env, "serve", "--addr", addr, "--log-level", "warn")
	defer srv.Stop()
	var api metrics.AdherenceReport
	getJSON(t, "http://"+addr+"/api/v1/metrics/adherence?from="+adherenceFrom+"&to="+adherenceTo, token, &api)
	if !reflect.DeepEqual(api, cli) {
		t.Errorf("the API's report differs from the command's:\nAPI %+v\nCLI %+v", api, cli)
	}
}

// generatorClasses are the PQA classes of the drugs rapport generate
// prescribes; the others are measured per drug.
var generatorClasses = map[string]string{"314076": "RASA", "617310": "STA", "861007": "DR"}

// measureNDJSON reads the generated MedicationDispense files and measures
// each patient with adherence.Measure, summarising per class.
func measureNDJSON(t *testing.T, dir string) map[string]adherence.Summary {
	t.Helper()
	from, _ := adherence.ParseDate(adherenceFrom)
	to, _ := adherence.ParseDate(adherenceTo)
	method := adherence.Method{Period: adherence.Period{Start: from, End: to}}
	files, err := filepath.Glob(filepath.Join(dir, "MedicationDispense.*.ndjson"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no MedicationDispense NDJSON in %s: %v", dir, err)
	}
	fills := map[string][]adherence.Fill{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var d struct {
				Status     string `json:"status"`
				Medication struct {
					Coding []struct{ Code string } `json:"coding"`
				} `json:"medicationCodeableConcept"`
				Subject    struct{ Reference string } `json:"subject"`
				DaysSupply struct{ Value int }        `json:"daysSupply"`
				HandedOver time.Time                  `json:"whenHandedOver"`
			}
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			date := adherence.DateOf(d.HandedOver) // in its own offset: the pharmacy's day
			if d.Status != "completed" || !method.Period.Contains(date) {
				continue
			}
			code := d.Medication.Coding[0].Code
			class := generatorClasses[code]
			if class == "" {
				class = "other:" + code
			}
			fills[d.Subject.Reference] = append(fills[d.Subject.Reference], adherence.Fill{Drug: code, Class: class, Date: date, DaysSupply: d.DaysSupply.Value})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var all []adherence.PatientResult
	for patient, fs := range fills {
		rs, err := adherence.Measure(method, fs, nil)
		if err != nil {
			t.Fatalf("%s: %v", patient, err)
		}
		all = append(all, adherence.PatientResult{PatientID: patient, Results: rs})
	}
	out := map[string]adherence.Summary{}
	for _, s := range adherence.Summarize(all, nil) {
		out[s.Class] = s
	}
	return out
}
