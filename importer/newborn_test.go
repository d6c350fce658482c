package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapporthq/rapport/importer"
	"github.com/rapporthq/rapport/internal/dbtest"
	"github.com/rapporthq/rapport/store"
)

// TestNewbornImports imports the FHIR R4 example Patient "newborn"
// (patient-example-newborn.json, as published with the R4 specification):
// valid R4 with no name, identifier or telecom. It is imported — it simply
// cannot be contacted — beside an ordinary patient, from NDJSON and from a
// Bundle, and the file never fails for it.
func TestNewbornImports(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "patient-example-newborn.json"))
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		t.Fatal(err)
	}
	newborn := compact.String()
	other := patientJSON("a", "Good", "1950-01-02")
	files := map[string]func(t *testing.T) string{
		"ndjson": func(t *testing.T) string { return ndjson(t, "Patient.ndjson", newborn, other) },
		"bundle": func(t *testing.T) string {
			b := `{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:0b6a3d2e-1e63-4c7d-9a3e-1f0d2c4b5a61","resource":` + newborn +
				`},{"fullUrl":"urn:uuid:7f1c2b3a-4d5e-4f60-8a71-9b8c7d6e5f40","resource":` + other + `}]}`
			p := filepath.Join(t.TempDir(), "bundle.json")
			if err := os.WriteFile(p, []byte(b), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		},
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, clock, func(t *testing.T, db *store.DB) {
				im := &importer.Importer{DB: db, Source: "ehr"}
				sum, err := im.ImportFHIR(context.Background(), file(t))
				if err != nil {
					t.Fatalf("import: %v", err)
				}
				if sum.ByType["Patient"].Created != 2 || sum.ByType["Patient"].Rejected != 0 {
					t.Errorf("summary:\n%s", sum)
				}
				if n := counts(t, db)["patients"]; n != 2 {
					t.Errorf("patients = %d, want 2", n)
				}
			})
		})
	}
}
