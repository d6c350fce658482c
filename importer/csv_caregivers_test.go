package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
	"github.com/rapporthq/rapport/csvimport"
	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

const caregiversHeader = "Patient ID,MRN,First Name,Last Name,DOB,Mobile,Emergency Contact Name,Emergency Contact Phone,Relationship,Caregiver Consent,Caregiver Language,Caregiver 2 First,Caregiver 2 Last,Caregiver 2 Email,Caregiver 2 Relationship,Caregiver 2 Scope"

var caregiverRows = []string{
	"P-1,MRN-1,Ana,García,03/14/1948,(512) 867-5309,Rosa García,(512) 867-5310,Daughter,Y,Spanish,Jorge,García,jorge@example.com,husband,conversation",
	`P-2,MRN-2,Robert,Smith,7/4/1946,845-677-1234,"Smith, Mary",+44 20 7946 0958,SPS,no,English,,,,,`,
	"P-3,MRN-3,Lin,Chen,1/2/1950,212-555-0100,,,,,,,,,,",
	"P-4,MRN-4,Ines,Ruiz,5/6/1952,,Pedro Ruiz,555-860-0021,Caretaker,,,Luz,,luz@example.com,,",
}

// writeCSV writes a CRM export of the header and rows to a temp folder.
func writeCSV(t *testing.T, rows ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "patients.csv")
	if err := os.WriteFile(p, []byte(caregiversHeader+"\n"+strings.Join(rows, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportCSVCaregivers: the caregiver columns of a CRM export become
// caregivers of the row's patient, with their own judged contact points
// (never the patient's), relationship, language, scope and consent dated
// by the import; re-importing the file writes nothing, and a changed phone
// updates the same caregiver, keeping its consent's date.
func TestImportCSVCaregivers(t *testing.T) {
	t.Parallel()
	m, err := csvimport.LoadMapping("../csvimport/testdata/caregivers-mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := writeCSV(t, caregiverRows...)
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Batches of two records part P-1 from its second caregiver.
		im := &importer.Importer{DB: db, BatchSize: 2}
		sum, err := im.ImportCSV(ctx, file, m)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["RelatedPerson"]; c == nil || c.Created != 5 || sum.ByType["Patient"].Created != 4 {
			t.Fatalf("summary:\n%s", sum)
		}
		p1 := caregiversOf(t, db, "clinic-crm", "P-1")
		dau, husb := p1["DAU"], p1["HUSB"]
		if dau == nil || husb == nil || len(p1) != 2 {
			t.Fatalf("P-1's caregivers = %v", p1)
		}
		if dau.Name() != "Rosa García" || dau.Language != "es" || dau.Scope != rapport.ScopeReminders || dau.Consent != rapport.ConsentGranted ||
			!dau.ConsentAt.Equal(start) || dau.ConsentSource != rapport.SourceImport || !dau.MayReceive(rapport.ProxyDoseReminder, start) ||
			dau.MayReceive(rapport.ProxyCheckIn, start) || dau.Relationship.Display != "daughter" {
			t.Errorf("daughter = %+v", dau)
		}
		if len(dau.Contacts) != 1 || dau.Contacts[0].Value != "+15128675310" || dau.Contacts[0].Status != rapport.StatusUnverified || dau.Contacts[0].PatientID != "" {
			t.Errorf("daughter's contacts = %+v", dau.Contacts)
		}
		if husb.Scope != rapport.ScopeConversation || husb.Consent != rapport.ConsentNotRecorded || husb.MayReceive(rapport.ProxyDoseReminder, start) ||
			len(husb.Contacts) != 1 || husb.Contacts[0].Kind != rapport.ContactEmail || husb.Contacts[0].Value != "jorge@example.com" {
			t.Errorf("husband = %+v", husb)
		}
		if p := findBySource(t, db, "clinic-crm", "P-1"); len(p.Contacts) != 1 || p.Contacts[0].Value != "+15128675309" {
			t.Errorf("patient's own contacts = %+v", p.Contacts)
		}
		sps := caregiversOf(t, db, "clinic-crm", "P-2")["SPS"]
		if sps == nil || sps.Given != "Mary" || sps.Family != "Smith" || sps.Consent != rapport.ConsentRefused || !sps.ConsentAt.Equal(start) ||
			len(sps.Contacts) != 1 || sps.Contacts[0].Value != "+442079460958" {
			t.Errorf("spouse = %+v", sps)
		}
		if cs := caregiversOf(t, db, "clinic-crm", "P-3"); len(cs) != 0 {
			t.Errorf("P-3's empty blocks made caregivers %v", cs)
		}
		p4, err := db.FindCaregiversByPatient(ctx, findBySource(t, db, "clinic-crm", "P-4").ID)
		if err != nil || len(p4) != 2 {
			t.Fatalf("P-4's caregivers: %v %v", p4, err)
		}
		for _, c := range p4 {
			wantStatus := rapport.StatusUnverified // Luz's email
			if c.Name() == "Pedro Ruiz" {
				wantStatus = rapport.StatusInvalid // a 555 number
			}
			if c.Relationship.Code != "FAMMEMB" || len(c.Contacts) != 1 || c.Contacts[0].Status != wantStatus {
				t.Errorf("P-4's caregiver = %+v", c)
			}
		}

		before := counts(t, db)
		events, _ := db.FindEvents(ctx, rapport.EventFilter{})
		sum, err = im.ImportCSV(ctx, file, m)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["RelatedPerson"]; c.Unchanged != 5 || c.Created+c.Updated != 0 {
			t.Errorf("second import:\n%s", sum)
		}
		after, _ := db.FindEvents(ctx, rapport.EventFilter{})
		if !equalCounts(before, counts(t, db)) || len(after) != len(events) {
			t.Errorf("second import wrote: counts %v → %v, events %d → %d", before, counts(t, db), len(events), len(after))
		}

		// A day later the CRM has Rosa's new phone, in another case.
		db.Clock().(*rapport.ManualClock).Advance(24 * time.Hour)
		rows := append([]string{strings.Replace(caregiverRows[0], "Rosa García,(512) 867-5310", "ROSA  GARCÍA,(512) 867-5311", 1)}, caregiverRows[1:]...)
		sum, err = im.ImportCSV(ctx, writeCSV(t, rows...), m)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["RelatedPerson"]; c.Updated != 1 || c.Created != 0 || c.Unchanged != 4 {
			t.Errorf("import with a changed phone:\n%s", sum)
		}
		got := caregiversOf(t, db, "clinic-crm", "P-1")["DAU"]
		if got.ID != dau.ID || got.Contacts[0].Value != "+15128675311" || !got.ConsentAt.Equal(start) || got.Given != "ROSA" {
			t.Errorf("after the change: %+v (want id %s, the new phone, consent still dated %v)", got, dau.ID, start)
		}
	})
}

// TestImportCSVCaregiverErrors: a bad caregiver cell fails the whole file,
// naming file, line, column and field, and leaves the database as it was.
func TestImportCSVCaregiverErrors(t *testing.T) {
	t.Parallel()
	m, err := csvimport.LoadMapping("../csvimport/testdata/caregivers-mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := "P-5,MRN-5,Tom,Wu,2/3/1955,,Sam Wu,646-555-0199,Dauhgter,,,,,,,"
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		_, err := (&importer.Importer{DB: db}).ImportCSV(context.Background(), writeCSV(t, append(caregiverRows, bad)...), m)
		if err == nil || !strings.Contains(err.Error(), `patients.csv line 6, column Relationship (caregiver 1 relationship): "Dauhgter" is not a relationship`) {
			t.Fatalf("err = %v", err)
		}
		for table, n := range counts(t, db) {
			if n != 0 {
				t.Errorf("%s has %d rows after a failed file", table, n)
			}
		}
	})
}

// TestImportCSVCaregiversFile: a caregivers file keyed by MRN (or by the
// patients' record ids) adds caregivers to patients imported before,
// never to the patient's own record; re-importing it writes nothing; a
// row naming no known patient fails the file, naming its line.
func TestImportCSVCaregiversFile(t *testing.T) {
	t.Parallel()
	patients, err := csvimport.LoadMapping("../csvimport/testdata/caregivers-mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const fileMapping = `source: clinic-crm
default_region: US
caregivers_of: {column: MRN, system: "http://clinic.example/mrn"}
caregivers:
  - given: First
    family: Last
    contacts: [{column: Phone, kind: phone, use: mobile}]
    relationship: Relationship
    consent: Consent
`
	byMRN, err := csvimport.ParseMapping("cg.yaml", []byte(fileMapping))
	if err != nil {
		t.Fatal(err)
	}
	byID, err := csvimport.ParseMapping("cg.yaml", []byte(strings.Replace(fileMapping, `{column: MRN, system: "http://clinic.example/mrn"}`, "{column: Patient ID}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	write := func(rows ...string) string {
		p := filepath.Join(t.TempDir(), "caregivers.csv")
		if err := os.WriteFile(p, []byte("MRN,Patient ID,First,Last,Phone,Relationship,Consent\n"+strings.Join(rows, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := write("MRN-3,,Mei,Chen,(212) 867-5312,daughter,yes", "MRN-1,,Luis,García,,son,")
	dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		im := &importer.Importer{DB: db}
		if _, err := im.ImportCSV(ctx, writeCSV(t, caregiverRows...), patients); err != nil {
			t.Fatal(err)
		}
		sum, err := im.ImportCSV(ctx, file, byMRN)
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.ByType["RelatedPerson"]; c == nil || c.Created != 2 || sum.ByType["Patient"] != nil {
			t.Fatalf("summary:\n%s", sum)
		}
		mei := caregiversOf(t, db, "clinic-crm", "P-3")["DAU"]
		if mei == nil || mei.Name() != "Mei Chen" || mei.Consent != rapport.ConsentGranted || len(mei.Contacts) != 1 || mei.Contacts[0].Value != "+12128675312" {
			t.Errorf("P-3's daughter = %+v", mei)
		}
		if p := findBySource(t, db, "clinic-crm", "P-3"); len(p.Contacts) != 1 || p.Contacts[0].Raw != "212-555-0100" {
			t.Errorf("P-3's own contacts = %+v", p.Contacts)
		}
		if p1 := caregiversOf(t, db, "clinic-crm", "P-1"); len(p1) != 3 || p1["SON"] == nil {
			t.Errorf("P-1's caregivers = %v, want the row's two and the file's son", p1)
		}

		before := counts(t, db)
		if sum, err := im.ImportCSV(ctx, file, byMRN); err != nil || sum.ByType["RelatedPerson"].Unchanged != 2 {
			t.Errorf("second import: %v\n%s", err, sum)
		}
		if !equalCounts(before, counts(t, db)) {
			t.Errorf("second import wrote: %v → %v", before, counts(t, db))
		}

		if sum, err := im.ImportCSV(ctx, write(",P-2,Ann,Smith,,daughter,"), byID); err != nil || sum.ByType["RelatedPerson"].Created != 1 {
			t.Errorf("by record id: %v\n%s", err, sum)
		}
		_, err = im.ImportCSV(ctx, write("MRN-3,,Kai,Chen,,son,", "MRN-404,,Al,Nobody,,son,"), byMRN)
		if err == nil || !strings.Contains(err.Error(), "caregivers.csv line 3 (caregiver 1): patient: no single patient has identifier") {
			t.Errorf("unknown MRN: err = %v", err)
		}
		if cs := caregiversOf(t, db, "clinic-crm", "P-3"); cs["SON"] != nil {
			t.Errorf("a failed file added %+v", cs["SON"])
		}
	})
}
