package importer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/fhir"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// revocations returns the payloads of the caregiver.revoked events.
func revocations(t *testing.T, db *store.DB) []string {
	t.Helper()
	evs, err := db.FindEvents(context.Background(), rapport.EventFilter{Kind: rapport.EventCaregiverRevoked})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, string(ev.Payload))
	}
	return out
}

// TestImportCSVEndsUnlistedCaregivers: a CRM row that no longer names a
// caregiver ends that caregiver's role (revoked by the import, in the
// ledger, no more alerts); a patient the file does not name keeps theirs,
// and so does a caregiver staff added; the CRM naming the person again
// brings them back.
func TestImportCSVEndsUnlistedCaregivers(t *testing.T) {
	t.Parallel()
	m, err := csvimport.LoadMapping("../csvimport/testdata/caregivers-mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	first := writeCSV(t, caregiverRows...)
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db}
		if _, err := im.ImportCSV(ctx, first, m); err != nil {
			t.Fatal(err)
		}
		p1 := findBySource(t, db, "clinic-crm", "P-1")
		staff := &rapport.Caregiver{PatientID: p1.ID, Given: "Eva", Relationship: rapport.Code{Code: "SIS"}, Scope: rapport.ScopeReminders,
			Consent: rapport.ConsentNotRecorded}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.SaveCaregiver(ctx, staff) }); err != nil {
			t.Fatal(err)
		}
		// Jorge left P-1's row, P-2's row names nobody now; P-3 and P-4 are not in the file.
		sum, err := im.ImportCSV(ctx, writeCSV(t,
			"P-1,MRN-1,Ana,García,03/14/1948,(512) 867-5309,Rosa García,(512) 867-5310,Daughter,Y,Spanish,,,,,",
			"P-2,MRN-2,Robert,Smith,7/4/1946,845-677-1234,,,,,,,,,,"), m)
		if err != nil {
			t.Fatal(err)
		}
		if sum.CaregiversEnded != 2 || !strings.Contains(sum.String(), "ended: 2") {
			t.Errorf("summary:\n%s", sum)
		}
		cs := caregiversOf(t, db, "clinic-crm", "P-1")
		if husb := cs["HUSB"]; !husb.Revoked() || husb.RevokedBy != rapport.SourceImport || husb.RevokeReason != "no longer listed by clinic-crm" ||
			husb.MayReceive(rapport.ProxyMissedDose, start) {
			t.Errorf("Jorge after the CRM dropped him: %+v", husb)
		}
		if cs["DAU"].Revoked() || cs["SIS"].Revoked() {
			t.Errorf("the daughter or the staff's caregiver was ended: %+v %+v", cs["DAU"], cs["SIS"])
		}
		if sps := caregiversOf(t, db, "clinic-crm", "P-2")["SPS"]; !sps.Revoked() {
			t.Errorf("P-2's spouse after an empty row: %+v", sps)
		}
		for _, c := range caregiversOf(t, db, "clinic-crm", "P-4") {
			if c.Revoked() {
				t.Errorf("P-4, not in the file, lost %+v", c)
			}
		}
		if revs := revocations(t, db); len(revs) != 2 || !strings.Contains(revs[0], "no longer listed by clinic-crm") {
			t.Errorf("ledger: %q, want two revocations by the import", revs)
		}

		// The first file again: Jorge is listed once more, his role back.
		if _, err := im.ImportCSV(ctx, first, m); err != nil {
			t.Fatal(err)
		}
		if husb := caregiversOf(t, db, "clinic-crm", "P-1")["HUSB"]; husb.Revoked() {
			t.Errorf("Jorge listed again stays ended: %+v", husb)
		}
	})
}

