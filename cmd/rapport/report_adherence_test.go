package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/metrics"
	"github.com/rapporthq/rapport/store"
)

// TestReportAdherence runs the command a user types on an imported year:
// the text opens with the definition, shows the PQA classes apart from
// other drugs, says there are no check-in answers rather than 0%, and the
// JSON carries the default period (the last 365 days, today included).
func TestReportAdherence(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "r.db")
	if code, _, errOut := run(t, nil, "migrate", "--db", "sqlite:"+path); code != 0 {
		t.Fatalf("migrate: %d %s", code, errOut)
	}
	code, out, errOut := run(t, nil, "report", "adherence", "--db", "sqlite:"+path)
	if code != 0 || !strings.Contains(out, "no fills in the period") || !strings.Contains(out, "no check-in answers yet") {
		t.Errorf("empty database: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+path, rapport.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	p := &rapport.Patient{Given: "Ann", Rural: true, TimeZone: "America/Chicago"}
	rx := "http://www.nlm.nih.gov/research/umls/rxnorm"
	var ds []*rapport.MedicationDispense
	for i := range 3 {
		at := time.Date(2026, 1, 10, 15, 0, 0, 0, time.UTC).AddDate(0, 0, 30*i)
		ds = append(ds,
			&rapport.MedicationDispense{Status: "completed", Medication: rapport.Code{System: rx, Code: "314076", Display: "lisinopril 10 MG Oral Tablet"}, DaysSupply: 30, HandedOver: at},
			&rapport.MedicationDispense{Status: "completed", Medication: rapport.Code{System: rx, Code: "197361", Display: "amlodipine 5 MG Oral Tablet"}, DaysSupply: 30, HandedOver: at})
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePatients(ctx, []*rapport.Patient{p}); err != nil {
			return err
		}
		for _, d := range ds {
			d.PatientID = p.ID
		}
		return tx.SaveMedicationDispenses(ctx, ds)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, out, errOut = run(t, nil, "report", "adherence", "--db", "sqlite:"+path)
	lines := strings.Split(out, "\n")
	if code != 0 || len(lines) < 3 || lines[1] != metrics.AdherenceDefinition {
		t.Fatalf("exit %d, stderr %q; want the definition on the second line:\n%s", code, errOut, out)
	}
	pqa, other := strings.Index(out, "PQA MEASURES"), strings.Index(out, "OTHER DRUGS")
	for _, want := range []string{"2025-06-02 to 2026-06-01", "RAS antagonists (PQA PDC-RASA)", "amlodipine 5 MG Oral Tablet", "no check-in answers yet",
		"SEGMENTS", "    rural", "PDC DISTRIBUTION"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if pqa < 0 || other < pqa || strings.Index(out, "amlodipine") < other || strings.Index(out, "RAS antagonists") > other {
		t.Errorf("want RASA under PQA MEASURES and amlodipine under OTHER DRUGS:\n%s", out)
	}

	code, out, _ = run(t, nil, "report", "adherence", "--db", "sqlite:"+path, "--format", "json", "--from", "2026-01-01", "--to", "2026-12-31")
	var r metrics.AdherenceReport
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil {
		t.Fatalf("json: exit %d, %v:\n%s", code, err, out)
	}
	// Lisinopril from January 10: 356 days to December 31, 90 covered.
	if r.From.String() != "2026-01-01" || r.To.String() != "2026-12-31" || len(r.Classes) != 2 ||
		r.Classes[0].Class != "RASA" || r.Classes[0].Overall.Measured != 1 || r.Classes[0].Overall.MeanPDC != 90.0/356 {
		t.Errorf("json report: %+v", r)
	}
}

func TestReportAdherenceUsage(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "r.db")
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"--from", "2026-02-30x"}, "from: want a date YYYY-MM-DD"},
		{[]string{"--to", "31/12/2026"}, "to: want a date YYYY-MM-DD"},
		{[]string{"--from", "2026-12-31", "--to", "2026-01-01"}, "is after to"},
		{[]string{"--format", "csv"}, "usage: rapport report adherence"},
		{[]string{"extra"}, "usage: rapport report adherence"},
	} {
		code, out, errOut := run(t, nil, append([]string{"report", "adherence", "--db", db}, c.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.err) {
			t.Errorf("report adherence %v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errOut, c.err)
		}
	}
}
