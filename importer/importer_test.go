package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/internal/shareddata"
	"github.com/rapporthq/rapport/store"
)

var start = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func clock() rapport.Clock { return rapport.NewManualClock(start) }

func counts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	c, err := db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSyntheaBundles(t *testing.T) {
	t.Parallel()
	dir := shareddata.Dir(t, "synthea", "bundles")
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "synthea"}
		sum, err := im.ImportFHIR(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dir)
		if sum.Files != len(entries) {
			t.Errorf("files = %d, want %d", sum.Files, len(entries))
		}
		created, _, _, rejected := sum.Total()
		if rejected != 0 || created == 0 {
			t.Fatalf("created %d rejected %d:\n%s", created, rejected, sum)
		}
		patients := len(entries) - 2 // the hospital and practitioner directories hold no patient
		if got := sum.ByType["Patient"].Created; got != patients {
			t.Errorf("patients created = %d, want %d", got, patients)
		}
		if sum.WaitingRefs != 0 {
			t.Errorf("%d references left unresolved", sum.WaitingRefs)
		}
		before := counts(t, db)
		if before["encounters"] == 0 || before["conditions"] == 0 || before["medication_requests"] == 0 || before["practitioners"] == 0 {
			t.Errorf("clinical records missing: %v", before)
		}

		// Synthea's 555 numbers are kept, and judged invalid with the reason.
		ps, _, err := db.FindPatients(ctx, rapport.PatientFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		phones := 0
		for _, p := range ps {
			for _, c := range p.Contacts {
				if c.Kind == rapport.ContactPhone {
					phones++
					if c.Status != rapport.StatusInvalid || !strings.Contains(c.StatusReason, "555") {
						t.Errorf("phone %q: status %s (%s), want invalid naming area code 555", c.Raw, c.Status, c.StatusReason)
					}
				}
			}
		}
		if phones < patients {
			t.Errorf("%d phone numbers kept for %d patients", phones, patients)
		}

		// A second import changes nothing, not even the ledger.
		sum2, err := im.ImportFHIR(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if c, u, _, r := sum2.Total(); c != 0 || u != 0 || r != 0 {
			t.Errorf("second import: created %d updated %d rejected %d\n%s", c, u, r, sum2)
		}
		if after := counts(t, db); !equalCounts(before, after) {
			t.Errorf("second import changed the database:\n before %v\n after  %v", before, after)
		}
	})
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

func TestBulkNDJSON(t *testing.T) {
	t.Parallel()
	dir := shareddata.Dir(t, "synthea", "bulk-10-patients")
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "bulk"}
		sum, err := im.ImportFHIR(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		// The "10 patients" export holds 13 (Synthea adds the deceased), and
		// resource types rapport does not import are counted, not refused.
		if sum.ByType["Patient"].Created != 13 || sum.Unsupported["Procedure"] == 0 || sum.WaitingRefs != 0 {
			t.Errorf("summary:\n%s", sum)
		}
		if _, _, _, r := sum.Total(); r != 0 {
			t.Errorf("rejected records:\n%s", sum)
		}
		sum2, err := im.ImportFHIR(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if c, u, _, _ := sum2.Total(); c != 0 || u != 0 {
			t.Errorf("second import created %d updated %d", c, u)
		}
	})
}