// TestImportFHIREndsUnlistedCaregivers: a delta (a file not said to be a
// full export) ends no caregiver it leaves out; a full export with a
// patient's RelatedPersons ends the ones it no longer holds, and one that
// holds the patient but none of theirs ends their last; a full export
// without any RelatedPerson (patients only) ends nothing; a transaction's
// DELETE of a RelatedPerson ends it in any file.
func TestImportFHIREndsUnlistedCaregivers(t *testing.T) {
	t.Parallel()
	first := ndjson(t, "mixed.ndjson", patientJSON("p1", "Reyes", "1950-01-02", "urn:mrn|1"), daughterLine, husbandLine, neighbourLine)
	patientsOnly := ndjson(t, "patients.ndjson", patientJSON("p1", "Reyes", "1950-01-02", "urn:mrn|1"))
	onlyDaughter := ndjson(t, "related.ndjson", daughterLine)
	p2 := patientJSON("p2", "Ortiz", "1948-05-06", "urn:mrn|2")
	noneOfP1s := ndjson(t, "full.ndjson", patientJSON("p1", "Reyes", "1950-01-02", "urn:mrn|1"), p2, relatedJSON("rp9", "p2", "DAU", "Ana Ortiz", "(512) 867-5319"))
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		delta := &importer.Importer{DB: db, Source: "ehr"}
		full := &importer.Importer{DB: db, Source: "ehr", FullExport: true}
		importAll := func(im *importer.Importer, files ...string) importer.Summary {
			t.Helper()
			var sum importer.Summary
			for _, f := range files {
				var err error
				if sum, err = im.ImportFHIR(ctx, f); err != nil {
					t.Fatal(err)
				}
			}
			return sum
		}
		importAll(full, first, patientsOnly)
		if cs := caregiversOf(t, db, "ehr", "p1"); cs["HUSB"].Revoked() || cs["DAU"].Revoked() {
			t.Fatalf("a full export of patients only ended caregivers: %+v", cs)
		}
		if sum := importAll(delta, onlyDaughter); sum.CaregiversEnded != 0 || caregiversOf(t, db, "ehr", "p1")["HUSB"].Revoked() {
			t.Fatalf("a delta with the daughter alone ended %d caregivers: %+v", sum.CaregiversEnded, caregiversOf(t, db, "ehr", "p1")["HUSB"])
		}
		sum := importAll(full, onlyDaughter)
		cs := caregiversOf(t, db, "ehr", "p1")
		if sum.CaregiversEnded != 1 || !cs["HUSB"].Revoked() || cs["HUSB"].RevokeReason != "no longer listed by ehr" || cs["DAU"].Revoked() {
			t.Errorf("after a full export without the husband (%d ended): %+v %+v", sum.CaregiversEnded, cs["HUSB"], cs["DAU"])
		}
		if sum := importAll(full, noneOfP1s); sum.CaregiversEnded != 1 || !caregiversOf(t, db, "ehr", "p1")["DAU"].Revoked() ||
			caregiversOf(t, db, "ehr", "p2")["DAU"].Revoked() {
			t.Errorf("a full export holding p1 and none of theirs ended %d; p1's daughter %+v", sum.CaregiversEnded, caregiversOf(t, db, "ehr", "p1")["DAU"])
		}
		importAll(full, first) // listed again: the daughter and husband are back

		del := `{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":"RelatedPerson/rp1"}}]}`
		sum, err := delta.ImportFHIRReader(ctx, strings.NewReader(del), "delete.json", fhir.KindBundle)
		if err != nil {
			t.Fatal(err)
		}
		dau := caregiversOf(t, db, "ehr", "p1")["DAU"]
		if sum.CaregiversEnded != 1 || !dau.Revoked() || dau.RevokeReason != "deleted in ehr" || len(sum.Unsupported) != 0 {
			t.Errorf("after the DELETE (%d ended, unsupported %v): %+v", sum.CaregiversEnded, sum.Unsupported, dau)
		}
		// The husband's and the daughter's by omission, the daughter's by the DELETE.
		if revs := revocations(t, db); len(revs) != 3 || !strings.Contains(revs[2], "deleted in ehr") {
			t.Errorf("ledger: %q", revs)
		}
	})
}
