package csvimport

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapporthq/rapport"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenRecord is what the golden file keeps of a record.
type goldenRecord struct {
	Line     int              `json:"line"`
	SourceID string           `json:"source_id"`
	Patient  *rapport.Patient `json:"patient,omitempty"`
	// Caregivers are as read: their contact points are judged by the importer.
	Caregivers []Caregiver `json:"caregivers,omitempty"`
	Err        string      `json:"error,omitempty"`
}

// TestGoldenCRMExport reads a small, dirty CRM export (typo'd emails, 555
// numbers, a missing birth date, Spanish speakers, a multi-line address, a
// short row) with the documented example mapping, judges the contact points,
// and compares everything with testdata/crm.golden.json.
func TestGoldenCRMExport(t *testing.T) {
	t.Parallel()
	golden(t, "example-mapping.yaml", "crm.csv", "crm.golden.json")
}

// TestGoldenCaregivers reads an export with two caregivers per row (an
// emergency contact by full name, a second one by given and family name)
// with the documented caregivers mapping: relationship words, codes and
// values, a default, consent yes/no/blank, a Spanish speaker, empty blocks
// (one with a relationship and consent but nobody named), and rows with a
// misspelt relationship, a consent of "maybe" and an unknown scope.
func TestGoldenCaregivers(t *testing.T) {
	t.Parallel()
	golden(t, "caregivers-mapping.yaml", "caregivers.csv", "caregivers.golden.json")
}

// golden reads testdata/csvName with testdata/mappingName and compares the
// records with testdata/goldenName.
func golden(t *testing.T, mappingName, csvName, goldenName string) {
	t.Helper()
	m, err := LoadMapping(filepath.Join("testdata", mappingName))
	if err != nil {
		t.Fatalf("LoadMapping: %v", err)
	}
	f, err := os.Open(filepath.Join("testdata", csvName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var got []goldenRecord
	err = Read(f, csvName, m, func(rec Record) error {
		g := goldenRecord{Line: rec.Line, SourceID: rec.SourceID, Patient: rec.Patient, Caregivers: rec.Caregivers}
		if rec.Err != nil {
			g.Err = rec.Err.Error()
		}
		if rec.Patient != nil {
			m.Verify(rec.Patient, now)
			if err := rec.Patient.Validate(); err != nil {
				t.Errorf("line %d: the patient does not validate: %v", rec.Line, err)
			}
		}
		for _, cg := range rec.Caregivers {
			if err := validateCaregiver(cg.Caregiver, now); err != nil {
				t.Errorf("line %d: caregiver %d does not validate: %v", rec.Line, cg.Block, err)
			}
		}
		got = append(got, g)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	out, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	path := filepath.Join("testdata", goldenName)
	if *update {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("records differ from %s (run go test -run %s -update and review the diff):\n%s", path, t.Name(), out)
	}
}

// validateCaregiver validates a copy of c as the importer would store it:
// with a patient, its consent dated and its contact points judged.
func validateCaregiver(c *rapport.Caregiver, now time.Time) error {
	v := *c
	v.PatientID = "p"
	if v.Consent != rapport.ConsentNotRecorded {
		v.ConsentAt = now
	}
	v.Contacts = append([]rapport.ContactPoint(nil), c.Contacts...)
	for i := range v.Contacts {
		v.Contacts[i].Status = rapport.StatusUnverified
	}
	return v.Validate()
}
