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
	Err      string           `json:"error,omitempty"`
}

// TestGoldenCRMExport reads a small, dirty CRM export (typo'd emails, 555
// numbers, a missing birth date, Spanish speakers, a multi-line address, a
// short row) with the documented example mapping, judges the contact points,
// and compares everything with testdata/crm.golden.json.
func TestGoldenCRMExport(t *testing.T) {
	t.Parallel()
	m, err := LoadMapping(filepath.Join("testdata", "example-mapping.yaml"))
	if err != nil {
		t.Fatalf("LoadMapping: %v", err)
	}
	f, err := os.Open(filepath.Join("testdata", "crm.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var got []goldenRecord
	err = Read(f, "crm.csv", m, func(rec Record) error {
		g := goldenRecord{Line: rec.Line, SourceID: rec.SourceID, Patient: rec.Patient}
		if rec.Err != nil {
			g.Err = rec.Err.Error()
		}
		if rec.Patient != nil {
			m.Verify(rec.Patient, now)
			if err := rec.Patient.Validate(); err != nil {
				t.Errorf("line %d: the patient does not validate: %v", rec.Line, err)
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
	golden := filepath.Join("testdata", "crm.golden.json")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("records differ from %s (run go test -run TestGoldenCRMExport -update and review the diff):\n%s", golden, out)
	}
}
