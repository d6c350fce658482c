package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

func relatedJSON(id, patient, code, name, phone string, extra ...string) string {
	s := `{"resourceType":"RelatedPerson","id":"` + id + `","patient":{"reference":"Patient/` + patient + `"},` +
		`"relationship":[{"coding":[{"system":"` + rapport.RoleCodeSystem + `","code":"` + code + `"}]}],"name":[{"text":"` + name + `"}]`
	if phone != "" {
		s += `,"telecom":[{"system":"phone","value":"` + phone + `","use":"mobile"}]`
	}
	for _, e := range extra {
		s += "," + e
	}
	return s + "}"
}

var (
	daughterLine = relatedJSON("rp1", "p1", "DAU", "Rosa Reyes", "(512) 867-5310",
		`"extension":[{"url":"`+fhir.ExtCaregiverScope+`","valueCode":"conversation"},{"url":"`+fhir.ExtCaregiverConsent+`","valueDateTime":"2026-05-01T09:00:00Z"}]`)
	husbandLine   = relatedJSON("rp2", "p1", "HUSB", "Jorge Reyes", "+1 361 867 5311")
	neighbourLine = relatedJSON("rp3", "p1", "NBOR", "Pat", "", `"active":false`)
)

func caregiversOf(t *testing.T, db *store.DB, source, patient string) map[string]*rapport.Caregiver {
	t.Helper()
	p := findBySource(t, db, source, patient)
	cs, err := db.FindCaregiversByPatient(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*rapport.Caregiver{}
	for _, c := range cs {
		out[c.Relationship.Code] = c
	}
	return out
}

// TestImportCaregivers: RelatedPersons become caregivers of their patient,
// with their own judged contact points (never the patient's), FHIR's
// defaults (reminders only, consent not recorded) unless rapport's
// extensions say otherwise, and inactive ones revoked; a re-import of the
// same file writes nothing.
func TestImportCaregivers(t *testing.T) {
	t.Parallel()
	file := ndjson(t, "mixed.ndjson", patientJSON("p1", "Reyes", "1950-01-02", "urn:mrn|1"), daughterLine, husbandLine, neighbourLine)
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		sum, err := im.ImportFHIR(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["RelatedPerson"]; c.Created != 3 || c.Rejected != 0 {
			t.Fatalf("summary:\n%s", sum)
		}
		cs := caregiversOf(t, db, "ehr", "p1")
		dau, husb, nbor := cs["DAU"], cs["HUSB"], cs["NBOR"]
		if dau == nil || husb == nil || nbor == nil {
			t.Fatalf("caregivers = %v", cs)
		}
		if dau.Scope != rapport.ScopeConversation || dau.Consent != rapport.ConsentGranted || dau.ConsentSource != rapport.SourceImport ||
			!dau.MayReceive(rapport.ProxyCheckIn, start) || dau.Relationship.Display != "daughter" {
			t.Errorf("daughter = %+v", dau)
		}
		if husb.Scope != rapport.ScopeReminders || husb.Consent != rapport.ConsentNotRecorded || husb.MayReceive(rapport.ProxyDoseReminder, start) {
			t.Errorf("husband = %+v", husb)
		}
		if !nbor.RevokedAt.Equal(start) || nbor.RevokedBy != rapport.SourceImport {
			t.Errorf("inactive neighbour = %+v", nbor)
		}
		if len(dau.Contacts) != 1 || dau.Contacts[0].Value != "+15128675310" || dau.Contacts[0].Status != rapport.StatusUnverified || dau.Contacts[0].PatientID != "" {
			t.Errorf("daughter's contacts = %+v", dau.Contacts)
		}
		if p := findBySource(t, db, "ehr", "p1"); len(p.Contacts) != 1 || p.Contacts[0].Value != "+15128675309" {
			t.Errorf("patient's own contacts = %+v", p.Contacts)
		}

		before := counts(t, db)
		events, _ := db.FindEvents(ctx, rapport.EventFilter{})
		sum, err = im.ImportFHIR(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["RelatedPerson"]; c.Unchanged != 3 || c.Created+c.Updated != 0 {
			t.Errorf("second import:\n%s", sum)
		}
		after, _ := db.FindEvents(ctx, rapport.EventFilter{})
		if !equalCounts(before, counts(t, db)) || len(after) != len(events) {
			t.Errorf("second import wrote: counts %v → %v, events %d → %d", before, counts(t, db), len(events), len(after))
		}
		if again := caregiversOf(t, db, "ehr", "p1")["DAU"]; !again.UpdatedAt.Equal(dau.UpdatedAt) {
			t.Errorf("unchanged caregiver rewritten at %v", again.UpdatedAt)
		}
	})
}

// TestImportKeepsPatientsRevocation: a caregiver the patient revoked stays
// revoked when the source sends the person again, changed; its new phone
// is taken.
func TestImportKeepsPatientsRevocation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		if _, err := im.ImportFHIR(ctx, ndjson(t, "a.ndjson", patientJSON("p1", "Reyes", "1950-01-02"), husbandLine)); err != nil {
			t.Fatal(err)
		}
		husb := caregiversOf(t, db, "ehr", "p1")["HUSB"]
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.RevokeCaregiver(ctx, husb.ID, rapport.SourcePatient, "")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		sum, err := im.ImportFHIR(ctx, ndjson(t, "b.ndjson", relatedJSON("rp2", "p1", "HUSB", "Jorge Reyes", "+1 361 867 5312")))
		if err != nil {
			t.Fatal(err)
		}
		got := caregiversOf(t, db, "ehr", "p1")["HUSB"]
		if sum.ByType["RelatedPerson"].Updated != 1 || got.ID != husb.ID || got.RevokedBy != rapport.SourcePatient || len(got.Contacts) != 1 ||
			got.Contacts[0].Value != "+13618675312" {
			t.Errorf("after re-import: %s\n%+v", sum, got)
		}
	})
}

// TestImportCaregiverErrors: a RelatedPerson of an unknown patient fails
// its whole file, naming line and field; with --continue-on-error a bad
// one is reported beside the input with its line and field.
func TestImportCaregiverErrors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db, Source: "ehr"}
		_, err := im.ImportFHIR(ctx, ndjson(t, "r.ndjson", patientJSON("p1", "Reyes", "1950-01-02"), relatedJSON("rp9", "nobody", "SON", "Al", "")))
		if err == nil || !strings.Contains(err.Error(), "r.ndjson line 2") || !strings.Contains(err.Error(), "patient: Patient/nobody is not known") {
			t.Fatalf("err = %v", err)
		}
		for table, n := range counts(t, db) {
			if n != 0 {
				t.Errorf("%s has %d rows after a failed file", table, n)
			}
		}

		var report bytes.Buffer
		im.ContinueOnError, im.Rejects = true, &report
		bad := relatedJSON("rp8", "p1", "son", "Al", "") // v3-RoleCode codes are upper case
		sum, err := im.ImportFHIR(ctx, ndjson(t, "r.ndjson", patientJSON("p1", "Reyes", "1950-01-02"), bad, husbandLine))
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["RelatedPerson"]; c.Created != 1 || c.Rejected != 1 {
			t.Errorf("summary:\n%s", sum)
		}
		var rej importer.RejectedRecord
		if err := json.Unmarshal(report.Bytes(), &rej); err != nil {
			t.Fatalf("report %q: %v", report.String(), err)
		}
		if rej.Resource != "RelatedPerson" || !strings.Contains(rej.Where, "line 2") || !strings.Contains(rej.Reason, `relationship: "son"`) {
			t.Errorf("reject = %+v", rej)
		}
	})
}