// ndjson writes lines to a file named name in a temp folder and returns its path.
func ndjson(t *testing.T, name string, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func patientJSON(id, family, birth string, ids ...string) string {
	var idents []string
	for _, v := range ids {
		sys, val, _ := strings.Cut(v, "|")
		idents = append(idents, `{"system":"`+sys+`","value":"`+val+`"}`)
	}
	return `{"resourceType":"Patient","id":"` + id + `","identifier":[` + strings.Join(idents, ",") + `],"name":[{"family":"` + family +
		`","given":["Ana"]}],"birthDate":"` + birth + `","telecom":[{"system":"phone","value":"+1 512 867 5309","use":"mobile"}]}`
}

func TestChangeIsUpdatedAndInLedger(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		if _, err := im.ImportFHIR(ctx, ndjson(t, "Patient.ndjson", patientJSON("p1", "Reyes", "1950-01-02", "urn:mrn|1"))); err != nil {
			t.Fatal(err)
		}
		sum, err := im.ImportFHIR(ctx, ndjson(t, "Patient.ndjson", patientJSON("p1", "Reyes-Luna", "1950-01-02", "urn:mrn|1")))
		if err != nil {
			t.Fatal(err)
		}
		if sum.ByType["Patient"].Updated != 1 || sum.ByType["Patient"].Created != 0 {
			t.Fatalf("summary:\n%s", sum)
		}
		evs, err := db.FindEvents(ctx, rapport.EventFilter{Kind: rapport.EventRecordUpdated})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 {
			t.Fatalf("update events = %d", len(evs))
		}
		var payload struct{ Changed []string }
		json.Unmarshal(evs[0].Payload, &payload)
		if len(payload.Changed) != 1 || payload.Changed[0] != "family" {
			t.Errorf("changed fields = %v, want [family]", payload.Changed)
		}
	})
}

func TestSharedIdentifiers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ssn := "http://hl7.org/fhir/sid/us-ssn|999-00-1234"
		// A mother and child with one SSN, in one file of one source.
		im := &importer.Importer{DB: db, Source: "ehr"}
		sum, err := im.ImportFHIR(ctx, ndjson(t, "Patient.ndjson",
			patientJSON("mother", "Reyes", "1970-01-02", ssn, "urn:mrn|M"),
			patientJSON("child", "Reyes", "2001-05-06", ssn, "urn:mrn|C")))
		if err != nil {
			t.Fatal(err)
		}
		if sum.ByType["Patient"].Created != 2 || sum.PossibleDuplicates != 1 {
			t.Errorf("mother and child: %s", sum)
		}
		// The mother again, through another system: recognised by MRN and birth date.
		crm := &importer.Importer{DB: db, Source: "crm"}
		sum, err = crm.ImportFHIR(ctx, ndjson(t, "Patient.ndjson", patientJSON("crm-77", "Reyes", "1970-01-02", "urn:mrn|M")))
		if err != nil {
			t.Fatal(err)
		}
		if sum.ByType["Patient"].Created != 0 || sum.ByType["Patient"].Updated != 1 {
			t.Errorf("other source, same person: %s", sum)
		}
		// A different person sharing the child's MRN (a data-entry error) in the other system.
		sum, err = crm.ImportFHIR(ctx, ndjson(t, "Patient.ndjson", patientJSON("crm-78", "Smith", "1990-03-03", "urn:mrn|C")))
		if err != nil {
			t.Fatal(err)
		}
		if sum.ByType["Patient"].Created != 1 || sum.PossibleDuplicates != 1 {
			t.Errorf("different person, shared MRN: %s", sum)
		}
		if n := counts(t, db)["patients"]; n != 3 {
			t.Errorf("patients = %d, want 3", n)
		}
		dups, _ := db.FindPossibleDuplicates(ctx)
		if len(dups) != 2 {
			t.Errorf("possible duplicates = %+v", dups)
		}
	})
}

