package hygiene_test

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/hygiene"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/fhirschema"
	"github.com/rapporthq/rapport/store"
)

// TestExport: after a run, the export gives the CRM a CSV row per learned
// fact (an invalid email with its suggested fix, a stale number, a possible
// duplicate) and FHIR R4 resources that pass the R4 schema: Patient with
// the dead number ended and the others ranked, and Flags.
func TestExport(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t, store.SQLite, rapport.NewManualClock(start))
	f := setup(t, db, db.Clock().(*rapport.ManualClock))
	f.run(t)
	ok := f.clean(t)
	ana, ben := ok[0], ok[1]
	setRaw(t, f, f.contact(t, ben.ID, rapport.ContactEmail).ID, "ben@gmail.con")
	f.stale.ids = []string{f.contact(t, ana.ID, rapport.ContactPhone).ID}
	second := f.run(t)

	dir := t.TempDir()
	st, err := hygiene.Export(f.ctx, db, dir, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, hygiene.CorrectionsFile))
	if got := strings.Join(rows[0], ","); got != "patient_id,source_identifiers,contact_point,kind,status,reason,evidence_date,suggestion" {
		t.Errorf("header %s", got)
	}
	find := func(pid rapport.PatientID, kind string) []string {
		for _, r := range rows[1:] {
			if r[0] == string(pid) && r[3] == kind {
				return r
			}
		}
		t.Fatalf("no %s row for %s in\n%v", kind, pid, rows)
		return nil
	}
	if r := find(ben.ID, "email"); r[2] != "ben@gmail.con" || r[4] != "invalid" || r[7] != "ben@gmail.com" ||
		!strings.HasPrefix(r[1], ben.Identifiers[0].System+"|") {
		t.Errorf("Ben's email row %q", r)
	}
	if r := find(ana.ID, "phone"); r[4] != "stale" || r[5] != "no answer for 6 months" || r[6] != "2026-01-01T03:00:00Z" {
		t.Errorf("Ana's phone row %q", r)
	}
	dups := 0
	for _, r := range rows[1:] {
		if r[3] == "patient" && r[4] == "possible_duplicate" {
			dups++
		}
	}
	if dups != 2*second.Duplicates.Pending || st.Corrections != len(rows)-1 {
		t.Errorf("%d duplicate rows for %d pairs; %d corrections for %d rows", dups, second.Duplicates.Pending, st.Corrections, len(rows)-1)
	}

	patients := readNDJSON(t, filepath.Join(dir, hygiene.PatientsFile), "Patient")
	flags := readNDJSON(t, filepath.Join(dir, hygiene.FlagsFile), "Flag")
	if len(patients) != st.Patients || len(flags) != st.Flags || st.Flags == 0 {
		t.Errorf("%d patients, %d flags; stats %+v", len(patients), len(flags), st)
	}
	var benFHIR string
	for _, p := range patients {
		if strings.Contains(p, `"id":"`+string(ben.ID)+`"`) {
			benFHIR = p
		}
	}
	// Ben's phone works (rank 1); his email ends.
	if !strings.Contains(benFHIR, `"system":"phone","value":"`+ben.Contacts[0].Raw+`","use":"mobile","rank":1}`) ||
		!strings.Contains(benFHIR, `"system":"email","value":"ben@gmail.con","period":{"end":"2026-01-01T03:00:00Z"}`) {
		t.Errorf("Ben's Patient update: %s", benFHIR)
	}
	if !strings.Contains(strings.Join(flags, "\n"), `"possible duplicate of Patient/`) {
		t.Error("no possible-duplicate Flag")
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// readNDJSON returns the lines, each checked against the R4 schema.
func readNDJSON(t *testing.T, path, typ string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fhirschema.Assert(t, typ, sc.Bytes())
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