func TestBadRecord(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		file := ndjson(t, "Patient.000.ndjson",
			patientJSON("a", "Good", "1950-01-02"),
			patientJSON("b", "Bad", "19x0-01-02"),
			patientJSON("c", "Good", "1960-01-02"))

		// All or nothing by default: the error names file, line and field.
		im := &importer.Importer{DB: db, Source: "ehr"}
		_, err := im.ImportFHIR(ctx, file)
		if err == nil || !strings.Contains(err.Error(), "Patient.000.ndjson line 2") || !strings.Contains(err.Error(), "birthDate") {
			t.Fatalf("err = %v, want it to name the file, line 2 and birthDate", err)
		}
		for table, n := range counts(t, db) {
			if n != 0 {
				t.Errorf("%s has %d rows after a failed file", table, n)
			}
		}

		// With --continue-on-error: the good records, and a report of the bad one.
		var report bytes.Buffer
		im.ContinueOnError, im.Rejects = true, &report
		sum, err := im.ImportFHIR(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		if sum.ByType["Patient"].Created != 2 || sum.ByType["Patient"].Rejected != 1 {
			t.Errorf("summary:\n%s", sum)
		}
		var rej importer.RejectedRecord
		lines := strings.Split(strings.TrimSpace(report.String()), "\n")
		if len(lines) != 1 {
			t.Errorf("report has %d lines, want 1:\n%s", len(lines), report.String())
		}
		if err := json.Unmarshal([]byte(lines[0]), &rej); err != nil {
			t.Fatalf("report %q: %v", report.String(), err)
		}
		if rej.File != "Patient.000.ndjson" || !strings.Contains(rej.Where, "line 2") || !strings.Contains(rej.Reason, "birthDate") {
			t.Errorf("reject report = %+v", rej)
		}
	})
}

func TestUnknownSubject(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		im := &importer.Importer{DB: db, Source: "ehr"}
		_, err := im.ImportFHIR(context.Background(), ndjson(t, "Condition.ndjson",
			`{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/nobody"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]}}`))
		if err == nil || !strings.Contains(err.Error(), "Patient/nobody is not known") || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("err = %v", err)
		}
	})
}

// TestEmptyDatabaseSameOutcome imports one file into an empty database and
// into one that already holds a patient of another source, with small
// batches so that clashes and a repeated resource span batches: both must
// come to the same result (a bulk path for empty databases must keep it).
func TestEmptyDatabaseSameOutcome(t *testing.T) {
	t.Parallel()
	ssn := "http://hl7.org/fhir/sid/us-ssn|999-00-1234"
	file := ndjson(t, "Patient.ndjson",
		patientJSON("p1", "Reyes", "1970-01-02", "urn:mrn|1", ssn),
		patientJSON("p2", "Smith", "1980-01-02", "urn:mrn|2"),
		patientJSON("p3", "Reyes", "2001-05-06", "urn:mrn|3", ssn),      // shares the SSN with p1, a batch later
		patientJSON("p1", "Reyes-Luna", "1970-01-02", "urn:mrn|1", ssn), // p1 again, changed: an update
		patientJSON("p4", "Lee", "2003-07-08", "urn:mrn|4", ssn),
		patientJSON("p2", "Smith", "1980-01-02", "urn:mrn|2")) // p2 again, unchanged
	seed := ndjson(t, "Seed.ndjson", patientJSON("s1", "Other", "1960-01-02", "urn:mrn|999"))
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		other := dbtest.Open(t, db.Dialect(), clock())
		run := func(db *store.DB, files ...string) importer.Summary {
			t.Helper()
			var main importer.Summary
			for _, f := range files {
				src := "ehr"
				if f == seed {
					src = "seed"
				}
				im := &importer.Importer{DB: db, Source: src, BatchSize: 2}
				sum, err := im.ImportFHIR(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if f == file {
					main = sum
				}
			}
			return main
		}
		empty := run(db, file, seed)
		plain := run(other, seed, file)
		if empty.String() != plain.String() {
			t.Errorf("into an empty database:\n%s\ninto one with a patient:\n%s", empty, plain)
		}
		if c := empty.ByType["Patient"]; c.Created != 4 || c.Updated != 1 || c.Unchanged != 1 || empty.PossibleDuplicates != 3 {
			t.Errorf("summary:\n%s", empty)
		}
		if a, b := counts(t, db), counts(t, other); !equalCounts(a, b) {
			t.Errorf("rows after the import into an empty database %v, into the other %v", a, b)
		}
		for _, d := range []*store.DB{db, other} {
			ps, _, err := d.FindPatients(ctx, rapport.PatientFilter{Identifier: &rapport.Identifier{System: "urn:mrn", Value: "1"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[0].Family != "Reyes-Luna" || len(ps[0].Contacts) != 1 || len(ps[0].Identifiers) != 2 {
				t.Errorf("p1 after the import: %+v", ps)
			}
		}
	})
}
